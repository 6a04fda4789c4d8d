"""Celery application. Reads every ``CELERY_*`` setting from Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcro_portal.settings")

app = Celery("rcro_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
