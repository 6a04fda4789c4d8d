"""Russian names for third-party apps' sections in the admin."""

from axes.apps import AppConfig as BaseAxesConfig


class AxesConfig(BaseAxesConfig):
    verbose_name = "Защита входа (блокировки)"
