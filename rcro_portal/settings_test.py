"""Fast settings for the test suite; the database still comes from DATABASE_URL."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests marked ``celery_worker`` switch this off for themselves and use the real broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tests that need the replica add the alias themselves (tests/core/test_replica.py): a mirror
# would not see the data of tests running inside a transaction.
DATABASES.pop("replica", None)  # noqa: F405
# Every request writes the session again, so that a page's query count does not depend on how long
# ago the test's previous request was (tests of the refresh period set their own).
SESSION_REFRESH_SECONDS = 0
