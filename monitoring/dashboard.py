"""Completeness of a campaign: per municipality for the region, per school for a municipality.

All counts come from aggregate queries, so the number of queries does not depend on the number
of schools.
"""

import copy
import datetime
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.core.cache import cache
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
    children: list = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:
            lookup, value = cast(tuple[str, object], child)
            children.append((prefix + lookup, value))
    result.children = children
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
    """The rows shown, with the number of schools in each report state before the filter.

    ``complete``: no search narrowed the list, so the counts and ``without_approved`` cover every
    participating school of the municipality."""

    counts: dict
    complete: bool = False
    without_approved: "list[SchoolItem]"

    def municipality_counts(self) -> dict:
        """The figures of the municipality's confirmation texts (see ``confirmations``)."""
        schools, approved = self.counts.get("total", 0), self.counts.get("approved", 0)
        return {
            "schools": schools,
            "total": schools - self.counts.get("not_started", 0),
            "submitted": self.counts.get("submitted", 0),
            "approved": approved,
            "not_approved": schools - approved,
        }

    @property
    def status_summary(self) -> list[tuple[str, str, int]]:
        choices = [("not_started", "не начат"), *ReportStatus.choices]
        return [(value, label, self.counts.get(value, 0)) for value, label in choices]

    @property
    def late_count(self) -> int:
        return self.counts.get("late", 0)


@dataclass(frozen=True, slots=True)
class SchoolItem:
    """What the table shows of a school."""

    pk: int
    short_name: str


@dataclass(frozen=True, slots=True)
class ReportItem:
    """What the table shows of a report: its state and when it was changed and submitted."""

    pk: int
    status: str
    updated_at: datetime.datetime
    submitted_at: datetime.datetime | None

    def get_status_display(self) -> str:
        return str(ReportStatus(self.status).label)


@dataclass
class SchoolRow:
    school: SchoolItem
    report: ReportItem | None
    late: bool
    warnings: int

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"


# The warnings of a municipality's reports are kept in one cache entry per campaign and
# municipality: report id → (digest, count). The digest names everything the warnings are computed
# from: the report's version and time of change, last year's report likewise, the pilot-site
# registry's answer and the vendor's figures. A report whose digest differs is checked again, so
# nothing is invalidated by hand.
WARNINGS_CACHE_SECONDS = 6 * 3600
WARNINGS_KEY = "monitoring:warnings:v1:{campaign}:{municipality}"


def _digests(reports: Sequence[Mapping], previous: Mapping[int, tuple], comparisons: Comparisons) -> dict:
    """``previous``: school id → (id, version, time of change) of its report last year."""
    digests = {}
    for report in reports:
        school_id = report["school_id"]
        parts = (
            report["version"],
            report["updated_at"].isoformat(),
            previous.get(school_id),
            comparisons.registry_answer(school_id),
            comparisons.vendor_for(school_id),
        )
        digests[report["pk"]] = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return digests


def _warnings(
    campaign: Campaign, municipality: Municipality, reports: Sequence[Mapping], previous: Mapping[int, tuple]
) -> dict:
    """The number of warnings of each report (by id): from the cache, or checked now (in a few
    queries for all the reports missing from it) and kept there."""
    if not reports:
        return {}
    comparisons = Comparisons(campaign, [r["school_id"] for r in reports], previous=False, one_query=True)
    digests = _digests(reports, previous, comparisons)
    key = WARNINGS_KEY.format(campaign=campaign.pk, municipality=municipality.pk)
    kept: dict[int, tuple[str, int]] = cache.get(key) or {}
    counts = {}
    for pk, digest in digests.items():
        entry = kept.get(pk)
        if entry is not None and entry[0] == digest:
            counts[pk] = entry[1]
    missing = [pk for pk in digests if pk not in counts]
    if missing:
        full = (
            SchoolReport.objects.filter(pk__in=missing)
            .order_by()
            .select_related("system")
            .prefetch_related(Prefetch("branch_rows", queryset=ReportBranch.objects.select_related("system")))
        )
        wanted = set(missing)
        comparisons.read_previous([r["school_id"] for r in reports if r["pk"] in wanted])
        for report in full:
            result = check_saved_report(report, comparison=comparisons.for_school(report.school_id))
            counts[report.pk] = len(result.warnings)
        cache.set(
            key,
            {**kept, **{pk: (digests[pk], counts[pk]) for pk in missing if pk in counts}},
            WARNINGS_CACHE_SECONDS,
        )
    return counts


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
    """Participating schools of a municipality with their report state, lateness and warnings.

    The same few queries at any number of schools (plus a few more when warnings are not cached)."""
    qs = School.objects.filter(school_q(user), campaigns=campaign, municipality=municipality)
    search = " ".join(search.split())
    if search:
        qs = qs.filter(Q(short_name__icontains=search) | Q(full_name__icontains=search))
    # Natural order («№ 4» before «№ 38») on the fetched list: no extra query.
    schools = sorted(
        (SchoolItem(pk, name) for pk, name in qs.values_list("pk", "short_name")),
        key=lambda s: natural_key(s.short_name),
    )
    # This year's reports and last year's (what their warnings are compared with) in one query.
    campaign_ids = [campaign.pk, *([campaign.previous_id] if campaign.previous_id else [])]
    reports: list[Mapping] = []
    previous: dict[int, tuple] = {}
    # (No ordering: the model's default one would join the schools and municipalities for it.)
    school_ids = [s.pk for s in schools]
    for item in (
        SchoolReport.objects.filter(campaign_id__in=campaign_ids, school_id__in=school_ids)
        .order_by()
        .values("pk", "campaign_id", "school_id", "status", "version", "updated_at", "submitted_at")
    ):
        if item["campaign_id"] == campaign.pk:
            reports.append(item)
        else:
            previous[item["school_id"]] = (item["pk"], item["version"], item["updated_at"])
    warnings = _warnings(campaign, municipality, reports, previous)
    by_school_id = {
        r["school_id"]: ReportItem(r["pk"], r["status"], r["updated_at"], r["submitted_at"]) for r in reports
    }
    now = now or timezone.now()
    rows = []
    for school in schools:
        report = by_school_id.get(school.pk)
        late = is_late(campaign, report, now)
        rows.append(SchoolRow(school, report, late, warnings.get(report.pk, 0) if report else 0))
    counts: dict[str, int] = {"late": sum(1 for r in rows if r.late), "total": len(rows)}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    every = list(rows)  # in natural order, before the filter and the sort
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
    school_rows.complete = not search
    school_rows.without_approved = [r.school for r in every if r.status != ReportStatus.APPROVED]
    return school_rows
