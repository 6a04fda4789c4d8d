"""The streamed rows of a large sheet are the XML XlsxWriter itself writes for the same cells."""

import zipfile
import zlib
from datetime import datetime

import pytest
import xlsxwriter
import xlsxwriter.workbook
from hypothesis import given, settings
from hypothesis import strategies as st
from isal import isal_zlib
from openpyxl import load_workbook
from xlsxwriter.exceptions import OverlappingRange

from reports.excel.streaming import FastZipWorkbook, Formula, RowOrderError, StreamingWorksheet

TRICKY = [
    "обычный текст",
    "a & b < c > d \"q\" 'a'",
    " leading",
    "trailing ",
    "\tтаб",
    "строка\nперенос",
    "_x0041_ как экранирование",
    "нуль\x00и\x1fуправляющие",
    "\ufffe\uffff",
    "=SUM(A1:A2)",
    "ж" * 20000,
    "😀" * 17000,  # over 32 767 UTF-16 units: cut, as XlsxWriter cuts it
]


def _sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _by_xlsxwriter(path, rows, skip_empty=False):
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    fmt = book.add_format({"bold": True})
    num = book.add_format({"num_format": "#,##0"})
    date = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    sheet = book.add_worksheet("s")
    sheet.write_string(0, 0, "заголовок", fmt)
    for row, (values, height) in enumerate(rows, start=1):
        if height is not None:
            sheet.set_row(row, height)
        for col, value in enumerate(values):
            if value is None or value == "":
                if not skip_empty:
                    sheet.write_blank(row, col, None, num)
            elif isinstance(value, bool):
                sheet.write_string(row, col, "да" if value else "нет", fmt)
            elif isinstance(value, str):
                sheet.write_string(row, col, value, fmt)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, col, value, date)
            else:
                sheet.write_number(row, col, value, num)
    sheet.write_string(len(rows) + 1, 0, "итог", fmt)
    book.close()


def _streamed(path, rows, skip_empty=False):
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    fmt = book.add_format({"bold": True})
    num = book.add_format({"num_format": "#,##0"})
    date = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    sheet = book.add_worksheet("s", worksheet_class=StreamingWorksheet)
    sheet.write_string(0, 0, "заголовок", fmt)
    for row, (values, height) in enumerate(rows, start=1):
        sheet.stream_values(
            row, values, [num] * len(values), fmt, date_format=date, height=height, skip_empty=skip_empty
        )
    sheet.write_string(len(rows) + 1, 0, "итог", fmt)
    book.close()


def test_streamed_rows_are_the_xml_xlsxwriter_writes(tmp_path):
    rows = [
        (TRICKY, None),
        ([1, 0, -7, 10**15 - 1, 10**15, -(10**16), 2**40], 30),
        (["", None, "текст", 5, datetime(2026, 3, 1, 14, 30)], 15),
        ([None, None], 45.5),
    ]
    _by_xlsxwriter(tmp_path / "a.xlsx", rows)
    _streamed(tmp_path / "b.xlsx", rows)
    assert _sheet_xml(tmp_path / "a.xlsx") == _sheet_xml(tmp_path / "b.xlsx")


@pytest.mark.parametrize("skip_empty", [False, True])
def test_a_text_that_needs_care_among_plain_ones_is_written_as_xlsxwriter_writes_it(tmp_path, skip_empty):
    """A row's texts are checked together: one text to escape or mark, wherever it stands, sends
    the whole row through the careful writer."""
    rows = [(["простой", text, "ещё простой", 3, True], None) for text in TRICKY]
    rows += [([None, "начало", 7, text], 20) for text in TRICKY]
    rows += [(["a<b", "c"], None), (["x ", "y"], None), (["x", " y"], None), (["", None, "z", None], None)]
    rows += [([False, datetime(2026, 3, 1, 14, 30), "простой текст", 10**16], None), ([None, None], None)]
    _by_xlsxwriter(tmp_path / "a.xlsx", rows, skip_empty)
    _streamed(tmp_path / "b.xlsx", rows, skip_empty)
    assert _sheet_xml(tmp_path / "a.xlsx") == _sheet_xml(tmp_path / "b.xlsx")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(min_value=-(2**53), max_value=2**53),
                st.text(max_size=40).filter(lambda s: not (s.startswith("<r>") and s.endswith("</r>"))),
            ),
            max_size=8,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_row_streams_as_xlsxwriter_writes_it(tmp_path_factory, values):
    tmp = tmp_path_factory.mktemp("rows")
    rows = [(row, None) for row in values]
    _by_xlsxwriter(tmp / "a.xlsx", rows)
    _streamed(tmp / "b.xlsx", rows)
    assert _sheet_xml(tmp / "a.xlsx") == _sheet_xml(tmp / "b.xlsx")


def test_text_that_looks_like_rich_text_is_escaped(tmp_path):
    """XlsxWriter writes «<r>…</r>» unescaped (as rich text); a streamed cell keeps it as text."""
    book = xlsxwriter.Workbook(str(tmp_path / "r.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("s", worksheet_class=StreamingWorksheet)
    sheet.stream_values(0, ["<r>не разметка</r>"], [None], None)
    book.close()
    assert load_workbook(tmp_path / "r.xlsx")["s"]["A1"].value == "<r>не разметка</r>"


def test_formulas_and_merges_are_those_of_xlsxwriter(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "a.xlsx"), {"constant_memory": True})
    fmt = book.add_format({"bold": True})
    sheet = book.add_worksheet("s")
    sheet.write_number(0, 0, 1, fmt)
    sheet.write_blank(1, 0, None, fmt)
    sheet.merge_range(1, 1, 1, 3, "Итого", fmt)
    sheet.write_formula(1, 4, "=SUBTOTAL(9,A1:A1)", fmt, 1)
    book.close()

    book = xlsxwriter.Workbook(str(tmp_path / "b.xlsx"), {"constant_memory": True})
    fmt = book.add_format({"bold": True})
    sheet = book.add_worksheet("s", worksheet_class=StreamingWorksheet)
    sheet.write_number(0, 0, 1, fmt)
    sheet.merge_cells(1, 1, 3)
    sheet.stream_values(1, [None, "Итого", None, None, Formula("SUBTOTAL(9,A1:A1)", 1)], [fmt] * 5, fmt)
    book.close()
    assert _sheet_xml(tmp_path / "a.xlsx") == _sheet_xml(tmp_path / "b.xlsx")
    assert [str(r) for r in load_workbook(tmp_path / "b.xlsx")["s"].merged_cells.ranges] == ["B2:D2"]


def test_overlapping_merge_is_refused(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "m.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("s", worksheet_class=StreamingWorksheet)
    sheet.merge_cells(0, 0, 2)
    with pytest.raises(OverlappingRange):
        sheet.merge_cells(0, 2, 4)
    book.close()


def test_rows_go_out_in_order(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "o.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("s", worksheet_class=StreamingWorksheet)
    sheet.stream_values(3, ["a"], [None], None)
    with pytest.raises(RowOrderError):
        sheet.stream_values(2, ["b"], [None], None)
    sheet.write_string(5, 0, "c")
    with pytest.raises(RowOrderError):
        sheet.stream_values(5, ["d"], [None], None)  # XlsxWriter still holds row 5
    with pytest.raises(RowOrderError):
        sheet.stream_values(1_048_576, ["e"], [None], None)
    book.close()
    values = list(load_workbook(tmp_path / "o.xlsx")["s"].iter_rows(values_only=True))
    assert values[3] == ("a",) and values[5] == ("c",)


def test_fast_zip_workbook_packs_with_isal_and_puts_the_default_back(tmp_path):
    default = xlsxwriter.workbook.ZipFile
    book = FastZipWorkbook(str(tmp_path / "z.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("s", worksheet_class=StreamingWorksheet)
    for row in range(2000):
        sheet.stream_values(row, ["повторяющийся текст " * 5, row], [None, None], None)
    book.close()
    assert xlsxwriter.workbook.ZipFile is default
    with zipfile.ZipFile(tmp_path / "z.xlsx") as archive:
        assert archive.testzip() is None  # every part's CRC agrees
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        data = archive.read(info)
    assert info.compress_type == zipfile.ZIP_DEFLATED

    def deflated(module, level: int) -> int:
        packer = module.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(data) + packer.flush())

    assert info.compress_size == deflated(isal_zlib, FastZipWorkbook.ISAL_LEVEL) != deflated(zlib, 6)
    assert info.compress_size < len(data) / 10
    assert load_workbook(tmp_path / "z.xlsx")["s"]["B2000"].value == 1999


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1899, 12, 1), max_value=datetime(9999, 12, 31)))
def test_date_serials_are_those_of_xlsxwriter(value):
    sheet = StreamingWorksheet()
    assert sheet._serial(value) == sheet._convert_date_time(value)
    sheet.date_1904 = True
    assert sheet._serial(value) == sheet._convert_date_time(value)


def test_dimensions_count_rows_set_ahead_as_xlsxwriter_counts_them(tmp_path):
    paths = {}
    for way in ("xlsxwriter", "streamed"):
        paths[way] = tmp_path / f"{way}.xlsx"
        book = xlsxwriter.Workbook(str(paths[way]), {"constant_memory": True})
        fmt = book.add_format({"bold": True})
        sheet = book.add_worksheet("s", worksheet_class=StreamingWorksheet)
        sheet.set_row(9, 30)  # a later row's height, set before row 3 is written
        if way == "xlsxwriter":
            sheet.write_string(3, 2, "текст", fmt)
            sheet.write_number(3, 4, 5, fmt)
        else:
            sheet.stream_values(3, [None, None, "текст", None, 5], [fmt] * 5, fmt, skip_empty=True)
        book.close()
    xml = _sheet_xml(paths["streamed"])
    assert '<dimension ref="A4:E10"/>' in xml  # row 10 set ahead stays the last row
    assert _sheet_xml(paths["xlsxwriter"]) == xml


@settings(max_examples=500, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_texts_to_escape_are_found_by_the_inner_pattern_and_the_edges(text):
    """The row writer's quick test (``_CARE_INSIDE`` plus ``isspace`` at both ends) finds exactly
    the texts XlsxWriter's rule (``_NEEDS_CARE``) finds."""
    from reports.excel.streaming import _CARE_INSIDE, _NEEDS_CARE

    quick = _CARE_INSIDE.search(text) is not None or text[0].isspace() or text[-1].isspace()
    assert quick == (_NEEDS_CARE.search(text) is not None)
