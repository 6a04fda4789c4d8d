"""Completeness of a campaign: per municipality for the region, per school for a municipality.

All counts come from aggregate queries, so the number of queries does not depend on the number
of schools.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.access import municipality_q, school_q
from core.text import natural_key
from schools.models import Municipality, School

from .basis import Basis
from .checks import Comparisons, check_saved_report
from .lateness import deadline_end, deadline_passed, is_late, late_q, on_time_q  # noqa: F401
from .models import (
    Campaign,
    MunicipalityReview,
    MunicipalityState,
    ReportBranch,
    ReportStatus,
    SchoolReport,
)
from .selectors import reports_on_basis

STATES = ("draft", "submitted", "returned", "approved")
# Compact column headers of the region table (key, short label, full label) so that it fits 1366 px.
REGION_HEADERS = (
    ("name", "МОУО", "Муниципальное образование"),
    ("expected", "Ожид.", "Ожидается отчётов"),
    ("not_started", "Не нач.", "Не начали"),
    ("draft", "Черн.", "Черновик"),
    ("submitted", "На пров.", "На проверке"),
    ("returned", "Возвр.", "Возвращено на доработку"),
    ("approved", "Принято", "Принято"),
    ("pct", "%", "Готовность: доля принятых отчётов"),
    ("on_time", "В срок", "Отправлено в срок"),
    ("late", "Опозд.", "С опозданием: отправлено после срока или не отправлено к истёкшему сроку"),
    ("state", "Состояние МОУО", "Состояние МОУО"),
)
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
    # Municipalities by state, before the state filter: {state: count}, for the counts at the top.
    state_counts: dict = field(default_factory=dict)

    @property
    def state_summary(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.state_counts.get(value, 0)) for value, label in MunicipalityState.choices]


# Counted through the basis selector (accepted; accepted + under review), not by state here.
BASIS_STATES = ("approved", "submitted")


def _counts(campaign, schools_filter: Q, group_by: str, now=None):
    return (
        SchoolReport.objects.filter(schools_filter, campaign=campaign, school__campaigns=campaign)
        .values(group_by)
        .annotate(
            **{s: Count("id", filter=Q(status=s)) for s in STATES if s not in BASIS_STATES},
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
    _basis_counts(user=user, campaign=campaign, rows=rows)
    if deadline_passed(campaign, now):
        for row in rows.values():  # schools that have not started are late too
            row.late += row.not_started
    for review in MunicipalityReview.objects.filter(campaign=campaign, municipality__in=rows.keys()):
        rows[review.municipality_id].state = review.state
    listed = [r for r in rows.values() if r.expected]
    state_counts: dict[str, int] = {}
    for row in listed:
        state_counts[row.state] = state_counts.get(row.state, 0) + 1
    result = [r for r in listed if not state or r.state == state]
    result = _sorted(result, sort)
    return Completeness(result, _total(result), state_counts)


def _basis_counts(*, user, campaign: Campaign, rows: dict[int, Row]) -> None:
    """«принято» is what the accepted basis counts; «на проверке» is what the wider basis adds."""
    counted = {}
    for basis in (Basis.ACCEPTED, Basis.SUBMITTED):
        counted[basis] = dict(
            reports_on_basis(user=user, campaign=campaign, basis=basis)
            .filter(school__municipality__in=rows.keys())
            .values_list("school__municipality")
            .annotate(n=Count("id"))
        )
    for pk, row in rows.items():
        row.approved = counted[Basis.ACCEPTED].get(pk, 0)
        row.submitted = counted[Basis.SUBMITTED].get(pk, 0) - row.approved


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
    if key == "name":
        return sorted(rows, key=lambda r: natural_key(r.name), reverse=sort.startswith("-"))
    return sorted(rows, key=lambda r: getattr(r, key), reverse=sort.startswith("-"))


class SchoolRows(list):
    """The rows shown, with the number of schools in each report state before the filter."""

    counts: dict

    @property
    def status_summary(self) -> list[tuple[str, str, int]]:
        choices = [("not_started", "не начат"), *ReportStatus.choices]
        return [(value, label, self.counts.get(value, 0)) for value, label in choices]

    @property
    def late_count(self) -> int:
        return self.counts.get("late", 0)


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
) -> SchoolRows:
    """Participating schools of a municipality with their report state, lateness and warnings."""
    qs = School.objects.filter(school_q(user), campaigns=campaign, municipality=municipality)
    search = " ".join(search.split())
    if search:
        qs = qs.filter(Q(short_name__icontains=search) | Q(full_name__icontains=search))
    # Natural order («№ 4» before «№ 38») on the fetched list: no extra query.
    schools = sorted(qs, key=lambda s: natural_key(s.short_name))
    reports = {
        r.school_id: r
        for r in SchoolReport.objects.filter(campaign=campaign, school__in=schools)
        .select_related("system", "updated_by")
        .prefetch_related(Prefetch("branch_rows", queryset=ReportBranch.objects.select_related("system")))
    }
    now = now or timezone.now()
    comparisons = Comparisons(campaign, [s.pk for s in schools])
    rows = []
    for school in schools:
        report = reports.get(school.pk)
        warnings = 0
        if report is not None:
            result = check_saved_report(report, comparison=comparisons.for_school(school.pk))
            warnings = len(result.warnings)
        rows.append(SchoolRow(school, report, is_late(campaign, report, now), warnings))
    counts: dict[str, int] = {"late": sum(1 for r in rows if r.late), "total": len(rows)}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    if status == "late":
        rows = [r for r in rows if r.late]
    elif status:
        rows = [r for r in rows if r.status == status]
    key = sort.lstrip("-")
    keys = {
        "name": lambda r: natural_key(r.school.short_name),
        "status": lambda r: r.status,
        "updated": lambda r: r.report.updated_at.timestamp() if r.report else 0,
        "warnings": lambda r: r.warnings,
    }
    if key in keys:
        rows.sort(key=keys[key], reverse=sort.startswith("-"))
    school_rows = SchoolRows(rows)
    school_rows.counts = counts
    return school_rows
