"""The top of the portal (home page, URLs, settings, the Celery app, demo seeding) and Russian
names for third-party apps' sections in the admin."""

from axes.apps import AppConfig as BaseAxesConfig
from django.apps import AppConfig


class RcroPortalConfig(AppConfig):
    """The top of the portal: home page, URLs, settings, the Celery app and demo seeding."""

    name = "rcro_portal"
    verbose_name = "Портал"


class AxesConfig(BaseAxesConfig):
    verbose_name = "Защита входа (блокировки)"
