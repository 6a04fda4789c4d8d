"""Every write to campaigns and school reports."""

from dataclasses import dataclass, field

from django.db import models, transaction
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

from . import checks, selectors
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
    report_municipality_state,
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


def report_edit_refusal(report: SchoolReport, *, state: str | None = None) -> str | None:
    """Why the report's data cannot be changed now, or None when it can.

    The one lock rule for every path that writes (form, import, admin): the campaign must be
    open, the municipality must not have handed its data to the region, and the report must be a
    draft or returned. ``state``: the municipality's state when it was read ahead (many reports).
    """
    if report.campaign.status != Campaign.Status.OPEN:
        return MSG_CAMPAIGN_NOT_OPEN.format(campaign=report.campaign)
    if state is None:
        state = report_municipality_state(report)
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
    registry = registry_pilot_status(school.pk, campaign.as_of)
    return previous, _prefill_from(report, previous, registry)


def _prefill_from(report: SchoolReport, previous: SchoolReport | None, registry: bool | None) -> bool:
    """Fill a new report from the previous report and the registry status, both read already;
    whether anything was filled."""
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
    if registry is not None:
        report.pilot_site = SchoolReport.PilotSite.YES if registry else SchoolReport.PilotSite.NO
        report.unconfirmed_fields = [f for f in report.unconfirmed_fields if f != "pilot_site"]
    return previous is not None or registry is not None


def _new_branch_rows(report: SchoolReport, school: School, previous: SchoolReport | None, have) -> list:
    """Unsaved rows for the school's active branches the report has no row for yet."""
    previous_rows = {}
    if previous is not None:
        previous_rows = {row.branch_id: row for row in previous.branch_rows.all()}
    branches = school.branches.filter(is_active=True).exclude(pk__in=have).order_by("name")
    return _rows_for_branches(report, branches, previous_rows)


def _rows_for_branches(report: SchoolReport, branches, previous_rows: dict) -> list[ReportBranch]:
    """Unsaved rows of ``report`` for ``branches``, with last year's values from ``previous_rows``
    (branch id → last year's row)."""
    rows = []
    for branch in branches:
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


def _stored_explanations(report: SchoolReport, data: "ReportInput", user: User) -> dict:
    """The report's explanations of warnings with the input's ones applied, as stored."""
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
    return explanations


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
    report = selectors.report_locked(report_id)
    return report_save_locked(
        report=report, user=user, data=data, expected_version=expected_version, draft=draft
    )


def report_save_locked(
    *,
    report: SchoolReport,
    user: User,
    data: ReportInput,
    expected_version: int | None,
    draft: bool,
) -> tuple[SchoolReport, CheckResult]:
    """:func:`report_save` of a report the caller read with its lock in the transaction it has open
    (``selectors.report_for(lock=True)``): its branch rows and events as that read left them are
    used, not read again. Every refusal comes before the first write; a failure after it leaves the
    caller's transaction to roll back."""
    if not report.locked_for_update or not transaction.get_connection().in_atomic_block:
        raise RuntimeError("report_save_locked: the report must be read with its lock in this transaction")
    report_input_check_bounds(data)
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
    explanations = _stored_explanations(report, data, user)

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
        rows = selectors.report_branch_rows(report)
        for row in rows:
            vals = data.branches.get(row.branch_id)
            if vals and any(getattr(row, k) != v for k, v in vals.items()):
                for k, v in vals.items():
                    setattr(row, k, v)
                row._history_user = user
                row.save()
        report.saved_branch_rows = rows
    if data.events is not None:
        report.saved_events = _replace_events(report, data.events, user)
    return report, result


def report_form_transaction():
    """The transaction of a form save: the page reads the report with its lock in it
    (``selectors.report_for(lock=True)``) and :func:`report_save_or_start` writes it."""
    return transaction.atomic()


def report_save_or_start(
    *,
    campaign: Campaign,
    school: School,
    user: User,
    data: "ReportInput",
    expected_version: int | None,
    draft: bool,
    report: SchoolReport | None = None,
) -> tuple[SchoolReport, CheckResult]:
    """Save the form of the school's report; the first save creates the report (with its
    prefill from last year) in the same transaction.

    ``report``: the report the form was built on, read with its lock in the caller's transaction
    (``selectors.report_for(lock=True)``), when it has a row for every branch: then nothing needs
    starting and it is saved as read."""
    arguments = {"user": user, "data": data, "expected_version": expected_version, "draft": draft}
    if report is not None:
        return report_save_locked(report=report, **arguments)
    with transaction.atomic():
        started = report_start(campaign=campaign, school=school, user=user)
        return report_save(report_id=started.pk, **arguments)


def _replace_events(report: SchoolReport, events: list[dict], user: User | None) -> list[ReportEvent]:
    """Make the report's events what ``events`` lists; returns them as stored now, in order."""
    current = list(report.events.all())
    changed, removed = _events_replaced(
        report, current, events, registry.event_ids_by_title() if events else {}
    )
    gone = {id(event) for event in removed}
    stored = [event for event in current if id(event) not in gone]
    stored += [event for event in changed if event.pk is None]  # new ones
    for event in changed:
        event._history_user = user
        event.save()
    for event in removed:
        event._history_user = user
        event.delete()
    return sorted(stored, key=lambda event: (event.position, event.pk))


def _events_replaced(
    report: SchoolReport, current: list[ReportEvent], events: list[dict], known: dict[str, int]
) -> tuple[list[ReportEvent], list[ReportEvent]]:
    """The events of ``report`` as ``events`` lists them: (events to save, new or changed;
    events to delete). ``current``: the stored ones; ``known``: the project's events by title."""
    existing = {e.pk: e for e in current}
    changed_events: list[ReportEvent] = []
    keep: set[int] = set()
    for position, item in enumerate(events):
        event = existing.get(item.get("id")) if item.get("id") else None
        if event is None:
            event = ReportEvent(report=report)
        event_id = registry.event_id_for(item["title"], known)
        is_changed = (
            event.pk is None
            or any(getattr(event, k) != item[k] for k in ("title", "students", "teachers"))
            or event.position != position
            or event.event_id != event_id
        )
        event.title, event.students, event.teachers = item["title"], item["students"], item["teachers"]
        event.position = position
        event.event_id = event_id
        if is_changed:
            changed_events.append(event)
        if event.pk is not None:
            keep.add(event.pk)
    return changed_events, [event for pk, event in existing.items() if pk not in keep]


MSG_PAST_ONLY_METHODISTS = "Данные прошлых мониторингов загружают только методисты РЦРО."
MSG_REPORT_EXISTS = "В мониторинге «{campaign}» уже есть отчёт этой организации."


def _accepted_report(campaign: Campaign, school: School, data: ReportInput, user: User) -> SchoolReport:
    """A past campaign's report as an old table gives it (accepted, explanations noted), unsaved."""
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
    return report


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
    report = _accepted_report(campaign, school, data, user)
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


# --- Many reports at once (a loaded table) ---------------------------------------------------------

BATCH = 1000  # ids per ``IN (…)`` of the reads, rows per insert or update


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ImportedReport:
    """One organisation's report in a loaded table, as the batch services take it.

    ``school`` is saved (its municipality loaded); ``existing`` is its report in the campaign, if
    any, with ``branch_rows`` and ``events`` prefetched; ``comparison`` what the checks compare it
    with (read for all the reports at once, :class:`checks.Comparisons`). The services fill
    ``report`` (the report as it will be stored), ``rows`` (all its branch rows), ``error`` (why it
    cannot be written: :class:`ReportLocked`, :class:`ReportInvalid` or another
    :class:`ServiceError`) and ``from_state``.
    """

    school: School
    data: ReportInput
    existing: SchoolReport | None = None
    comparison: "checks.Comparison | None" = None
    checked: CheckResult | None = None  # ``data`` checked by the caller with ``comparison`` (not repeated)
    report: SchoolReport | None = None
    rows: list[ReportBranch] = field(default_factory=list)
    error: ServiceError | None = None
    from_state: str = ""
    created: bool = False
    participant: bool = False
    changed_rows: list[ReportBranch] = field(default_factory=list)
    saved_events: list[ReportEvent] = field(default_factory=list)
    removed_events: list[ReportEvent] = field(default_factory=list)
    events: list[ReportEvent] = field(default_factory=list)
    state: str = MunicipalityState.COLLECTING  # the municipality's state in the campaign
    hand_in_errors: CheckResult | None = None  # why the report stays a draft
    journal: list[tuple] = field(
        default_factory=list
    )  # entries to write: (action, from, to, comment, snapshot)


@dataclass
class _BatchContext:
    """What the batch reads once for all its reports."""

    states: dict[int, str]
    previous: dict[int, SchoolReport]
    previous_rows: dict[int, dict[int, ReportBranch]]
    branches: dict[int, list]
    participants: set[int]
    registry: set[int] | None
    known_events: dict[str, int]


def _batch_context(campaign: Campaign, items: list[ImportedReport], *, prefill: bool) -> _BatchContext:
    from schools.models import Branch

    ids = [item.school.pk for item in items]
    context = _BatchContext(
        states=dict(
            MunicipalityReview.objects.filter(campaign=campaign).values_list("municipality_id", "state")
        ),
        previous={},
        previous_rows={},
        branches={},
        participants=set(),
        registry=registry_pilot_school_ids(campaign.as_of) if prefill else None,
        known_events=registry.event_ids_by_title(),
    )
    through = Campaign.participants.through
    for chunk in _chunks(ids):
        context.participants.update(
            through.objects.filter(campaign_id=campaign.pk, school_id__in=chunk).values_list(
                "school_id", flat=True
            )
        )
        for branch in Branch.objects.filter(school_id__in=chunk).order_by("name"):
            context.branches.setdefault(branch.school_id, []).append(branch)
        if prefill and campaign.previous_id:
            for report in SchoolReport.objects.filter(
                campaign_id=campaign.previous_id, school_id__in=chunk
            ).select_related("system"):
                context.previous[report.school_id] = report
            for row in (
                ReportBranch.objects.filter(
                    report__campaign_id=campaign.previous_id, report__school_id__in=chunk
                )
                .select_related("system")
                .annotate(_school_id=models.F("report__school_id"))
            ):
                context.previous_rows.setdefault(row._school_id, {})[row.branch_id] = row
    return context


def _stage_report(item: ImportedReport, campaign: Campaign, user: User, context: _BatchContext) -> None:
    """The in-memory part of :func:`report_start`, :func:`report_branch_rows_add` and
    :func:`report_save` (a full save) for one report of a batch."""
    school, data = item.school, item.data
    existing = item.existing
    if existing is not None:
        report = existing
        report.campaign = campaign
        item.from_state = existing.status
        rows = list(existing.branch_rows.all())
        current_events = list(existing.events.all())
    else:
        report = SchoolReport(campaign=campaign, school=school, updated_by=user)
        _prefill_from(
            report,
            context.previous.get(school.pk),
            None if context.registry is None else school.pk in context.registry,
        )
        item.created = True
        rows, current_events = [], []
    item.report = report
    item.state = context.states.get(school.municipality_id, MunicipalityState.COLLECTING)
    refusal = report_edit_refusal(report, state=item.state)
    if refusal:
        raise ReportLocked(refusal)
    report_input_check_bounds(data)
    branches = context.branches.get(school.pk, [])
    have = {row.branch_id for row in rows}
    active = [b for b in branches if b.is_active and b.pk not in have]
    rows += _rows_for_branches(report, active, context.previous_rows.get(school.pk, {}))
    have = {row.branch_id for row in rows}
    named = [b for b in branches if b.pk in data.branches and b.pk not in have]
    rows += _rows_for_branches(report, named, {})
    by_branch = {b.pk: b for b in branches}
    for row in rows:
        row.branch = by_branch[row.branch_id]
    rows.sort(key=lambda row: row.branch.name)
    item.rows = rows

    # A full save checks without the submission rules, which alone depend on the stored report:
    # the caller's check of the same values and comparison stands.
    result = item.checked or checks.check_input(
        campaign=campaign,
        school_id=school.pk,
        values=data.values,
        branches=data.branches,
        report=report,
        confirmed=data.confirmed,
        explanations=data.explanations,
        raw_input=data.raw_input,
        comparison=item.comparison,
    )
    if result.errors or data.raw_input:
        raise ReportInvalid(result)
    report.unconfirmed_fields = [
        name
        for name in report.unconfirmed_fields
        if name not in data.confirmed and data.values.get(name) == getattr(report, name)
    ]
    report.warning_notes = _stored_explanations(report, data, user)
    for name, value in data.values.items():
        setattr(report, name, value)
    report.raw_input = {}
    report.version += 1
    report.updated_by = user
    new_rows = {id(row) for row in rows if row.pk is None}
    for row in rows:
        values = data.branches.get(row.branch_id)
        if values and any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            if id(row) not in new_rows:
                item.changed_rows.append(row)
    if data.events is not None:
        # Rows of a table carry no event ids: the stored events are rewritten in their order.
        events = [
            {**event, "id": current_events[i].pk}
            if i < len(current_events) and not event.get("id")
            else event
            for i, event in enumerate(data.events)
        ]
        item.saved_events, item.removed_events = _events_replaced(
            report, current_events, events, context.known_events
        )
        removed = {e.pk for e in item.removed_events}
        item.events = sorted(
            [e for e in current_events if e.pk not in removed and e not in item.saved_events]
            + item.saved_events,
            key=lambda e: e.position,
        )
    else:
        item.events = current_events


def reports_stage_imported(*, campaign: Campaign, items: list[ImportedReport], user: User) -> None:
    """Prepare the reports of a loaded table in memory, as :func:`report_start`,
    :func:`report_branch_rows_add` and a full :func:`report_save` would leave them: last year's
    values and the registry for new reports, rows for the school's branches, the checks, the lock
    rule. Sets each item's ``error`` instead of raising; writes nothing (see
    :func:`reports_write_imported`). A few queries for all the reports."""
    context = _batch_context(campaign, items, prefill=True)
    for item in items:
        try:
            _stage_report(item, campaign, user, context)
        except ServiceError as exc:
            item.error = exc
    _participants_stage(campaign, items, context)


def _participants_stage(campaign, items, context) -> None:
    for item in items:
        item.participant = item.school.pk in context.participants


def reports_write_imported(*, campaign: Campaign, items: list[ImportedReport], user: User) -> None:
    """Write the reports staged by :func:`reports_stage_imported` (or
    :func:`reports_stage_accepted`) in batches, each new or changed row with its history record;
    the schools become participants of the campaign. Items with an ``error`` are skipped."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from accounts.history import bulk_history_attrs

    items = [item for item in items if item.error is None]
    now = timezone.now()
    missing = {item.school.pk for item in items if not item.participant}
    if missing:
        _participants_change(campaign, add=missing, remove=set(), user=user, reason=REASON_REPORT_LOADED)

    def create(objs, model):
        for chunk in _chunks(objs):
            bulk_create_with_history(
                chunk, model, default_user=user, custom_historical_attrs=bulk_history_attrs(model) or None
            )

    def update(objs, model, fields):
        for chunk in _chunks(objs):
            bulk_update_with_history(
                chunk,
                model,
                fields,
                default_user=user,
                custom_historical_attrs=bulk_history_attrs(model) or None,
            )

    report_fields = [
        *(f.name for f in SchoolReport._meta.concrete_fields if not f.primary_key),
    ]
    report_fields = [f for f in report_fields if f not in ("campaign", "school", "created_at")]
    for item in items:
        item.report.updated_at = now
    create([item.report for item in items if item.created], SchoolReport)
    update([item.report for item in items if not item.created], SchoolReport, report_fields)
    for item in items:
        report = item.report
        if report is None:  # staged items all have their report
            continue
        for row in item.rows:
            row.report = report
        for event in item.saved_events:
            event.report = report
    create([row for item in items for row in item.rows if row.pk is None], ReportBranch)
    update([row for item in items for row in item.changed_rows], ReportBranch, list(BRANCH_FIELDS))
    create([e for item in items for e in item.saved_events if e.pk is None], ReportEvent)
    update(
        [e for item in items for e in item.saved_events if e.pk is not None],
        ReportEvent,
        ["title", "students", "teachers", "position", "event"],
    )
    removed = [e for item in items for e in item.removed_events]
    for event in removed:  # rare: a shorter list of events than stored
        event._history_user = user
        event.delete()


def reports_stage_accepted(*, campaign: Campaign, items: list[ImportedReport], user: User) -> None:
    """:func:`report_load_accepted` for many reports, in memory (then :func:`reports_write_imported`
    and :func:`reviews_accept_loaded`)."""
    context = _batch_context(campaign, items, prefill=False)
    for item in items:
        try:
            report_input_check_bounds(item.data)
            if not user.is_regional:
                raise ReportLocked(MSG_PAST_ONLY_METHODISTS)
            if item.existing is not None:
                raise ReportLocked(MSG_REPORT_EXISTS.format(campaign=campaign))
        except ServiceError as exc:
            item.error = exc
            continue
        data = item.data
        report = _accepted_report(campaign, item.school, data, user)
        item.report, item.created = report, True
        by_branch = {b.pk: b for b in context.branches.get(item.school.pk, [])}
        item.rows = [
            ReportBranch(report=report, branch=by_branch.get(bid), branch_id=bid, **values)
            if by_branch.get(bid)
            else ReportBranch(report=report, branch_id=bid, **values)
            for bid, values in data.branches.items()
        ]
        if data.events:
            item.saved_events, _ = _events_replaced(report, [], data.events, context.known_events)
        item.events = item.saved_events
    _participants_stage(campaign, items, context)


def reviews_accept_loaded(*, campaign: Campaign, municipality_ids) -> None:
    """The municipalities of a past campaign's loaded reports are accepted (two queries)."""
    ids = set(municipality_ids)
    if not ids:
        return
    MunicipalityReview.objects.filter(campaign=campaign, municipality_id__in=ids).exclude(
        state=MunicipalityState.ACCEPTED
    ).update(state=MunicipalityState.ACCEPTED, updated_at=timezone.now())
    have = set(
        MunicipalityReview.objects.filter(campaign=campaign, municipality_id__in=ids).values_list(
            "municipality_id", flat=True
        )
    )
    MunicipalityReview.objects.bulk_create(
        [
            MunicipalityReview(campaign=campaign, municipality_id=pk, state=MunicipalityState.ACCEPTED)
            for pk in sorted(ids - have)
        ]
    )
