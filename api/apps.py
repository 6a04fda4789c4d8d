from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API для разработчиков и Департамента"

    def ready(self):
        from . import schema  # noqa: F401 - registers the key authentication in the OpenAPI schema
