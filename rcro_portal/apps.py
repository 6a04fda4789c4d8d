"""The top of the portal (home page, URLs, settings, the Celery app, demo seeding) and Russian
names for third-party apps' sections in the admin."""

from axes.apps import AppConfig as BaseAxesConfig
from django.apps import AppConfig


class RcroPortalConfig(AppConfig):
    """The top of the portal: home page, URLs, settings, the Celery app and demo seeding."""

    default = True  # the module has another config (axes'), so it is named
    name = "rcro_portal"
    verbose_name = "Портал"

    def ready(self):
        from core.russian import load_dictionaries

        load_dictionaries()


class AxesConfig(BaseAxesConfig):
    verbose_name = "Защита входа (блокировки)"
