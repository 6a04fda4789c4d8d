"""The journal of access to personal data (152-FZ): append-only."""

from django.conf import settings
from django.db import models

MSG_APPEND_ONLY = "Записи журнала доступа нельзя изменять или удалять."


class AppendOnlyError(Exception):
    pass


class AccessEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(MSG_APPEND_ONLY)

    def delete(self):
        raise AppendOnlyError(MSG_APPEND_ONLY)


class AccessEvent(models.Model):
    class Kind(models.TextChoices):
        VIEW_CONTACTS = "view_contacts", "просмотр контактов"
        DOWNLOAD = "download", "скачивание файла"
        EXPORT = "export", "выгрузка"
        IMPORT = "import", "загрузка"
        REFUSED = "refused", "отказ в доступе"
        LOGIN = "login", "вход"
        LOGIN_FAILED = "login_failed", "неудачный вход"
        LOGOUT = "logout", "выход"
        ANONYMISE = "anonymise", "обезличивание"
        API_CALL = "api_call", "вызов API по ключу"

    created_at = models.DateTimeField("время", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="пользователь",
        db_constraint=False,
    )
    username = models.CharField("имя входа", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    kind = models.CharField("действие", max_length=16, choices=Kind.choices, db_index=True)
    object_kind = models.CharField("объект", max_length=40, blank=True)
    object_id = models.CharField("id объекта", max_length=64, blank=True)
    municipality_id = models.IntegerField("id МОУО", null=True, blank=True, db_index=True)
    scope = models.CharField("охват", max_length=200, blank=True)
    path = models.CharField("адрес", max_length=500, blank=True)
    detail = models.TextField("подробности", blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = "запись журнала доступа"
        verbose_name_plural = "журнал доступа к персональным данным"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.username} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError(MSG_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(MSG_APPEND_ONLY)
