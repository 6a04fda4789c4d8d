"""Server-side SVG of the «план и факт» page: the stages on a timeline and each indicator's target
against its actual per year. Plain markup with presentation attributes (no scripts, no styles the
content security policy would block); every text is escaped."""

import datetime
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from projects.models import IndicatorUnit, StageState

from .plan_fact import NO_DATA, IndicatorPlan, PlanFact, format_value

STATE_COLOURS = {
    StageState.PLANNED: "#adb5bd",
    StageState.IN_PROGRESS: "#0d6efd",
    StageState.DONE: "#198754",
    StageState.LATE: "#dc3545",
}
TARGET_COLOUR = "#ced4da"
MET_COLOUR = "#198754"
BEHIND_COLOUR = "#dc3545"
NEUTRAL_COLOUR = "#0d6efd"


def _svg(width: int, height: int, label: str, parts: Sequence[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every part is built with format_html / escape
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(label)}" class="plan-chart">' + "".join(parts) + "</svg>"
    )


# --- the timeline -----------------------------------------------------------------------------------

TIMELINE_WIDTH = 960
LABEL_WIDTH = 70
ROW = 26
AXIS = 28


def _bounds(plan: PlanFact) -> tuple[int, int]:
    first = min([plan.project.period_start, *(s.stage.starts_on.year for s in plan.stages)])
    last = max([plan.project.period_end, *(s.stage.ends_on.year for s in plan.stages)])
    return first, last


def today_on_timeline(plan: PlanFact) -> bool:
    first, last = _bounds(plan)
    return bool(plan.stages) and first <= plan.today.year <= last


def timeline(plan: PlanFact) -> SafeString | None:
    """The stages as bars between their dates over the project's years, coloured by state, with
    today's line."""
    if not plan.stages:
        return None
    first_year, last_year = _bounds(plan)
    start, end = datetime.date(first_year, 1, 1), datetime.date(last_year + 1, 1, 1)
    span = (end - start).days
    plot = TIMELINE_WIDTH - LABEL_WIDTH - 10

    def x(date: datetime.date) -> float:
        return LABEL_WIDTH + plot * (date - start).days / span

    height = AXIS + ROW * len(plan.stages) + 6
    parts = []
    for year in range(first_year, last_year + 2):
        xx = x(datetime.date(year, 1, 1))
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dee2e6"/>',
                f"{xx:.1f}",
                AXIS - 6,
                f"{xx:.1f}",
                height,
            )
        )
        if year <= last_year:
            parts.append(
                format_html(
                    '<text x="{}" y="16" font-size="12" fill="#495057">{}</text>', f"{xx + 4:.1f}", year
                )
            )
    for i, row in enumerate(plan.stages):
        y = AXIS + i * ROW
        stage = row.stage
        x1, x2 = x(stage.starts_on), x(stage.ends_on + datetime.timedelta(days=1))
        parts.append(
            format_html(
                '<text x="4" y="{}" font-size="12" fill="#212529">Этап {}</text>', y + 15, stage.number
            )
        )
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}" data-state="{}">'
                "<title>{}. {} ({} – {}): {}</title></rect>",
                f"{x1:.1f}",
                y + 3,
                f"{max(x2 - x1, 2):.1f}",
                ROW - 8,
                STATE_COLOURS[row.state],
                row.state.value,
                stage.number,
                stage.title,
                stage.starts_on.strftime("%d.%m.%Y"),
                stage.ends_on.strftime("%d.%m.%Y"),
                row.state.label,
            )
        )
    if start <= plan.today < end:
        xx = x(plan.today)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#212529" stroke-dasharray="4 3">'
                "<title>Сегодня, {}</title></line>",
                f"{xx:.1f}",
                AXIS - 8,
                f"{xx:.1f}",
                height,
                plan.today.strftime("%d.%m.%Y"),
            )
        )
    return _svg(TIMELINE_WIDTH, height, "Этапы проекта на шкале времени", parts)


# --- target against actual per year ------------------------------------------------------------------

CHART_HEIGHT = 170
BAR = 16
GROUP = 64
TOP = 18
BOTTOM = 22


def indicator_chart(row: IndicatorPlan) -> SafeString:
    """Two bars per year: the target (grey) and the actual (green when met, red when behind, blue
    without a target); «н/д» where the portal has no data."""
    unit = row.indicator.unit
    values = [float(c.target) for c in row.cells if c.target is not None]
    values += [c.actual.value for c in row.cells if c.actual.value is not None]
    top = 100.0 if unit == IndicatorUnit.PERCENT else max(values, default=0) or 1.0
    top = max(top, max(values, default=0))
    plot = CHART_HEIGHT - TOP - BOTTOM
    width = 20 + GROUP * len(row.cells)
    base = TOP + plot

    def h(value: float) -> float:
        return plot * value / top

    parts = [format_html('<line x1="10" y1="{}" x2="{}" y2="{}" stroke="#adb5bd"/>', base, width - 6, base)]
    for i, cell in enumerate(row.cells):
        x = 16 + GROUP * i
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#495057">{}</text>',
                x + BAR,
                CHART_HEIGHT - 6,
                cell.year,
            )
        )
        if cell.target is not None:
            t = float(cell.target)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#868e96" data-kind="target">'
                    "<title>План на {}: {}</title></rect>",
                    x,
                    f"{base - h(t):.1f}",
                    BAR,
                    f"{h(t):.1f}",
                    TARGET_COLOUR,
                    cell.year,
                    format_value(t, unit),
                )
            )
        ax = x + BAR + 2
        if cell.actual.value is None:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#868e96">н/д'
                    "<title>Факт за {}: {}</title></text>",
                    ax + BAR / 2,
                    base - 4,
                    cell.year,
                    NO_DATA,
                )
            )
            continue
        a = cell.actual.value
        colour = BEHIND_COLOUR if cell.behind else MET_COLOUR if cell.met else NEUTRAL_COLOUR
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" data-kind="actual">'
                "<title>Факт за {}: {}</title></rect>",
                ax,
                f"{base - h(a):.1f}",
                BAR,
                f"{max(h(a), 1):.1f}",
                colour,
                cell.year,
                format_value(a, unit),
            )
        )
    return _svg(width, CHART_HEIGHT, f"{row.indicator.name}: план и факт по годам", parts)
