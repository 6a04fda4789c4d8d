"""Hostile workbooks: endless cells, counts beyond the range, NUL in a cell, too many rows. Every
one is answered with a located Russian message; nothing is written, no traceback."""

import openpyxl
import pytest

from core.bounds import IMPORT_MAX_ROWS, MSG_CONTROL_CHARS, count_range_message
from reports.excel import importer, reading
from reports.excel.importer import MSG_CELL_TOO_LONG, MSG_TOO_MANY_ROWS
from tests.factories import campaign
from tests.reports.test_excel_import import _row, _run, _state, _workbook_with


def test_forty_thousand_character_cell_is_a_located_error(world, tmp_path):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска", cols={6: "x" * 40_000})])
    before = _state()
    result = _run(path, world.methodist, target, dry_run=False)
    assert not result.written
    assert [(e.row, e.column) for e in result.errors] == [(3, 6)]
    assert MSG_CELL_TOO_LONG.split(":")[0] in result.errors[0].message
    assert _state() == before


@pytest.mark.parametrize("value", [2**31, 2**63 + 5, "2147483648", -(2**31), 1e300, "9" * 400])
def test_count_beyond_range_is_a_located_error(world, tmp_path, value):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска", cols={15: value})])
    before = _state()
    result = _run(path, world.methodist, target, dry_run=False)
    assert not result.written
    assert any(e.row == 3 and e.column == 15 and e.message == count_range_message() for e in result.errors), (
        result.errors
    )
    assert _state() == before


def test_nul_in_a_cell_is_a_located_error(world, tmp_path, monkeypatch):
    """openpyxl cannot write a NUL; a crafted file could carry one: the reader refuses the cell."""
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска")])
    real = reading._read_rows

    def with_nul(fileobj):
        rows = real(fileobj)
        value = "Иванов\x00"
        rows[0].cells[6] = reading.BadCell(reading.cell_problem(value))
        return rows

    monkeypatch.setattr(reading, "_read_rows", with_nul)
    result = _run(path, world.methodist, target, dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, 6, MSG_CONTROL_CHARS)]
    assert reading.cell_problem("a\x00b") == MSG_CONTROL_CHARS
    assert reading.cell_problem("строка\nвторая\tстрока") is None


def test_long_text_within_cell_cap_but_over_the_field_is_refused_by_the_service(world, tmp_path):
    """A 1 000-character name fits a cell but not the report's field: the service guard answers."""
    target = campaign("2015", participants=[])
    path = _workbook_with(
        tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска", cols={6: "Иванов " * 150})]
    )
    before = _state()
    result = _run(path, world.methodist, target, dry_run=False)
    assert not result.written and result.errors
    assert all(e.row == 3 for e in result.errors)
    assert _state() == before


def test_too_many_rows_refused_before_parsing(world, tmp_path, monkeypatch):
    target = campaign("2015", participants=[])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(range(1, 26)))
    ws.cell(row=IMPORT_MAX_ROWS + reading.HEADER_ROWS_MAX + 10, column=2, value="Город Томск")
    path = tmp_path / "huge.xlsx"
    wb.save(path)

    def must_not_parse(*args, **kwargs):
        raise AssertionError("rows parsed although the sheet declares too many")

    monkeypatch.setattr(reading, "_is_number_row", must_not_parse)
    result = _run(path, world.methodist, target, dry_run=True)
    assert [e.message for e in result.errors] == [MSG_TOO_MANY_ROWS.format(max="5\u00a0000")]


def test_rows_past_the_cap_stop_reading_when_the_dimension_lies(world, tmp_path, monkeypatch):
    target = campaign("2015", participants=[])
    monkeypatch.setattr(reading, "IMPORT_MAX_ROWS", 3)
    monkeypatch.setattr(reading, "row_count", lambda fileobj: None)  # no dimension in the file
    rows = [_row("Город Томск", "МАОУ СОШ № 1 г. Томска") for _ in range(10)]
    path = _workbook_with(tmp_path, rows)
    result = _run(path, world.methodist, target, dry_run=True)
    assert [e.message for e in result.errors] == [MSG_TOO_MANY_ROWS.format(max=3)]


def test_importer_reexports_messages():
    assert importer.MSG_TOO_MANY_ROWS is reading.MSG_TOO_MANY_ROWS
