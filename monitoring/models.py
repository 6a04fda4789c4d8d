"""Monitoring campaigns and the school report (Appendix 1, 25 columns)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

# ReportStatus and TransitionLog live in core (shared with projects); other code still imports them from here.
from accounts.history import history_with_ip
from core.bounds import COUNT_MAX
from core.models import ReportStatus, TransitionLog
from schools.models import Branch, EdmsSystem, School


class Campaign(models.Model):
    """One data collection: «мониторинг … по состоянию на <дата>», with a deadline."""

    class Status(models.TextChoices):
        PREPARING = "preparing", "подготовка"
        OPEN = "open", "идёт сбор"
        CLOSED = "closed", "завершён"

    slug = models.SlugField("код", max_length=40, unique=True)
    title = models.CharField("название", max_length=300)
    academic_year = models.CharField(
        "учебный год",
        max_length=9,
        validators=[RegexValidator(r"^\d{4}-\d{4}$", "Укажите учебный год в виде 2017-2018.")],
    )
    as_of = models.DateField("по состоянию на")
    deadline = models.DateField("срок предоставления")
    letter_number = models.CharField("номер письма", max_length=40, blank=True)
    letter_date = models.DateField("дата письма", null=True, blank=True)
    status = models.CharField("статус", max_length=16, choices=Status.choices, default=Status.PREPARING)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_campaigns",
        verbose_name="предыдущий мониторинг",
        help_text="С ним сравниваются значения; из него переносятся данные в новые отчёты.",
    )
    participants = models.ManyToManyField(
        School, related_name="campaigns", blank=True, verbose_name="участники"
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    opened_at = models.DateTimeField("открыт", null=True, blank=True)
    closed_at = models.DateTimeField("закрыт", null=True, blank=True)
    history = history_with_ip(excluded_fields=["created_at"])

    class Meta:
        verbose_name = "мониторинг"
        verbose_name_plural = "мониторинги"
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("as_of")),
                name="campaign_deadline_after_as_of",
                violation_error_message="Срок предоставления не может быть раньше даты «по состоянию на».",
            ),
            models.CheckConstraint(
                condition=~Q(previous=F("pk")),
                name="campaign_previous_not_self",
                violation_error_message="Мониторинг не может ссылаться сам на себя как на предыдущий.",
            ),
            models.CheckConstraint(
                condition=Q(academic_year__regex=r"^[0-9]{4}-[0-9]{4}$"),
                name="campaign_academic_year_format",
                violation_error_message="Укажите учебный год в виде 2017-2018.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


COUNT_FIELDS = (
    "classes_total",
    "classes_edms",
    "parents_edms",
    "teacher_workstations",
    "student_workstations",
    "classes_ejournal",
    "classes_other_modules",
    "students_total",
    "students_edms",
    "teachers_total",
    "teachers_edms",
)

# (part, whole): the part may not exceed the whole (columns 9, 13, 14 ≤ 8; 16 ≤ 15; 18 ≤ 17).
PART_OF_WHOLE = (
    ("classes_edms", "classes_total"),
    ("classes_ejournal", "classes_total"),
    ("classes_other_modules", "classes_total"),
    ("students_edms", "students_total"),
    ("teachers_edms", "teachers_total"),
)


# States in which a report is final enough that the database holds its arithmetic rules.
CHECKED_STATES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def _report_constraints():
    editable = Q(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
    # Every door checks counts against core.bounds; the database holds the same range.
    within_bounds = Q()
    for field in COUNT_FIELDS:
        within_bounds &= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (-COUNT_MAX, COUNT_MAX)})
    constraints = [models.CheckConstraint(condition=within_bounds, name="report_counts_within_bounds")]
    for field in COUNT_FIELDS:
        constraints.append(
            models.CheckConstraint(
                condition=editable | Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                name=f"report_{field}_not_negative",
            )
        )
    for part, whole in PART_OF_WHOLE:
        constraints.append(
            models.CheckConstraint(
                condition=editable
                | Q(**{f"{part}__isnull": True})
                | Q(**{f"{whole}__isnull": True})
                | Q(**{f"{part}__lte": F(whole)}),
                name=f"report_{part}_le_{whole}",
            )
        )
    return constraints


class SchoolReport(models.Model):
    """One school's row of Appendix 1 in one campaign, with its branch rows and events.

    Counts are nullable (not filled yet). While a report is a draft it may hold values that
    break the rules, so that nothing typed is lost; once submitted, the database holds them.
    """

    # The municipality's state when a page has read it ahead for all its checks (not stored):
    # :func:`monitoring.actions.report_actions` sets it, the refusals read it.
    municipality_state_read: str | None = None
    # True when the report was read with its row lock (``selectors.report_for(lock=True)`` or
    # ``selectors.report_locked``) and the municipality's state by the same statement.
    locked_for_update: bool = False
    # The branch rows and events as :func:`monitoring.services.report_save` left them, in their
    # order, for the answer to that save (not stored; None when it did not read them).
    saved_branch_rows: list | None = None
    saved_events: list | None = None

    class Frequency(models.IntegerChoices):
        DAILY = 1, "ежедневно"
        EVERY_2_3_DAYS = 2, "раз в 2–3 дня"
        WEEKLY = 3, "еженедельно"
        MONTHLY = 4, "1–2 раза в месяц"

    class PaperJournal(models.IntegerChoices):
        YES = 1, "да"
        NO = 2, "нет"
        PLANNED = 3, "планируется отказ от бумажного журнала в следующем учебном году"

    class PilotSite(models.IntegerChoices):
        YES = 1, "да"
        NO = 2, "нет"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="reports", verbose_name="мониторинг"
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="reports", verbose_name="организация"
    )
    status = models.CharField(
        "состояние", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    version = models.PositiveIntegerField("версия", default=1)

    # 5-7
    system = models.ForeignKey(
        EdmsSystem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="система электронного документооборота",
    )
    responsible_name = models.CharField("ФИО ответственного за работу СЭД", max_length=200, blank=True)
    responsible_position = models.CharField("должность ответственного", max_length=200, blank=True)
    responsible_phone = models.CharField("телефон ответственного", max_length=60, blank=True)
    responsible_email = models.CharField("e-mail ответственного", max_length=254, blank=True)
    # 8-18
    classes_total = models.IntegerField("общее количество классов", null=True, blank=True)
    classes_edms = models.IntegerField("классов, использующих СЭД", null=True, blank=True)
    parents_edms = models.IntegerField("родителей, пользующихся СЭД", null=True, blank=True)
    teacher_workstations = models.IntegerField("рабочих мест учителя", null=True, blank=True)
    student_workstations = models.IntegerField("рабочих мест ученика", null=True, blank=True)
    classes_ejournal = models.IntegerField("классов, использующих ЭЖ/ЭД", null=True, blank=True)
    classes_other_modules = models.IntegerField("классов, использующих другие модули", null=True, blank=True)
    module_turnstile = models.BooleanField("модуль «турникет»", default=False)
    module_library = models.BooleanField("модуль «библиотека»", default=False)
    module_canteen = models.BooleanField("модуль «столовая»", default=False)
    module_other = models.BooleanField("другие модули", default=False)
    other_modules_text = models.CharField("какие модули и чьей разработки", max_length=500, blank=True)
    students_total = models.IntegerField("общее количество обучающихся", null=True, blank=True)
    students_edms = models.IntegerField("обучающихся, использующих СЭД", null=True, blank=True)
    teachers_total = models.IntegerField("общее количество педагогов", null=True, blank=True)
    teachers_edms = models.IntegerField("педагогов, использующих СЭД", null=True, blank=True)
    # 19-21
    entry_frequency = models.PositiveSmallIntegerField(
        "периодичность внесения данных", choices=Frequency.choices, null=True, blank=True
    )
    paper_journal = models.PositiveSmallIntegerField(
        "ведётся бумажный журнал", choices=PaperJournal.choices, null=True, blank=True
    )
    pilot_site = models.PositiveSmallIntegerField(
        "является ПВП регионального проекта", choices=PilotSite.choices, null=True, blank=True
    )
    # 22-23
    coordinator_name = models.CharField("координатор проекта в ОО", max_length=200, blank=True)
    coordinator_phone = models.CharField("телефон координатора", max_length=60, blank=True)
    coordinator_email = models.CharField("e-mail координатора", max_length=254, blank=True)
    coordinator_skype = models.CharField("скайп координатора", max_length=100, blank=True)
    # 25
    notes = models.TextField("примечания", blank=True)

    # Bookkeeping
    unconfirmed_fields = models.JSONField(
        "перенесено из прошлого года, не подтверждено", default=list, blank=True
    )
    warning_notes = models.JSONField("пояснения к предупреждениям", default=dict, blank=True)
    raw_input = models.JSONField("нераспознанный ввод черновика", default=dict, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="изменил",
    )
    submitted_at = models.DateTimeField("отправлен", null=True, blank=True)

    history = history_with_ip(excluded_fields=["created_at", "updated_at", "version"])

    class Meta:
        verbose_name = "отчёт организации"
        verbose_name_plural = "отчёты организаций"
        ordering = ["campaign", "school__municipality__sort_order", "school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="report_one_per_school"),
            models.CheckConstraint(
                condition=Q(entry_frequency__isnull=True) | Q(entry_frequency__range=(1, 4)),
                name="report_entry_frequency_code",
            ),
            models.CheckConstraint(
                condition=Q(paper_journal__isnull=True) | Q(paper_journal__range=(1, 3)),
                name="report_paper_journal_code",
            ),
            models.CheckConstraint(
                condition=Q(pilot_site__isnull=True) | Q(pilot_site__range=(1, 2)),
                name="report_pilot_site_code",
            ),
            *_report_constraints(),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self):
        return f"{self.school} — {self.campaign}"

    @property
    def is_editable_state(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportBranch(models.Model):
    """A branch row of Appendix 1 (columns 4-7): the branch's own system and responsible person."""

    report = models.ForeignKey(SchoolReport, on_delete=models.CASCADE, related_name="branch_rows")
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="report_rows", verbose_name="филиал"
    )
    system = models.ForeignKey(
        EdmsSystem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="система электронного документооборота",
    )
    responsible_name = models.CharField("ФИО ответственного", max_length=200, blank=True)
    responsible_position = models.CharField("должность ответственного", max_length=200, blank=True)
    responsible_phone = models.CharField("телефон ответственного", max_length=60, blank=True)
    responsible_email = models.CharField("e-mail ответственного", max_length=254, blank=True)
    history = history_with_ip()

    class Meta:
        verbose_name = "строка филиала"
        verbose_name_plural = "строки филиалов"
        ordering = ["branch__name"]
        constraints = [
            models.UniqueConstraint(fields=["report", "branch"], name="reportbranch_one_per_branch")
        ]

    def __str__(self):
        return str(self.branch)


class ReportEvent(models.Model):
    """Column 24: an event of the project attended by the school's students and teachers."""

    report = models.ForeignKey(SchoolReport, on_delete=models.CASCADE, related_name="events")
    event = models.ForeignKey(
        "projects.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_rows",
        verbose_name="мероприятие проекта",
        help_text="Заполняется, когда название совпадает с мероприятием регионального проекта.",
    )
    title = models.CharField("мероприятие", max_length=300)
    students = models.IntegerField("обучающихся", default=0)
    teachers = models.IntegerField("педагогов", default=0)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    history = history_with_ip()

    class Meta:
        verbose_name = "участие в мероприятии"
        verbose_name_plural = "участие в мероприятиях"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(students__gte=0) & Q(teachers__gte=0), name="reportevent_counts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(students__lte=COUNT_MAX) & Q(teachers__lte=COUNT_MAX),
                name="reportevent_counts_within_bounds",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="reportevent_title_not_empty"),
        ]

    def __str__(self):
        return self.title


class MunicipalityState(models.TextChoices):
    COLLECTING = "collecting", "сбор данных"
    SUBMITTED = "submitted", "передан в РЦРО"
    ACCEPTED = "accepted", "принят РЦРО"
    RETURNED = "returned", "возвращён на доработку"


class MunicipalityReview(models.Model):
    """A municipality's state in a campaign: collecting → submitted to region → accepted/returned."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="municipality_reviews")
    municipality = models.ForeignKey(
        "schools.Municipality", on_delete=models.PROTECT, related_name="reviews", verbose_name="МОУО"
    )
    state = models.CharField(
        "состояние", max_length=16, choices=MunicipalityState.choices, default=MunicipalityState.COLLECTING
    )
    submitted_at = models.DateTimeField("передан в РЦРО", null=True, blank=True)
    missing_schools = models.ManyToManyField(
        School, blank=True, related_name="+", verbose_name="организации без принятого отчёта"
    )
    missing_reason = models.TextField("причина отсутствия отчётов", blank=True)
    comment = models.TextField("комментарий РЦРО", blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    class Meta:
        verbose_name = "состояние МОУО в мониторинге"
        verbose_name_plural = "состояния МОУО в мониторинге"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "municipality"], name="municipalityreview_unique"),
        ]

    def __str__(self):
        return f"{self.municipality} — {self.get_state_display()}"


class WorkflowEvent(TransitionLog):
    """The audit log of every transition of a report or of a municipality."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "отправлен на проверку"
        APPROVE = "approve", "принят"
        RETURN = "return", "возвращён на доработку"
        MUNICIPALITY_SUBMIT = "municipality_submit", "МОУО передан в РЦРО"
        MUNICIPALITY_ACCEPT = "municipality_accept", "МОУО принят РЦРО"
        MUNICIPALITY_RETURN = "municipality_return", "МОУО возвращён на доработку"
        IMPORT = "import", "загружен из таблицы"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    report = models.ForeignKey(
        SchoolReport, on_delete=models.CASCADE, null=True, blank=True, related_name="workflow_events"
    )
    municipality = models.ForeignKey(
        "schools.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField("действие", max_length=24, choices=Action.choices)
    snapshot = models.JSONField("значения отчёта", default=dict, blank=True)

    class Meta(TransitionLog.Meta):
        verbose_name = "событие проверки"
        verbose_name_plural = "журнал проверки"
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False) | Q(municipality__isnull=False),
                name="workflowevent_has_subject",
            ),
            models.CheckConstraint(
                condition=~Q(action="return") | ~Q(comment=""), name="workflowevent_return_has_comment"
            ),
            models.CheckConstraint(
                condition=~Q(action="municipality_return") | ~Q(comment=""),
                name="workflowevent_municipality_return_has_comment",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%d.%m.%Y %H:%M}"


class ParticipantChange(models.Model):
    """The journal of a campaign's participants: who added or removed which organisation, when, why."""

    class Action(models.TextChoices):
        ADDED = "added", "включена"
        REMOVED = "removed", "исключена"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participant_changes")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", verbose_name="организация")
    action = models.CharField("действие", max_length=8, choices=Action.choices)
    reason = models.CharField("основание", max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто",
    )
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "изменение состава участников"
        verbose_name_plural = "изменения состава участников"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.school} {self.get_action_display()}"


class ReportComment(models.Model):
    """A reviewer's remark on one field (or one branch row) of a returned report.

    It is open until the coordinator submits the report again; then it is marked resolved and
    stays in the report's history.
    """

    report = models.ForeignKey(
        SchoolReport, on_delete=models.CASCADE, related_name="comments", verbose_name="отчёт"
    )
    field = models.CharField("поле", max_length=64, blank=True)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="филиал"
    )
    event = models.ForeignKey(
        WorkflowEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="field_comments",
        verbose_name="возврат",
    )
    text = models.TextField("замечание")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="автор",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    resolved_at = models.DateTimeField("учтено", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="учёл",
    )
    history = history_with_ip()

    class Meta:
        verbose_name = "замечание к полю"
        verbose_name_plural = "замечания к полям"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(field="") & Q(branch__isnull=False)) | (~Q(field="") & Q(branch__isnull=True)),
                name="reportcomment_field_or_branch",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="reportcomment_text_not_empty"),
        ]
        indexes = [models.Index(fields=["report", "resolved_at"])]

    def __str__(self):
        return self.text[:80]
