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

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connections
from django.db.models import Aggregate, F, JSONField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.formats import date_format
from xlsxwriter.utility import xl_rowcol_to_cell

from accounts.access import school_q
from core.russian import orgs
from monitoring.basis import DEFAULT_BASIS, Basis
from monitoring.columns import COLUMNS
from monitoring.models import Campaign, ReportBranch, ReportEvent, ReportStatus, SchoolReport
from monitoring.selectors import reports_on_basis
from schools.models import Branch, Municipality, School

from . import fit, layout
from .streaming import FastZipWorkbook, Formula, StreamingWorksheet

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
NUMBER_FIELDS = tuple(layout.NUMBER_COLUMNS.values())
NUMBER_ITEMS = tuple(layout.NUMBER_COLUMNS.items())
MODULES_INDEX = list(layout.NUMBER_COLUMNS).index(layout.MODULES_COLUMN)
CODE_FIELDS = tuple(name for name, _ in layout.CODE_COLUMNS.values())
_NUMBERS_OF, _CODES_OF = operator.itemgetter(*NUMBER_FIELDS), operator.itemgetter(*CODE_FIELDS)
# The format of each column of a school's row (text is always written as «text»); a branch's row
# is bordered text but for its number.
OFFICIAL_FORMATS = ("code", *["text"] * 6, *["int"] * 11, *["code"] * 3, *["text"] * 4)
BRANCH_FORMATS = ("code", *["text"] * 24)
TOTAL_FORMATS = (*["total_text"] * 7, *["total_int"] * 11, *["total_text"] * 7)


@dataclass
class GroupTotals:
    sums: dict[int, int] = field(default_factory=dict)
    first_row: int = 0
    schools: int = 0


# What the export reads of a counted report, in the order of the table: one row per report, its
# school's branches, its own branch rows and its events aggregated in the same query.
REPORT_FIELDS = (
    "school_id",
    "school__municipality_id",
    "school__municipality__name",
    "school__municipality__kind",
    "school__short_name",
    "school__address",
    "status",
    "submitted_at",
    "updated_at",
    "system__name",
    "system__vendor__short_name",
    "responsible_name",
    "responsible_position",
    "responsible_phone",
    "responsible_email",
    *layout.NUMBER_COLUMNS.values(),
    *layout.MODULE_FIELDS,
    *(name for name, _ in layout.CODE_COLUMNS.values()),
    "coordinator_name",
    "coordinator_phone",
    "coordinator_email",
    "coordinator_skype",
    "notes",
    "branches_json",
    "branch_rows_json",
    "events_json",
)
TABLE_ORDER = (
    "school__municipality__sort_order",
    "school__municipality__name",
    "school__short_name",
    "school_id",
)
STATUS_LABELS = dict(ReportStatus.choices)
# Keys of the flat table that are read from another field of the record.
FLAT_SOURCES = {
    "municipality": "school__municipality__name",
    "school": "school__short_name",
    "address": "school__address",
    "system": "system__name",
    "vendor": "system__vendor__short_name",
}
# Keys of the flat table the writer computes; it puts them in the record under these names.
FLAT_COMPUTED = {"status": "flat:status", "events": "flat:events", "branches": "flat:branches"}
FLAT_MOMENTS = frozenset(("submitted_at", "updated_at"))  # datetimes, shown in the region's time


class _JSONGroupArray(Aggregate):
    """SQLite's ``json_group_array``; rows are put in order in Python (``_sorted``)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()


def _json_rows(queryset, outer: str, key: str, fields: dict, order: tuple[str, ...], vendor: str):
    """A subquery: the rows of ``queryset`` whose ``key`` is the outer row's ``outer``, as a JSON
    list of ``fields``, in ``order`` (on PostgreSQL in SQL; on SQLite by ``_sorted``)."""
    obj = JSONObject(**fields)
    if vendor == "postgresql":
        from django.contrib.postgres.aggregates import JSONBAgg

        agg: Aggregate = JSONBAgg(obj, order_by=order)
    else:
        agg = _JSONGroupArray(obj)
    return Subquery(
        queryset.filter(**{key: OuterRef(outer)}).order_by().values(key).annotate(rows=agg).values("rows")
    )


def _sorted(rows, *keys: str) -> list[dict]:
    return sorted(rows or (), key=lambda r: tuple(r[k] for k in keys))


def export_rows(
    *, user, campaign: Campaign, municipality: Municipality | None = None, basis: str = DEFAULT_BASIS
) -> QuerySet:
    """The reports that count on ``basis`` in the user's scope, in the order of the table, as
    tuples of ``REPORT_FIELDS``: school, report, and as JSON lists the school's branches (by
    name), the report's branch rows and its events (in their order). One query; stream it with
    ``.iterator()`` (a server-side cursor on PostgreSQL)."""
    counted = reports_on_basis(user=user, campaign=campaign, basis=basis, municipality=municipality)
    vendor = connections[counted.db].vendor
    branches = _json_rows(
        Branch.objects.all(),
        "school_id",
        "school",
        {"id": F("pk"), "name": F("name"), "address": F("address"), "active": F("is_active")},
        ("name",),
        vendor,
    )
    branch_rows = _json_rows(
        ReportBranch.objects.all(),
        "pk",
        "report",
        {
            "branch": F("branch_id"),
            "system": F("system__name"),
            "responsible_name": F("responsible_name"),
            "responsible_position": F("responsible_position"),
            "responsible_phone": F("responsible_phone"),
            "responsible_email": F("responsible_email"),
        },
        ("branch_id",),
        vendor,
    )
    events = _json_rows(
        ReportEvent.objects.all(),
        "pk",
        "report",
        {
            "title": F("title"),
            "students": F("students"),
            "teachers": F("teachers"),
            "position": F("position"),
            "id": F("pk"),
        },
        ("position", "pk"),
        vendor,
    )
    return (
        counted.annotate(branches_json=branches, branch_rows_json=branch_rows, events_json=events)
        .order_by(*TABLE_ORDER)
        .values_list(*REPORT_FIELDS)
    )


def export_schools(
    *, user, campaign: Campaign, municipality: Municipality | None = None, basis: str = DEFAULT_BASIS
):
    """Schools whose report counts on ``basis``, in the user's scope, ordered as the table groups
    them; each with ``export_reports`` (its one counted report). For callers that want model
    instances (a few schools); the export itself reads ``export_rows``."""
    counted = reports_on_basis(user=user, campaign=campaign, basis=basis, municipality=municipality)
    qs = (
        School.objects.filter(pk__in=counted.values("school_id"))
        .select_related("municipality")
        .order_by("municipality__sort_order", "municipality__name", "short_name", "pk")
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


class LeftOut(NamedTuple):
    municipality: str
    name: str
    address: str
    report_status: str | None


def left_out_schools(
    *, user, campaign: Campaign, municipality: Municipality | None = None, basis: str = DEFAULT_BASIS
) -> list[LeftOut]:
    """Participants in the user's scope whose report does not count on ``basis``, with their
    report's state (None when not started). One query."""
    counted = reports_on_basis(user=user, campaign=campaign, basis=basis, municipality=municipality)
    qs = School.objects.filter(school_q(user), campaigns=campaign).exclude(pk__in=counted.values("school_id"))
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    status = SchoolReport.objects.filter(campaign=campaign, school=OuterRef("pk")).values("status")[:1]
    return [
        LeftOut(*row)
        for row in qs.annotate(report_status=Subquery(status))
        .order_by("municipality__sort_order", "municipality__name", "short_name", "pk")
        .values_list("municipality__name", "short_name", "address", "report_status")
    ]


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


class Group(NamedTuple):
    """What a group row needs of its municipality."""

    name: str
    is_regional: bool


def _events_text(events) -> str:
    return layout.events_text(events or ())


def record_from_models(school: School, report: SchoolReport) -> dict:
    """The export's record (``REPORT_FIELDS`` → value, as ``export_rows`` reads it) of model
    instances: for writing a workbook of chosen reports row by row."""
    system = report.system if report.system_id else None
    record = {
        "school_id": school.pk,
        "school__municipality_id": school.municipality_id,
        "school__municipality__name": school.municipality.name,
        "school__municipality__kind": school.municipality.kind,
        "school__short_name": school.short_name,
        "school__address": school.address,
        "system__name": system.name if system else None,
        "system__vendor__short_name": system.vendor.short_name if system and system.vendor_id else None,
        "branches_json": [
            {"id": b.pk, "name": b.name, "address": b.address, "active": b.is_active}
            for b in school.branches.all()
        ],
        "branch_rows_json": [
            {
                "branch": row.branch_id,
                "system": row.system.name if row.system_id else None,
                "responsible_name": row.responsible_name,
                "responsible_position": row.responsible_position,
                "responsible_phone": row.responsible_phone,
                "responsible_email": row.responsible_email,
            }
            for row in report.branch_rows.all()
        ],
        "events_json": [
            {"title": e.title, "students": e.students, "teachers": e.teachers} for e in report.events.all()
        ],
    }
    for name in REPORT_FIELDS:
        if name not in record:
            record[name] = getattr(report, name)
    return record


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
        left_out: list[LeftOut] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ):
        self.book = FastZipWorkbook(
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
        self.sheet = self.book.add_worksheet(MAIN_SHEET, worksheet_class=StreamingWorksheet)
        self.left_sheet = self.book.add_worksheet(LEFT_OUT_SHEET, worksheet_class=StreamingWorksheet)
        self.flat = self.book.add_worksheet(FLAT_SHEET, worksheet_class=StreamingWorksheet)
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
        self.official_formats = [self.fmt[key] for key in OFFICIAL_FORMATS]
        self.branch_formats = [self.fmt[key] for key in BRANCH_FORMATS]
        self.total_formats = [self.fmt[key] for key in TOTAL_FORMATS]
        self.official_fit = fit.ColumnFit({n - 1: w for n, w in WIDTHS.items()}, DATA_PT)
        self.flat_sources = [FLAT_SOURCES.get(key, key) for _, key in self.FLAT_COLUMNS]
        # The columns the writer computes come from keys of its own, put in the record.
        self.flat_values = operator.itemgetter(*[FLAT_COMPUTED.get(key, key) for key in self.flat_sources])
        self.timezone = timezone.get_current_timezone()
        self.flat_formats = [self.fmt["plain_int"]] * len(self.flat_sources)
        self.flat_moments = [col for col, key in enumerate(self.flat_sources) if key in FLAT_MOMENTS]

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

    def _write_row(self, sheet, row: int, values, formats, fitter):
        """One row with its height (rows go out in order), every cell typed: empty values are
        bordered blanks; text is always text, never a formula."""
        height = fitter.row_height(values)
        sheet.stream_values(row, values, formats, self.fmt["text"], height=height)

    def start_group(self, municipality):
        """``municipality``: a Municipality or a ``Group`` (its name and whether it is regional)."""
        self.group = GroupTotals(first_row=self.row)
        self.municipality = municipality

    def add_school(self, school: School, report: SchoolReport):
        self.add_record(record_from_models(school, report))

    def add_record(self, r: dict):
        """Write one counted report (a record of ``export_rows``): its row, its branches' rows, its
        row of the flat table."""
        self.numbering += 1
        numbers = list(_NUMBERS_OF(r))
        numbers[MODULES_INDEX] = layout.modules_cell(r)
        events = _events_text(r["events_json"])
        values = (
            self.numbering,
            r["school__municipality__name"],
            layout.name_with_address(r["school__short_name"], r["school__address"]),
            "",
            r["system__name"] or "",
            layout.person(r["responsible_name"], r["responsible_position"]),
            layout.contacts(r["responsible_phone"], r["responsible_email"]),
            *numbers,
            *_CODES_OF(r),
            r["coordinator_name"],
            layout.contacts(r["coordinator_phone"], r["coordinator_email"], r["coordinator_skype"]),
            events,
            r["notes"],
        )
        self._write_row(self.sheet, self.row, values, self.official_formats, self.official_fit)
        group = self.group
        group_sums = group.sums  # the region's are added up from its groups (end_group)
        for number, name in NUMBER_ITEMS:
            value = r[name]
            if isinstance(value, int):
                group_sums[number] = group_sums.get(number, 0) + value
        self.row += 1
        group.schools += 1
        branches = r["branches_json"] or ()
        if branches:
            rows = {row["branch"]: row for row in r["branch_rows_json"] or ()}
            for branch in branches:
                row = rows.get(branch["id"])
                if row is None and not branch["active"]:
                    continue
                self.numbering += 1
                cells: list[object] = [""] * 25
                cells[0] = self.numbering
                cells[3] = layout.name_with_address(branch["name"], branch["address"])
                if row is not None:
                    cells[4] = row["system"] or ""
                    cells[5] = layout.person(row["responsible_name"], row["responsible_position"])
                    cells[6] = layout.contacts(row["responsible_phone"], row["responsible_email"])
                self._write_row(self.sheet, self.row, cells, self.branch_formats, self.official_fit)
                self.row += 1
        self._flat_record(r, events, len(branches))
        self.done += 1
        if self.progress and (self.done % 20 == 0 or self.done == self.total_schools):
            self.progress(self.done, self.total_schools)

    def _total_row(self, label: str, totals: GroupTotals, first: int, last: int):
        r = self.row
        values: list[object] = [None, label, *[None] * (TOTAL_LABEL_LAST_COL - 1)]
        for number in layout.SUM_COLUMNS:
            col = number - 1
            value = totals.sums.get(number, 0)
            if last >= first and number != layout.MODULES_COLUMN:
                ref = f"{xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)}"
                values.append(Formula(f"SUBTOTAL(9,{ref})", value))
            else:
                # Column 14 mixes numbers and «5 (турникет …)» texts: its total is the sum of the counts.
                values.append(value)
        values += [None] * 7
        self.sheet.merge_cells(r, 1, TOTAL_LABEL_LAST_COL)
        height = fit.row_height([(label, sum(WIDTHS[n] for n in range(2, 8)), DATA_PT, True)])
        self.sheet.stream_values(r, values, self.total_formats, self.fmt["total_text"], height=height)
        self.row += 1

    def end_group(self):
        self._total_row(_group_label(self.municipality), self.group, self.group.first_row, self.row - 1)
        self.group_rows.append((self.municipality.name, self.group))
        region_sums = self.region.sums
        for number, value in self.group.sums.items():
            region_sums[number] = region_sums.get(number, 0) + value

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
        fitter = fit.ColumnFit(dict(enumerate(w for _, w in self.LEFT_OUT_COLUMNS)), DATA_PT)
        formats = (f["code"], f["text"], f["text"], f["text"])
        for i, school in enumerate(self.left_out, start=1):
            cells = (
                i,
                school.municipality,
                layout.name_with_address(school.name, school.address),
                state_label(school.report_status),
            )
            self._write_row(t, i + 1, cells, formats, fitter)
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

    def _flat_record(self, r: dict, events: str, branches: int):
        row = self.flat_row
        r[FLAT_COMPUTED["status"]] = STATUS_LABELS.get(r["status"], r["status"])
        r[FLAT_COMPUTED["events"]] = events
        r[FLAT_COMPUTED["branches"]] = branches
        values = list(self.flat_values(r))
        for col in self.flat_moments:
            if values[col] is not None:
                values[col] = values[col].astimezone(self.timezone).replace(tzinfo=None)
        self.flat.stream_values(
            row,
            values,
            self.flat_formats,
            self.fmt["plain"],
            date_format=self.fmt["plain_date"],
            skip_empty=True,
        )
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
    participants left out. Returns the number of schools in the official sheet. A constant
    number of queries whatever the size: the left-out list, the streamed rows, and for
    ``progress`` (done, of how many) the count first."""
    total = 0
    if progress is not None:
        total = reports_on_basis(user=user, campaign=campaign, basis=basis, municipality=municipality).count()
    left_out = left_out_schools(user=user, campaign=campaign, municipality=municipality, basis=basis)
    writer = Appendix1Writer(
        path, campaign, total_schools=total, basis=basis, left_out=left_out, progress=progress
    )
    writer.start()
    current = None
    for record in records(export_rows(user=user, campaign=campaign, municipality=municipality, basis=basis)):
        if record["school__municipality_id"] != current:
            if current is not None:
                writer.end_group()
            current = record["school__municipality_id"]
            writer.start_group(
                Group(
                    record["school__municipality__name"],
                    record["school__municipality__kind"] == Municipality.Kind.REGIONAL,
                )
            )
        writer.add_record(record)
    if current is not None:
        writer.end_group()
    writer.finish()
    return writer.done


def records(queryset) -> Iterator[dict]:
    """Stream ``export_rows`` (``CHUNK`` rows a fetch; a server-side cursor on PostgreSQL) as
    records. On PostgreSQL the JSON lists come in order; elsewhere they are put in order here."""
    in_order = connections[queryset.db].vendor == "postgresql"
    for row in queryset.iterator(chunk_size=CHUNK):
        record = dict(zip(REPORT_FIELDS, row, strict=True))
        if not in_order:
            record["branches_json"] = _sorted(record["branches_json"], "name")
            record["events_json"] = _sorted(record["events_json"], "position", "id")
        yield record
