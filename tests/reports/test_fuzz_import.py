"""Arbitrary cells in a generated Appendix 1 workbook: the import answers with located errors or a
preview, never an exception, and a dry run writes nothing."""

import io

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from reports.excel.importer import ImportResult, import_appendix1
from tests.factories import campaign
from tests.fuzz import FUZZ_SETTINGS, cell_value
from tests.reports.test_excel_import import _row, _state


def _book(cells: dict[int, object]) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Сведения по использованию СЭД"])
    ws.append(list(range(1, 26)))
    row = _row("Город Томск", "МАОУ СОШ № 1 г. Томска")
    for col, value in cells.items():
        row[col - 1] = value
    ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_parser_answers_every_cell_with_a_result(world):
    target = campaign("2015", participants=[])
    before = _state()

    @FUZZ_SETTINGS
    @given(
        cells=st.dictionaries(st.integers(min_value=2, max_value=25), cell_value(), min_size=1, max_size=5)
    )
    def load(cells):
        result = import_appendix1(
            _book(cells), user=world.methodist, campaign=target, file_name="fuzz.xlsx", dry_run=True
        )
        assert isinstance(result, ImportResult)
        assert all(isinstance(e.message, str) and e.message for e in result.errors)
        assert not result.written

    load()
    assert _state() == before
