"""Charts of the analytic report as PNG images for the DOCX: a fixed size that fits the page
between the margins, a label per system installation, the value on every bar, and at most
``TOP_N`` bars however many municipalities there are (the rest are one bar «остальные»)."""

import io

from core import russian as ru

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 30 mm + 15 mm margins
HEIGHT_IN = 3.6
TOP_N = 12
OTHERS = "остальные"
BLUE = "#2f6fb3"


def top_with_others(rows: list[dict], key: str, limit: int = TOP_N) -> list[dict]:
    """The ``limit`` largest rows by ``key``; the rest summed up into one row «остальные»."""
    ranked = sorted(rows, key=lambda r: -(r[key] or 0))
    if len(ranked) <= limit:
        return ranked
    head, rest = ranked[: limit - 1], ranked[limit - 1 :]
    return [*head, {"label": f"{OTHERS} ({ru.num(len(rest))})", "others": rest}]


def _systems(ax, figures: dict):
    rows = [s for s in figures["by_system"] if s["orgs"]]
    if not rows:
        return False
    rows = top_with_others(rows, "orgs")
    labels = [r.get("label") or r["short_name"] for r in rows][::-1]
    values = [r["orgs"] if "others" not in r else sum(x["orgs"] for x in r["others"]) for r in rows][::-1]
    bars = ax.barh(labels, values, color=BLUE)
    ax.bar_label(bars, labels=[ru.num(v) for v in values], padding=3)
    ax.set_xlim(0, max(values) * 1.18 or 1)
    ax.set_xlabel("Организаций")
    ax.set_title("Организации по системам СЭД")
    return True


def _paper(ax, figures: dict):
    pj = figures["paper_journal"]
    labels = ["ведут бумажный журнал", "отказались", "планируют отказ"]
    values = [pj["yes"], pj["no"], pj["planned"]]
    if not sum(values):
        return False
    bars = ax.barh(labels[::-1], values[::-1], color=["#9bbb59", "#4f81bd", "#c0504d"])
    total = sum(values)
    ax.bar_label(
        bars, labels=[f"{ru.num(v)} ({ru.pct(ru.share(v, total))})" for v in values[::-1]], padding=3
    )
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


def _municipalities(ax, figures: dict):
    bars_data = municipality_bars(figures)
    if not bars_data:
        return False
    labels = [label for label, _ in bars_data][::-1]
    values = [value for _, value in bars_data][::-1]
    bars = ax.barh(labels, values, color=BLUE)
    ax.bar_label(bars, labels=[ru.pct(v) for v in values], padding=3)
    ax.set_xlim(0, 115)
    ax.set_xlabel("Доля организаций, использующих СЭД, %")
    ax.set_title("Использование СЭД по муниципальным образованиям")
    return True


CHARTS = {"systems": _systems, "paper": _paper, "municipalities": _municipalities}


def chart_png(kind: str, figures: dict) -> bytes | None:
    """The chart ``kind`` as a PNG of a fixed size, or None when there is nothing to draw."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    draw = CHARTS.get(kind)
    if draw is None:
        return None
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "rcro"})
    height = HEIGHT_IN if kind != "municipalities" else HEIGHT_IN * 1.5
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height), dpi=150)
    try:
        if not draw(ax, figures):
            return None
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(fig)
