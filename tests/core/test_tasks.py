"""Every background job has time limits; e-mail jobs retry on transient errors."""

import smtplib

from django.conf import settings

from core.tasks import TRANSIENT_MAIL_ERRORS
from rcro_portal.celery import app

MAIL_TASKS = {
    "monitoring.send_workflow_notification",
    "monitoring.send_deadline_reminders",
    "projects.send_assignment_notification",
}


def _project_tasks():
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_has_soft_and_hard_time_limits():
    tasks = _project_tasks()
    assert MAIL_TASKS | {"reports.build_appendix1_export", "reports.worker_ping"} <= set(tasks)
    for name, task in tasks.items():
        assert task.soft_time_limit, name
        assert task.time_limit, name
        assert 0 < task.soft_time_limit < task.time_limit, name


def test_limits_follow_the_kind_of_work():
    tasks = _project_tasks()
    assert tasks["reports.build_appendix1_export"].soft_time_limit == settings.TASK_TIME_LIMITS["document"][0]
    assert tasks["reports.worker_ping"].time_limit == settings.TASK_TIME_LIMITS["quick"][1]
    assert tasks["monitoring.send_workflow_notification"].time_limit == settings.TASK_TIME_LIMITS["mail"][1]


def test_mail_tasks_retry_on_transient_errors_with_backoff():
    tasks = _project_tasks()
    for name in MAIL_TASKS:
        task = tasks[name]
        assert task.autoretry_for == TRANSIENT_MAIL_ERRORS, name
        assert task.retry_backoff == settings.MAIL_RETRY_BACKOFF and task.retry_jitter, name
        assert task.max_retries == settings.MAIL_MAX_RETRIES, name
    for error in (smtplib.SMTPServerDisconnected(), ConnectionRefusedError(), TimeoutError(), OSError()):
        assert isinstance(error, TRANSIENT_MAIL_ERRORS)
