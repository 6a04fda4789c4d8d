"""Charts of the analytic report as PNG images for the DOCX: a fixed size that fits the page
between the margins, a label per system installation, the value on every bar, and at most
``TOP_N`` bars however many municipalities there are (the rest are one bar «остальные»).

Every chart is a horizontal bar chart, drawn directly with Pillow on a fixed layout: the margins
are set once, a long label is wrapped onto two lines (and shortened with «…» beyond them) to fit
the left margin, and the value is written past the end of each bar. Three charts take a few
hundredths of a second; a plotting library would spend seconds just being imported in the
worker that builds the справка.
"""

import functools
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from core import russian as ru

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 30 mm + 15 mm margins
HEIGHT_IN = 3.6
MUNICIPALITIES_HEIGHT_IN = HEIGHT_IN * 1.5
DPI = 150  # enough for print at 16 cm; every chart the same
TOP_N = 12
OTHERS = "остальные"
BLUE = "#2f6fb3"
LABEL_LINES = 2
FONT_PT = 8
TITLE_PT = 9.6
# The fixed layout, in fractions of the width and of the height of a 3.6-inch chart: room for
# two-line labels on the left, for the values past the bars on the right, the title above and
# the axis label below. A taller chart keeps the same margins in inches.
MARGINS = {"left": 0.33, "right": 0.97, "top": 0.10, "bottom": 0.14}
BAR_SHARE = 0.8  # of the height of a bar's slot
# The font ships with the portal (reports/fonts, DejaVu licence), so charts do not depend on the
# server's fonts; the system paths are only a fallback.
FONT_FILES = (
    str(Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"),
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
INK = (0, 0, 0)
GRID = (224, 224, 224)


def top_with_others(rows: list[dict], key: str, limit: int = TOP_N) -> list[dict]:
    """The ``limit`` largest rows by ``key``; the rest summed up into one row «остальные»."""
    ranked = sorted(rows, key=lambda r: -(r[key] or 0))
    if len(ranked) <= limit:
        return ranked
    head, rest = ranked[: limit - 1], ranked[limit - 1 :]
    return [*head, {"label": f"{OTHERS} ({ru.num(len(rest))})", "others": rest}]


@dataclass
class Bars:
    """What one chart shows, top bar first."""

    title: str
    axis_label: str
    labels: list[str]
    values: list[float]
    texts: list[str]  # the value written past each bar
    x_max: float
    colors: list[str]
    percent_axis: bool = False


def _systems(figures: dict) -> Bars | None:
    rows = [s for s in figures["by_system"] if s["orgs"]]
    if not rows:
        return None
    rows = top_with_others(rows, "orgs")
    values = [r["orgs"] if "others" not in r else sum(x["orgs"] for x in r["others"]) for r in rows]
    return Bars(
        title="Организации по системам СЭД",
        axis_label="Организаций",
        labels=[r.get("label") or r["short_name"] for r in rows],
        values=values,
        texts=[ru.num(v) for v in values],
        x_max=max(values) * 1.18 or 1,
        colors=[BLUE] * len(values),
    )


def _paper(figures: dict) -> Bars | None:
    pj = figures["paper_journal"]
    values = [pj["yes"], pj["no"], pj["planned"]]
    total = sum(values)
    if not total:
        return None
    return Bars(
        title="Бумажный журнал",
        axis_label="Организаций",
        labels=["ведут бумажный журнал", "отказались", "планируют отказ"],
        values=values,
        texts=[f"{ru.num(v)} ({ru.pct(ru.share(v, total))})" for v in values],
        x_max=max(values) * 1.35,
        colors=["#c0504d", "#4f81bd", "#9bbb59"],
    )


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


def _municipalities(figures: dict) -> Bars | None:
    bars = municipality_bars(figures)
    if not bars:
        return None
    values = [value for _, value in bars]
    return Bars(
        title="Использование СЭД по муниципальным образованиям",
        axis_label="Доля организаций, использующих СЭД, %",
        labels=[label for label, _ in bars],
        values=values,
        texts=[ru.pct(v) for v in values],
        x_max=115,
        colors=[BLUE] * len(values),
        percent_axis=True,
    )


CHARTS = {"systems": _systems, "paper": _paper, "municipalities": _municipalities}
HEIGHTS = {"municipalities": MUNICIPALITIES_HEIGHT_IN}


# --- drawing ---------------------------------------------------------------------------------------


def _px(points: float) -> int:
    return round(points * DPI / 72)


@functools.lru_cache(maxsize=4)
def _font(points: float):
    from PIL import ImageFont

    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, _px(points))
        except OSError:
            continue
    return ImageFont.load_default(_px(points))


# A word, or the part of a Russian compound word up to its hyphen («административно-»).
_WORDS = re.compile(r"\S*?[а-яё]-(?=[а-яё])|\S+", re.IGNORECASE)


def _join(line: str, word: str) -> str:
    return line + word if line.endswith("-") else f"{line} {word}"


def fit_label(text: str, font, width_px: int) -> list[str]:
    """The label's lines: words wrapped to ``width_px`` (a hyphenated word may break after its
    hyphen), at most ``LABEL_LINES`` lines, ending in «…» where the text is cut."""
    words = _WORDS.findall(text)
    lines: list[str] = []
    while words and len(lines) < LABEL_LINES:
        line = words.pop(0)
        while words and font.getlength(_join(line, words[0])) <= width_px:
            line = _join(line, words.pop(0))
        lines.append(line)
    out = []
    for n, line in enumerate(lines):
        if font.getlength(line) > width_px or (n == len(lines) - 1 and words):
            while line and font.getlength(line + "…") > width_px:
                line = line[:-1]
            line = line.rstrip(" -") + "…"
        out.append(line)
    return out or [""]


def nice_step(limit: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) that gives about ``ticks`` ticks up to ``limit``."""
    raw = limit / ticks if limit > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _tick_text(value: float) -> str:
    return ru.num(value) if float(value).is_integer() else ru.dec(value)


def _draw(bars: Bars, height_in: float) -> bytes:
    from PIL import Image, ImageDraw

    width, height = _px(WIDTH_IN * 72), _px(height_in * 72)
    base = _px(HEIGHT_IN * 72)
    left, right = round(width * MARGINS["left"]), round(width * MARGINS["right"])
    top, bottom = round(base * MARGINS["top"]), height - round(base * MARGINS["bottom"])
    font, title_font = _font(FONT_PT), _font(TITLE_PT)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    line = max(1, _px(0.8))
    tick = _px(3.5)
    scale = (right - left) / bars.x_max

    limit = 100 if bars.percent_axis else bars.x_max
    step = 20 if bars.percent_axis else nice_step(bars.x_max)
    value = 0.0
    while value <= limit + 1e-9:
        x = left + round(value * scale)
        if x <= right:
            draw.line([(x, top), (x, bottom)], fill=GRID, width=1)
            draw.line([(x, bottom), (x, bottom + tick)], fill=INK, width=line)
            draw.text((x, bottom + tick + _px(2)), _tick_text(value), font=font, fill=INK, anchor="ma")
        value += step

    slot = (bottom - top) / len(bars.values)
    label_width = left - tick - _px(6)
    spacing = _px(FONT_PT * 1.2)
    for i, (label, amount, text, color) in enumerate(
        zip(bars.labels, bars.values, bars.texts, bars.colors, strict=True)
    ):
        middle = top + slot * (i + 0.5)
        half = slot * BAR_SHARE / 2
        end = left + max(0, round(amount * scale))
        if end > left:
            draw.rectangle([left, round(middle - half), end, round(middle + half)], fill=color)
        draw.text((end + _px(3), middle), text, font=font, fill=INK, anchor="lm")
        draw.line([(left - tick, round(middle)), (left, round(middle))], fill=INK, width=line)
        lines = fit_label(label, font, label_width)
        first = middle - spacing * (len(lines) - 1) / 2
        for n, text_line in enumerate(lines):
            draw.text(
                (left - tick - _px(3.5), first + n * spacing), text_line, font=font, fill=INK, anchor="rm"
            )

    draw.line([(left, top), (left, bottom)], fill=INK, width=line)  # the axes, as open lines
    draw.line([(left, bottom), (right, bottom)], fill=INK, width=line)
    draw.text(((left + right) / 2, top - _px(6)), bars.title, font=title_font, fill=INK, anchor="md")
    draw.text(((left + right) / 2, height - _px(4)), bars.axis_label, font=font, fill=INK, anchor="md")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def chart_png(kind: str, figures: dict) -> bytes | None:
    """The chart ``kind`` as a PNG of a fixed size, or None when there is nothing to draw."""
    build = CHARTS.get(kind)
    bars = build(figures) if build else None
    if bars is None:
        return None
    return _draw(bars, HEIGHTS.get(kind, HEIGHT_IN))
