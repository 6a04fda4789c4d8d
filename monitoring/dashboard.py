"""Completeness of a campaign: per municipality for the region, per school for a municipality.

All counts come from aggregate queries, so the number of queries does not depend on the number
of schools.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from accounts.access import municipality_q, school_q
from schools.models import Municipality, School

from .lateness import deadline_end, deadline_passed, is_late, late_q, on_time_q  # noqa: F401
from .models import Campaign, MunicipalityReview, MunicipalityState, SchoolReport
from .rules import check_report
from .services import branch_values, registry_pilot_school_ids, report_values

STATES = ("draft", "submitted", "returned", "approved")
SORT_KEYS = (
    "name",
    "expected",
    "not_started",
    "draft",
    "submitted",
    "returned",
    "approved",
    "pct",
    "on_time",
    "late",
    "state",
)


@dataclass
class Row:
    pk: int
    name: str
    expected: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    on_time: int = 0
    late: int = 0
    state: str = MunicipalityState.COLLECTING
    kind: str = ""

    @property
    def started(self) -> int:
        return self.draft + self.submitted + self.returned + self.approved

    @property
    def not_started(self) -> int:
        return max(0, self.expected - self.started)

    @property
    def pct(self) -> float:
        return self.approved * 100 / self.expected if self.expected else 0.0

    @property
    def state_label(self) -> str:
        return MunicipalityState(self.state).label


@dataclass
class Completeness:
    rows: list[Row]
    total: Row = field(default_factory=lambda: Row(0, "Итого"))


def _counts(campaign, schools_filter: Q, group_by: str, now=None):
    return (
        SchoolReport.objects.filter(schools_filter, campaign=campaign, school__campaigns=campaign)
        .values(group_by)
        .annotate(
            **{s: Count("id", filter=Q(status=s)) for s in STATES},
            on_time=Count("id", filter=on_time_q(campaign)),
            late=Count("id", filter=late_q(campaign, now)),
        )
    )


def by_municipality(
    *, user, campaign: Campaign, kind: str = "", state: str = "", sort: str = "", now=None
) -> Completeness:
    municipalities = Municipality.objects.filter(municipality_q(user)).order_by("sort_order")
    if kind:
        municipalities = municipalities.filter(kind=kind)
    rows = {m.pk: Row(m.pk, m.name, kind=m.kind) for m in municipalities}
    expected = (
        Campaign.participants.through.objects.filter(campaign=campaign, school__municipality__in=rows.keys())
        .values("school__municipality")
        .annotate(n=Count("id"))
    )
    for item in expected:
        rows[item["school__municipality"]].expected = item["n"]
    for item in _counts(campaign, Q(school__municipality__in=rows.keys()), "school__municipality", now):
        row = rows[item.pop("school__municipality")]
        for key, value in item.items():
            setattr(row, key, value)
    if deadline_passed(campaign, now):
        for row in rows.values():  # schools that have not started are late too
            row.late += row.not_started
    for review in MunicipalityReview.objects.filter(campaign=campaign, municipality__in=rows.keys()):
        rows[review.municipality_id].state = review.state
    result = [r for r in rows.values() if r.expected and (not state or r.state == state)]
    result = _sorted(result, sort)
    return Completeness(result, _total(result))


def _total(rows):
    total = Row(0, "Итого")
    for row in rows:
        for key in ("expected", *STATES, "on_time", "late"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    return total


def _sorted(rows, sort: str):
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        return rows
    return sorted(rows, key=lambda r: getattr(r, key), reverse=sort.startswith("-"))


@dataclass
class SchoolRow:
    school: School
    report: SchoolReport | None
    late: bool
    warnings: int

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"


def by_school(
    *,
    user,
    campaign: Campaign,
    municipality: Municipality,
    status: str = "",
    sort: str = "",
    search: str = "",
    now=None,
) -> list[SchoolRow]:
    """Participating schools of a municipality with their report state, lateness and warnings."""
    qs = School.objects.filter(school_q(user), campaigns=campaign, municipality=municipality)
    search = " ".join(search.split())
    if search:
        qs = qs.filter(Q(short_name__icontains=search) | Q(full_name__icontains=search))
    schools = list(qs.order_by("short_name"))
    reports = {
        r.school_id: r
        for r in SchoolReport.objects.filter(campaign=campaign, school__in=schools)
        .select_related("system", "updated_by")
        .prefetch_related("branch_rows")
    }
    previous = {}
    if campaign.previous_id:
        previous = {
            r.school_id: r
            for r in SchoolReport.objects.filter(
                campaign_id=campaign.previous_id, school__in=schools
            ).select_related("system")
        }
    now = now or timezone.now()
    registry = registry_pilot_school_ids(campaign.as_of)
    rows = []
    for school in schools:
        report = reports.get(school.pk)
        warnings = 0
        if report is not None:
            result = check_report(
                report_values(report),
                previous=report_values(previous.get(school.pk)),
                branches=branch_values(report),
                registry_pilot_site=None if registry is None else school.pk in registry,
            )
            warnings = len(result.warnings)
        rows.append(SchoolRow(school, report, is_late(campaign, report, now), warnings))
    if status:
        rows = [r for r in rows if r.status == status]
    key = sort.lstrip("-")
    keys = {
        "name": lambda r: r.school.short_name,
        "status": lambda r: r.status,
        "updated": lambda r: r.report.updated_at.timestamp() if r.report else 0,
        "warnings": lambda r: r.warnings,
    }
    if key in keys:
        rows.sort(key=keys[key], reverse=sort.startswith("-"))
    return rows
