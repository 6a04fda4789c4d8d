"""The regional project: its passport, the network of pilot sites (ПВП), project events and the
pilot sites' yearly reports on their technical assignment (отчёт об исполнении ТЗ)."""

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from accounts.history import history_with_ip
from core.bounds import COUNT_MAX
from core.models import ReportStatus, TransitionLog
from schools.models import EdmsSystem, School

ACADEMIC_YEAR_RE = r"^[0-9]{4}-[0-9]{4}$"
MSG_ACADEMIC_YEAR = "Укажите учебный год в виде 2016-2017."


class Project(models.Model):
    """A regional project with its passport (seed: «Паспорт проекта»)."""

    name = models.CharField("наименование проекта", max_length=300, unique=True)
    short_name = models.CharField("краткое наименование", max_length=120)
    period_start = models.PositiveSmallIntegerField("начало реализации (год)")
    period_end = models.PositiveSmallIntegerField("окончание реализации (год)")
    responsible_org = models.CharField("юридическое название учреждения", max_length=300)
    legal_address = models.CharField("юридический адрес", max_length=300, blank=True)
    approval_document = models.CharField(
        "утверждён", max_length=300, blank=True, help_text="Документ, которым утверждён проект."
    )
    basis_documents = models.TextField("основания для разработки проекта", blank=True)
    head = models.TextField("руководитель проекта, контакты", blank=True)
    coordinators = models.TextField("координаторы проекта, контакты", blank=True)
    goal = models.TextField("цель проекта", blank=True)
    tasks = models.TextField("задачи проекта", blank=True)
    directions = models.TextField("основные направления проекта", blank=True)
    executors = models.TextField("исполнители проекта", blank=True)
    expected_results = models.TextField("ожидаемые результаты", blank=True)
    information_channels = models.TextField(
        "каналы информирования",
        blank=True,
        help_text="Как ПВП информируют о событиях проекта: по одному каналу на строку (для аналитической справки).",
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)
    history = history_with_ip(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "региональный проект"
        verbose_name_plural = "региональные проекты"
        ordering = ["-period_end", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="project_period_ordered",
                violation_error_message="Год окончания не может быть раньше года начала.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="project_name_not_empty"),
        ]

    def __str__(self):
        return self.short_name or self.name

    @property
    def period(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class AgreementType(models.TextChoices):
    TRILATERAL = "trilateral", "трёхстороннее (РЦРО — разработчик — ОО)"
    BILATERAL = "bilateral", "двустороннее (РЦРО — ОО)"


class PilotSiteQuerySet(models.QuerySet):
    def active_on(self, date: datetime.date):
        """Members of the network on ``date``: joined on or before it, not yet left.

        ``left_on`` is the first day the school is no longer a member.
        """
        return self.filter(Q(joined_on__lte=date), Q(left_on__isnull=True) | Q(left_on__gt=date))


class PilotSite(models.Model):
    """A school's membership of the project network (ПВП) under an agreement with РЦРО.

    A school that leaves and joins again gets a second row; at most one row per project is open.
    """

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="sites", verbose_name="проект"
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="pilot_sites", verbose_name="организация"
    )
    agreement_type = models.CharField("вид соглашения", max_length=16, choices=AgreementType.choices)
    agreement_number = models.CharField("номер соглашения", max_length=60, blank=True)
    agreement_date = models.DateField("дата соглашения", null=True, blank=True)
    basis_order = models.CharField(
        "основание включения в сеть",
        max_length=300,
        blank=True,
        help_text="Например: Распоряжение № 360-р от 22.05.2015.",
    )
    system = models.ForeignKey(
        EdmsSystem,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="система при вступлении",
        help_text="Система, которую организация использовала, когда вошла в сеть.",
    )
    joined_on = models.DateField("дата вступления в сеть")
    left_on = models.DateField(
        "дата выхода из сети", null=True, blank=True, help_text="Первый день, когда ОО уже не ПВП."
    )
    leave_reason = models.TextField("причина выхода", blank=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    history = history_with_ip(excluded_fields=["created_at"])

    objects = PilotSiteQuerySet.as_manager()

    class Meta:
        verbose_name = "проектно-внедренческая площадка"
        verbose_name_plural = "проектно-внедренческие площадки (реестр)"
        ordering = ["school__municipality__sort_order", "school__short_name", "-joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="pilotsite_left_after_joined",
                violation_error_message="Дата выхода не может быть раньше даты вступления в сеть.",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | ~Q(leave_reason=""),
                name="pilotsite_left_has_reason",
                violation_error_message="Укажите причину выхода из сети ПВП.",
            ),
            models.UniqueConstraint(
                fields=["project", "school"],
                condition=Q(left_on__isnull=True),
                name="pilotsite_one_active_per_school",
                violation_error_message="Организация уже входит в сеть ПВП этого проекта.",
            ),
        ]
        indexes = [models.Index(fields=["project", "joined_on", "left_on"])]

    def __str__(self):
        return f"ПВП: {self.school}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def is_active_on(self, date: datetime.date) -> bool:
        return self.joined_on <= date and (self.left_on is None or self.left_on > date)


class Event(models.Model):
    """An event of the project: a seminar, a contest, a conference, a project laboratory…"""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", "семинар"
        CONTEST = "contest", "конкурс"
        CONFERENCE = "conference", "конференция"
        LABORATORY = "laboratory", "проектная лаборатория"
        FESTIVAL = "festival", "фестиваль"
        OTHER = "other", "другое"

    class Level(models.TextChoices):
        SCHOOL = "school", "школьный"
        MUNICIPAL = "municipal", "муниципальный"
        REGIONAL = "regional", "региональный"
        INTERREGIONAL = "interregional", "межрегиональный"
        NATIONAL = "national", "всероссийский"
        INTERNATIONAL = "international", "международный"

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="events", verbose_name="проект"
    )
    title = models.CharField("название", max_length=300)
    kind = models.CharField("вид", max_length=16, choices=Kind.choices)
    level = models.CharField("уровень", max_length=16, choices=Level.choices, default=Level.REGIONAL)
    starts_on = models.DateField("дата проведения (начало)")
    ends_on = models.DateField("окончание", null=True, blank=True)
    organiser_school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_project_events",
        verbose_name="организатор (ОО)",
        help_text="Пусто — организатор ОГБУ «РЦРО».",
    )
    organiser_text = models.CharField("организатор (подробно)", max_length=300, blank=True)
    teachers = models.IntegerField("педагогов-участников", default=0)
    students = models.IntegerField("обучающихся-участников", default=0)
    outcome = models.TextField("итоги, решения", blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)

    class Meta:
        verbose_name = "мероприятие проекта"
        verbose_name_plural = "мероприятия проекта"
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="event_title_not_empty"),
            models.CheckConstraint(
                condition=Q(teachers__gte=0) & Q(students__gte=0), name="event_counts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="event_ends_after_start",
                violation_error_message="Дата окончания не может быть раньше даты начала.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def organiser(self) -> str:
        if self.organiser_text:
            return self.organiser_text
        return str(self.organiser_school) if self.organiser_school_id else "ОГБУ «РЦРО»"


# --- The report on the technical assignment ------------------------------------------------------

# Counts of the report; each may not be negative (the database holds it).
ASSIGNMENT_COUNT_FIELDS = (
    "ext_events_count",
    "ext_events_participants",
    "organised_contests",
    "organised_contests_participants",
    "organised_seminars",
    "organised_seminars_participants",
    "organised_round_tables",
    "organised_round_tables_participants",
    "organised_conferences",
    "organised_conferences_participants",
    "internet_projects_teachers",
    "resources_count",
    "expert_teachers",
    "consultations_teachers",
    "consultations_students",
    "consultations_parents",
    "publications_count",
)


def _count(label):
    return models.IntegerField(label, default=0)


def _examples():
    return models.TextField(
        "что сделано, примеры",
        blank=True,
        max_length=2000,
        help_text="Коротко: что сделано по показателю, 1–2 примера (мероприятие, тема, ссылка).",
    )


def _assignment_constraints():
    constraints = [
        models.UniqueConstraint(fields=["pilot_site", "academic_year"], name="assignmentreport_one_per_year"),
        models.CheckConstraint(
            condition=Q(academic_year__regex=ACADEMIC_YEAR_RE),
            name="assignmentreport_academic_year_format",
            violation_error_message=MSG_ACADEMIC_YEAR,
        ),
        models.CheckConstraint(
            condition=Q(status__in=[s.value for s in ReportStatus]), name="assignmentreport_status_known"
        ),
    ]
    for name in ASSIGNMENT_COUNT_FIELDS:
        constraints.append(
            models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"assignmentreport_{name}_gte_0")
        )
    within_bounds = Q()
    for name in ASSIGNMENT_COUNT_FIELDS:
        within_bounds &= Q(**{f"{name}__lte": COUNT_MAX})
    constraints.append(
        models.CheckConstraint(condition=within_bounds, name="assignmentreport_counts_within_bounds")
    )
    return constraints


class AssignmentReport(models.Model):
    """A pilot site's report on its technical assignment for one academic year (8 indicators)."""

    pilot_site = models.ForeignKey(
        PilotSite, on_delete=models.PROTECT, related_name="assignment_reports", verbose_name="ПВП"
    )
    academic_year = models.CharField(
        "учебный год", max_length=9, validators=[RegexValidator(ACADEMIC_YEAR_RE, MSG_ACADEMIC_YEAR)]
    )
    status = models.CharField(
        "состояние", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    version = models.PositiveIntegerField("версия", default=1)
    submitted_at = models.DateTimeField("отправлен", null=True, blank=True)
    return_comment = models.TextField("комментарий РЦРО при возврате", blank=True)

    # 1. Personal data protection (Federal Law No. 152-FZ)
    pd_measures_done = models.BooleanField(
        "проведены мероприятия по защите персональных данных", default=False
    )
    pd_documents_published = models.BooleanField(
        "документы по защите персональных данных размещены на сайте ОО", default=False
    )
    # 2. Educational events
    ext_events_count = _count("мероприятий международного, всероссийского, межрегионального уровня")
    ext_events_participants = _count("участников этих мероприятий")
    organised_contests = _count("проведено конкурсов")
    organised_contests_participants = _count("участников конкурсов")
    organised_seminars = _count("проведено обучающих семинаров")
    organised_seminars_participants = _count("участников семинаров")
    organised_round_tables = _count("проведено круглых столов")
    organised_round_tables_participants = _count("участников круглых столов")
    organised_conferences = _count("проведено конференций")
    organised_conferences_participants = _count("участников конференций")
    internet_projects_teachers = _count("педагогов — участников интернет-проектов")
    # 3. Resources of the EDMS on the school site
    resources_count = _count("электронных баз в перечне ресурсов СЭД на сайте ОО")
    methodical_library = models.BooleanField(
        "на сайте размещена электронная база учебно-методической литературы", default=False
    )
    # 4. Best practices
    best_practices_published = models.BooleanField(
        "лучшие практики использования СЭД опубликованы на сайте ОО", default=False
    )
    best_practices_links = models.TextField("ссылки на публикации лучших практик", blank=True)
    # 5. Expert work
    expert_teachers = _count("педагогов — экспертов мероприятий школьного и муниципального уровней")
    # 6. Consultations
    consultations_teachers = _count("проконсультировано педагогов")
    consultations_students = _count("проконсультировано обучающихся")
    consultations_parents = _count("проконсультировано родителей")
    # 7. Public presentation of results
    publications_count = _count("публикаций педагогов")
    public_report_chapter = models.BooleanField(
        "результаты проекта отражены в главе публичного доклада директора", default=False
    )
    # 8. Monitoring inside the EDMS
    monitor_journal_fill = models.BooleanField("мониторинг заполняемости электронного журнала", default=False)
    monitor_diary_fill = models.BooleanField("мониторинг заполняемости электронных дневников", default=False)
    monitor_materials = models.BooleanField(
        "мониторинг программно-методических материалов педагогов", default=False
    )
    monitor_progress = models.BooleanField("мониторинги успеваемости", default=False)
    monitor_quality = models.BooleanField(
        "мониторинг процента успеваемости и качества усвоения знаний", default=False
    )
    # «Что сделано, примеры» — a short free text per indicator, quoted in the analytic report.
    examples_1 = _examples()
    examples_2 = _examples()
    examples_3 = _examples()
    examples_4 = _examples()
    examples_5 = _examples()
    examples_6 = _examples()
    examples_7 = _examples()
    examples_8 = _examples()

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
    history = history_with_ip(excluded_fields=["created_at", "updated_at", "version"])

    class Meta:
        verbose_name = "отчёт об исполнении технического задания"
        verbose_name_plural = "отчёты об исполнении технического задания"
        ordering = [
            "-academic_year",
            "pilot_site__school__municipality__sort_order",
            "pilot_site__school__short_name",
        ]
        constraints = _assignment_constraints()
        indexes = [models.Index(fields=["academic_year", "status"])]

    def __str__(self):
        return f"Отчёт ПВП {self.pilot_site.school} за {self.academic_year}"

    @property
    def is_editable_state(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class AssignmentReportLog(TransitionLog):
    """The audit log of the assignment report's transitions."""

    class Action(models.TextChoices):
        START = "start", "начат"
        SUBMIT = "submit", "отправлен на проверку"
        APPROVE = "approve", "принят"
        RETURN = "return", "возвращён на доработку"

    report = models.ForeignKey(AssignmentReport, on_delete=models.CASCADE, related_name="log")
    action = models.CharField("действие", max_length=16, choices=Action.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = "событие отчёта ПВП"
        verbose_name_plural = "журнал отчётов ПВП"
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="return") | ~Q(comment=""), name="assignmentlog_return_has_comment"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%d.%m.%Y %H:%M}"


# --- The project's plan: stages, indicators with targets and actuals, expected results --------------

# Years of a plan are calendar years; the database keeps them within a sane range, the services
# within the project's period.
PLAN_YEAR_MIN = 2000
PLAN_YEAR_MAX = 2100
PLAN_VALUE_MAX = 10**9


class StageState(models.TextChoices):
    PLANNED = "planned", "запланирован"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "выполнен"
    LATE = "late", "просрочен"


class ProjectStage(models.Model):
    """A stage of the project's plan: what is to be done between two dates; the methodist marks
    it done. Its state is derived (see :meth:`state_on`), never stored."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stages", verbose_name="проект"
    )
    number = models.PositiveSmallIntegerField("номер")
    title = models.CharField("наименование этапа", max_length=300)
    content = models.TextField("содержание этапа", blank=True, max_length=5000)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("срок окончания")
    is_done = models.BooleanField("выполнен", default=False)
    done_on = models.DateField("дата выполнения", null=True, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    history = history_with_ip(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "этап проекта"
        verbose_name_plural = "этапы проекта"
        ordering = ["project", "starts_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="projectstage_number_unique",
                violation_error_message="Этап с таким номером в проекте уже есть.",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="projectstage_title_not_empty"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="projectstage_ends_after_start",
                violation_error_message="Срок окончания этапа не может быть раньше его начала.",
            ),
            models.CheckConstraint(
                condition=Q(is_done=True, done_on__isnull=False) | Q(is_done=False, done_on__isnull=True),
                name="projectstage_done_has_date",
                violation_error_message="У выполненного этапа должна быть дата выполнения.",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def state_on(self, today: datetime.date) -> StageState:
        """Done once marked (from its date of completion); otherwise planned before its start, in
        progress until its end date (inclusive), late after it."""
        if self.is_done and (self.done_on is None or self.done_on <= today):
            return StageState.DONE
        if today < self.starts_on:
            return StageState.PLANNED
        if today <= self.ends_on:
            return StageState.IN_PROGRESS
        return StageState.LATE


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", "рассчитывается порталом"
    MANUAL = "manual", "вводится методистом"


class ComputedKey(models.TextChoices):
    """What the portal computes the actual value of a computed indicator from."""

    EDMS_SHARE = "edms_share", "доля организаций, использующих СЭД (мониторинг)"
    PILOT_NETWORK = "pilot_network", "число ПВП в сети (реестр)"
    ASSIGNMENT_REPORTED = "assignment_reported", "доля ПВП, представивших отчёт об исполнении ТЗ"
    EVENTS = "events", "число мероприятий проекта"
    EVENT_PARTICIPANTS = "event_participants", "число участников мероприятий проекта"


class IndicatorUnit(models.TextChoices):
    PERCENT = "%", "%"
    UNITS = "ед.", "ед."
    PEOPLE = "чел.", "чел."


class PlanIndicator(models.Model):
    """An indicator of the project with a target per year and an actual value per year: computed by
    the portal (``computed_key``) or entered by a methodist with its source."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="plan_indicators", verbose_name="проект"
    )
    number = models.PositiveSmallIntegerField("номер")
    name = models.CharField("наименование показателя", max_length=300)
    unit = models.CharField("единица измерения", max_length=8, choices=IndicatorUnit.choices)
    kind = models.CharField("как определяется факт", max_length=16, choices=IndicatorKind.choices)
    computed_key = models.CharField(
        "источник расчёта", max_length=32, choices=ComputedKey.choices, blank=True
    )
    description = models.TextField("пояснение", blank=True, max_length=2000)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    history = history_with_ip(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "показатель проекта"
        verbose_name_plural = "показатели проекта"
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="planindicator_number_unique",
                violation_error_message="Показатель с таким номером в проекте уже есть.",
            ),
            models.UniqueConstraint(
                fields=["project", "name"],
                name="planindicator_name_unique",
                violation_error_message="Показатель с таким наименованием в проекте уже есть.",
            ),
            models.UniqueConstraint(
                fields=["project", "computed_key"],
                condition=~Q(computed_key=""),
                name="planindicator_key_unique",
                violation_error_message="Показатель с таким источником расчёта в проекте уже есть.",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="planindicator_name_not_empty"),
            models.CheckConstraint(
                condition=Q(kind=IndicatorKind.COMPUTED) & ~Q(computed_key="")
                | Q(kind=IndicatorKind.MANUAL, computed_key=""),
                name="planindicator_key_matches_kind",
                violation_error_message=(
                    "У рассчитываемого показателя укажите источник расчёта; у вводимого вручную — нет."
                ),
            ),
            models.CheckConstraint(
                condition=Q(unit__in=[u.value for u in IndicatorUnit]), name="planindicator_unit_known"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def is_computed(self) -> bool:
        return self.kind == IndicatorKind.COMPUTED


def _year_field():
    return models.PositiveSmallIntegerField("год")


def _plan_value_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(year__gte=PLAN_YEAR_MIN, year__lte=PLAN_YEAR_MAX),
            name=f"{prefix}_year_in_range",
            violation_error_message="Год вне допустимого диапазона.",
        ),
        models.CheckConstraint(
            condition=Q(value__gte=0, value__lte=PLAN_VALUE_MAX),
            name=f"{prefix}_value_not_negative",
            violation_error_message="Значение не может быть отрицательным.",
        ),
    ]


class IndicatorTarget(models.Model):
    """The target value of an indicator for a year."""

    indicator = models.ForeignKey(
        PlanIndicator, on_delete=models.CASCADE, related_name="targets", verbose_name="показатель"
    )
    year = _year_field()
    value = models.DecimalField("плановое значение", max_digits=12, decimal_places=2)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    history = history_with_ip(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "плановое значение показателя"
        verbose_name_plural = "плановые значения показателей"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="indicatortarget_one_per_year",
                violation_error_message="Плановое значение на этот год уже задано.",
            ),
            *_plan_value_constraints("indicatortarget"),
        ]

    def __str__(self):
        return f"{self.indicator.name}: план на {self.year}"


class IndicatorActual(models.Model):
    """The actual value of a manual indicator for a year, with where it comes from."""

    indicator = models.ForeignKey(
        PlanIndicator, on_delete=models.CASCADE, related_name="actuals", verbose_name="показатель"
    )
    year = _year_field()
    value = models.DecimalField("фактическое значение", max_digits=12, decimal_places=2)
    source_note = models.TextField(
        "источник данных",
        max_length=1000,
        help_text="Откуда взято значение: документ, отчёт, опрос, дата.",
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="изменил",
    )
    history = history_with_ip(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "фактическое значение показателя"
        verbose_name_plural = "фактические значения показателей"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="indicatoractual_one_per_year",
                violation_error_message="Фактическое значение за этот год уже введено.",
            ),
            *_plan_value_constraints("indicatoractual"),
            models.CheckConstraint(
                condition=~Q(source_note=""),
                name="indicatoractual_source_required",
                violation_error_message="Укажите источник данных.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name}: факт за {self.year}"


class ExpectedResult(models.Model):
    """An expected result of the passport and the indicators that measure it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="expected_result_items", verbose_name="проект"
    )
    number = models.PositiveSmallIntegerField("номер")
    text = models.TextField("ожидаемый результат", max_length=2000)
    indicators = models.ManyToManyField(
        PlanIndicator, related_name="expected_results", blank=True, verbose_name="измеряющие показатели"
    )
    history = history_with_ip(m2m_fields=[indicators])

    class Meta:
        verbose_name = "ожидаемый результат проекта"
        verbose_name_plural = "ожидаемые результаты проекта"
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"],
                name="expectedresult_number_unique",
                violation_error_message="Результат с таким номером в проекте уже есть.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="expectedresult_text_not_empty"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"
