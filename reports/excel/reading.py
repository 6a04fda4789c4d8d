"""Reading an Appendix 1 workbook: safety checks, then the cells of every row below the number row.

Nothing here knows about organisations: the result is raw rows (sheet row number → cells) and the
helpers that turn a cell into text or a whole number with a message saying what is wrong.
"""

from dataclasses import dataclass
from xml.parsers import expat

import openpyxl
from openpyxl.utils.datetime import from_excel, from_ISO8601

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


class _SheetReader:
    """The cells of a sheet's XML, read with expat handlers (no element tree, no cell objects):
    the values as openpyxl's data-only reading gives them, and :class:`FormulaWithoutValue` for a
    formula whose value was never saved. Declarations (DTDs, entities) are refused."""

    def __init__(self, shared_strings, date_formats, timedelta_formats, epoch, limit: int):
        self.shared = shared_strings
        self.date_formats, self.timedelta_formats, self.epoch = date_formats, timedelta_formats, epoch
        self.limit = limit
        self.rows: list[tuple[int, list]] = []
        self.row_number = 0
        self.values: list = []
        self.col = 0
        self.cell_type = "n"
        self.style = 0
        self.formula = False
        self.text: list[str] | None = None
        self.value_text: str | None = None
        self.inline: list[str] | None = None

    @staticmethod
    def _local(name: str) -> str:
        return name.rpartition(" ")[2]

    def start(self, name, attrs):
        tag = self._local(name)
        if tag == "c":
            ref = attrs.get("r")
            self.col = _column_of(ref) if ref else self.col + 1
            self.cell_type = attrs.get("t", "n")
            self.style = int(attrs.get("s") or 0)
            self.formula = False
            self.value_text = None
            self.inline = None
        elif tag == "v":
            self.text = []
        elif tag == "f":
            self.formula = True
        elif tag == "is":
            self.inline = []
        elif tag == "t" and self.inline is not None:
            self.text = []
        elif tag == "row":
            ref = attrs.get("r")
            self.row_number = int(ref) if ref else self.row_number + 1
            if self.row_number > self.limit:
                raise WorkbookUnreadable(MSG_TOO_MANY_ROWS.format(max=num(IMPORT_MAX_ROWS)))
            self.values = [None] * LAST_COLUMN
            self.col = 0

    def end(self, name):
        tag = self._local(name)
        if tag == "v" and self.text is not None:
            self.value_text = "".join(self.text)
            self.text = None
        elif tag == "t" and self.inline is not None and self.text is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif tag == "c":
            if 1 <= self.col <= LAST_COLUMN:
                self.values[self.col - 1] = self._value()
        elif tag == "row":
            self.rows.append((self.row_number, self.values))

    def chars(self, data):
        if self.text is not None:
            self.text.append(data)

    def _value(self):
        kind, raw = self.cell_type, self.value_text or None
        if kind == "inlineStr":
            return "".join(self.inline) if self.inline is not None else None
        if raw is None:
            return FormulaWithoutValue() if self.formula else None
        if kind == "n":
            number = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
            if self.style in self.date_formats:
                try:
                    return from_excel(number, self.epoch, timedelta=self.style in self.timedelta_formats)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "s":
            return self.shared[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's text) and "e" (an error such as #DIV/0!)


def _refuse_declarations(*_args):
    raise WorkbookUnreadable(MSG_BROKEN_FILE)


def _column_of(ref: str) -> int:
    col = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            col = col * 26 + ord(ch) - 64
        else:
            break
    return col


def _sheet_rows(book, limit: int) -> list[tuple[int, list]]:
    """(sheet row number, the values of columns 1…LAST_COLUMN) of the first sheet's rows, in one
    pass (rows missing from the file are skipped: they are empty)."""
    sheet = book.worksheets[0]
    reader = _SheetReader(
        sheet._shared_strings, book._date_formats, book._timedelta_formats, book.epoch, limit
    )
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.chars
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    with sheet._get_source() as source:
        parser.ParseFile(source)
    return reader.rows


def _read_rows(fileobj) -> list[RawRow]:
    limit = IMPORT_MAX_ROWS + HEADER_ROWS_MAX
    book = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    try:
        declared = book.worksheets[0].max_row
        if declared is not None and declared > limit:
            raise WorkbookUnreadable(MSG_TOO_MANY_ROWS.format(max=num(IMPORT_MAX_ROWS)))
        rows: list[RawRow] = []
        found = False
        for index, values in _sheet_rows(book, limit):
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
