"""Reads of the introduction programmes through the user's scope: a coordinator sees only their own
school's entry (readiness, reports, register), a specialist their municipality, methodists all.
Objects outside the scope are «not found» (404)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from accounts.access import get_in_scope_or_404, municipality_q, school_q
from accounts.models import User
from core.models import ReportStatus

from .models import (
    Indicator,
    ParentApplication,
    Programme,
    ProgrammeSchool,
    ProgressReport,
    ProgressReportLog,
    ReadinessMark,
    ReportingDate,
    Stage,
    Target,
)
from .reference import CONDITIONS, ConditionGroup, Phase

DEFAULT_INDICATORS = (Indicator.PARENTS_ACTIVATED, Indicator.TEACHERS_WORKING)


def programme_list(*, user: User) -> QuerySet[Programme]:
    """Methodists: all; a specialist: their municipality's; a coordinator: those their school is in."""
    qs = Programme.objects.select_related("municipality").annotate(
        n_schools=Count("participants", distinct=True)
    )
    if user.is_coordinator:
        if not user.school_id:
            return qs.none()
        return qs.filter(
            pk__in=ProgrammeSchool.objects.filter(school_id=user.school_id).values("programme_id")
        )
    return qs.filter(municipality_q(user, "municipality"))


def programme_get(*, user: User, pk) -> Programme:
    return get_in_scope_or_404(programme_list(user=user), pk=pk)


def stage_get(*, user: User, pk) -> Stage:
    qs = Stage.objects.filter(programme__in=programme_list(user=user)).select_related(
        "programme__municipality"
    )
    return get_in_scope_or_404(qs, pk=pk)


def stages(programme: Programme) -> list[Stage]:
    """The programme's stages by phase (preparatory, main, functioning), then in their order."""
    order = {code: index for index, (code, _label) in enumerate(Phase.CHOICES)}
    return sorted(programme.stages.all(), key=lambda s: (order.get(s.phase, 99), s.position, s.pk))


def participants(*, user: User, programme: Programme) -> QuerySet[ProgrammeSchool]:
    return (
        ProgrammeSchool.objects.filter(school_q(user, "school"), programme=programme)
        .select_related("school", "system", "programme__municipality")
        .order_by("school__short_name")
    )


def participant_get(*, user: User, pk) -> ProgrammeSchool:
    qs = ProgrammeSchool.objects.filter(school_q(user, "school")).select_related(
        "school", "system", "programme__municipality"
    )
    return get_in_scope_or_404(qs, pk=pk)


def my_participation(*, user: User) -> QuerySet[ProgrammeSchool]:
    if not (user.is_coordinator and user.school_id):
        return ProgrammeSchool.objects.none()
    return ProgrammeSchool.objects.filter(school_id=user.school_id).select_related("programme", "school")


def reporting_dates(programme: Programme) -> list[ReportingDate]:
    return list(programme.reporting_dates.order_by("on_date"))


def report_get(*, user: User, pk) -> ProgressReport:
    qs = ProgressReport.objects.filter(school_q(user, "participant__school")).select_related(
        "participant__school",
        "participant__programme__municipality",
        "reporting_date",
        "system",
        "updated_by",
    )
    return get_in_scope_or_404(qs, pk=pk)


def report_log(*, report: ProgressReport) -> QuerySet[ProgressReportLog]:
    return report.log.select_related("actor").order_by("created_at", "pk")


def reports_of_participant(*, participant: ProgrammeSchool) -> dict[int, ProgressReport]:
    """The school's reports by reporting date id."""
    return {r.reporting_date_id: r for r in participant.reports.all()}


def report_grid(*, user: User, programme: Programme) -> tuple[list, list[ReportingDate], dict]:
    """Schools × reporting dates: each report's state (two queries)."""
    entries = list(participants(user=user, programme=programme))
    dates = reporting_dates(programme)
    reports = {
        (r.participant_id, r.reporting_date_id): r
        for r in ProgressReport.objects.filter(participant__in=entries).only(
            "pk", "status", "participant_id", "reporting_date_id"
        )
    }
    return entries, dates, reports


def applications(*, participant: ProgrammeSchool) -> QuerySet[ParentApplication]:
    return participant.applications.order_by("reg_date", "pk")


# --- Readiness (Appendix 2) ------------------------------------------------------------------------


def readiness_of(participant: ProgrammeSchool) -> dict[str, ReadinessMark]:
    return {m.condition: m for m in participant.readiness.all()}


def readiness_groups() -> list[tuple[str, str, list]]:
    """The conditions grouped as the order lists them: (group, label, conditions)."""
    groups = []
    for code, label in ConditionGroup.LABELS.items():
        groups.append((code, label, [c for c in CONDITIONS if c.group == code]))
    return groups


def readiness_matrix(*, user: User, programme: Programme) -> tuple[list[ProgrammeSchool], dict]:
    """Schools × conditions: {(participant_id, condition): mark} (two queries)."""
    entries = list(participants(user=user, programme=programme))
    marks = {
        (m.participant_id, m.condition): m for m in ReadinessMark.objects.filter(participant__in=entries)
    }
    return entries, marks


# --- Progress against the dated targets -----------------------------------------------------------


@dataclass
class Cell:
    indicator: str
    value: int | None
    target: Target | None  # the target due by the as-of date (the latest one), or None
    next_target: Target | None  # the next one, for reference

    @property
    def behind(self) -> bool:
        return self.target is not None and (self.value is None or self.value < self.target.min_percent)


@dataclass
class ProgressRow:
    participant: ProgrammeSchool
    report: ProgressReport | None  # the latest accepted report on or before the as-of date
    cells: list[Cell] = field(default_factory=list)

    @property
    def behind(self) -> bool:
        return any(cell.behind for cell in self.cells)


@dataclass
class ProgressTable:
    programme: Programme
    as_of: datetime.date
    indicators: list[tuple[str, str]]
    rows: list[ProgressRow]
    total: list[Cell]

    @property
    def behind(self) -> list[ProgressRow]:
        return [row for row in self.rows if row.behind]


def _targets_by_indicator(targets) -> dict[str, list[Target]]:
    grouped: dict[str, list[Target]] = defaultdict(list)
    for target in sorted(targets, key=lambda t: t.due_on):
        grouped[target.indicator].append(target)
    return grouped


def _cell(indicator: str, value, targets: list[Target], as_of: datetime.date) -> Cell:
    due = [t for t in targets if t.due_on <= as_of]
    upcoming = [t for t in targets if t.due_on > as_of]
    return Cell(indicator, value, due[-1] if due else None, upcoming[0] if upcoming else None)


def _indicators(targets) -> list[tuple[str, str]]:
    present = {t.indicator for t in targets}
    chosen = [i for i in Indicator if i in present] or list(DEFAULT_INDICATORS)
    return [(i.value, i.label) for i in chosen]


def latest_accepted(participant_ids, as_of: datetime.date) -> dict[int, ProgressReport]:
    """Each school's latest accepted report with a reporting date on or before ``as_of`` (one query)."""
    latest: dict[int, ProgressReport] = {}
    for report in (
        ProgressReport.objects.filter(
            participant_id__in=list(participant_ids),
            status=ReportStatus.APPROVED,
            reporting_date__on_date__lte=as_of,
        )
        .select_related("reporting_date")
        .order_by("participant_id", "reporting_date__on_date")
    ):
        latest[report.participant_id] = report
    return latest


def progress_table(*, user: User, programme: Programme, as_of: datetime.date) -> ProgressTable:
    """Per school and for the municipality: the latest accepted values against the targets due by
    ``as_of``; a school is behind when a value is below the «от» of its due target (or missing)."""
    entries = list(participants(user=user, programme=programme))
    targets = list(programme.targets.all())
    by_indicator = _targets_by_indicator(targets)
    indicators = _indicators(targets)
    latest = latest_accepted([e.pk for e in entries], as_of)
    rows = []
    for entry in entries:
        report = latest.get(entry.pk)
        cells = [
            _cell(code, getattr(report, code) if report else None, by_indicator.get(code, []), as_of)
            for code, _label in indicators
        ]
        rows.append(ProgressRow(participant=entry, report=report, cells=cells))
    total = []
    for i, (code, _label) in enumerate(indicators):
        values = [v for v in (row.cells[i].value for row in rows) if v is not None]
        mean = round(sum(values) / len(values)) if values else None
        total.append(_cell(code, mean, by_indicator.get(code, []), as_of))
    return ProgressTable(programme=programme, as_of=as_of, indicators=indicators, rows=rows, total=total)


@dataclass
class SummaryRow:
    programme: Programme
    schools: int
    dates: list[ReportingDate]
    last_date: ReportingDate | None
    states: dict[str, int]  # reports on the last passed date by state
    missing: int  # schools without a submitted or accepted report on the last passed date
    behind: int  # schools behind their targets
    parents_activated: int | None  # mean of the latest accepted values


def region_summary(*, user: User, as_of: datetime.date) -> list[SummaryRow]:
    """Each programme in scope: schools, reports on the last passed date by state, who is behind.
    A fixed number of queries for any number of programmes."""
    programmes = list(
        programme_list(user=user)
        .prefetch_related(
            Prefetch("reporting_dates", queryset=ReportingDate.objects.order_by("on_date")),
            "targets",
        )
        .order_by("municipality__sort_order", "-order_date")
    )
    entries = list(
        ProgrammeSchool.objects.filter(programme__in=programmes).only("pk", "programme_id", "school_id")
    )
    by_programme: dict[int, list[ProgrammeSchool]] = defaultdict(list)
    for entry in entries:
        by_programme[entry.programme_id].append(entry)
    latest = latest_accepted([e.pk for e in entries], as_of)
    last_dates = {}
    for programme in programmes:
        passed = [d for d in programme.reporting_dates.all() if d.on_date <= as_of]
        last_dates[programme.pk] = passed[-1] if passed else None
    states: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for report in ProgressReport.objects.filter(
        reporting_date__in=[d for d in last_dates.values() if d is not None]
    ).only("status", "reporting_date_id", "participant_id"):
        states[report.reporting_date_id][report.status] += 1
    rows = []
    for programme in programmes:
        mine = by_programme[programme.pk]
        by_indicator = _targets_by_indicator(programme.targets.all())
        indicators = [code for code, _ in _indicators(programme.targets.all())]
        behind = 0
        activated = []
        for entry in mine:
            latest_report = latest.get(entry.pk)
            if any(
                _cell(
                    code,
                    getattr(latest_report, code) if latest_report else None,
                    by_indicator.get(code, []),
                    as_of,
                ).behind
                for code in indicators
            ):
                behind += 1
            if latest_report is not None and latest_report.parents_activated_pct is not None:
                activated.append(latest_report.parents_activated_pct)
        last = last_dates[programme.pk]
        counted = dict(states[last.pk]) if last else {}
        done = counted.get(ReportStatus.SUBMITTED, 0) + counted.get(ReportStatus.APPROVED, 0)
        rows.append(
            SummaryRow(
                programme=programme,
                schools=len(mine),
                dates=list(programme.reporting_dates.all()),
                last_date=last,
                states=counted,
                missing=len(mine) - done if last else 0,
                behind=behind,
                parents_activated=round(sum(activated) / len(activated)) if activated else None,
            )
        )
    return rows


# --- Late reports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LateReport:
    participant: ProgrammeSchool
    reporting_date: ReportingDate


def late_reports(*, today: datetime.date, since: datetime.date) -> list[LateReport]:
    """Schools whose report on a passed date (after ``since``) is not submitted or accepted."""
    dates = list(
        ReportingDate.objects.filter(on_date__lt=today, on_date__gte=since).select_related("programme")
    )
    if not dates:
        return []
    done = set(
        ProgressReport.objects.filter(
            reporting_date__in=dates, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]
        ).values_list("participant_id", "reporting_date_id")
    )
    entries: dict[int, list[ProgrammeSchool]] = defaultdict(list)
    for entry in ProgrammeSchool.objects.filter(programme__in={d.programme_id for d in dates}).select_related(
        "school", "programme"
    ):
        entries[entry.programme_id].append(entry)
    return [
        LateReport(entry, date)
        for date in dates
        for entry in entries[date.programme_id]
        if (entry.pk, date.pk) not in done
    ]
