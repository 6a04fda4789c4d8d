"""Reading an Appendix 1 workbook: safety checks, then the cells of every row below the number row.

Nothing here knows about organisations: the result is raw rows (sheet row number → cells) and the
helpers that turn a cell into text or a whole number with a message saying what is wrong.
"""

from dataclasses import dataclass

import openpyxl
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from core.bounds import (
    CELL_MAX,
    COUNT_MAX,
    IMPORT_MAX_ROWS,
    MSG_CONTROL_CHARS,
    count_range_message,
    has_control_chars,
)
from core.russian import num

from .safety import UnsafeWorkbook, check_xlsx

MSG_NO_NUMBER_ROW = (
    "Не найдена строка с номерами граф 1, 2, 3 … 25: проверьте, что таблица в формате Приложения 1."
)
MSG_FORMULA_NO_VALUE = (
    "В ячейке формула без сохранённого значения: откройте файл в Excel или LibreOffice, сохраните его "
    "заново или замените формулу числом."
)
MSG_NOT_INTEGER = "Ожидается целое число, указано «{value}»."
MSG_BROKEN_FILE = "Не удалось прочитать файл: он повреждён или это не таблица Excel."

MSG_TOO_MANY_ROWS = (
    "В таблице больше {max} строк: загрузите её частями (например, по муниципалитетам), не более "
    "{max} строк в файле."
)
MSG_CELL_TOO_LONG = "Слишком длинный текст в ячейке: {length} символов, допустимо не более {max}."

LAST_COLUMN = 26  # 25 official columns and the extra «14а» of our own export
# Rows above the number row (title, headers) allowed on top of IMPORT_MAX_ROWS.
HEADER_ROWS_MAX = 50


class WorkbookUnreadable(Exception):
    """The file cannot be read as an Appendix 1 table; the message says why, in Russian."""


class FormulaWithoutValue:
    """A cell holding a formula whose value was never saved (the file was not opened in Excel)."""


@dataclass
class RawRow:
    number: int  # 1-based sheet row
    cells: dict[int, object]  # column number (1…26) → value


@dataclass
class BadCell:
    """A cell that cannot be taken at all (a control character, an endless text); its value is
    replaced by this marker and the importer reports ``message`` at the cell."""

    message: str

    def __str__(self) -> str:
        return ""


def cell_problem(value) -> str | None:
    """Why a cell cannot be read at all, or None (checked while reading, before any matching)."""
    if isinstance(value, str):
        if len(value) > CELL_MAX:
            return MSG_CELL_TOO_LONG.format(length=num(len(value)), max=num(CELL_MAX))
        if has_control_chars(value.replace("\t", " ").replace("\n", " ").replace("\r", " ")):
            return MSG_CONTROL_CHARS
    return None


def row_count(fileobj) -> int | None:
    """The number of rows the first sheet declares (its dimension), without reading the rows."""
    book = openpyxl.load_workbook(fileobj, read_only=True)
    try:
        return book.worksheets[0].max_row
    finally:
        book.close()
        fileobj.seek(0)


def bad_cells(rows: list[RawRow]) -> list[tuple[int, int, str]]:
    """(row, column, message) of every cell replaced by :class:`BadCell`."""
    return [
        (row.number, col, value.message)
        for row in rows
        for col, value in row.cells.items()
        if isinstance(value, BadCell)
    ]


def read_workbook(fileobj, file_name: str) -> list[RawRow]:
    """The rows under the number row of the first sheet. Raises :class:`WorkbookUnreadable`."""
    try:
        check_xlsx(fileobj, file_name)
        rows = _read_rows(fileobj)
    except UnsafeWorkbook as exc:
        raise WorkbookUnreadable(str(exc)) from exc
    except WorkbookUnreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a broken file for the user
        raise WorkbookUnreadable(MSG_BROKEN_FILE) from exc
    return rows


class _SheetParser(WorkSheetParser):
    """openpyxl's sheet parser taking the saved values (``data_only``) that also marks a formula
    cell without a saved value, so one pass over the sheet gives both."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["value"] = FormulaWithoutValue()
        return cell


def _sheet_rows(book):
    """(sheet row number, the values of columns 1…LAST_COLUMN) of the first sheet's rows, in one
    pass (rows missing from the file are skipped: they are empty)."""
    sheet = book.worksheets[0]
    with sheet._get_source() as source:
        parser = _SheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for index, cells in parser.parse():
            values: list = [None] * LAST_COLUMN
            for cell in cells:
                if 1 <= cell["column"] <= LAST_COLUMN:
                    values[cell["column"] - 1] = cell["value"]
            yield index, values


def _read_rows(fileobj) -> list[RawRow]:
    limit = IMPORT_MAX_ROWS + HEADER_ROWS_MAX
    book = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    try:
        declared = book.worksheets[0].max_row
        if declared is not None and declared > limit:
            raise WorkbookUnreadable(MSG_TOO_MANY_ROWS.format(max=num(IMPORT_MAX_ROWS)))
        rows: list[RawRow] = []
        found = False
        for index, values in _sheet_rows(book):
            if index > limit or len(rows) > IMPORT_MAX_ROWS:  # the dimension may be missing or wrong
                raise WorkbookUnreadable(MSG_TOO_MANY_ROWS.format(max=num(IMPORT_MAX_ROWS)))
            if not found:
                found = _is_number_row(values)
                continue
            cells = {}
            for col, value in enumerate(values, start=1):
                problem = None if isinstance(value, FormulaWithoutValue) else cell_problem(value)
                cells[col] = BadCell(problem) if problem else value
            rows.append(RawRow(index, cells))
    finally:
        book.close()
    if not found:
        raise WorkbookUnreadable(MSG_NO_NUMBER_ROW)
    return rows


def _is_number_row(values) -> bool:
    for expected, value in enumerate(values[:25], start=1):
        try:
            if int(float(str(value).strip())) != expected:
                return False
        except (TypeError, ValueError):
            return False
    return True


def text(value) -> str:
    """A cell as one line of text ("" for empty cells and formulas without a value)."""
    if value is None or isinstance(value, FormulaWithoutValue | BadCell):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def multiline_text(value) -> str:
    """A cell as text keeping its line breaks (column 25, notes)."""
    if value is None or isinstance(value, FormulaWithoutValue | BadCell):
        return ""
    return str(value).strip()


def integer(value) -> tuple[int | None, str | None]:
    """A cell as a whole number: (number or None when empty, or None and the message)."""
    if isinstance(value, FormulaWithoutValue):
        return None, MSG_FORMULA_NO_VALUE
    if isinstance(value, BadCell):
        return None, value.message
    number, message = _integer(value)
    if number is not None and not -COUNT_MAX <= number <= COUNT_MAX:
        return None, count_range_message()
    return number, message


def _integer(value) -> tuple[int | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, MSG_NOT_INTEGER.format(value=value)
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        if value.is_integer():
            return (int(value), None) if abs(value) <= 2**63 else (None, count_range_message())
        return None, MSG_NOT_INTEGER.format(value=value)
    digits = "".join(str(value).split()).replace("−", "-")
    if len(digits) > 20:  # far beyond any count: not parsed at all
        return None, count_range_message()
    try:
        return int(digits), None
    except ValueError:
        return None, MSG_NOT_INTEGER.format(value=text(value)[:50])
