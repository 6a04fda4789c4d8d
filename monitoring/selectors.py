"""Reads of campaigns and reports, always through the user's scope."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.access import get_in_scope_or_404, school_q
from accounts.models import Role, User
from core.emails import first_email
from projects import registry
from schools.models import Branch, Municipality, School

from .basis import basis_statuses
from .models import (
    COUNT_FIELDS,
    Campaign,
    MunicipalityReview,
    MunicipalityState,
    ReportBranch,
    ReportEvent,
    SchoolReport,
    WorkflowEvent,
)


def campaign_list(*, user: User) -> QuerySet[Campaign]:
    """Methodists see every campaign; others see open and closed ones their schools take part in."""
    qs = Campaign.objects.select_related("previous")
    if user.is_regional:
        return qs
    if user.effective_role not in (Role.SPECIALIST, Role.COORDINATOR):
        return qs.none()
    in_scope = School.objects.filter(school_q(user))
    return qs.filter(
        status__in=[Campaign.Status.OPEN, Campaign.Status.CLOSED],
        pk__in=Campaign.participants.through.objects.filter(school__in=in_scope).values("campaign_id"),
    )


def campaign_get(*, user: User, slug) -> Campaign:
    return get_in_scope_or_404(campaign_list(user=user), slug=slug)


def current_campaign(*, user: User) -> Campaign | None:
    """The most recent open campaign the user takes part in."""
    return campaign_list(user=user).filter(status=Campaign.Status.OPEN).order_by("-as_of", "-pk").first()


def campaign_school_get(*, user: User, campaign: Campaign, school_pk) -> School:
    """A participating school of the campaign, within the user's scope (404 otherwise)."""
    qs = (
        School.objects.filter(school_q(user), campaigns=campaign)
        .select_related("municipality")
        .prefetch_related(Prefetch("branches", queryset=Branch.objects.filter(is_active=True)))
    )
    return get_in_scope_or_404(qs, pk=school_pk)


def _report_qs(*, parents: bool = True):
    """Reports with what their pages show; ``parents``: with their campaign and school (a caller
    that has them at hand sets them instead, and the query joins three tables fewer)."""
    related = ("campaign", "school__municipality") if parents else ()
    return SchoolReport.objects.select_related(*related, "system__vendor", "updated_by").prefetch_related(
        Prefetch("branch_rows", queryset=_branch_rows_qs()),
        Prefetch("events", queryset=ReportEvent.objects.order_by("position", "pk")),
    )


def _branch_rows_qs() -> QuerySet[ReportBranch]:
    return ReportBranch.objects.select_related("branch", "system").order_by("branch__name")


def report_branch_rows(report: SchoolReport) -> list[ReportBranch]:
    """The report's branch rows with their branch and system, by branch name: those read with the
    report (``_report_qs``) when they were, otherwise read now."""
    if "branch_rows" in getattr(report, "_prefetched_objects_cache", {}):
        return list(report.branch_rows.all())
    return list(_branch_rows_qs().filter(report=report))


def report_for(*, campaign: Campaign, school: School, lock: bool = False) -> SchoolReport | None:
    """The school's report with everything the report page needs, or None if not started.

    ``lock``: read it with its row lock, for a save in the caller's transaction (see
    :func:`_locked`); its branch rows and events are read after the lock is taken."""
    qs = _report_qs(parents=False).filter(campaign=campaign, school=school)
    report = _locked(qs, municipality_id=school.municipality_id).first() if lock else qs.first()
    if report is not None:
        report.campaign, report.school = campaign, school
    return _mark_locked(report) if lock else report


def report_locked(report_id: int) -> SchoolReport:
    """The report with its row lock, for a save in the caller's transaction (see :func:`_locked`)."""
    qs = SchoolReport.objects.select_related("campaign", "school", "updated_by")
    report = _locked(qs).get(pk=report_id)
    _mark_locked(report)
    return report


def _locked(qs: QuerySet[SchoolReport], *, municipality_id: int | None = None) -> QuerySet[SchoolReport]:
    """``qs`` read with the report rows' lock, and with the municipality's state read by the same
    statement (``state_now``): nobody changes the report until the transaction ends.
    ``municipality_id``: the reports' municipality, when the caller knows it."""
    reviews = MunicipalityReview.objects.filter(campaign_id=OuterRef("campaign_id"))
    if municipality_id is None:
        reviews = reviews.filter(municipality_id=OuterRef("school__municipality_id"))
    else:
        reviews = reviews.filter(municipality_id=municipality_id)
    state = reviews.values("state")[:1]
    return qs.select_for_update(of=("self",)).annotate(
        state_now=Coalesce(Subquery(state), Value(MunicipalityState.COLLECTING.value))
    )


def _mark_locked(report: SchoolReport | None) -> SchoolReport | None:
    if report is not None:
        report.municipality_state_read = report.state_now  # type: ignore[attr-defined]
        report.locked_for_update = True
    return report


def previous_report(*, report_or_campaign, school: School) -> SchoolReport | None:
    campaign = getattr(report_or_campaign, "campaign", report_or_campaign)
    if not campaign.previous_id:
        return None
    return _report_qs().filter(campaign_id=campaign.previous_id, school=school).first()


def campaign_schools(*, user: User, campaign: Campaign, search: str = "") -> QuerySet[School]:
    """Participating schools in scope, each with ``report`` (its report or None) attached."""
    qs = School.objects.filter(school_q(user), campaigns=campaign).select_related("municipality")
    search = " ".join(search.split())
    if search:
        qs = qs.filter(Q(short_name__icontains=search) | Q(full_name__icontains=search))
    return qs.prefetch_related(
        Prefetch(
            "reports",
            queryset=SchoolReport.objects.filter(campaign=campaign).select_related("system", "updated_by"),
            to_attr="campaign_reports",
        )
    ).order_by("municipality__sort_order", "short_name")


def reports_on_basis(
    *, user, campaign: Campaign, basis: str, municipality: Municipality | None = None
) -> QuerySet[SchoolReport]:
    """The reports that count on ``basis`` (see ``monitoring.basis``): participants' reports in the
    user's scope whose state the basis takes. The dashboards' «принято» / «на проверке» counts and
    the Appendix 1 export both read this, so they agree for the same choice."""
    qs = SchoolReport.objects.filter(
        school_q(user, "school"),
        campaign=campaign,
        school__campaigns=campaign,
        status__in=basis_statuses(basis),
    )
    if municipality is not None:
        qs = qs.filter(school__municipality=municipality)
    return qs


def reports_in_scope(*, user: User, campaign: Campaign, ids) -> QuerySet[SchoolReport]:
    return SchoolReport.objects.filter(school_q(user, "school"), campaign=campaign, pk__in=list(ids))


def municipality_review(*, campaign: Campaign, municipality) -> MunicipalityReview:
    """The municipality's state in the campaign (an unsaved «collecting» one if none yet)."""
    review = MunicipalityReview.objects.filter(campaign=campaign, municipality=municipality).first()
    return review or MunicipalityReview(campaign=campaign, municipality=municipality)


def workflow_log(*, report: SchoolReport) -> QuerySet[WorkflowEvent]:
    return report.workflow_events.select_related("actor").order_by("-created_at", "-pk")


def project_event_titles(limit: int = 200) -> list[str]:
    """Titles of the regional project's events, offered in column 24 of the form."""
    return registry.event_titles(limit)


def campaign_participants_review(*, user: User, campaign: Campaign) -> dict:
    """What a methodist needs to review a campaign's participants (a few queries, any size).

    ``participants``: each with whether it has a report; ``closed``: participants closed or merged
    on or before the as-of date; ``not_included``: organisations working then but not participating.
    """
    if not user.is_regional:
        return {"participants": [], "closed": [], "not_included": [], "changes": []}
    with_report = set(SchoolReport.objects.filter(campaign=campaign).values_list("school_id", flat=True))
    participants = list(
        campaign.participants.select_related("municipality", "merged_into").order_by(
            "municipality__sort_order", "short_name"
        )
    )
    for school in participants:
        school.has_report = school.pk in with_report
    closed = [
        s
        for s in participants
        if not s.is_active or (s.closed_on is not None and s.closed_on <= campaign.as_of)
    ]
    not_included = (
        School.objects.open_on(campaign.as_of)
        .exclude(pk__in=[s.pk for s in participants])
        .select_related("municipality")
        .order_by("municipality__sort_order", "short_name")
    )
    changes = campaign.participant_changes.select_related("school", "actor")[:200]
    return {
        "participants": participants,
        "closed": closed,
        "not_included": list(not_included),
        "changes": list(changes),
    }


@dataclass(frozen=True)
class SchoolContact:
    """Whom to write to about a school's account, from its report: the project coordinator
    (columns 22/23) first, else the person responsible for the EDMS (columns 6/7)."""

    email: str
    name: str
    source: str  # "coordinator" | "responsible" | "" (no usable address)


def school_contacts(*, campaign: Campaign, school_ids) -> dict[int, SchoolContact]:
    """The contact of every given school that has a report in the campaign (one query)."""
    contacts = {}
    rows = SchoolReport.objects.filter(campaign=campaign, school_id__in=list(school_ids)).values_list(
        "school_id", "coordinator_email", "coordinator_name", "responsible_email", "responsible_name"
    )
    for school_id, coordinator_email, coordinator_name, responsible_email, responsible_name in rows:
        if email := first_email(coordinator_email):
            contacts[school_id] = SchoolContact(email, coordinator_name.strip(), "coordinator")
        elif email := first_email(responsible_email):
            contacts[school_id] = SchoolContact(email, responsible_name.strip(), "responsible")
        else:
            contacts[school_id] = SchoolContact("", "", "")
    return contacts


# --- Values as the checks take them ---------------------------------------------------------------

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


def report_values(report: SchoolReport | None) -> dict | None:
    """The report's values as the checks take them."""
    if report is None:
        return None
    return {name: getattr(report, name) for name in VALUE_FIELDS}


def branch_values(report: SchoolReport, rows=None) -> list[dict]:
    """The report's branch rows as the checks take them (``rows``: the rows when at hand)."""
    return [
        {"branch_id": row.branch_id, **{name: getattr(row, name) for name in BRANCH_FIELDS}}
        for row in (report.branch_rows.all() if rows is None else rows)
    ]


def municipality_state(campaign_id: int, municipality_id: int) -> str:
    state = (
        MunicipalityReview.objects.filter(campaign_id=campaign_id, municipality_id=municipality_id)
        .values_list("state", flat=True)
        .first()
    )
    return state or MunicipalityState.COLLECTING


def report_municipality_state(report: SchoolReport) -> str:
    """The state of the report's municipality: as the page read it ahead for all its checks
    (``report.municipality_state_read``), otherwise read now."""
    if report.municipality_state_read is not None:
        return report.municipality_state_read
    return municipality_state(report.campaign_id, report.school.municipality_id)


def registry_pilot_status(school_id: int, on_date: datetime.date) -> bool | None:
    """Whether the pilot-site registry lists the school on the date; None when no registry is kept."""
    return registry.pilot_status(school_id, on_date)


def registry_pilot_school_ids(on_date: datetime.date) -> set[int] | None:
    """Schools the registry lists on the date (one query), or None when no registry is kept."""
    return registry.pilot_school_ids(on_date)


def report_snapshot(report: SchoolReport, *, branch_rows=None, events=None) -> dict:
    """The report's values as JSON-friendly data, kept with submissions and returns for diffs.

    ``branch_rows`` (with their branch and system) and ``events``, in their order, when they are
    at hand already (many reports handed in at once); otherwise they are read."""
    values = report_values(report) or {}
    values["system"] = report.system.name if report.system else None
    if branch_rows is None:
        branch_rows = report.branch_rows.select_related("branch", "system")
    if events is None:
        events = report.events.all()
    values["branches"] = {
        str(row.branch_id): {
            "name": row.branch.name,
            "system": row.system.name if row.system else None,
            "responsible_name": row.responsible_name,
            "responsible_position": row.responsible_position,
            "responsible_phone": row.responsible_phone,
            "responsible_email": row.responsible_email,
        }
        for row in branch_rows
    }
    values["events"] = [f"{e.title}: обучающихся {e.students}, педагогов {e.teachers}" for e in events]
    return values
