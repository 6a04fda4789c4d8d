"""Every write to campaigns and school reports."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from core.bounds import (
    RAW_INPUT_MAX,
    InputOutOfBounds,
    char_limits,
    count_problem,
    require_within_bounds,
    text_problem,
)
from core.errors import ServiceError
from projects import registry
from schools.models import School

from . import checks
from .models import (
    COUNT_FIELDS,
    Campaign,
    MunicipalityReview,
    MunicipalityState,
    ParticipantChange,
    ReportBranch,
    ReportEvent,
    ReportStatus,
    SchoolReport,
)
from .rules import CheckResult

# Reads live in selectors; the names stay importable from here for the callers that used them.
from .selectors import (  # noqa: F401
    BRANCH_FIELDS,
    VALUE_FIELDS,
    branch_values,
    municipality_state,
    registry_pilot_school_ids,
    registry_pilot_status,
    report_values,
)

# --- Messages (tests import them) -------------------------------------------------------------
MSG_CONFLICT = (
    "Отчёт был изменён пользователем {who} в {when}. Ваши изменения не сохранены, но остались в "
    "форме: обновите страницу, чтобы увидеть новую версию, и внесите их снова."
)
MSG_CAMPAIGN_NOT_OPEN = "Мониторинг «{campaign}» не открыт для ввода данных."
MSG_REPORT_LOCKED = "Отчёт в состоянии «{status}» нельзя изменить."
MSG_MUNICIPALITY_LOCKED = "Данные муниципалитета в состоянии «{state}»: отчёт можно изменить, только если РЦРО вернёт их на доработку."
MSG_HAS_ERRORS = "Отчёт не сохранён: исправьте ошибки ({count})."
MSG_CAMPAIGN_STATUS = "Мониторинг в состоянии «{status}» нельзя {action}."
MSG_PARTICIPANT_HAS_REPORT = (
    "Организацию «{school}» нельзя исключить из участников: у неё есть отчёт в этом мониторинге."
)
MSG_PARTICIPANTS_ONLY_METHODISTS = "Состав участников мониторинга меняют только методисты РЦРО."
REASON_REPORT_LOADED = "есть отчёт в мониторинге"

# Fields a report carries over from the school's previous report.
CARRY_OVER = (
    "system",
    "responsible_name",
    "responsible_position",
    "responsible_phone",
    "responsible_email",
    "coordinator_name",
    "coordinator_phone",
    "coordinator_email",
    "coordinator_skype",
    "module_turnstile",
    "module_library",
    "module_canteen",
    "module_other",
    "other_modules_text",
)
# Carried over too, but marked «from last year» until the user touches or confirms them.
# Column 21 (pilot site) comes from the pilot-site registry when it is kept.
CARRY_OVER_UNCONFIRMED = (*COUNT_FIELDS, "entry_frequency", "paper_journal", "pilot_site")


class ReportLocked(ServiceError):
    pass


class ReportConflict(ServiceError):
    def __init__(self, report: SchoolReport):
        who = report.updated_by.get_full_name() if report.updated_by else "другим пользователем"
        when = date_format(timezone.localtime(report.updated_at), "H:i, d.m.Y")
        self.report = report
        super().__init__(MSG_CONFLICT.format(who=who, when=when))


class ReportInvalid(ServiceError):
    def __init__(self, result: CheckResult):
        self.result = result
        super().__init__(MSG_HAS_ERRORS.format(count=len(result.errors)))


# --- Campaigns ------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    slug: str,
    title: str,
    academic_year: str,
    as_of,
    deadline,
    letter_number: str = "",
    letter_date=None,
    previous: Campaign | None = None,
    participants=None,
    open_now: bool = False,
    user: User | None = None,
) -> Campaign:
    """Create a campaign; every organisation working on the as-of date takes part unless
    ``participants`` is given (closed and merged ones are not offered)."""
    campaign = Campaign(
        slug=slug,
        title=title,
        academic_year=academic_year,
        as_of=as_of,
        deadline=deadline,
        letter_number=letter_number,
        letter_date=letter_date,
        previous=previous,
    )
    campaign._history_user = user
    campaign.full_clean()
    campaign.save()
    if participants is None:
        participants = School.objects.open_on(as_of)
    campaign.participants.set(participants)
    if open_now:
        campaign_open(campaign=campaign, user=user)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, user: User | None = None, participants=None, **fields) -> Campaign:
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign._history_user = user
    campaign.full_clean()
    campaign.save()
    if participants is not None:
        wanted = {school.pk for school in participants}
        current = set(campaign.participants.values_list("pk", flat=True))
        _participants_change(campaign, add=wanted - current, remove=current - wanted, user=user, reason="")
    return campaign


def _participants_change(campaign: Campaign, *, add, remove, user, reason: str) -> None:
    """Change the participants, keeping every organisation with a report in the campaign in it."""
    blocked = (
        SchoolReport.objects.filter(campaign=campaign, school_id__in=remove)
        .select_related("school")
        .order_by("school__short_name")
        .first()
    )
    if blocked is not None:
        raise ServiceError(MSG_PARTICIPANT_HAS_REPORT.format(school=blocked.school))
    if remove:
        campaign.participants.remove(*remove)
    if add:
        campaign.participants.add(*add)
    ParticipantChange.objects.bulk_create(
        [
            ParticipantChange(campaign=campaign, school_id=pk, action=action, reason=reason, actor=user)
            for ids, action in (
                (add, ParticipantChange.Action.ADDED),
                (remove, ParticipantChange.Action.REMOVED),
            )
            for pk in sorted(ids)
        ]
    )


@transaction.atomic
def campaign_participants_change(
    *, campaign_id: int, user: User, add_ids=(), remove_ids=(), reason: str = ""
) -> Campaign:
    """A methodist adds organisations opened since last year and removes closed or merged ones."""
    if not user.is_regional:
        raise ServiceError(MSG_PARTICIPANTS_ONLY_METHODISTS)
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    current = set(campaign.participants.values_list("pk", flat=True))
    add = set(School.objects.filter(pk__in=add_ids).values_list("pk", flat=True)) - current
    remove = set(remove_ids) & current
    _participants_change(campaign, add=add, remove=remove, user=user, reason=reason.strip())
    return campaign


def ensure_participant(*, campaign: Campaign, school: School, user: User | None) -> None:
    """Every organisation that has a report in a campaign is one of its participants. Called by
    each service that creates a report, in its transaction."""
    through = Campaign.participants.through
    if not through.objects.filter(campaign_id=campaign.pk, school_id=school.pk).exists():
        _participants_change(campaign, add={school.pk}, remove=set(), user=user, reason=REASON_REPORT_LOADED)


def _campaign_set_status(campaign, *, allowed_from, to, action, stamp_field, user: User | None):
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status not in allowed_from:
            raise ServiceError(MSG_CAMPAIGN_STATUS.format(status=locked.get_status_display(), action=action))
        locked.status = to
        setattr(locked, stamp_field, timezone.now())
        locked._history_user = user
        locked.save(update_fields=["status", stamp_field])
    campaign.refresh_from_db()
    return campaign


def campaign_open(*, campaign: Campaign, user: User | None = None) -> Campaign:
    return _campaign_set_status(
        campaign,
        allowed_from=(Campaign.Status.PREPARING, Campaign.Status.CLOSED),
        to=Campaign.Status.OPEN,
        action="открыть",
        stamp_field="opened_at",
        user=user,
    )


def campaign_close(*, campaign: Campaign, user: User | None = None) -> Campaign:
    return _campaign_set_status(
        campaign,
        allowed_from=(Campaign.Status.OPEN,),
        to=Campaign.Status.CLOSED,
        action="закрыть",
        stamp_field="closed_at",
        user=user,
    )


# --- Reports --------------------------------------------------------------------------------------


def report_edit_refusal(report: SchoolReport) -> str | None:
    """Why the report's data cannot be changed now, or None when it can.

    The one lock rule for every path that writes (form, import, admin): the campaign must be
    open, the municipality must not have handed its data to the region, and the report must be a
    draft or returned.
    """
    if report.campaign.status != Campaign.Status.OPEN:
        return MSG_CAMPAIGN_NOT_OPEN.format(campaign=report.campaign)
    state = municipality_state(report.campaign_id, report.school.municipality_id)
    if state in (MunicipalityState.SUBMITTED, MunicipalityState.ACCEPTED):
        return MSG_MUNICIPALITY_LOCKED.format(state=MunicipalityState(state).label)
    if not report.is_editable_state:
        return MSG_REPORT_LOCKED.format(status=report.get_status_display())
    return None


def _prefill(report: SchoolReport, campaign: Campaign, school: School) -> tuple[SchoolReport | None, bool]:
    """Fill a new report from the school's previous report and the pilot-site registry.

    Returns the previous report (or None) and whether anything was filled.
    """
    previous = None
    if campaign.previous_id:
        previous = (
            SchoolReport.objects.filter(campaign_id=campaign.previous_id, school=school)
            .select_related("system")
            .first()
        )
        if previous is not None:
            for name in CARRY_OVER:
                setattr(report, name, getattr(previous, name))
            carried = []
            for name in CARRY_OVER_UNCONFIRMED:
                value = getattr(previous, name)
                setattr(report, name, value)
                if value is not None:
                    carried.append(name)
            report.unconfirmed_fields = carried
    registry = registry_pilot_status(school.pk, campaign.as_of)
    if registry is not None:
        report.pilot_site = SchoolReport.PilotSite.YES if registry else SchoolReport.PilotSite.NO
        report.unconfirmed_fields = [f for f in report.unconfirmed_fields if f != "pilot_site"]
    return previous, previous is not None or registry is not None


def _new_branch_rows(report: SchoolReport, school: School, previous: SchoolReport | None, have) -> list:
    """Unsaved rows for the school's active branches the report has no row for yet."""
    previous_rows = {}
    if previous is not None:
        previous_rows = {row.branch_id: row for row in previous.branch_rows.all()}
    rows = []
    for branch in school.branches.filter(is_active=True).exclude(pk__in=have).order_by("name"):
        row = ReportBranch(report=report, branch=branch)
        old = previous_rows.get(branch.pk)
        if old is not None:
            for name in BRANCH_FIELDS:
                setattr(row, name, getattr(old, name))
        rows.append(row)
    return rows


def report_prefilled(*, campaign: Campaign, school: School) -> tuple[SchoolReport, list[ReportBranch]]:
    """What a new report would hold (last year's values, registry), without saving anything.

    The edit page shows it until the first save, which creates the report with
    :func:`report_start`; opening the form changes nothing.
    """
    report = SchoolReport(campaign=campaign, school=school)
    previous, _ = _prefill(report, campaign, school)
    return report, _new_branch_rows(report, school, previous, have=())


def report_missing_branch_rows(report: SchoolReport) -> list[ReportBranch]:
    """Unsaved rows for branches registered since the report was started (added on the next save)."""
    previous = None
    if report.campaign.previous_id:
        previous = SchoolReport.objects.filter(
            campaign_id=report.campaign.previous_id, school_id=report.school_id
        ).first()
    have = {row.branch_id for row in report.branch_rows.all()}
    return _new_branch_rows(report, report.school, previous, have)


@transaction.atomic
def report_start(*, campaign: Campaign, school: School, user: User | None = None) -> SchoolReport:
    """Return the school's report in the campaign, creating it prefilled from last year.

    Also adds rows for branches registered since the report was started.
    """
    report, created = SchoolReport.objects.select_for_update().get_or_create(campaign=campaign, school=school)
    previous = None
    if created:
        ensure_participant(campaign=campaign, school=school, user=user)
        previous, filled = _prefill(report, campaign, school)
        if filled:
            report.updated_by = user
            report._history_user = user
            report.save()
    elif campaign.previous_id:
        previous = SchoolReport.objects.filter(campaign_id=campaign.previous_id, school=school).first()
    have = set(report.branch_rows.values_list("branch_id", flat=True))
    for row in _new_branch_rows(report, school, previous, have):
        row._history_user = user
        row.save()
    return report


@transaction.atomic
def report_branch_rows_add(*, report_id: int, branch_ids, user: User) -> None:
    """Add rows for the school's branches a report does not have yet (an import names them)."""
    report = SchoolReport.objects.select_for_update().select_related("campaign", "school").get(pk=report_id)
    refusal = report_edit_refusal(report)
    if refusal:
        raise ReportLocked(refusal)
    have = set(report.branch_rows.values_list("branch_id", flat=True))
    for branch in report.school.branches.filter(pk__in=set(branch_ids) - have):
        row = ReportBranch(report=report, branch=branch)
        row._history_user = user
        row.save()


@dataclass
class ReportInput:
    """What a form or an import hands to :func:`report_save`."""

    values: dict
    branches: dict[int, dict] = field(default_factory=dict)  # branch_id → BRANCH_FIELDS values
    events: list[dict] | None = None  # None: leave events as they are
    confirmed: set[str] = field(default_factory=set)
    explanations: dict[str, str] = field(default_factory=dict)
    raw_input: dict[str, str] = field(default_factory=dict)
    explanation_source: str = "form"


def report_input_check_bounds(data: ReportInput) -> None:
    """The service-level guard: whatever door the input came through (form, import, script), no
    control character, count out of range or over-long text is written. Raises
    :class:`InputOutOfBounds` (a :class:`ServiceError` with a Russian message)."""
    require_within_bounds(data.values, limits=char_limits(SchoolReport))
    branch_limits = char_limits(ReportBranch)
    for values in data.branches.values():
        require_within_bounds(values, limits=branch_limits, label="Филиал: ")
    for item in data.events or ():
        problem = text_problem(item.get("title"), limit=300) or next(
            (
                p
                for p in (count_problem(item.get(k), allow_negative=False) for k in ("students", "teachers"))
                if p
            ),
            None,
        )
        if problem:
            raise InputOutOfBounds(f"Мероприятие: {problem}")
    require_within_bounds(data.raw_input, limits=dict.fromkeys(data.raw_input, RAW_INPUT_MAX))
    require_within_bounds(data.explanations)


@transaction.atomic
def report_save(
    *,
    report_id: int,
    user: User,
    data: ReportInput,
    expected_version: int | None,
    draft: bool,
) -> tuple[SchoolReport, CheckResult]:
    """Save a report's values; a draft is kept even with errors, a full save is refused.

    Two people editing at once: the one whose form was built on an older version gets
    :class:`ReportConflict` and nothing is written.
    """
    report_input_check_bounds(data)
    report = (
        SchoolReport.objects.select_for_update(of=("self",))
        .select_related("campaign", "school", "updated_by")
        .get(pk=report_id)
    )
    if expected_version is not None and report.version != expected_version:
        raise ReportConflict(report)
    refusal = report_edit_refusal(report)
    if refusal:
        raise ReportLocked(refusal)

    unconfirmed = [
        name
        for name in report.unconfirmed_fields
        if name not in data.confirmed and data.values.get(name) == getattr(report, name)
    ]
    explanations = dict(report.warning_notes)
    now = timezone.now().isoformat()
    for code, text in data.explanations.items():
        text = (text or "").strip()
        if text and (explanations.get(code) or {}).get("text") != text:
            explanations[code] = {
                "text": text,
                "source": data.explanation_source,
                "by": user.get_full_name() or user.username,
                "at": now,
            }
        elif not text:
            explanations.pop(code, None)

    result = checks.check_input(
        campaign=report.campaign,
        school_id=report.school_id,
        values=data.values,
        branches=data.branches,
        report=report,
        confirmed=data.confirmed,
        explanations=data.explanations,
        raw_input=data.raw_input,
    )
    if not draft and (result.errors or data.raw_input):
        raise ReportInvalid(result)

    for name, value in data.values.items():
        setattr(report, name, value)
    report.unconfirmed_fields = unconfirmed
    report.warning_notes = explanations
    report.raw_input = data.raw_input if draft else {}
    report.version += 1
    report.updated_by = user
    report._history_user = user
    report.save()

    if data.branches:
        for row in report.branch_rows.filter(branch_id__in=data.branches).select_related("system"):
            vals = data.branches[row.branch_id]
            if any(getattr(row, k) != v for k, v in vals.items()):
                for k, v in vals.items():
                    setattr(row, k, v)
                row._history_user = user
                row.save()
    if data.events is not None:
        _replace_events(report, data.events, user)
    return report, result


def report_save_or_start(
    *,
    campaign: Campaign,
    school: School,
    user: User,
    data: "ReportInput",
    expected_version: int | None,
    draft: bool,
    report_id: int | None = None,
) -> tuple[SchoolReport, CheckResult]:
    """Save the form of the school's report; the first save creates the report (with its
    prefill from last year) in the same transaction.

    ``report_id``: the report the form was built on, when it exists and has a row for every
    branch (the page knows): then nothing needs starting, and :func:`report_save` locks it and
    checks its version as always."""
    arguments = {"user": user, "data": data, "expected_version": expected_version, "draft": draft}
    if report_id is not None:
        try:
            return report_save(report_id=report_id, **arguments)  # its own transaction
        except SchoolReport.DoesNotExist:
            pass  # removed since the page was built: started anew below
    with transaction.atomic():
        report = report_start(campaign=campaign, school=school, user=user)
        return report_save(report_id=report.pk, **arguments)


def _replace_events(report: SchoolReport, events: list[dict], user: User | None) -> None:
    existing = {e.pk: e for e in report.events.all()}
    known = registry.event_ids_by_title() if events else {}
    keep = set()
    for position, item in enumerate(events):
        event = existing.get(item.get("id")) if item.get("id") else None
        if event is None:
            event = ReportEvent(report=report)
        event_id = registry.event_id_for(item["title"], known)
        changed = (
            event.pk is None
            or any(getattr(event, k) != item[k] for k in ("title", "students", "teachers"))
            or event.position != position
            or event.event_id != event_id
        )
        event.title, event.students, event.teachers = item["title"], item["students"], item["teachers"]
        event.position = position
        event.event_id = event_id
        if changed:
            event._history_user = user
            event.save()
        keep.add(event.pk)
    for pk, event in existing.items():
        if pk not in keep:
            event._history_user = user
            event.delete()


MSG_PAST_ONLY_METHODISTS = "Данные прошлых мониторингов загружают только методисты РЦРО."
MSG_REPORT_EXISTS = "В мониторинге «{campaign}» уже есть отчёт этой организации."


@transaction.atomic
def report_load_accepted(
    *, campaign: Campaign, school: School, data: ReportInput, user: User
) -> SchoolReport:
    """Load a closed campaign's report from an old table, as accepted, for year-over-year comparison."""
    report_input_check_bounds(data)
    if not user.is_regional:
        raise ReportLocked(MSG_PAST_ONLY_METHODISTS)
    if SchoolReport.objects.filter(campaign=campaign, school=school).exists():
        raise ReportLocked(MSG_REPORT_EXISTS.format(campaign=campaign))
    report = SchoolReport(campaign=campaign, school=school, status=ReportStatus.APPROVED, updated_by=user)
    for name, value in data.values.items():
        setattr(report, name, value)
    now = timezone.now().isoformat()
    report.warning_notes = {
        code: {
            "text": text,
            "source": data.explanation_source,
            "by": user.get_full_name() or user.username,
            "at": now,
        }
        for code, text in data.explanations.items()
        if (text or "").strip()
    }
    report._history_user = user
    report.save()
    ensure_participant(campaign=campaign, school=school, user=user)
    for branch_id, values in data.branches.items():
        row = ReportBranch(report=report, branch_id=branch_id, **values)
        row._history_user = user
        row.save()
    if data.events:
        _replace_events(report, data.events, user)
    MunicipalityReview.objects.update_or_create(
        campaign=campaign,
        municipality_id=school.municipality_id,
        defaults={"state": MunicipalityState.ACCEPTED},
    )
    return report
