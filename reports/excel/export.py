"""Writes a campaign's Appendix 1 workbook with XlsxWriter in constant-memory mode: rows go to
disk as they are written, so memory stays flat however large the region is.

The official sheet holds only checked data: the reports that count on the chosen basis
(``monitoring.basis``: accepted reports, or accepted and under review), read through the same
selector as the dashboards. Sheet 1 is the official layout (title, the basis and how many
organisations are left out, exactly the 25 columns of the letter with the row of numbers 1…25,
schools grouped by municipality with their branch rows, «Итого» rows that add up what is shown);
sheet 2 lists every participant left out with its state; sheet 3 is a flat table of the same rows
for pivot tables; sheet 4 holds totals per municipality.

Printing: A3 landscape, one page wide, the header repeated on every page, page numbers in the
footer, row heights computed to fit wrapped text (``fit``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import xlsxwriter
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from xlsxwriter.utility import xl_rowcol_to_cell

from accounts.access import school_q
from core.russian import orgs
from monitoring.basis import DEFAULT_BASIS, Basis
from monitoring.columns import COLUMNS
from monitoring.models import Campaign, ReportBranch, ReportEvent, ReportStatus, SchoolReport
from monitoring.selectors import reports_on_basis
from schools.models import Municipality, School

from . import fit, layout

FIRST_DATA_ROW = 4  # 0-based: title, subtitle, header, number row, then data
NUMBER_ROW = 3
CHUNK = 2000  # schools per fetch: the prefetch queries run once per chunk

MAIN_SHEET = "Приложение 1"
LEFT_OUT_SHEET = "Не включены"
FLAT_SHEET = "Таблица"
TOTALS_SHEET = "Итоги по МО"
NOT_STARTED = "не начат"
LEFT_OUT_REASON = {
    Basis.ACCEPTED: "не представили или не приняты",
    Basis.SUBMITTED: "не представили или возвращены на доработку",
}
ALL_INCLUDED = "в таблице все организации мониторинга"

# Print layout: A3 landscape, one page wide. Widths are in Excel's character units; with them
# the 25 columns print at about 80 % (10 pt text prints at about 8 pt).
PAPER_A3 = 8
DATA_PT = 10
HEADER_PT = 9
TITLE_PT = 12
WIDTHS = {
    1: 4.5,
    2: 15.5,  # «Александровский район» without breaking a word
    3: 20,
    4: 15,
    5: 18,
    6: 15,
    7: 16,
    **dict.fromkeys(range(8, 14), 7),
    14: 15,
    **dict.fromkeys(range(15, 19), 7),
    **dict.fromkeys(range(19, 22), 6),
    22: 13,
    23: 15,
    24: 21,
    25: 14,
}
# Narrow number columns carry their long labels turned 90°, so no word is broken.
ROTATED_HEADERS = frozenset((*range(8, 14), *range(15, 22)))
FOOTER = "&CСтраница &P из &N"


@dataclass
class GroupTotals:
    sums: dict[int, int] = field(default_factory=dict)
    first_row: int = 0
    schools: int = 0

    def add(self, column: int, value):
        if isinstance(value, int):
            self.sums[column] = self.sums.get(column, 0) + value


def export_schools(
    *, user, campaign: Campaign, municipality: Municipality | None = None, basis: str = DEFAULT_BASIS
):
    """Schools whose report counts on ``basis``, in the user's scope, ordered as the table groups
    them; each with ``export_reports`` (its one counted report)."""
    counted = reports_on_basis(user=user, campaign=campaign, basis=basis, municipality=municipality)
    qs = (
        School.objects.filter(pk__in=counted.values("school_id"))
        .select_related("municipality")
        .order_by("municipality__sort_order", "municipality__name", "short_name")
    )
    return qs.prefetch_related(
        Prefetch(
            "reports",
            queryset=counted.select_related("system__vendor").prefetch_related(
                Prefetch("branch_rows", queryset=ReportBranch.objects.select_related("branch", "system")),
                Prefetch("events", queryset=ReportEvent.objects.order_by("position", "pk")),
            ),
            to_attr="export_reports",
        ),
        "branches",
    )


def left_out_schools(
    *, user, campaign: Campaign, municipality: Municipality | None = None, basis: str = DEFAULT_BASIS
) -> list[School]:
    """Participants in the user's scope whose report does not count on ``basis``, each with
    ``report_status`` (None when not started). One query."""
    counted = reports_on_basis(user=user, campaign=campaign, basis=basis, municipality=municipality)
    qs = School.objects.filter(school_q(user), campaigns=campaign).exclude(pk__in=counted.values("school_id"))
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    status = SchoolReport.objects.filter(campaign=campaign, school=OuterRef("pk")).values("status")[:1]
    return list(
        qs.select_related("municipality")
        .annotate(report_status=Subquery(status))
        .order_by("municipality__sort_order", "municipality__name", "short_name")
    )


def state_label(status: str | None) -> str:
    return ReportStatus(status).label if status else NOT_STARTED


def basis_line(basis: str, left_out: int) -> str:
    """«по принятым отчётам; не представили или не приняты: 12 организаций — см. лист «Не включены»»."""
    basis = Basis(basis)
    if not left_out:
        return f"{basis.label}; {ALL_INCLUDED}"
    return f"{basis.label}; {LEFT_OUT_REASON[basis]}: {orgs(left_out)} — см. лист «{LEFT_OUT_SHEET}»"


def _formats(book):
    font = {"font_name": "Times New Roman", "font_size": DATA_PT}
    base = {**font, "valign": "top", "border": 1}
    header = {**base, "font_size": HEADER_PT, "bold": True, "text_wrap": True, "bg_color": "#DDEBF7"}
    return {
        "title": book.add_format(
            {
                **font,
                "bold": True,
                "font_size": TITLE_PT,
                "align": "center",
                "text_wrap": True,
                "valign": "vcenter",
            }
        ),
        "subtitle": book.add_format({**font, "italic": True, "align": "center", "text_wrap": True}),
        "header": book.add_format({**header, "align": "center", "valign": "vcenter"}),
        "header_rotated": book.add_format({**header, "align": "center", "valign": "vcenter", "rotation": 90}),
        "number_row": book.add_format({**base, "bold": True, "align": "center", "bg_color": "#F2F2F2"}),
        "text": book.add_format({**base, "text_wrap": True}),
        "int": book.add_format({**base, "num_format": "#,##0"}),
        "code": book.add_format({**base, "align": "center", "num_format": "0"}),
        "total_text": book.add_format({**base, "bold": True, "bg_color": "#FFF2CC", "text_wrap": True}),
        "total_int": book.add_format({**base, "bold": True, "bg_color": "#FFF2CC", "num_format": "#,##0"}),
        "plain": book.add_format(font),
        "plain_wrap": book.add_format({**font, "text_wrap": True, "valign": "top", "border": 1}),
        "plain_int": book.add_format({**font, "num_format": "#,##0"}),
        "plain_date": book.add_format({**font, "num_format": "dd.mm.yyyy hh:mm"}),
        "bold": book.add_format({**font, "bold": True, "text_wrap": True}),
        "bold_border": book.add_format(
            {**font, "bold": True, "text_wrap": True, "border": 1, "valign": "vcenter", "bg_color": "#DDEBF7"}
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
        **{name: getattr(report, name) for name in layout.MODULE_FIELDS},
    }


def _group_label(municipality: Municipality) -> str:
    if municipality.is_regional:
        return f"{layout.TOTAL_PREFIX} по областным государственным ОО"
    return f"{layout.TOTAL_PREFIX} по МО «{municipality.name}»"


def _print_setup(sheet, *, paper: int, landscape: bool, repeat: tuple[int, int]):
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_paper(paper)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(*repeat)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer(FOOTER)
    sheet.center_horizontally()


TOTAL_LABEL_LAST_COL = 6  # «Итого …» labels span columns 2…7


class Appendix1Writer:
    def __init__(
        self,
        path,
        campaign: Campaign,
        *,
        total_schools: int,
        basis: str = DEFAULT_BASIS,
        left_out: list[School] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                # The default font sets the unit of column widths: with Times New Roman (Liberation
                # Serif in LibreOffice) the widths come out the same in Excel and LibreOffice.
                "default_format_properties": {"font_name": "Times New Roman", "font_size": DATA_PT},
            },
        )
        self.campaign = campaign
        self.basis = Basis(basis)
        self.left_out = left_out or []
        self.fmt = _formats(self.book)
        self.sheet = self.book.add_worksheet(MAIN_SHEET)
        self.left_sheet = self.book.add_worksheet(LEFT_OUT_SHEET)
        self.flat = self.book.add_worksheet(FLAT_SHEET)
        self.totals = self.book.add_worksheet(TOTALS_SHEET)
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
    def subtitle(self) -> str:
        line = self.campaign.title
        if self.campaign.letter_number:
            line += f" (письмо № {self.campaign.letter_number}"
            if self.campaign.letter_date:
                line += f" от {date_format(self.campaign.letter_date, 'd.m.Y')}"
            line += ")"
        return f"{line}\n{basis_line(self.basis, len(self.left_out))}"

    def start(self):
        s, f = self.sheet, self.fmt
        for number, width in WIDTHS.items():
            s.set_column(number - 1, number - 1, width)
        full_width = sum(WIDTHS.values())
        title = layout.TITLE.format(as_of=date_format(self.campaign.as_of, "d.m.Y"))
        s.set_row(0, fit.row_height([(title, full_width, TITLE_PT, True)], minimum=30))
        s.merge_range(0, 0, 0, 24, title, f["title"])
        subtitle = self.subtitle()
        s.set_row(1, fit.row_height([(subtitle, full_width, DATA_PT, False)]))
        s.merge_range(1, 0, 1, 24, subtitle, f["subtitle"])
        s.set_row(2, self._header_height())
        for column in COLUMNS:
            _text(s, 2, column.number - 1, *self._header_cell(column.number))
        for number in range(1, 26):
            s.write_number(NUMBER_ROW, number - 1, number, f["number_row"])
        s.freeze_panes(FIRST_DATA_ROW, 3)
        _print_setup(s, paper=PAPER_A3, landscape=True, repeat=(2, NUMBER_ROW))
        self._left_out_sheet()
        self._flat_header()

    def _header_cell(self, number: int) -> tuple[str, object]:
        label = layout.HEADER_LABELS[number]
        if number in ROTATED_HEADERS:
            return "\n".join(fit.rotated_lines(label, WIDTHS[number], HEADER_PT)), self.fmt["header_rotated"]
        return label, self.fmt["header"]

    @staticmethod
    def _header_height() -> float:
        heights = []
        for column in COLUMNS:
            label, width = layout.HEADER_LABELS[column.number], WIDTHS[column.number]
            if column.number in ROTATED_HEADERS:
                lines = fit.rotated_lines(label, width, HEADER_PT)
                heights.append(fit.rotated_height(lines, HEADER_PT, bold=True))
            else:
                heights.append(fit.row_height([(label, width, HEADER_PT, True)]))
        return max(heights)

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

    def _row(self, row: int, cells: dict[int, tuple[object, str]]):
        """Write one row of the official sheet: its height first (rows go out in order), then cells."""
        texts = [
            (value, WIDTHS[number], DATA_PT, False)
            for number, (value, _) in cells.items()
            if isinstance(value, str)
        ]
        self.sheet.set_row(row, fit.row_height(texts))
        for number, (value, fmt_key) in cells.items():
            self._cell(row, number, value, fmt_key)

    def start_group(self, municipality: Municipality):
        self.group = GroupTotals(first_row=self.row)
        self.municipality = municipality

    def add_school(self, school: School, report: SchoolReport):
        self.numbering += 1
        values = _report_values(report)
        events = [
            {"title": e.title, "students": e.students, "teachers": e.teachers} for e in report.events.all()
        ]
        cells = {
            1: (self.numbering, "code"),
            2: (school.municipality.name, "text"),
            3: (layout.name_with_address(school.short_name, school.address), "text"),
            4: ("", "text"),
            5: (report.system.name if report.system_id else "", "text"),
            6: (layout.person(report.responsible_name, report.responsible_position), "text"),
            7: (layout.contacts(report.responsible_phone, report.responsible_email), "text"),
            **{number: (values[name], "int") for number, name in layout.NUMBER_COLUMNS.items()},
            layout.MODULES_COLUMN: (layout.modules_cell(values), "int"),
            **{number: (values[name], "code") for number, (name, _) in layout.CODE_COLUMNS.items()},
            22: (report.coordinator_name, "text"),
            23: (
                layout.contacts(report.coordinator_phone, report.coordinator_email, report.coordinator_skype),
                "text",
            ),
            24: (layout.events_text(events), "text"),
            25: (report.notes, "text"),
        }
        self._row(self.row, dict(sorted(cells.items())))
        for number, name in layout.NUMBER_COLUMNS.items():
            self.group.add(number, values[name])
            self.region.add(number, values[name])
        self.row += 1
        self.group.schools += 1
        branch_rows = {row.branch_id: row for row in report.branch_rows.all()}
        for branch in school.branches.all():
            if not branch.is_active and branch.pk not in branch_rows:
                continue
            self.numbering += 1
            row = branch_rows.get(branch.pk)
            cells = dict.fromkeys(range(1, 26), ("", "text"))
            cells[1] = (self.numbering, "code")
            cells[4] = (layout.name_with_address(branch.name, branch.address), "text")
            if row is not None:
                cells[5] = (row.system.name if row.system_id else "", "text")
                cells[6] = (layout.person(row.responsible_name, row.responsible_position), "text")
                cells[7] = (layout.contacts(row.responsible_phone, row.responsible_email), "text")
            self._row(self.row, cells)
            self.row += 1
        self._flat_school(school, report, values)
        self.done += 1
        if self.progress and (self.done % 20 == 0 or self.done == self.total_schools):
            self.progress(self.done, self.total_schools)

    def _total_row(self, label: str, totals: GroupTotals, first: int, last: int, fmt_text="total_text"):
        r = self.row
        self.sheet.set_row(r, fit.row_height([(label, sum(WIDTHS[n] for n in range(2, 8)), DATA_PT, True)]))
        self.sheet.write_blank(r, 0, None, self.fmt[fmt_text])
        self.sheet.merge_range(r, 1, r, TOTAL_LABEL_LAST_COL, label, self.fmt[fmt_text])
        for number in layout.SUM_COLUMNS:
            col = number - 1
            value = totals.sums.get(number, 0)
            if last >= first and number != layout.MODULES_COLUMN:
                ref = f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"
                self.sheet.write_formula(r, col, f"=SUBTOTAL(9,{ref})", self.fmt["total_int"], value)
            else:
                # Column 14 mixes numbers and «5 (турникет …)» texts: its total is the sum of the counts.
                self.sheet.write_number(r, col, value, self.fmt["total_int"])
        for col in range(18, 25):
            self.sheet.write_blank(r, col, None, self.fmt[fmt_text])
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

    # --- sheet 2: who is left out ---------------------------------------------------------------------
    LEFT_OUT_COLUMNS = (
        ("№ п/п", 5),
        ("МОУО", 24),
        ("Наименование общеобразовательной организации", 50),
        ("Состояние отчёта", 22),
    )

    def _left_out_sheet(self):
        t, f = self.left_sheet, self.fmt
        for col, (_, width) in enumerate(self.LEFT_OUT_COLUMNS):
            t.set_column(col, col, width)
        full_width = sum(w for _, w in self.LEFT_OUT_COLUMNS)
        last_col = len(self.LEFT_OUT_COLUMNS) - 1
        heading = f"Не включены в таблицу «Приложение 1» ({self.basis.label}): {orgs(len(self.left_out))}"
        t.set_row(0, fit.row_height([(heading, full_width, DATA_PT, True)]))
        t.merge_range(0, 0, 0, last_col, heading, f["bold"])
        t.set_row(1, fit.row_height([(label, w, DATA_PT, True) for label, w in self.LEFT_OUT_COLUMNS]))
        for col, (label, _) in enumerate(self.LEFT_OUT_COLUMNS):
            _text(t, 1, col, label, f["bold_border"])
        for i, school in enumerate(self.left_out, start=1):
            cells = (
                i,
                school.municipality.name,
                layout.name_with_address(school.short_name, school.address),
                state_label(school.report_status),
            )
            t.set_row(
                i + 1,
                fit.row_height(
                    [
                        (v, w, DATA_PT, False)
                        for v, (_, w) in zip(cells, self.LEFT_OUT_COLUMNS, strict=True)
                        if isinstance(v, str)
                    ]
                ),
            )
            t.write_number(i + 1, 0, i, f["code"])
            for col, value in enumerate(cells[1:], start=1):
                _text(t, i + 1, col, value, f["text"])
        t.freeze_panes(2, 0)
        if self.left_out:
            t.autofilter(1, 0, len(self.left_out) + 1, last_col)
        _print_setup(t, paper=9, landscape=False, repeat=(1, 1))

    # --- sheet 3: flat table ------------------------------------------------------------------------
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
        ("Другие", "module_other"),
        ("Какие модули и чьей разработки", "other_modules_text"),
        *[(f"{n}. {layout.HEADER_LABELS[n]}", name) for n, (name, _) in layout.CODE_COLUMNS.items()],
        ("Координатор", "coordinator_name"),
        ("Телефон координатора", "coordinator_phone"),
        ("E-mail координатора", "coordinator_email"),
        ("Скайп координатора", "coordinator_skype"),
        ("Мероприятия", "events"),
        ("Филиалов", "branches"),
        ("Примечания", "notes"),
    )

    FLAT_WIDTH = 14

    def _flat_header(self):
        t = self.flat
        t.set_column(0, len(self.FLAT_COLUMNS) - 1, self.FLAT_WIDTH)
        t.set_row(
            0, fit.row_height([(label, self.FLAT_WIDTH, DATA_PT, True) for label, _ in self.FLAT_COLUMNS])
        )
        for col, (label, _) in enumerate(self.FLAT_COLUMNS):
            _text(t, 0, col, label, self.fmt["bold"])
        t.freeze_panes(1, 2)
        _print_setup(t, paper=PAPER_A3, landscape=True, repeat=(0, 0))

    def _flat_school(self, school, report, values):
        row = self.flat_row
        data = {
            "municipality": school.municipality.name,
            "school": school.short_name,
            "address": school.address,
            "status": report.get_status_display() if report else NOT_STARTED,
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

    # --- sheet 4: totals per municipality -------------------------------------------------------------
    def _totals_sheet(self):
        t = self.totals
        headers = ["МОУО", "Организаций", *[f"{n}. {layout.HEADER_LABELS[n]}" for n in layout.SUM_COLUMNS]]
        t.set_row(0, fit.row_height([(label, 12, DATA_PT, True) for label in headers]))
        for col, label in enumerate(headers):
            _text(t, 0, col, label, self.fmt["bold"])
        t.set_column(0, 0, 30)
        t.set_column(1, len(headers), 12)
        _print_setup(t, paper=9, landscape=True, repeat=(0, 0))
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
    basis: str = DEFAULT_BASIS,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the workbook to ``path``: the reports that count on ``basis`` and the list of the
    participants left out. Returns the number of schools in the official sheet."""
    schools = export_schools(user=user, campaign=campaign, municipality=municipality, basis=basis)
    total = schools.count()
    left_out = left_out_schools(user=user, campaign=campaign, municipality=municipality, basis=basis)
    writer = Appendix1Writer(
        path, campaign, total_schools=total, basis=basis, left_out=left_out, progress=progress
    )
    writer.start()
    current = None
    for school in _iterate(schools):
        if current is None or school.municipality_id != current.pk:
            if current is not None:
                writer.end_group()
            current = school.municipality
            writer.start_group(current)
        writer.add_school(school, school.export_reports[0])
    if current is not None:
        writer.end_group()
    writer.finish()
    return total


def _iterate(queryset) -> Iterable[School]:
    return queryset.iterator(chunk_size=CHUNK)
