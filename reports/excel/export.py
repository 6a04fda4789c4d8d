"""Writes a campaign's Appendix 1 workbook with XlsxWriter in constant-memory mode: rows go to
disk as they are written, so memory stays flat however large the region is.

Sheet 1 is the official layout (title, headers, the row of column numbers 1…25, schools grouped
by municipality with their branch rows, «Итого» rows); sheet 2 is a flat table for pivot tables;
sheet 3 holds totals per municipality.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import xlsxwriter
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from xlsxwriter.utility import xl_rowcol_to_cell

from accounts.access import school_q
from monitoring.columns import COLUMNS
from monitoring.models import Campaign, ReportBranch, ReportEvent, SchoolReport
from schools.models import Municipality, School

from . import layout

FIRST_DATA_ROW = 4  # 0-based: title, subtitle, header, number row, then data
NUMBER_ROW = 3
CHUNK = 200


@dataclass
class GroupTotals:
    sums: dict[int, int] = field(default_factory=dict)
    first_row: int = 0
    schools: int = 0

    def add(self, column: int, value):
        if isinstance(value, int):
            self.sums[column] = self.sums.get(column, 0) + value


def export_schools(*, user, campaign: Campaign, municipality: Municipality | None = None):
    """Participating schools in the user's scope, ordered as the table groups them."""
    qs = (
        School.objects.filter(school_q(user), campaigns=campaign)
        .select_related("municipality")
        .order_by("municipality__sort_order", "municipality__name", "short_name")
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    return qs.prefetch_related(
        Prefetch(
            "reports",
            queryset=SchoolReport.objects.filter(campaign=campaign)
            .select_related("system__vendor")
            .prefetch_related(
                Prefetch("branch_rows", queryset=ReportBranch.objects.select_related("branch", "system")),
                Prefetch("events", queryset=ReportEvent.objects.order_by("position", "pk")),
            ),
            to_attr="export_reports",
        ),
        "branches",
    )


def _formats(book):
    base = {"font_name": "Times New Roman", "font_size": 10, "valign": "top", "border": 1}
    return {
        "title": book.add_format(
            {"bold": True, "font_size": 12, "align": "center", "text_wrap": True, "valign": "vcenter"}
        ),
        "subtitle": book.add_format({"italic": True, "align": "center"}),
        "header": book.add_format(
            {
                **base,
                "bold": True,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "bg_color": "#DDEBF7",
            }
        ),
        "number_row": book.add_format({**base, "bold": True, "align": "center", "bg_color": "#F2F2F2"}),
        "text": book.add_format({**base, "text_wrap": True}),
        "int": book.add_format({**base, "num_format": "#,##0"}),
        "code": book.add_format({**base, "align": "center", "num_format": "0"}),
        "total_text": book.add_format({**base, "bold": True, "bg_color": "#FFF2CC", "text_wrap": True}),
        "total_int": book.add_format({**base, "bold": True, "bg_color": "#FFF2CC", "num_format": "#,##0"}),
        "plain": book.add_format({"font_name": "Times New Roman", "font_size": 10}),
        "plain_int": book.add_format(
            {"font_name": "Times New Roman", "font_size": 10, "num_format": "#,##0"}
        ),
        "plain_date": book.add_format(
            {"font_name": "Times New Roman", "font_size": 10, "num_format": "dd.mm.yyyy hh:mm"}
        ),
        "bold": book.add_format(
            {"font_name": "Times New Roman", "font_size": 10, "bold": True, "text_wrap": True}
        ),
    }


def _text(sheet, row, col, value, fmt):
    """Text is always written as text, never as a formula, whatever it starts with."""
    sheet.write_string(row, col, str(value or ""), fmt)


def _report_values(report: SchoolReport | None) -> dict:
    if report is None:
        return {}
    return {
        **{name: getattr(report, name) for name in layout.NUMBER_COLUMNS.values()},
        **{name: getattr(report, name) for name, _ in layout.CODE_COLUMNS.values()},
        "module_turnstile": report.module_turnstile,
        "module_library": report.module_library,
        "module_canteen": report.module_canteen,
        "module_other": report.module_other,
        "other_modules_text": report.other_modules_text,
    }


def _group_label(municipality: Municipality) -> str:
    if municipality.is_regional:
        return f"{layout.TOTAL_PREFIX} по областным государственным ОО"
    return f"{layout.TOTAL_PREFIX} по МО «{municipality.name}»"


class Appendix1Writer:
    def __init__(
        self,
        path,
        campaign: Campaign,
        *,
        total_schools: int,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.book = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
        )
        self.campaign = campaign
        self.fmt = _formats(self.book)
        self.sheet = self.book.add_worksheet("Приложение 1")
        self.flat = self.book.add_worksheet("Таблица")
        self.totals = self.book.add_worksheet("Итоги по МО")
        self.row = FIRST_DATA_ROW
        self.flat_row = 1
        self.numbering = 0
        self.total_schools = total_schools
        self.done = 0
        self.progress = progress
        self.group: GroupTotals | None = None
        self.group_ranges: list[int] = []
        self.region = GroupTotals(first_row=FIRST_DATA_ROW)
        self.group_rows: list[tuple[str, GroupTotals]] = []

    # --- sheet 1 -----------------------------------------------------------------------------------
    def start(self):
        s, f = self.sheet, self.fmt
        as_of = date_format(self.campaign.as_of, "d.m.Y")
        s.set_row(0, 36)
        s.merge_range(0, 0, 0, 24, layout.TITLE.format(as_of=as_of), f["title"])
        subtitle = self.campaign.title
        if self.campaign.letter_number:
            subtitle += f" (письмо № {self.campaign.letter_number}"
            if self.campaign.letter_date:
                subtitle += f" от {date_format(self.campaign.letter_date, 'd.m.Y')}"
            subtitle += ")"
        s.merge_range(1, 0, 1, 24, subtitle, f["subtitle"])
        s.set_row(2, 150)
        for column in COLUMNS:
            _text(s, 2, column.number - 1, layout.HEADER_LABELS[column.number], f["header"])
        _text(s, 2, layout.LAST_OFFICIAL_COL, layout.EXTRA_MODULES_HEADER, f["header"])
        for number in range(1, 26):
            s.write_number(NUMBER_ROW, number - 1, number, f["number_row"])
        _text(s, NUMBER_ROW, layout.LAST_OFFICIAL_COL, "14а", f["number_row"])
        widths = {0: 5, 1: 16, 2: 34, 3: 28, 4: 20, 5: 24, 6: 24, 23: 30, 24: 30, 25: 24}
        for col in range(26):
            s.set_column(col, col, widths.get(col, 9))
        s.freeze_panes(FIRST_DATA_ROW, 3)
        s.set_landscape()
        s.set_paper(9)  # A4
        s.fit_to_pages(1, 0)
        s.repeat_rows(2, NUMBER_ROW)
        s.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        s.set_footer("&CСтраница &P из &N")
        self._flat_header()

    def _cell(self, row, number, value, fmt_key="text"):
        col = number - 1
        if value is None or value == "":
            self.sheet.write_blank(row, col, None, self.fmt[fmt_key])
        elif isinstance(value, bool):
            _text(self.sheet, row, col, "да" if value else "нет", self.fmt["text"])
        elif isinstance(value, int):
            self.sheet.write_number(row, col, value, self.fmt[fmt_key])
        else:
            _text(self.sheet, row, col, value, self.fmt["text"])

    def start_group(self, municipality: Municipality):
        self.group = GroupTotals(first_row=self.row)
        self.municipality = municipality

    def add_school(self, school: School, report: SchoolReport | None):
        self.numbering += 1
        r = self.row
        values = _report_values(report)
        self._cell(r, 1, self.numbering, "code")
        self._cell(r, 2, school.municipality.name)
        self._cell(r, 3, layout.name_with_address(school.short_name, school.address))
        self._cell(r, 4, "")
        if report is not None:
            self._cell(r, 5, report.system.name if report.system_id else "")
            self._cell(r, 6, layout.person(report.responsible_name, report.responsible_position))
            self._cell(r, 7, layout.contacts(report.responsible_phone, report.responsible_email))
            for number, name in layout.NUMBER_COLUMNS.items():
                self._cell(r, number, values[name], "int")
                self.group.add(number, values[name])
                self.region.add(number, values[name])
            for number, (name, _) in layout.CODE_COLUMNS.items():
                self._cell(r, number, values[name], "code")
            self._cell(r, 22, report.coordinator_name)
            self._cell(
                r,
                23,
                layout.contacts(report.coordinator_phone, report.coordinator_email, report.coordinator_skype),
            )
            events = [
                {"title": e.title, "students": e.students, "teachers": e.teachers}
                for e in report.events.all()
            ]
            self._cell(r, 24, layout.events_text(events))
            self._cell(r, 25, report.notes)
            _text(self.sheet, r, layout.LAST_OFFICIAL_COL, layout.modules_text(values), self.fmt["text"])
        else:
            for number in range(5, 26):
                self._cell(r, number, "", "int" if number in layout.NUMBER_COLUMNS else "text")
        self.row += 1
        self.group.schools += 1
        branch_rows = {row.branch_id: row for row in report.branch_rows.all()} if report else {}
        for branch in school.branches.all():
            if not branch.is_active and branch.pk not in branch_rows:
                continue
            self.numbering += 1
            row = branch_rows.get(branch.pk)
            b = self.row
            self._cell(b, 1, self.numbering, "code")
            self._cell(b, 4, layout.name_with_address(branch.name, branch.address))
            if row is not None:
                self._cell(b, 5, row.system.name if row.system_id else "")
                self._cell(b, 6, layout.person(row.responsible_name, row.responsible_position))
                self._cell(b, 7, layout.contacts(row.responsible_phone, row.responsible_email))
            self.row += 1
        self._flat_school(school, report, values)
        self.done += 1
        if self.progress and (self.done % 20 == 0 or self.done == self.total_schools):
            self.progress(self.done, self.total_schools)

    def _total_row(self, label: str, totals: GroupTotals, first: int, last: int, fmt_text="total_text"):
        r = self.row
        _text(self.sheet, r, 1, label, self.fmt[fmt_text])
        for number in layout.SUM_COLUMNS:
            col = number - 1
            value = totals.sums.get(number, 0)
            if last >= first:
                ref = f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"
                self.sheet.write_formula(r, col, f"=SUBTOTAL(9,{ref})", self.fmt["total_int"], value)
            else:
                self.sheet.write_number(r, col, value, self.fmt["total_int"])
        self.row += 1

    def end_group(self):
        self._total_row(_group_label(self.municipality), self.group, self.group.first_row, self.row - 1)
        self.group_rows.append((self.municipality.name, self.group))

    def finish(self):
        self._total_row(f"{layout.TOTAL_PREFIX} по области", self.region, FIRST_DATA_ROW, self.row - 1)
        last = self.row - 1
        self.sheet.autofilter(NUMBER_ROW, 0, max(last, NUMBER_ROW), 24)
        self._totals_sheet()
        self.book.close()

    # --- sheet 2: flat table ------------------------------------------------------------------------
    FLAT_COLUMNS = (
        ("МОУО", "municipality"),
        ("Организация", "school"),
        ("Адрес", "address"),
        ("Состояние отчёта", "status"),
        ("Отправлен", "submitted_at"),
        ("Изменён", "updated_at"),
        ("Система", "system"),
        ("Разработчик", "vendor"),
        ("Ответственный", "responsible_name"),
        ("Должность", "responsible_position"),
        ("Телефон", "responsible_phone"),
        ("E-mail", "responsible_email"),
        *[(f"{n}. {layout.HEADER_LABELS[n]}", name) for n, name in layout.NUMBER_COLUMNS.items()],
        ("Турникет", "module_turnstile"),
        ("Библиотека", "module_library"),
        ("Столовая", "module_canteen"),
        ("Другие модули", "other_modules_text"),
        *[(f"{n}. {layout.HEADER_LABELS[n]}", name) for n, (name, _) in layout.CODE_COLUMNS.items()],
        ("Координатор", "coordinator_name"),
        ("Телефон координатора", "coordinator_phone"),
        ("E-mail координатора", "coordinator_email"),
        ("Скайп координатора", "coordinator_skype"),
        ("Мероприятия", "events"),
        ("Филиалов", "branches"),
        ("Примечания", "notes"),
    )

    def _flat_header(self):
        for col, (label, _) in enumerate(self.FLAT_COLUMNS):
            _text(self.flat, 0, col, label, self.fmt["bold"])
        self.flat.freeze_panes(1, 2)

    def _flat_school(self, school, report, values):
        row = self.flat_row
        data = {
            "municipality": school.municipality.name,
            "school": school.short_name,
            "address": school.address,
            "status": report.get_status_display() if report else "не начат",
            "branches": len(school.branches.all()),
        }
        if report is not None:
            data.update(values)
            data.update(
                system=report.system.name if report.system_id else "",
                vendor=str(report.system.vendor or "")
                if report.system_id and report.system.vendor_id
                else "",
                submitted_at=report.submitted_at,
                updated_at=report.updated_at,
                events=layout.events_text(
                    [
                        {"title": e.title, "students": e.students, "teachers": e.teachers}
                        for e in report.events.all()
                    ]
                ),
                **{
                    name: getattr(report, name)
                    for name in (
                        "responsible_name",
                        "responsible_position",
                        "responsible_phone",
                        "responsible_email",
                        "coordinator_name",
                        "coordinator_phone",
                        "coordinator_email",
                        "coordinator_skype",
                        "notes",
                    )
                },
            )
        for col, (_, key) in enumerate(self.FLAT_COLUMNS):
            value = data.get(key)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                _text(self.flat, row, col, "да" if value else "нет", self.fmt["plain"])
            elif isinstance(value, int):
                self.flat.write_number(row, col, value, self.fmt["plain_int"])
            elif hasattr(value, "tzinfo"):
                self.flat.write_datetime(
                    row, col, timezone.localtime(value).replace(tzinfo=None), self.fmt["plain_date"]
                )
            else:
                _text(self.flat, row, col, value, self.fmt["plain"])
        self.flat_row += 1

    # --- sheet 3: totals per municipality -------------------------------------------------------------
    def _totals_sheet(self):
        t = self.totals
        headers = ["МОУО", "Организаций", *[f"{n}. {layout.HEADER_LABELS[n]}" for n in layout.SUM_COLUMNS]]
        for col, label in enumerate(headers):
            _text(t, 0, col, label, self.fmt["bold"])
        t.set_row(0, 90)
        t.set_column(0, 0, 30)
        t.set_column(1, len(headers), 12)
        rows = [*self.group_rows, ("Итого по области", self.region)]
        self.region.schools = sum(g.schools for _, g in self.group_rows)
        for i, (name, totals) in enumerate(rows, start=1):
            _text(t, i, 0, name, self.fmt["plain"] if i < len(rows) else self.fmt["bold"])
            t.write_number(i, 1, totals.schools, self.fmt["plain_int"])
            for j, number in enumerate(layout.SUM_COLUMNS, start=2):
                t.write_number(i, j, totals.sums.get(number, 0), self.fmt["plain_int"])


def write_appendix1(
    path,
    *,
    user,
    campaign: Campaign,
    municipality: Municipality | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the workbook to ``path``; returns the number of schools written."""
    schools = export_schools(user=user, campaign=campaign, municipality=municipality)
    total = schools.count()
    writer = Appendix1Writer(path, campaign, total_schools=total, progress=progress)
    writer.start()
    current = None
    for school in _iterate(schools):
        if current is None or school.municipality_id != current.pk:
            if current is not None:
                writer.end_group()
            current = school.municipality
            writer.start_group(current)
        report = school.export_reports[0] if school.export_reports else None
        writer.add_school(school, report)
    if current is not None:
        writer.end_group()
    writer.finish()
    return total


def _iterate(queryset) -> Iterable[School]:
    return queryset.iterator(chunk_size=CHUNK)
