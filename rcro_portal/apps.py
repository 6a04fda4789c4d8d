from django.apps import AppConfig


class RcroPortalConfig(AppConfig):
    """The top of the portal: home page, URLs, settings, the Celery app and demo seeding."""

    name = "rcro_portal"
    verbose_name = "Портал"
