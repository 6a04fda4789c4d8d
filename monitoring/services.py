"""Every write to campaigns and school reports."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from schools.models import School

from .models import (
    COUNT_FIELDS,
    Campaign,
    MunicipalityReview,
    MunicipalityState,
    ReportBranch,
    ReportEvent,
    ReportStatus,
    SchoolReport,
)
from .rules import CheckResult, check_report

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

VALUE_FIELDS = (
    "system",
    "responsible_name",
    "responsible_position",
    "responsible_phone",
    "responsible_email",
    *COUNT_FIELDS,
    "module_turnstile",
    "module_library",
    "module_canteen",
    "module_other",
    "other_modules_text",
    "entry_frequency",
    "paper_journal",
    "pilot_site",
    "coordinator_name",
    "coordinator_phone",
    "coordinator_email",
    "coordinator_skype",
    "notes",
)
BRANCH_FIELDS = (
    "system",
    "responsible_name",
    "responsible_position",
    "responsible_phone",
    "responsible_email",
)


class ServiceError(Exception):
    """A refusal with a message for the user."""


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
    user=None,
) -> Campaign:
    """Create a campaign; all active schools take part unless ``participants`` is given."""
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
        participants = School.objects.filter(is_active=True)
    campaign.participants.set(participants)
    if open_now:
        campaign_open(campaign=campaign, user=user)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, user=None, participants=None, **fields) -> Campaign:
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign._history_user = user
    campaign.full_clean()
    campaign.save()
    if participants is not None:
        campaign.participants.set(participants)
    return campaign


def _campaign_set_status(campaign, *, allowed_from, to, action, stamp_field, user):
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


def campaign_open(*, campaign: Campaign, user=None) -> Campaign:
    return _campaign_set_status(
        campaign,
        allowed_from=(Campaign.Status.PREPARING, Campaign.Status.CLOSED),
        to=Campaign.Status.OPEN,
        action="открыть",
        stamp_field="opened_at",
        user=user,
    )


def campaign_close(*, campaign: Campaign, user=None) -> Campaign:
    return _campaign_set_status(
        campaign,
        allowed_from=(Campaign.Status.OPEN,),
        to=Campaign.Status.CLOSED,
        action="закрыть",
        stamp_field="closed_at",
        user=user,
    )


# --- Reports --------------------------------------------------------------------------------------


def report_values(report: SchoolReport | None) -> dict | None:
    """The report's values as the checks take them."""
    if report is None:
        return None
    return {name: getattr(report, name) for name in VALUE_FIELDS}


def branch_values(report: SchoolReport) -> list[dict]:
    return [
        {"branch_id": row.branch_id, **{name: getattr(row, name) for name in BRANCH_FIELDS}}
        for row in report.branch_rows.all()
    ]


def municipality_state(campaign_id: int, municipality_id: int) -> str:
    state = (
        MunicipalityReview.objects.filter(campaign_id=campaign_id, municipality_id=municipality_id)
        .values_list("state", flat=True)
        .first()
    )
    return state or MunicipalityState.COLLECTING


def registry_pilot_status(school_id: int, on_date) -> bool | None:
    """Whether the pilot-site registry lists the school on the date; None when no registry is kept."""
    from projects.models import PilotSite

    if not PilotSite.objects.exists():
        return None
    return PilotSite.objects.active_on(on_date).filter(school_id=school_id).exists()


def registry_pilot_school_ids(on_date) -> set[int] | None:
    """Schools the registry lists on the date (one query), or None when no registry is kept."""
    from projects.models import PilotSite

    ids = set(PilotSite.objects.active_on(on_date).order_by().values_list("school_id", flat=True))
    if not ids and not PilotSite.objects.exists():
        return None
    return ids


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
def report_start(*, campaign: Campaign, school: School, user=None) -> SchoolReport:
    """Return the school's report in the campaign, creating it prefilled from last year.

    Also adds rows for branches registered since the report was started.
    """
    report, created = SchoolReport.objects.select_for_update().get_or_create(campaign=campaign, school=school)
    previous = None
    if created:
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


def _check(report: SchoolReport, data: ReportInput, previous: dict | None, unconfirmed, explanations):
    branches = [{"branch_id": bid, **vals} for bid, vals in data.branches.items()]
    return check_report(
        data.values,
        previous=previous,
        branches=branches,
        unconfirmed=unconfirmed,
        explanations=explanations,
        registry_pilot_site=registry_pilot_status(report.school_id, report.campaign.as_of),
        raw_input=data.raw_input,
    )


@transaction.atomic
def report_save(
    *,
    report_id: int,
    user,
    data: ReportInput,
    expected_version: int | None,
    draft: bool,
    previous: dict | None = None,
) -> tuple[SchoolReport, CheckResult]:
    """Save a report's values; a draft is kept even with errors, a full save is refused.

    Two people editing at once: the one whose form was built on an older version gets
    :class:`ReportConflict` and nothing is written.
    """
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

    result = _check(report, data, previous, unconfirmed, explanations)
    if not draft and result.errors:
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
        for row in report.branch_rows.filter(branch_id__in=data.branches):
            vals = data.branches[row.branch_id]
            if any(getattr(row, k) != v for k, v in vals.items()):
                for k, v in vals.items():
                    setattr(row, k, v)
                row._history_user = user
                row.save()
    if data.events is not None:
        _replace_events(report, data.events, user)
    return report, result


@transaction.atomic
def report_save_or_start(
    *,
    campaign: Campaign,
    school: School,
    user,
    data: "ReportInput",
    expected_version: int | None,
    draft: bool,
    previous: dict | None = None,
) -> tuple[SchoolReport, CheckResult]:
    """Save the form of the school's report; the first save creates the report (with its
    prefill from last year) in the same transaction."""
    report = report_start(campaign=campaign, school=school, user=user)
    return report_save(
        report_id=report.pk,
        user=user,
        data=data,
        expected_version=expected_version,
        draft=draft,
        previous=previous,
    )


def project_events_by_title() -> dict[str, int]:
    """Events of the regional project by normalised title, to link column 24 rows to them."""
    from projects.models import Event

    return {" ".join(title.lower().split()): pk for pk, title in Event.objects.values_list("pk", "title")}


def _replace_events(report: SchoolReport, events: list[dict], user) -> None:
    existing = {e.pk: e for e in report.events.all()}
    known = project_events_by_title()
    keep = set()
    for position, item in enumerate(events):
        event = existing.get(item.get("id")) if item.get("id") else None
        if event is None:
            event = ReportEvent(report=report)
        event_id = known.get(" ".join(item["title"].lower().split()))
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
def report_load_accepted(*, campaign: Campaign, school: School, data: ReportInput, user) -> SchoolReport:
    """Load a closed campaign's report from an old table, as accepted, for year-over-year comparison."""
    if not user.is_regional:
        raise ReportLocked(MSG_PAST_ONLY_METHODISTS)
    if SchoolReport.objects.filter(campaign=campaign, school=school).exists():
        raise ReportLocked(MSG_REPORT_EXISTS.format(campaign=campaign))
    report = SchoolReport(campaign=campaign, school=school, status=ReportStatus.APPROVED, updated_by=user)
    for name, value in data.values.items():
        setattr(report, name, value)
    report._history_user = user
    report.save()
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
