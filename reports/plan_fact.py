"""«План и факт» of the regional project: its stages with their state, its indicators with the
target and the actual value per year, and what is behind.

The plan lives in ``projects``; the actual values the portal already knows are computed here,
because one of them comes from the monitoring (which ``projects`` may not import):

* the share of organisations using an EDMS — from the year's campaign, by the very functions of
  the analytic справка (:func:`reports.analytics.counted_reports` and
  :func:`reports.analytics.headline`), so the two figures are equal;
* the size of the pilot network, the share of pilot sites that reported on their assignment, the
  number of events and of their participants — from the registry and the events of ``projects``.

A year the portal has no data for gives None («нет данных»), never 0. The number of queries does
not depend on the number of stages, indicators, sites, reports or events (one query per campaign
year at most, and the years are the project's period).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from core import russian as ru
from monitoring.models import Campaign
from projects import analytics as project_analytics
from projects import selectors as project_selectors
from projects.models import ComputedKey, IndicatorUnit, PlanIndicator, Project, ProjectStage, StageState

from . import analytics

NO_DATA = "нет данных"


@dataclass
class Actual:
    value: float | None
    note: str = ""  # where the value comes from: the source note or how it was computed


@dataclass
class YearCell:
    year: int
    target: Decimal | None
    actual: Actual
    is_past_or_current: bool
    unit: str = ""

    @property
    def target_text(self) -> str:
        return format_value(self.target, self.unit) if self.target is not None else "—"

    @property
    def actual_text(self) -> str:
        return format_value(self.actual.value, self.unit)

    @property
    def has_actual(self) -> bool:
        return self.actual.value is not None

    @property
    def behind(self) -> bool:
        """The actual is below the target in a year that has begun (compared as they are shown)."""
        return (
            self.is_past_or_current
            and self.target is not None
            and self.actual.value is not None
            and round(self.actual.value, 1) < round(float(self.target), 1)
        )

    @property
    def met(self) -> bool:
        return self.target is not None and self.actual.value is not None and not self.behind


@dataclass
class IndicatorPlan:
    indicator: PlanIndicator
    cells: list[YearCell]
    expected_results: list[str] = field(default_factory=list)

    def cell(self, year: int) -> YearCell | None:
        return next((c for c in self.cells if c.year == year), None)


@dataclass
class StagePlan:
    stage: ProjectStage
    state: StageState


@dataclass
class PlanFact:
    project: Project
    today: datetime.date
    years: list[int]
    stages: list[StagePlan]
    indicators: list[IndicatorPlan]

    @property
    def is_empty(self) -> bool:
        """No stages and no targets yet: nothing can be behind."""
        return not self.stages and not any(c.target is not None for row in self.indicators for c in row.cells)

    @property
    def late_stages(self) -> list[StagePlan]:
        return [s for s in self.stages if s.state == StageState.LATE]

    @property
    def behind(self) -> list[tuple[IndicatorPlan, YearCell]]:
        return [(row, cell) for row in self.indicators for cell in row.cells if cell.behind]


# --- formatting -------------------------------------------------------------------------------------


def format_value(value, unit: str) -> str:
    """«45,0%», «1 234 чел.», «нет данных»."""
    if value is None:
        return NO_DATA
    if unit == IndicatorUnit.PERCENT:
        return ru.pct(float(value))
    number = float(value)
    text = ru.num(number) if number == int(number) else ru.dec(number, 2)
    return f"{text} {unit}"


# --- computed actuals -------------------------------------------------------------------------------


def _campaigns_by_year(years: list[int]) -> dict[int, Campaign]:
    """The campaign of each year: the latest (by its date «по состоянию на») that has started (one query)."""
    found: dict[int, Campaign] = {}
    for campaign in (
        Campaign.objects.exclude(status=Campaign.Status.PREPARING)
        .filter(as_of__year__in=years)
        .order_by("as_of", "pk")
    ):
        found[campaign.as_of.year] = campaign
    return found


def edms_share(campaign: Campaign, *, include_unapproved: bool = False) -> Actual:
    """The справка's «доля организаций, использующих СЭД» of the campaign, region-wide."""
    head = analytics.headline(analytics.counted_reports(campaign, None, include_unapproved))
    basis = analytics.basis_of(include_unapproved)
    if head["orgs_using_edms_pct"] is None:
        return Actual(None, f"{campaign.title}: отчётов, учтённых {basis.label}, нет")
    return Actual(
        head["orgs_using_edms_pct"],
        f"{campaign.title}, {basis.label}: {ru.num(head['orgs_using_edms'])} из "
        f"{ru.orgs_genitive(head['orgs_total'])}",
    )


def _year_end(year: int, today: datetime.date) -> datetime.date:
    return min(datetime.date(year, 12, 31), today)


def computed_actuals(
    project: Project,
    years: list[int],
    *,
    today: datetime.date,
    include_unapproved: bool = False,
    campaigns: dict[int, Campaign] | None = None,
) -> dict[str, dict[int, Actual]]:
    """``{computed key: {year: Actual}}``; years after ``today`` have no data. ``campaigns``
    replaces the campaign of a year (the справка quotes its own)."""
    started = [y for y in years if y <= today.year]
    result: dict[str, dict[int, Actual]] = {
        key: {y: Actual(None) for y in years} for key in ComputedKey.values
    }

    by_year = _campaigns_by_year(started) if campaigns is None else {}
    by_year.update({y: c for y, c in (campaigns or {}).items() if y in started})
    for year, campaign in by_year.items():
        result[ComputedKey.EDMS_SHARE][year] = edms_share(campaign, include_unapproved=include_unapproved)

    first = project_analytics.network_first_joined(project)
    network_dates = {y: _year_end(y, today) for y in started if first and first <= _year_end(y, today)}
    for year, size in project_analytics.network_sizes(project, network_dates).items():
        result[ComputedKey.PILOT_NETWORK][year] = Actual(
            size, f"Реестр ПВП на {network_dates[year]:%d.%m.%Y}"
        )

    academic = {y: f"{y - 1}-{y}" for y in started}
    reports = project_analytics.assignment_reports_by_year(project, list(academic.values()))
    ends = {y: min(datetime.date(y, 8, 31), today) for y in started}
    sizes = project_analytics.network_sizes(project, ends)
    for year, academic_year in academic.items():
        counts = reports[academic_year]
        if counts["all"] and sizes[year]:
            result[ComputedKey.ASSIGNMENT_REPORTED][year] = Actual(
                counts["counted"] * 100 / sizes[year],
                f"Отчёты за {academic_year} уч. год (на проверке и принятые): {ru.num(counts['counted'])} "
                f"из {ru.agree(sizes[year], 'ПВП', 'gent')} на {ends[year]:%d.%m.%Y}",
            )

    if started:
        for year, row in project_analytics.events_by_year(project, min(started), max(started)).items():
            note = f"Реестр мероприятий проекта за {year} год"
            result[ComputedKey.EVENTS][year] = Actual(row["events"], note)
            if row["participants"]:  # events without participant counts: not known, not 0
                result[ComputedKey.EVENT_PARTICIPANTS][year] = Actual(row["participants"], note)
    return result


# --- the plan and the fact ------------------------------------------------------------------------------


def plan_fact(
    project: Project,
    *,
    today: datetime.date | None = None,
    years: list[int] | None = None,
    include_unapproved: bool = False,
    campaigns: dict[int, Campaign] | None = None,
) -> PlanFact:
    """Stages with their state on ``today`` and indicators with targets and actuals per year."""
    today = today or timezone.localdate()
    years = years or list(range(project.period_start, project.period_end + 1))
    stages = [StagePlan(s, s.state_on(today)) for s in project_selectors.plan_stages(project=project)]
    indicators = list(project_selectors.plan_indicators(project=project))
    computed = computed_actuals(
        project, years, today=today, include_unapproved=include_unapproved, campaigns=campaigns
    )
    rows = []
    for indicator in indicators:
        targets = {t.year: t.value for t in indicator.targets.all()}
        if indicator.is_computed:
            actuals = computed[indicator.computed_key]
        else:
            actuals = {a.year: Actual(float(a.value), a.source_note) for a in indicator.actuals.all()}
        cells = [
            YearCell(
                year, targets.get(year), actuals.get(year) or Actual(None), year <= today.year, indicator.unit
            )
            for year in years
        ]
        rows.append(
            IndicatorPlan(indicator, cells, [r.text.rstrip(" ;") for r in indicator.expected_results.all()])
        )
    return PlanFact(project, today, years, stages, rows)


# --- the справка's section ----------------------------------------------------------------------------


def report_figures(
    campaign: Campaign, *, include_unapproved: bool, today: datetime.date | None = None
) -> dict | None:
    """The plan of the report's project for the campaign's year, as plain data for the справка:
    the indicators with a target that year (their actual computed on the справка's own basis and
    campaign) and the stages late on ``today``. None when there is nothing to quote."""
    project = analytics.report_project()
    if project is None:
        return None
    today = today or timezone.localdate()
    year = campaign.as_of.year
    if not project.period_start <= year <= project.period_end:
        return None
    plan = plan_fact(
        project, today=today, years=[year], include_unapproved=include_unapproved, campaigns={year: campaign}
    )
    indicators = []
    for row in plan.indicators:
        cell = row.cells[0]
        if cell.target is None:
            continue
        indicators.append(
            {
                "number": row.indicator.number,
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "target": float(cell.target),
                "actual": cell.actual.value,
                "note": cell.actual.note,
                "behind": cell.behind,
            }
        )
    late = [
        {"number": s.stage.number, "title": s.stage.title, "ends_on": s.stage.ends_on.isoformat()}
        for s in plan.late_stages
    ]
    if not indicators and not late:
        return None
    return {"year": year, "as_of": today.isoformat(), "indicators": indicators, "late_stages": late}
