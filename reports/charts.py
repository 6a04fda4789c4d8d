"""Charts of the analytic report as PNG images for the DOCX: a fixed size that fits the page
between the margins, a label per system installation, the value on every bar, and at most
``TOP_N`` bars however many municipalities there are (the rest are one bar «остальные»).

Drawn with matplotlib's object API (a ``Figure`` on its own Agg canvas, no pyplot state) and a
fixed layout: the margins are set once, so nothing is measured and laid out again per chart, and
a long label is wrapped onto two lines (and shortened with «…» beyond them) to fit the margin.
"""

import io
import textwrap

from core import russian as ru

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 30 mm + 15 mm margins
HEIGHT_IN = 3.6
MUNICIPALITIES_HEIGHT_IN = HEIGHT_IN * 1.5
DPI = 150  # enough for print at 16 cm; every chart the same
TOP_N = 12
OTHERS = "остальные"
BLUE = "#2f6fb3"
LABEL_CHARS = 26  # characters per line of a bar label at 8 pt in the left margin
LABEL_LINES = 2
STYLE = {"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "rcro"}
# The fixed layout (fractions of the figure): room for two-line labels on the left, the values
# past the bars on the right, the title above and the axis label below.
MARGINS = {"left": 0.33, "right": 0.97, "top": 0.90, "bottom": 0.13}


def top_with_others(rows: list[dict], key: str, limit: int = TOP_N) -> list[dict]:
    """The ``limit`` largest rows by ``key``; the rest summed up into one row «остальные»."""
    ranked = sorted(rows, key=lambda r: -(r[key] or 0))
    if len(ranked) <= limit:
        return ranked
    head, rest = ranked[: limit - 1], ranked[limit - 1 :]
    return [*head, {"label": f"{OTHERS} ({ru.num(len(rest))})", "others": rest}]


def bar_label(text: str) -> str:
    """A label that fits the left margin: wrapped onto at most two lines, «…» when longer."""
    lines = textwrap.wrap(text, LABEL_CHARS) or [""]
    if len(lines) > LABEL_LINES:
        lines = [
            *lines[: LABEL_LINES - 1],
            textwrap.shorten(" ".join(lines[LABEL_LINES - 1 :]), LABEL_CHARS, placeholder="…"),
        ]
    return "\n".join(lines)


def _barh(ax, labels: list[str], values: list[float], texts: list[str], color) -> None:
    """Horizontal bars from the top down, the value at the end of every bar."""
    positions = range(len(values))
    bars = ax.barh(list(positions), values[::-1], color=color[::-1] if isinstance(color, list) else color)
    ax.set_yticks(list(positions), [bar_label(label) for label in labels[::-1]])
    ax.bar_label(bars, labels=texts[::-1], padding=3)


def _systems(ax, figures: dict) -> bool:
    rows = [s for s in figures["by_system"] if s["orgs"]]
    if not rows:
        return False
    rows = top_with_others(rows, "orgs")
    labels = [r.get("label") or r["short_name"] for r in rows]
    values = [r["orgs"] if "others" not in r else sum(x["orgs"] for x in r["others"]) for r in rows]
    _barh(ax, labels, values, [ru.num(v) for v in values], BLUE)
    ax.set_xlim(0, max(values) * 1.18 or 1)
    ax.set_xlabel("Организаций")
    ax.set_title("Организации по системам СЭД")
    return True


def _paper(ax, figures: dict) -> bool:
    pj = figures["paper_journal"]
    labels = ["ведут бумажный журнал", "отказались", "планируют отказ"]
    values = [pj["yes"], pj["no"], pj["planned"]]
    if not sum(values):
        return False
    total = sum(values)
    texts = [f"{ru.num(v)} ({ru.pct(ru.share(v, total))})" for v in values]
    _barh(ax, labels, values, texts, ["#c0504d", "#4f81bd", "#9bbb59"])
    ax.set_xlim(0, max(values) * 1.35)
    ax.set_xlabel("Организаций")
    ax.set_title("Бумажный журнал")
    return True


def municipality_bars(figures: dict) -> list[tuple[str, float]]:
    """(label, share using the EDMS) for the largest municipalities and «остальные» together."""
    rows = [m for m in figures["by_municipality"] if m["orgs"]]
    bars = []
    for row in top_with_others(rows, "orgs"):
        if "others" in row:
            orgs = sum(x["orgs"] for x in row["others"])
            using = sum(x["orgs_using_edms"] for x in row["others"])
            bars.append((row["label"], ru.share(using, orgs) or 0.0))
        else:
            bars.append((row["municipality"], row["orgs_using_edms_pct"] or 0.0))
    return bars


def _municipalities(ax, figures: dict) -> bool:
    bars_data = municipality_bars(figures)
    if not bars_data:
        return False
    labels = [label for label, _ in bars_data]
    values = [value for _, value in bars_data]
    _barh(ax, labels, values, [ru.pct(v) for v in values], BLUE)
    ax.set_xlim(0, 115)
    ax.set_xlabel("Доля организаций, использующих СЭД, %")
    ax.set_title("Использование СЭД по муниципальным образованиям")
    return True


CHARTS = {"systems": _systems, "paper": _paper, "municipalities": _municipalities}
HEIGHTS = {"municipalities": MUNICIPALITIES_HEIGHT_IN}


def chart_png(kind: str, figures: dict) -> bytes | None:
    """The chart ``kind`` as a PNG of a fixed size, or None when there is nothing to draw."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    draw = CHARTS.get(kind)
    if draw is None:
        return None
    height = HEIGHTS.get(kind, HEIGHT_IN)
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        FigureCanvasAgg(fig)
        # The same margins in inches whatever the height, so every chart lines up on the page.
        fig.subplots_adjust(
            left=MARGINS["left"],
            right=MARGINS["right"],
            top=1 - (1 - MARGINS["top"]) * HEIGHT_IN / height,
            bottom=MARGINS["bottom"] * HEIGHT_IN / height,
        )
        ax = fig.add_subplot()
        if not draw(ax, figures):
            return None
        ax.spines[["top", "right"]].set_visible(False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
