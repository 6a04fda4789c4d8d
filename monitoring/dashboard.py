"""Completeness of a campaign: per municipality for the region, per school for a municipality.

All counts come from aggregate queries, so the number of queries does not depend on the number
of schools.
"""

import copy
from dataclasses import dataclass, field

from django.db.models import Count, FilteredRelation, Prefetch, Q
from django.utils import timezone

from accounts.access import municipality_q, school_q
from core.text import natural_key
from schools.models import Municipality, School

from .basis import Basis, basis_statuses
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


def _region_counts(*, user, campaign: Campaign, municipalities, now=None):
    """Per municipality, in one query: participants expected, reports by state, on time and late.

    Each participating school in the user's scope is one row (its report in the campaign, if any,
    joined on), so a school counts once. «принято» and «на проверке» count the states of the bases
    (:mod:`monitoring.basis`) the way ``reports_on_basis`` does, so they agree with the export."""
    accepted = basis_statuses(Basis.ACCEPTED)
    wider = basis_statuses(Basis.SUBMITTED)

    def count(condition: Q) -> Count:
        return Count("report", filter=condition)

    def prefixed(q: Q) -> Q:
        return _prefixed(q, "report__")

    return (
        School.objects.filter(school_q(user), campaigns=campaign, municipality__in=municipalities)
        .annotate(report=FilteredRelation("reports", condition=Q(reports__campaign=campaign)))
        .values("municipality_id")
        .annotate(
            expected=Count("pk"),
            draft=count(Q(report__status=ReportStatus.DRAFT)),
            returned=count(Q(report__status=ReportStatus.RETURNED)),
            approved=count(Q(report__status__in=accepted)),
            wider=count(Q(report__status__in=wider)),
            on_time=count(prefixed(on_time_q(campaign))),
            late=count(prefixed(late_q(campaign, now))),
        )
        .order_by()
    )


def _prefixed(q: Q, prefix: str) -> Q:
    """The same condition on a related model reached by ``prefix``."""
    result = copy.copy(q)
    result.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in q.children
    ]
    return result


def by_municipality(
    *, user, campaign: Campaign, kind: str = "", state: str = "", sort: str = "", now=None
) -> Completeness:
    """Every municipality in scope with the campaign's completeness; four queries at any size."""
    municipalities = Municipality.objects.filter(municipality_q(user))
    if kind:
        municipalities = municipalities.filter(kind=kind)
    rows = {
        pk: Row(pk, name, kind=mkind)
        for pk, name, mkind in municipalities.order_by("sort_order").values_list("pk", "name", "kind")
    }
    counts = _region_counts(user=user, campaign=campaign, municipalities=municipalities.values("pk"), now=now)
    passed = deadline_passed(campaign, now)
    for item in counts:
        row = rows.get(item["municipality_id"])
        if row is None:
            continue
        row.expected = item["expected"]
        row.draft = item["draft"]
        row.returned = item["returned"]
        row.approved = item["approved"]
        row.submitted = item["wider"] - item["approved"]
        row.on_time = item["on_time"]
        row.late = item["late"]
        if passed:  # schools that have not started are late too
            row.late += row.not_started
    states = MunicipalityReview.objects.filter(
        campaign=campaign, municipality__in=municipalities.values("pk")
    ).values_list("municipality_id", "state")
    for municipality_id, review_state in states:
        if municipality_id in rows:
            rows[municipality_id].state = review_state
    listed = [r for r in rows.values() if r.expected]
    state_counts: dict[str, int] = {}
    for row in listed:
        state_counts[row.state] = state_counts.get(row.state, 0) + 1
    result = [r for r in listed if not state or r.state == state]
    result = _sorted(result, sort)
    return Completeness(result, _total(result), state_counts)


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
