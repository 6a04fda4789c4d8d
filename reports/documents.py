"""Writes the analytic report's files: report.json (every figure), report.docx (the справка,
rendered from a Word template with docxtpl) and report.xlsx (working sheets with native charts)."""

import json
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from . import charts, narrative
from .docx_template import FIXED_TIME, Signoff, render_docx

FILE_NAMES = {"json": "report.json", "docx": "report.docx", "xlsx": "report.xlsx"}


def write_json(figures: dict, path: Path) -> None:
    # Without indentation: the C encoder, several times faster on the lists of a large region.
    path.write_text(json.dumps(figures, ensure_ascii=False, sort_keys=True), encoding="utf-8")


# --- DOCX ---------------------------------------------------------------------------------------------


def write_docx(
    figures: dict,
    path: Path,
    *,
    sections: list[narrative.Section] | None = None,
    signoff: Signoff | None = None,
    template: bytes | None = None,
) -> None:
    """The справка: the generated (or edited) sections rendered into the region's Word template."""
    path.write_bytes(
        render_docx(
            figures,
            sections if sections is not None else narrative.sections(figures),
            signoff or Signoff(),
            template=template,
        )
    )


# --- XLSX ---------------------------------------------------------------------------------------------


@dataclass
class _Formats:
    bold: object
    integer: object
    percent: object
    ratio: object


def _formats(book) -> _Formats:
    return _Formats(
        bold=book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        integer=book.add_format({"num_format": "#,##0"}),
        percent=book.add_format({"num_format": "0.0"}),
        ratio=book.add_format({"num_format": "0.00"}),
    )


def _summary_rows(figures: dict, fmt: _Formats) -> list[tuple]:
    return [
        ("Ожидалось отчётов", figures["participants_expected"], fmt.integer),
        ("Учтено организаций", figures["orgs_total"], fmt.integer),
        ("Муниципальных образований", figures["municipalities_total"], fmt.integer),
        ("Областных государственных организаций", figures["regional_orgs_total"], fmt.integer),
        ("Не представлено отчётов", figures["reports_missing"], fmt.integer),
        ("Ещё не принято отчётов", figures["reports_not_approved"], fmt.integer),
        ("Используют СЭД, организаций", figures["orgs_using_edms"], fmt.integer),
        ("Используют СЭД, %", figures["orgs_using_edms_pct"], fmt.percent),
        ("Классов всего", figures["classes_total"], fmt.integer),
        ("Классов в СЭД", figures["classes_using_edms"], fmt.integer),
        ("Обучающихся всего", figures["students_total"], fmt.integer),
        ("Обучающихся в СЭД", figures["students_using_edms"], fmt.integer),
        ("Педагогов всего", figures["teachers_total"], fmt.integer),
        ("Педагогов в СЭД", figures["teachers_using_edms"], fmt.integer),
        ("Родителей в СЭД", figures["parents_using_edms"], fmt.integer),
        ("Родителей на одного обучающегося", figures["parents_per_student"], fmt.ratio),
        ("Рабочих мест учителя", figures["teacher_workstations"], fmt.integer),
        ("Рабочих мест ученика", figures["student_workstations"], fmt.integer),
        ("Бумажный журнал: ведут", figures["paper_journal"]["yes"], fmt.integer),
        ("Бумажный журнал: отказались", figures["paper_journal"]["no"], fmt.integer),
        ("Бумажный журнал: планируют отказ", figures["paper_journal"]["planned"], fmt.integer),
        ("Называют себя ПВП", figures["pilot_sites"], fmt.integer),
    ]


def _sheet_summary(book, figures: dict, fmt: _Formats) -> None:
    sheet = book.add_worksheet("Сводка")
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 2, 16)
    sheet.write_string(0, 0, "Аналитическая справка " + narrative.title(figures), fmt.bold)
    sheet.write_string(1, 0, f"Данные учтены {figures['basis_label']}.")
    prev = figures.get("previous")
    sheet.write_string(2, 0, "Показатель", fmt.bold)
    sheet.write_string(2, 1, f"{figures['academic_year']} уч. год", fmt.bold)
    if prev:
        sheet.write_string(2, 2, f"{prev['academic_year']} уч. год", fmt.bold)
    for i, (label, value, cell_format) in enumerate(_summary_rows(figures, fmt), start=3):
        sheet.write_string(i, 0, label)
        if value is not None:
            sheet.write_number(i, 1, value, cell_format)
    if prev:
        sheet.write_number(4, 2, prev["orgs_total"], fmt.integer)
        sheet.write_number(9, 2, prev["orgs_using_edms"], fmt.integer)
        if prev["orgs_using_edms_pct"] is not None:
            sheet.write_number(10, 2, prev["orgs_using_edms_pct"], fmt.percent)


def _sheet_systems(book, figures: dict, fmt: _Formats) -> None:
    sheet = book.add_worksheet("По системам")
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 34)
    headers = [
        "Система",
        "Подпись на диаграмме",
        "Разработчик",
        "Организаций",
        "Доля, %",
        "Доля в прошлом году, %",
    ]
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, fmt.bold)
    for row, s in enumerate(figures["by_system"], start=1):
        sheet.write_string(row, 0, s["system"])
        sheet.write_string(row, 1, s.get("label") or s["short_name"])
        sheet.write_string(row, 2, s["vendor"] or "")
        sheet.write_number(row, 3, s["orgs"], fmt.integer)
        if s["pct"] is not None:
            sheet.write_number(row, 4, s["pct"], fmt.percent)
        if s.get("previous_pct") is not None:
            sheet.write_number(row, 5, s["previous_pct"], fmt.percent)
    n = len(figures["by_system"])
    if n:
        chart = book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "Организации по системам",
                "categories": ["По системам", 1, 1, n, 1],
                "values": ["По системам", 1, 3, n, 3],
                "data_labels": {"value": True},
            }
        )
        chart.set_title({"name": "Организации по системам"})
        chart.set_legend({"none": True})
        sheet.insert_chart(n + 3, 0, chart, {"x_scale": 1.4, "y_scale": 1.3})


MUNICIPALITY_HEADERS = [
    "МО",
    "Организаций",
    "Используют СЭД",
    "Доля, %",
    "Классы в СЭД, %",
    "Обучающиеся в СЭД, %",
    "Педагоги в СЭД, %",
    "Родителей на обучающегося",
]


def _sheet_municipalities(book, figures: dict, fmt: _Formats) -> None:
    if not figures["by_municipality"]:
        return
    sheet = book.add_worksheet(narrative.XLSX_SHEET_MUNICIPALITIES)
    sheet.set_column(0, 0, 32)
    for col, text in enumerate(MUNICIPALITY_HEADERS):
        sheet.write_string(0, col, text, fmt.bold)
    for row, m in enumerate(figures["by_municipality"], start=1):
        sheet.write_string(row, 0, m["municipality"])
        sheet.write_number(row, 1, m["orgs"], fmt.integer)
        sheet.write_number(row, 2, m["orgs_using_edms"], fmt.integer)
        for col, key, cell_format in (
            (3, "orgs_using_edms_pct", fmt.percent),
            (4, "classes_pct", fmt.percent),
            (5, "students_pct", fmt.percent),
            (6, "teachers_pct", fmt.percent),
            (7, "parents_per_student", fmt.ratio),
        ):
            if m[key] is not None:
                sheet.write_number(row, col, m[key], cell_format)
    # The chart shows the largest municipalities and «остальные» (as in the справка), from a small
    # table beside the full one, so it stays readable however many municipalities there are.
    bars = charts.municipality_bars(figures)
    first_col = len(MUNICIPALITY_HEADERS) + 1
    sheet.set_column(first_col, first_col, 32)
    sheet.write_string(0, first_col, "На диаграмме: МО с наибольшим числом организаций", fmt.bold)
    sheet.write_string(0, first_col + 1, "Доля, %", fmt.bold)
    for row, (label, value) in enumerate(bars, start=1):
        sheet.write_string(row, first_col, label)
        sheet.write_number(row, first_col + 1, value, fmt.percent)
    if not bars:
        return
    chart = book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Доля организаций, использующих СЭД, %",
            "categories": [sheet.name, 1, first_col, len(bars), first_col],
            "values": [sheet.name, 1, first_col + 1, len(bars), first_col + 1],
            "data_labels": {"value": True, "num_format": "0.0"},
        }
    )
    chart.set_x_axis({"min": 0, "max": 100})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_title({"name": "Доля организаций, использующих СЭД"})
    sheet.insert_chart(len(bars) + 2, first_col, chart, {"x_scale": 1.5, "y_scale": 1.5})


def _sheet_switched(book, figures: dict, fmt: _Formats) -> None:
    if not figures.get("switched"):
        return
    sheet = book.add_worksheet(narrative.XLSX_SHEET_SWITCHED)
    sheet.set_column(0, 1, 32)
    sheet.set_column(2, 4, 24)
    for col, text in enumerate(["МО", "Организация", "Было", "Стало", "Примечание (графа 25)"]):
        sheet.write_string(0, col, text, fmt.bold)
    for row, x in enumerate(figures["switched"], start=1):
        for col, key in enumerate(("municipality", "school", "from", "to", "notes")):
            sheet.write_string(row, col, x.get(key) or "")


def _sheet_problems(book, figures: dict, fmt: _Formats) -> None:
    sheet = book.add_worksheet(narrative.XLSX_SHEET_PROBLEMS)
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 2, 32)
    for col, text in enumerate(["Проблема", "Организация", "МО"]):
        sheet.write_string(0, col, text, fmt.bold)
    row = 1
    for key, items in figures["problems"].items():
        label = narrative.problem_title(key, figures)
        for item in items:
            sheet.write_string(row, 0, label)
            sheet.write_string(row, 1, item["school"])
            sheet.write_string(row, 2, item["municipality"])
            row += 1


def _sheet_pilot_reports(book, figures: dict, fmt: _Formats) -> None:
    network = figures.get("pilot_network")
    if not network:
        return
    sheet = book.add_worksheet("Отчёты ПВП")
    sheet.set_column(0, 0, 70)
    sheet.set_column(1, 2, 14)
    for col, text in enumerate(["Показатель", "Значение", "Доля ПВП, %"]):
        sheet.write_string(0, col, text, fmt.bold)
    sheet.write_string(1, 0, "Представлено отчётов")
    sheet.write_number(1, 1, network["assignment_reports"], fmt.integer)
    sheet.write_number(1, 2, network["assignment_reports_pct"], fmt.percent)
    row = 2
    for indicator in network["indicators"]:
        sheet.write_string(
            row, 0, f"{indicator['number']}. {indicator['title']}: {indicator['met_label']}", fmt.bold
        )
        sheet.write_number(row, 1, indicator["sites"], fmt.integer)
        sheet.write_number(row, 2, indicator["pct"], fmt.percent)
        row += 1
        for line in indicator["lines"]:
            sheet.write_string(row, 0, "  " + line["label"])
            sheet.write_number(row, 1, line["value"], fmt.integer)
            if line.get("pct") is not None:
                sheet.write_number(row, 2, line["pct"], fmt.percent)
            row += 1


# One function per sheet; a new sheet is one more function here.
XLSX_SHEETS = (
    _sheet_summary,
    _sheet_systems,
    _sheet_municipalities,
    _sheet_switched,
    _sheet_problems,
    _sheet_pilot_reports,
)


def write_xlsx(figures: dict, path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    book.set_properties(
        {"title": narrative.title(figures)[:255], "author": "ОГБУ «РЦРО»", "created": FIXED_TIME}
    )
    fmt = _formats(book)
    for write_sheet in XLSX_SHEETS:
        write_sheet(book, figures, fmt)
    book.close()


def write_all(figures: dict, out_dir: Path, progress=None, **docx_options) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {kind: out_dir / name for kind, name in FILE_NAMES.items()}
    write_json(figures, paths["json"])
    if progress:
        progress(60)
    write_docx(figures, paths["docx"], **docx_options)
    if progress:
        progress(85)
    write_xlsx(figures, paths["xlsx"])
    return paths
