"""Options shared by the background jobs: time limits by kind of work, and retries of e-mail.

The limits themselves are settings (``TASK_TIME_LIMITS``), so a slow server can raise them without
touching the code. A task past its soft limit gets ``SoftTimeLimitExceeded`` (and can record the
failure); past the hard limit the worker process is killed.
"""

import smtplib

from django.conf import settings

# Errors after which sending mail later may succeed: the server is down or busy, the network failed.
# (socket errors are OSError; SMTPException, ConnectionError and TimeoutError are OSError too.)
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


def time_limits(kind: str) -> dict[str, int]:
    """``soft_time_limit`` and ``time_limit`` (seconds) for a task doing ``kind`` of work."""
    soft, hard = settings.TASK_TIME_LIMITS[kind]
    return {"soft_time_limit": soft, "time_limit": hard}


def mail_task_options() -> dict:
    """Options of a task that sends e-mail: mail limits, and retries with growing, jittered pauses."""
    return {
        **time_limits("mail"),
        "autoretry_for": TRANSIENT_MAIL_ERRORS,
        "retry_backoff": settings.MAIL_RETRY_BACKOFF,
        "retry_backoff_max": settings.MAIL_RETRY_BACKOFF_MAX,
        "retry_jitter": True,
        "max_retries": settings.MAIL_MAX_RETRIES,
    }
