"""Writes the analytic report's files: report.json (figures), report.docx (prose, tables, charts
as images) and report.xlsx (summary sheets with native Excel charts)."""

import datetime
import io
import json
from pathlib import Path

import xlsxwriter

from core import russian as ru

from . import narrative

FILE_NAMES = {"json": "report.json", "docx": "report.docx", "xlsx": "report.xlsx"}
FIXED_TIME = datetime.datetime(2000, 1, 1)  # documents carry no build time, so rebuilding gives the same file


def write_json(figures: dict, path: Path) -> None:
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")


# --- charts as images (for the DOCX) ----------------------------------------------------------------


def _chart_png(kind: str, figures: dict) -> bytes | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "rcro"})
    fig, ax = plt.subplots(figsize=(6.5, 3.4), dpi=120)
    try:
        if kind == "systems":
            data = [s for s in figures["by_system"] if s["orgs"]]
            if not data:
                return None
            ax.barh(
                [s["short_name"] + ("" if s["is_used"] else "") for s in data][::-1],
                [s["orgs"] for s in data][::-1],
                color="#2f6fb3",
            )
            ax.set_xlabel("Организаций")
            ax.set_title("Организации по системам")
        elif kind == "paper":
            pj = figures["paper_journal"]
            values = [pj["yes"], pj["no"], pj["planned"]]
            if not sum(values):
                return None
            ax.pie(
                values,
                labels=["ведут", "отказались", "планируют отказ"],
                autopct="%1.1f%%",
                colors=["#c0504d", "#4f81bd", "#9bbb59"],
            )
            ax.set_title("Бумажный журнал")
        elif kind == "municipalities":
            data = [m for m in figures["by_municipality"] if m["orgs_using_edms_pct"] is not None]
            if not data:
                return None
            fig.set_size_inches(6.5, 4.8)
            ax.barh(
                [m["municipality"] for m in data][::-1],
                [m["orgs_using_edms_pct"] for m in data][::-1],
                color="#2f6fb3",
            )
            ax.set_xlim(0, 100)
            ax.set_xlabel("Доля организаций, использующих СЭД, %")
        else:
            return None
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        plt.close(fig)


# --- DOCX ---------------------------------------------------------------------------------------------


def write_docx(figures: dict, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    props = doc.core_properties
    props.title = narrative.title(figures)
    props.author = "ОГБУ «РЦРО»"
    props.created = props.modified = FIXED_TIME
    props.revision = 1

    heading = doc.add_heading(narrative.title(figures), level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in narrative.sections(figures):
        doc.add_heading(section.title, level=2)
        for text in section.paragraphs:
            doc.add_paragraph(text)
        for item in section.items:
            doc.add_paragraph(item, style="List Bullet")
        if section.table and section.table.rows:
            table = doc.add_table(rows=1, cols=len(section.table.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, section.table.header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in section.table.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = str(text)
        if section.chart:
            png = _chart_png(section.chart, figures)
            if png:
                doc.add_picture(io.BytesIO(png), width=Cm(16))
    doc.save(str(path))


# --- XLSX ---------------------------------------------------------------------------------------------


def write_xlsx(figures: dict, path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    book.set_properties({"title": narrative.title(figures), "author": "ОГБУ «РЦРО»", "created": FIXED_TIME})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    integer = book.add_format({"num_format": "#,##0"})
    percent = book.add_format({"num_format": "0.0"})
    ratio = book.add_format({"num_format": "0.00"})

    summary = book.add_worksheet("Сводка")
    summary.set_column(0, 0, 60)
    summary.set_column(1, 2, 16)
    summary.write_string(0, 0, narrative.title(figures), bold)
    rows = [
        ("Ожидалось отчётов", figures["participants_expected"], integer),
        ("Учтено организаций", figures["orgs_total"], integer),
        ("Муниципальных образований", figures["municipalities_total"], integer),
        ("Областных государственных организаций", figures["regional_orgs_total"], integer),
        ("Не представлено отчётов", figures["reports_missing"], integer),
        ("Ещё не принято отчётов", figures["reports_not_approved"], integer),
        ("Используют СЭД, организаций", figures["orgs_using_edms"], integer),
        ("Используют СЭД, %", figures["orgs_using_edms_pct"], percent),
        ("Классов всего", figures["classes_total"], integer),
        ("Классов в СЭД", figures["classes_using_edms"], integer),
        ("Обучающихся всего", figures["students_total"], integer),
        ("Обучающихся в СЭД", figures["students_using_edms"], integer),
        ("Педагогов всего", figures["teachers_total"], integer),
        ("Педагогов в СЭД", figures["teachers_using_edms"], integer),
        ("Родителей в СЭД", figures["parents_using_edms"], integer),
        ("Родителей на одного обучающегося", figures["parents_per_student"], ratio),
        ("Рабочих мест учителя", figures["teacher_workstations"], integer),
        ("Рабочих мест ученика", figures["student_workstations"], integer),
        ("Бумажный журнал: ведут", figures["paper_journal"]["yes"], integer),
        ("Бумажный журнал: отказались", figures["paper_journal"]["no"], integer),
        ("Бумажный журнал: планируют отказ", figures["paper_journal"]["planned"], integer),
        ("Называют себя ПВП", figures["pilot_sites"], integer),
    ]
    prev = figures.get("previous")
    if prev:
        summary.write_string(2, 2, f"{prev['academic_year']} уч. год", bold)
    summary.write_string(2, 0, "Показатель", bold)
    summary.write_string(2, 1, f"{figures['academic_year']} уч. год", bold)
    for i, (label, value, fmt) in enumerate(rows, start=3):
        summary.write_string(i, 0, label)
        if value is not None:
            summary.write_number(i, 1, value, fmt)
    if prev:
        summary.write_number(4, 2, prev["orgs_total"], integer)
        summary.write_number(9, 2, prev["orgs_using_edms"], integer)
        if prev["orgs_using_edms_pct"] is not None:
            summary.write_number(10, 2, prev["orgs_using_edms_pct"], percent)

    systems = book.add_worksheet("По системам")
    systems.set_column(0, 0, 48)
    headers = ["Система", "Разработчик", "Организаций", "Доля, %", "Доля в прошлом году, %"]
    for col, text in enumerate(headers):
        systems.write_string(0, col, text, bold)
    for row, s in enumerate(figures["by_system"], start=1):
        systems.write_string(row, 0, s["system"])
        systems.write_string(row, 1, s["vendor"] or "")
        systems.write_number(row, 2, s["orgs"], integer)
        if s["pct"] is not None:
            systems.write_number(row, 3, s["pct"], percent)
        if s.get("previous_pct") is not None:
            systems.write_number(row, 4, s["previous_pct"], percent)
    n = len(figures["by_system"])
    if n:
        chart = book.add_chart({"type": "pie"})
        chart.add_series(
            {
                "name": "Организации по системам",
                "categories": ["По системам", 1, 0, n, 0],
                "values": ["По системам", 1, 2, n, 2],
                "data_labels": {"percentage": True},
            }
        )
        chart.set_title({"name": "Организации по системам"})
        systems.insert_chart(n + 3, 0, chart, {"x_scale": 1.4, "y_scale": 1.3})

    if figures["by_municipality"]:
        mun = book.add_worksheet("По МО")
        mun.set_column(0, 0, 32)
        headers = [
            "МО",
            "Организаций",
            "Используют СЭД",
            "Доля, %",
            "Классы в СЭД, %",
            "Обучающиеся в СЭД, %",
            "Педагоги в СЭД, %",
            "Родителей на обучающегося",
        ]
        for col, text in enumerate(headers):
            mun.write_string(0, col, text, bold)
        for row, m in enumerate(figures["by_municipality"], start=1):
            mun.write_string(row, 0, m["municipality"])
            mun.write_number(row, 1, m["orgs"], integer)
            mun.write_number(row, 2, m["orgs_using_edms"], integer)
            for col, key, fmt in (
                (3, "orgs_using_edms_pct", percent),
                (4, "classes_pct", percent),
                (5, "students_pct", percent),
                (6, "teachers_pct", percent),
                (7, "parents_per_student", ratio),
            ):
                if m[key] is not None:
                    mun.write_number(row, col, m[key], fmt)
        rows_count = len(figures["by_municipality"])
        chart = book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Доля организаций, использующих СЭД, %",
                "categories": ["По МО", 1, 0, rows_count, 0],
                "values": ["По МО", 1, 3, rows_count, 3],
            }
        )
        chart.set_x_axis({"min": 0, "max": 100})
        chart.set_legend({"none": True})
        chart.set_title({"name": "Доля организаций, использующих СЭД"})
        mun.insert_chart(1, 9, chart, {"x_scale": 1.5, "y_scale": 2.0})

    problems = book.add_worksheet("Проблемы")
    problems.set_column(0, 0, 60)
    problems.set_column(1, 2, 32)
    for col, text in enumerate(["Проблема", "Организация", "МО"]):
        problems.write_string(0, col, text, bold)
    row = 1
    for key, items in figures["problems"].items():
        label = narrative.PROBLEM_TITLES[key].format(
            min_tw=ru.dec(figures["thresholds"]["min_teacher_workstations_per_teacher"]),
            min_pp=ru.dec(figures["thresholds"]["min_parents_per_student"]),
        )
        for item in items:
            problems.write_string(row, 0, label)
            problems.write_string(row, 1, item["school"])
            problems.write_string(row, 2, item["municipality"])
            row += 1
    book.close()


def write_all(figures: dict, out_dir: Path, progress=None) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: out_dir / name for kind, name in FILE_NAMES.items()}
    write_json(figures, paths["json"])
    if progress:
        progress(60)
    write_docx(figures, paths["docx"])
    if progress:
        progress(85)
    write_xlsx(figures, paths["xlsx"])
    return paths
