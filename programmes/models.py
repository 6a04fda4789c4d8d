"""A municipality's programme of introducing electronic diaries and journals (an order like
Kogalym's): its schools, stages, dated targets, readiness, dated progress reports and the register
of parents' applications."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import ReportStatus, TransitionLog
from schools.models import EdmsSystem, Municipality, School

from .reference import CONDITION_CHOICES, Phase

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _percent(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True, validators=PERCENT)


class Programme(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="programmes", verbose_name="МО"
    )
    title = models.CharField("наименование", max_length=300)
    order_number = models.CharField("номер приказа", max_length=40)
    order_date = models.DateField("дата приказа")
    order_file = models.FileField("файл приказа", upload_to="programmes/orders/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = "программа внедрения"
        verbose_name_plural = "программы внедрения"
        ordering = ["municipality__sort_order", "-order_date", "pk"]

    def __str__(self):
        return f"{self.title} (приказ № {self.order_number} от {self.order_date:%d.%m.%Y})"


class ProgrammeSchool(models.Model):
    """A participating school, with what its application form names: the director and the system."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="programme_entries")
    director_name = models.CharField("ФИО директора", max_length=200, blank=True)
    system = models.ForeignKey(
        EdmsSystem, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="система"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "участник программы"
        verbose_name_plural = "участники программы"
        constraints = [models.UniqueConstraint(fields=["programme", "school"], name="programme_school_once")]

    def __str__(self):
        return str(self.school)


class Stage(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stages")
    phase = models.CharField("этап", max_length=16, choices=Phase.CHOICES)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("мероприятие", max_length=200)
    content = models.TextField("содержание", blank=True)
    due_on = models.DateField("срок", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "этап программы"
        verbose_name_plural = "этапы программы"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Indicator(models.TextChoices):
    """Indicators of the progress report that a target may be set for (all in %)."""

    PARENTS_ACTIVATED = "parents_activated_pct", "Активация родителей в системе"
    TEACHERS_WORKING = "teachers_working_pct", "Педагоги, работающие в системе"
    LOGINS_PARENTS = "logins_parents_pct", "Выданы логины родителям"
    DATABASES_FILLED = "databases_filled_pct", "Заполнение баз данных"
    APPLICATIONS = "applications_pct", "Зарегистрированы заявления родителей"
    TRAINED_TEACHERS = "trained_teachers_pct", "Обучены педагоги"


class Target(models.Model):
    """«От 30 до 40 % к 20.09.2012»: the share an indicator must reach by a date."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField("показатель", max_length=32, choices=Indicator.choices)
    due_on = models.DateField("к дате")
    min_percent = models.PositiveSmallIntegerField("от, %", validators=PERCENT)
    max_percent = models.PositiveSmallIntegerField("до, %", validators=PERCENT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "целевое значение"
        verbose_name_plural = "целевые значения"
        ordering = ["indicator", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator", "due_on"], name="programme_target_once"
            ),
            models.CheckConstraint(
                condition=models.Q(min_percent__lte=models.F("max_percent")), name="programme_target_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_indicator_display()}: {self.min_percent}–{self.max_percent} % к {self.due_on:%d.%m.%Y}"


class ReportingDate(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reporting_dates")
    on_date = models.DateField("отчёт по состоянию на")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "дата отчёта"
        verbose_name_plural = "даты отчётов"
        ordering = ["on_date"]
        constraints = [models.UniqueConstraint(fields=["programme", "on_date"], name="programme_date_once")]

    def __str__(self):
        return f"{self.on_date:%d.%m.%Y}"


class ReadinessMark(models.Model):
    """Appendix 2: whether a school meets one condition of keeping the journal."""

    participant = models.ForeignKey(ProgrammeSchool, on_delete=models.CASCADE, related_name="readiness")
    condition = models.CharField("условие", max_length=32, choices=CONDITION_CHOICES)
    met = models.BooleanField("выполнено", default=False)
    note = models.CharField("примечание", max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "условие готовности"
        verbose_name_plural = "готовность"
        constraints = [
            models.UniqueConstraint(fields=["participant", "condition"], name="programme_readiness_once")
        ]

    def __str__(self):
        return f"{self.get_condition_display()}: {'да' if self.met else 'нет'}"


class ProgressReport(models.Model):
    """Appendix 3: a school's report on the introduction as of a reporting date (15 points)."""

    participant = models.ForeignKey(ProgrammeSchool, on_delete=models.CASCADE, related_name="reports")
    reporting_date = models.ForeignKey(ReportingDate, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(
        "состояние", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    return_comment = models.TextField("комментарий при возврате", blank=True)
    submitted_at = models.DateTimeField("отправлен", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # 1–5: people, system, plan and local acts
    responsible_person = models.CharField(
        "1. Ответственное лицо (ФИО, должность)", max_length=300, blank=True
    )
    system = models.ForeignKey(
        EdmsSystem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="2. Система",
    )
    plan_approval = models.CharField("3. План введения (реквизиты утверждения)", max_length=300, blank=True)
    local_acts = models.TextField("4. Локальные акты (названия и реквизиты утверждения)", blank=True)
    local_act_changes = models.TextField("5. Изменения в локальные акты (реквизиты утверждения)", blank=True)
    # 6–7: informing
    informed_teachers_pct = _percent("6.1. Ознакомлены педагоги, %")
    informed_parents_pct = _percent("6.2. Ознакомлены родители, %")
    informed_students_pct = _percent("6.3. Ознакомлены обучающиеся, %")
    informing_forms = models.TextField("7. Формы ознакомления", blank=True)
    # 8–9: applications and databases
    applications_registered = models.PositiveIntegerField(
        "8. Зарегистрировано заявлений родителей", default=0
    )
    applications_pct = _percent("8. Заявления родителей, % родителей")
    applications_classes = models.CharField("8. Классы (заявления)", max_length=200, blank=True)
    databases_filled_pct = _percent("9. Заполнение баз данных, % от необходимого объёма")
    # 10: training
    trained_teachers_pct = _percent("10.1. Обучены педагоги, %")
    trained_parents_pct = _percent("10.2. Обучены родители, %")
    trained_students_pct = _percent("10.3. Обучены обучающиеся, %")
    # 11–14: site, logins, work in the system
    site_link = models.BooleanField("11. Ссылка на систему на сайте учреждения", default=False)
    logins_parents_pct = _percent("12.1. Логины выданы родителям, %")
    logins_teachers_pct = _percent("12.2. Логины выданы педагогам, %")
    logins_students_pct = _percent("12.3. Логины выданы обучающимся, %")
    logins_classes = models.CharField("12. Классы (логины)", max_length=200, blank=True)
    teachers_working_pct = _percent("13. Педагоги, работающие в системе, %")
    parents_activated_pct = _percent("14. Активация родителей, % от имеющих возможность")
    parents_activated_classes = models.CharField("14. Классы (активация)", max_length=200, blank=True)
    # 15: additional information; the problems and how they were solved are rows (ProgressProblem)
    additional_info = models.TextField("15. Дополнительная информация", blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = "отчёт о ходе введения"
        verbose_name_plural = "отчёты о ходе введения"
        ordering = ["reporting_date__on_date", "participant__school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "reporting_date"], name="programme_report_once")
        ]

    def __str__(self):
        return f"{self.participant.school} на {self.reporting_date}"

    @property
    def is_editable_state(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ProgressProblem(models.Model):
    """Point 15 of the progress report as a table: a problem that arose and how it was solved."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="problem_rows")
    position = models.PositiveSmallIntegerField("№", default=1)
    problem = models.TextField("Содержание проблемы")
    solution = models.TextField("Решение проблемы (полностью, частично)", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "проблема и её решение"
        verbose_name_plural = "проблемы и их решение"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.problem[:80]


class ProgressReportLog(TransitionLog):
    class Action(models.TextChoices):
        START = "start", "начат"
        SUBMIT = "submit", "отправлен на проверку"
        APPROVE = "approve", "принят"
        RETURN = "return", "возвращён на доработку"

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="log")
    action = models.CharField("действие", max_length=16, choices=Action.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "запись журнала отчёта"
        verbose_name_plural = "журнал отчётов о ходе введения"


class ProgressReminder(models.Model):
    """A reminder sent about a late progress report (the date passed, the report not submitted)."""

    participant = models.ForeignKey(ProgrammeSchool, on_delete=models.CASCADE, related_name="+")
    reporting_date = models.ForeignKey(ReportingDate, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "напоминание об отчёте"
        verbose_name_plural = "напоминания об отчётах"

    def __str__(self):
        return f"{self.participant_id} / {self.reporting_date_id}: {self.sent_at:%d.%m.%Y}"


class ParentApplication(models.Model):
    """Appendix 4: a registered parent's application for access to the electronic diary.

    The register needs no names to count. ``applicant_name`` is optional; when a school records it,
    it is personal data (152-ФЗ): shown only to the school and its reviewers, kept with the history.
    """

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", "при личном обращении"
        PHONE = "phone", "по телефону"
        EMAIL = "email", "электронной почтой"

    participant = models.ForeignKey(ProgrammeSchool, on_delete=models.CASCADE, related_name="applications")
    reg_number = models.CharField("регистрационный номер", max_length=40)
    reg_date = models.DateField("дата регистрации")
    class_name = models.CharField("класс", max_length=10)
    delivery = models.CharField("как сообщить логин", max_length=16, choices=Delivery.choices)
    consent = models.BooleanField("согласие на обработку персональных данных", default=False)
    applicant_name = models.CharField(
        "ФИО заявителя (необязательно; персональные данные)",
        max_length=200,
        blank=True,
        help_text="Персональные данные (152-ФЗ): указывайте только при необходимости.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    PERSONAL_DATA_FIELDS = ("applicant_name",)

    class Meta:
        verbose_name = "заявление родителя"
        verbose_name_plural = "журнал заявлений родителей"
        ordering = ["reg_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "reg_number"], name="programme_application_number_once"
            )
        ]

    def __str__(self):
        return f"№ {self.reg_number} от {self.reg_date:%d.%m.%Y}"
