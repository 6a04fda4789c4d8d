"""Celery application. Reads every ``CELERY_*`` setting from Django settings."""

import os

from celery import Celery
from celery.signals import worker_process_init

from core.startup import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcro_portal.settings")

app = Celery("rcro_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_startup_objects(**_kwargs):
    """Each worker process starts with the application loaded: see ``core.startup``."""
    freeze_startup_objects()
