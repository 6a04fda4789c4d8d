"""Every write of the projects app: the passport, the pilot-site registry, events and the
pilot sites' reports on the technical assignment (draft → submitted → approved / returned).

The assignment report's workflow is declared on the transition engine (:mod:`core.transitions`):
one transaction, the row locked, its state checked, changed, and an audit entry written; a
repeated click finds the state already changed.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from core.bounds import char_limits, require_within_bounds
from core.errors import ServiceError
from core.transitions import (  # noqa: F401 - the engine's messages stay importable from here for views and tests
    MSG_COMMENT_REQUIRED,
    MSG_NOT_ALLOWED,
    MSG_WRONG_STATE,
    Actions,
    Transition,
    TransitionRefused,
    Workflow,
    perform,
    review_cycle,
    workflow_actions,
)
from schools.models import EdmsSystem, School

from .indicators import ASSIGNMENT_VALUE_FIELDS, EVENT_PAIRS
from .models import (
    AgreementType,
    AssignmentReport,
    AssignmentReportLog,
    Event,
    IndicatorActual,
    IndicatorTarget,
    IndicatorUnit,
    PilotSite,
    PlanIndicator,
    Project,
    ProjectStage,
)

# --- Messages (tests import them) -------------------------------------------------------------
MSG_SITE_ACTIVE = "«{school}» уже входит в сеть ПВП проекта (с {date})."
MSG_SITE_ACTIVE_NOW = "«{school}» уже входит в сеть ПВП проекта: её только что включили в сеть."
MSG_SITE_OVERLAP = "«{school}» входила в сеть ПВП до {date}: дата вступления должна быть не раньше."
MSG_SITE_ENDED = "Соглашение с «{school}» уже прекращено {date}."
MSG_LEFT_BEFORE_JOINED = "Дата выхода не может быть раньше даты вступления в сеть ({date})."
MSG_REASON_REQUIRED = "Укажите причину выхода из сети ПВП."
MSG_SYSTEM_NOT_USED = "Укажите систему, которую организация использует: «не используется» не подходит."
MSG_YEAR_FORMAT = "Укажите учебный год в виде 2016-2017."
MSG_NOT_A_PILOT_SITE = (
    "Организация не входит в сеть проектно-внедренческих площадок проекта: отчёт об исполнении "
    "технического задания не предусмотрен."
)
MSG_REPORT_LOCKED = "Отчёт в состоянии «{state}» нельзя изменить."
MSG_CONFLICT = (
    "Отчёт был изменён пользователем {who} в {when}. Ваши изменения не сохранены: обновите "
    "страницу, чтобы увидеть новую версию, и внесите их снова."
)
MSG_HAS_ERRORS = "Отчёт не отправлен: исправьте ошибки ({count})."
MSG_PARTICIPANTS_WITHOUT_EVENTS = "«{participants}»: указаны участники, но не указано ни одного мероприятия."
MSG_LINKS_REQUIRED = "Укажите ссылки на опубликованные лучшие практики."


class AssignmentReportConflict(ServiceError):
    def __init__(self, report: AssignmentReport):
        who = report.updated_by.get_full_name() if report.updated_by else "другим пользователем"
        when = date_format(timezone.localtime(report.updated_at), "H:i, d.m.Y")
        self.report = report
        super().__init__(MSG_CONFLICT.format(who=who, when=when))


class AssignmentReportInvalid(ServiceError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(MSG_HAS_ERRORS.format(count=len(errors)))


def _full_clean(obj, **kwargs) -> None:
    """Model validation (constraints included) with the refusal as a :class:`ServiceError`."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages)) from exc


def _d(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def academic_year_of(date: datetime.date) -> str:
    """The academic year (September to August) a date falls into: 01.02.2017 → «2016-2017»."""
    start = date.year if date.month >= 9 else date.year - 1
    return f"{start}-{start + 1}"


def academic_year_valid(value: str) -> bool:
    parts = (value or "").split("-")
    return (
        len(parts) == 2
        and all(len(p) == 4 and p.isdigit() for p in parts)
        and int(parts[1]) == int(parts[0]) + 1
    )


# --- Project --------------------------------------------------------------------------------------

PROJECT_FIELDS = (
    "name",
    "short_name",
    "period_start",
    "period_end",
    "responsible_org",
    "legal_address",
    "approval_document",
    "basis_documents",
    "head",
    "coordinators",
    "goal",
    "tasks",
    "directions",
    "executors",
    "expected_results",
    "information_channels",
)


@transaction.atomic
def project_update(*, project: Project, user: User, **fields) -> Project:
    """Change the passport (methodists)."""
    if not (user and user.is_regional):
        raise ServiceError(MSG_NOT_ALLOWED)
    changed = []
    for name, value in fields.items():
        if name not in PROJECT_FIELDS:
            raise TypeError(f"Unknown passport field: {name}")
        if getattr(project, name) != value:
            setattr(project, name, value)
            changed.append(name)
    if not changed:
        return project
    _full_clean(project)
    project._history_user = user
    project.save(update_fields=[*changed, "updated_at"])
    return project


# --- Pilot-site registry --------------------------------------------------------------------------


@transaction.atomic
def pilot_site_add(
    *,
    project: Project,
    school: School,
    agreement_type: str,
    system: EdmsSystem,
    joined_on: datetime.date,
    agreement_number: str = "",
    agreement_date: datetime.date | None = None,
    basis_order: str = "",
    user: User | None = None,
) -> PilotSite:
    """Register a school as a pilot site of the project from ``joined_on``."""
    # Lock the school's memberships so that two registrations at once cannot both pass.
    memberships = list(PilotSite.objects.select_for_update().filter(project=project, school=school))
    for site in memberships:
        if site.left_on is None:
            raise ServiceError(MSG_SITE_ACTIVE.format(school=school, date=_d(site.joined_on)))
        if site.left_on > joined_on:
            raise ServiceError(MSG_SITE_OVERLAP.format(school=school, date=_d(site.left_on)))
    if not system.is_used:
        raise ServiceError(MSG_SYSTEM_NOT_USED)
    site = PilotSite(
        project=project,
        school=school,
        agreement_type=AgreementType(agreement_type),
        agreement_number=agreement_number.strip(),
        agreement_date=agreement_date,
        basis_order=basis_order.strip(),
        system=system,
        joined_on=joined_on,
    )
    _full_clean(site)
    site._history_user = user
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError as exc:  # a concurrent registration of the same school won the race
        raise ServiceError(MSG_SITE_ACTIVE_NOW.format(school=school)) from exc
    return site


@transaction.atomic
def pilot_site_end(
    *, site: PilotSite, left_on: datetime.date, reason: str, user: User | None = None
) -> PilotSite:
    """End the site's agreement: from ``left_on`` the school is no longer a pilot site."""
    reason = (reason or "").strip()
    locked = PilotSite.objects.select_for_update().select_related("school").get(pk=site.pk)
    if locked.left_on is not None:
        raise ServiceError(MSG_SITE_ENDED.format(school=locked.school, date=_d(locked.left_on)))
    if left_on < locked.joined_on:
        raise ServiceError(MSG_LEFT_BEFORE_JOINED.format(date=_d(locked.joined_on)))
    if not reason:
        raise ServiceError(MSG_REASON_REQUIRED)
    locked.left_on = left_on
    locked.leave_reason = reason
    locked._history_user = user
    locked.save(update_fields=["left_on", "leave_reason"])
    site.refresh_from_db()
    return site


# --- Events ---------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    project: Project,
    title: str,
    kind: str,
    starts_on: datetime.date,
    level: str = Event.Level.REGIONAL,
    ends_on: datetime.date | None = None,
    organiser_school: School | None = None,
    organiser_text: str = "",
    teachers: int = 0,
    students: int = 0,
    outcome: str = "",
    user: User | None = None,
) -> Event:
    if not (user and user.is_regional):
        raise ServiceError(MSG_NOT_ALLOWED)
    event = Event(
        project=project,
        title=title.strip(),
        kind=kind,
        level=level,
        starts_on=starts_on,
        ends_on=ends_on,
        organiser_school=organiser_school,
        organiser_text=organiser_text.strip(),
        teachers=teachers or 0,
        students=students or 0,
        outcome=outcome.strip(),
    )
    _full_clean(event)
    event.save()
    return event


EVENT_FIELDS = (
    "title",
    "kind",
    "level",
    "starts_on",
    "ends_on",
    "organiser_school",
    "organiser_text",
    "teachers",
    "students",
    "outcome",
)


@transaction.atomic
def event_update(*, event: Event, user: User, **fields) -> Event:
    if not (user and user.is_regional):
        raise ServiceError(MSG_NOT_ALLOWED)
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise ValueError(name)
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    _full_clean(event)
    event.save()
    return event


@transaction.atomic
def event_delete(*, event: Event, user: User) -> None:
    """Delete an event; the rows of column 24 that named it keep their text."""
    if not (user and user.is_regional):
        raise ServiceError(MSG_NOT_ALLOWED)
    event.delete()


# --- Reports on the technical assignment -----------------------------------------------------------


def active_site_for(*, project: Project, school_id: int) -> PilotSite | None:
    """The school's open membership of the project network, if any."""
    return (
        PilotSite.objects.filter(project=project, school_id=school_id, left_on__isnull=True)
        .select_related("school", "system")
        .first()
    )


def _log(report, action, from_state, actor, comment=""):
    return AssignmentReportLog.objects.create(
        report=report,
        action=action,
        from_state=from_state,
        to_state=report.status,
        actor=actor,
        comment=comment,
    )


def _locked(report_id: int) -> AssignmentReport:
    return (
        AssignmentReport.objects.select_for_update(of=("self",))
        .select_related("pilot_site__school", "updated_by")
        .get(pk=report_id)
    )


def _is_own_coordinator(user: User | None, report: AssignmentReport) -> bool:
    return bool(user and user.is_coordinator and user.school_id == report.pilot_site.school_id)


def assignment_report_errors(report: AssignmentReport) -> list[str]:
    """What must be fixed before the report can be submitted."""
    errors = []
    for count, participants in EVENT_PAIRS:
        if getattr(report, participants) > 0 and getattr(report, count) == 0:
            label = AssignmentReport._meta.get_field(participants).verbose_name
            errors.append(MSG_PARTICIPANTS_WITHOUT_EVENTS.format(participants=label))
    if report.best_practices_published and not report.best_practices_links.strip():
        errors.append(MSG_LINKS_REQUIRED)
    return errors


@transaction.atomic
def assignment_report_start(*, project: Project, academic_year: str, user: User) -> AssignmentReport:
    """The coordinator's report for the year, created if needed; only for an active pilot site."""
    if not (user and user.is_coordinator and user.school_id):
        raise TransitionRefused(MSG_NOT_ALLOWED)
    if not academic_year_valid(academic_year):
        raise ServiceError(MSG_YEAR_FORMAT)
    site = (
        PilotSite.objects.select_for_update()
        .filter(project=project, school_id=user.school_id, left_on__isnull=True)
        .first()
    )
    if site is None:
        existing = AssignmentReport.objects.filter(
            pilot_site__project=project, pilot_site__school_id=user.school_id, academic_year=academic_year
        ).first()
        if existing is not None:
            return existing
        raise TransitionRefused(MSG_NOT_A_PILOT_SITE)
    report, created = AssignmentReport.objects.get_or_create(
        pilot_site=site, academic_year=academic_year, defaults={"updated_by": user}
    )
    if created:
        _log(report, AssignmentReportLog.Action.START, "", user)
    return report


@transaction.atomic
def assignment_report_save(
    *, report_id: int, user: User, values: dict, expected_version: int | None
) -> AssignmentReport:
    """Save the indicators; refused for anyone but the school's coordinator and once submitted.

    A form built on an older version gets :class:`AssignmentReportConflict` and nothing is written.
    """
    require_within_bounds(values, limits=char_limits(AssignmentReport))
    report = _locked(report_id)
    if not _is_own_coordinator(user, report):
        raise TransitionRefused(MSG_NOT_ALLOWED)
    if expected_version is not None and report.version != expected_version:
        raise AssignmentReportConflict(report)
    if not report.is_editable_state:
        raise TransitionRefused(MSG_REPORT_LOCKED.format(state=report.get_status_display()))
    changed = []
    for name, value in values.items():
        if name not in ASSIGNMENT_VALUE_FIELDS:
            raise TypeError(f"Unknown field of the assignment report: {name}")
        if getattr(report, name) != value:
            setattr(report, name, value)
            changed.append(name)
    report.version += 1
    report.updated_by = user
    _full_clean(report, exclude=["pilot_site"], validate_unique=False)
    report._history_user = user
    report.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    return report


# --- The assignment report's workflow ----------------------------------------------------------------


def _journal(report: AssignmentReport, transition: Transition, from_state, user: User, comment, _snapshot):
    return _log(report, transition.action, from_state, user, comment)


def _send_notification(log_id: int) -> None:
    from .tasks import send_assignment_notification

    send_assignment_notification.delay(log_id)


def _own_coordinator(user: User, report: AssignmentReport) -> str | None:
    return None if _is_own_coordinator(user, report) else MSG_NOT_ALLOWED


def _methodist(user: User, _report) -> str | None:
    return None if user.is_regional else MSG_NOT_ALLOWED


def _no_errors(report: AssignmentReport, **_) -> None:
    errors = assignment_report_errors(report)
    if errors:
        raise AssignmentReportInvalid(errors)


ASSIGNMENT_WORKFLOW = Workflow(
    name="assignment_report",
    model=AssignmentReport,
    lock=_locked,
    journal=_journal,
    notify=_send_notification,
    transitions=review_cycle(
        submitter=_own_coordinator,
        reviewer=_methodist,
        validate=_no_errors,
        actions=AssignmentReportLog.Action,
    ),
)


def assignment_actions(*, user: User, report: AssignmentReport) -> Actions:
    """What the user may do with the report: ``submit``, ``approve``, ``return`` (from the workflow
    declaration) and ``edit`` (the school's coordinator, while a draft or returned). Views answer
    an action the user has no right to with 403; templates show the buttons of allowed ones."""
    own = None if user.is_active and _is_own_coordinator(user, report) else MSG_NOT_ALLOWED
    locked = None if report.is_editable_state else MSG_REPORT_LOCKED.format(state=report.get_status_display())
    return workflow_actions(ASSIGNMENT_WORKFLOW, user=user, obj=report, extra={"edit": (own, locked)})


def assignment_report_submit(*, report_id: int, user: User) -> AssignmentReport:
    return perform(ASSIGNMENT_WORKFLOW, "submit", lookup={"report_id": report_id}, user=user)


def assignment_report_approve(*, report_id: int, user: User) -> AssignmentReport:
    return perform(ASSIGNMENT_WORKFLOW, "approve", lookup={"report_id": report_id}, user=user)


def assignment_report_return(*, report_id: int, user: User, comment: str) -> AssignmentReport:
    """Send the report back to the coordinator with a comment they will see."""
    return perform(ASSIGNMENT_WORKFLOW, "return", lookup={"report_id": report_id}, user=user, comment=comment)


# --- The plan: stages, targets, manual actuals (methodists) -----------------------------------------

MSG_PLAN_ONLY_METHODISTS = "План проекта изменяют только методисты РЦРО."
MSG_YEAR_OUTSIDE = "Год {year} вне сроков реализации проекта ({period})."
MSG_STAGE_OUTSIDE = "Даты этапа должны быть в пределах сроков реализации проекта ({period})."
MSG_STAGE_DONE_FUTURE = "Дата выполнения этапа не может быть позже сегодняшнего дня."
MSG_STAGE_DONE_EARLY = "Дата выполнения не может быть раньше начала этапа."
MSG_PERCENT_OVER = "Значение в процентах не может быть больше 100."
MSG_ACTUAL_COMPUTED = "Фактическое значение показателя «{name}» рассчитывает портал: вводить его не нужно."
MSG_SOURCE_REQUIRED = "Укажите источник данных: документ, отчёт или опрос, из которого взято значение."
MSG_NEGATIVE = "Значение не может быть отрицательным."
MSG_STAGE_NUMBER_TAKEN = "Этап с номером {number} в проекте уже есть."


def _require_methodist(user: User | None) -> None:
    if not (user and user.is_regional):
        raise TransitionRefused(MSG_PLAN_ONLY_METHODISTS)


def _check_year(project: Project, year: int) -> None:
    if not project.period_start <= year <= project.period_end:
        raise ServiceError(MSG_YEAR_OUTSIDE.format(year=year, period=project.period))


def _check_value(indicator: PlanIndicator, value) -> Decimal:
    """The value as a decimal, refused when negative or (for per cent) over 100."""
    if value is None or value < 0:
        raise ServiceError(MSG_NEGATIVE)
    if indicator.unit == IndicatorUnit.PERCENT and value > 100:
        raise ServiceError(MSG_PERCENT_OVER)
    return Decimal(str(value))


STAGE_FIELDS = ("number", "title", "content", "starts_on", "ends_on")


def _stage_check(stage: ProjectStage, project: Project) -> None:
    first, last = datetime.date(project.period_start, 1, 1), datetime.date(project.period_end, 12, 31)
    if not (first <= stage.starts_on <= last and first <= stage.ends_on <= last):
        raise ServiceError(MSG_STAGE_OUTSIDE.format(period=project.period))
    taken = ProjectStage.objects.filter(project=project, number=stage.number).exclude(pk=stage.pk)
    if taken.exists():
        raise ServiceError(MSG_STAGE_NUMBER_TAKEN.format(number=stage.number))
    if stage.is_done and stage.done_on and stage.done_on < stage.starts_on:
        raise ServiceError(MSG_STAGE_DONE_EARLY)


def _save_stage(stage: ProjectStage, user: User) -> ProjectStage:
    _full_clean(stage)
    stage._history_user = user
    try:
        with transaction.atomic():
            stage.save()
    except IntegrityError as exc:  # the same number saved at the same moment by someone else
        raise ServiceError(MSG_STAGE_NUMBER_TAKEN.format(number=stage.number)) from exc
    return stage


@transaction.atomic
def stage_create(*, project: Project, user: User, **fields) -> ProjectStage:
    _require_methodist(user)
    unknown = set(fields) - set(STAGE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown stage fields: {sorted(unknown)}")
    stage = ProjectStage(
        project=project, **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    )
    _stage_check(stage, project)
    return _save_stage(stage, user)


@transaction.atomic
def stage_update(
    *,
    stage: ProjectStage,
    user: User,
    is_done: bool | None = None,
    done_on: datetime.date | None = None,
    **fields,
) -> ProjectStage:
    """Change a stage; ``is_done`` marks it done (on ``done_on``, today by default) or not done."""
    _require_methodist(user)
    locked = ProjectStage.objects.select_for_update().select_related("project").get(pk=stage.pk)
    for name, value in fields.items():
        if name not in STAGE_FIELDS:
            raise TypeError(f"Unknown stage field: {name}")
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if is_done is not None:
        today = timezone.localdate()
        if is_done:
            done_on = done_on or locked.done_on or today
            if done_on > today:
                raise ServiceError(MSG_STAGE_DONE_FUTURE)
            locked.is_done, locked.done_on = True, done_on
        else:
            locked.is_done, locked.done_on = False, None
    _stage_check(locked, locked.project)
    _save_stage(locked, user)
    stage.refresh_from_db()
    return stage


@transaction.atomic
def stage_delete(*, stage: ProjectStage, user: User) -> None:
    _require_methodist(user)
    stage._history_user = user
    stage.delete()


@transaction.atomic
def targets_set(*, indicator: PlanIndicator, user: User, values: dict[int, Decimal | None]) -> list[int]:
    """Set the indicator's targets: ``{year: value}``; None removes the year's target. Every value
    is checked before anything is written. Returns the years changed."""
    _require_methodist(user)
    project = indicator.project
    for year in values:
        _check_year(project, year)
    values = {y: None if v is None else _check_value(indicator, v) for y, v in values.items()}
    existing = {t.year: t for t in IndicatorTarget.objects.select_for_update().filter(indicator=indicator)}
    changed = []
    for year, value in sorted(values.items()):
        target = existing.get(year)
        if value is None:
            if target is not None:
                target._history_user = user
                target.delete()
                changed.append(year)
            continue
        if target is not None and target.value == value:
            continue
        target = target or IndicatorTarget(indicator=indicator, year=year)
        target.value = value
        _full_clean(target, validate_unique=False)
        target._history_user = user
        target.save()
        changed.append(year)
    return changed


@transaction.atomic
def actual_set(
    *, indicator: PlanIndicator, user: User, year: int, value, source_note: str
) -> IndicatorActual | None:
    """Enter (or, with ``value`` None, remove) the actual value of a manual indicator for a year;
    the source note is required."""
    _require_methodist(user)
    if indicator.is_computed:
        raise ServiceError(MSG_ACTUAL_COMPUTED.format(name=indicator.name))
    _check_year(indicator.project, year)
    actual = IndicatorActual.objects.select_for_update().filter(indicator=indicator, year=year).first()
    if value is None:
        if actual is not None:
            actual._history_user = user
            actual.delete()
        return None
    value = _check_value(indicator, value)
    source_note = (source_note or "").strip()
    if not source_note:
        raise ServiceError(MSG_SOURCE_REQUIRED)
    actual = actual or IndicatorActual(indicator=indicator, year=year)
    actual.value = value
    actual.source_note = source_note
    actual.updated_by = user
    _full_clean(actual, validate_unique=False)
    actual._history_user = user
    actual.save()
    return actual


@transaction.atomic
def indicator_plan_update(
    *,
    indicator: PlanIndicator,
    user: User,
    targets: dict[int, Decimal | None],
    actuals: dict[int, tuple[Decimal | None, str]] | None = None,
) -> None:
    """Targets and (for a manual indicator) actuals of an indicator at once: all or nothing."""
    targets_set(indicator=indicator, user=user, values=targets)
    for year, (value, source_note) in (actuals or {}).items():
        actual_set(indicator=indicator, user=user, year=year, value=value, source_note=source_note)
