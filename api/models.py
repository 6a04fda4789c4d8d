"""API keys (per vendor, or for the Department) and the journal of API calls."""

from django.db import models
from django.db.models import Q
from rest_framework_api_key.models import AbstractAPIKey

from schools.models import EdmsVendor


class ApiKey(AbstractAPIKey):
    """A key a methodist issues; only its hash is stored, the key itself is shown once."""

    class Kind(models.TextChoices):
        VENDOR = "vendor", "разработчик СЭД"
        DEPARTMENT = "department", "Департамент (чтение показателей)"

    kind = models.CharField("вид", max_length=12, choices=Kind.choices)
    vendor = models.ForeignKey(
        EdmsVendor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name="разработчик",
    )
    last_used_at = models.DateTimeField("последнее использование", null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "ключ API"
        verbose_name_plural = "ключи API"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="vendor", vendor__isnull=False) | Q(kind="department", vendor__isnull=True),
                name="apikey_vendor_iff_vendor_kind",
            )
        ]


class ApiCall(models.Model):
    """One call of the API: who (the key's name), what, and the answer's status."""

    at = models.DateTimeField("время", db_index=True)
    key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    key_name = models.CharField("ключ", max_length=50, blank=True)
    method = models.CharField("метод", max_length=10)
    path = models.CharField("адрес", max_length=300)
    status = models.PositiveSmallIntegerField("ответ")

    class Meta:
        verbose_name = "обращение к API"
        verbose_name_plural = "журнал обращений к API"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.key_name or '—'} {self.method} {self.path} {self.status}"
