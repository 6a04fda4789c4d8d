"""What the EDMS vendors report about schools, and the register of requests to the vendors."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from schools.models import EdmsSystem, EdmsVendor, School

# Registered / active pairs a vendor reports (active in the last 30 days ≤ registered).
REGISTERED_ACTIVE = (
    ("students_registered", "students_active"),
    ("teachers_registered", "teachers_active"),
    ("parents_registered", "parents_active"),
)
VENDOR_COUNT_FIELDS = ("classes", *(name for pair in REGISTERED_ACTIVE for name in pair))


class VendorCount(models.Model):
    """A vendor's counts for one school as of a date (pushed through the API)."""

    vendor = models.ForeignKey(
        EdmsVendor, on_delete=models.PROTECT, related_name="counts", verbose_name="разработчик"
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="vendor_counts", verbose_name="организация"
    )
    as_of = models.DateField("по состоянию на")
    classes = models.IntegerField("классов")
    students_registered = models.IntegerField("обучающихся зарегистрировано")
    students_active = models.IntegerField("обучающихся активных за 30 дней")
    teachers_registered = models.IntegerField("педагогов зарегистрировано")
    teachers_active = models.IntegerField("педагогов активных за 30 дней")
    parents_registered = models.IntegerField("родителей зарегистрировано")
    parents_active = models.IntegerField("родителей активных за 30 дней")
    source = models.CharField("ключ, которым переданы", max_length=100, blank=True)
    updated_at = models.DateTimeField("изменено")

    class Meta:
        verbose_name = "данные разработчика по организации"
        verbose_name_plural = "данные разработчиков по организациям"
        ordering = ["school_id", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "school", "as_of"], name="vendorcount_unique"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}), name=f"vendorcount_{name}_not_negative"
                )
                for name in VENDOR_COUNT_FIELDS
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{active}__lte": F(registered)}),
                    name=f"vendorcount_{active}_le_registered",
                )
                for registered, active in REGISTERED_ACTIVE
            ),
        ]

    def __str__(self):
        return f"{self.vendor} — {self.school} на {self.as_of:%d.%m.%Y}"


class VendorRequest(models.Model):
    """A school's or pilot site's request to its system's vendor (problem or suggestion)."""

    class Kind(models.TextChoices):
        PROBLEM = "problem", "проблема"
        SUGGESTION = "suggestion", "предложение"

    class State(models.TextChoices):
        NEW = "new", "новое"
        ACCEPTED = "accepted", "принято"
        PLANNED = "planned", "запланировано"
        DONE = "done", "выполнено"
        REFUSED = "refused", "отклонено"

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="vendor_requests", verbose_name="организация"
    )
    system = models.ForeignKey(
        EdmsSystem, on_delete=models.PROTECT, related_name="vendor_requests", verbose_name="система"
    )
    module = models.CharField("модуль", max_length=200, blank=True)
    kind = models.CharField("вид", max_length=12, choices=Kind.choices)
    text = models.TextField("содержание")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="автор",
    )
    created_at = models.DateTimeField("создано")
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name="повторяет обращение",
    )
    state = models.CharField("состояние", max_length=10, choices=State.choices, default=State.NEW)
    planned_on = models.DateField("запланировано на", null=True, blank=True)
    answer = models.TextField("ответ разработчика", blank=True)
    answered_at = models.DateTimeField("ответ получен", null=True, blank=True)
    answered_via = models.CharField("ответ передан", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "обращение к разработчику"
        verbose_name_plural = "обращения к разработчикам"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="vendorrequest_text_not_empty"),
            models.CheckConstraint(
                condition=Q(state="planned", planned_on__isnull=False) | ~Q(state="planned"),
                name="vendorrequest_planned_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")), name="vendorrequest_not_own_duplicate"
            ),
        ]

    def __str__(self):
        return f"№ {self.pk}: {self.text[:60]}"
