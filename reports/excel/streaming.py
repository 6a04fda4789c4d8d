"""Rows of a large sheet written straight into XlsxWriter's row file.

In ``constant_memory`` mode XlsxWriter keeps one row in memory and writes it as XML when the next
row starts; each cell goes through its generic checks and tag writers, which cost more than all
the rest of a large export. A :class:`StreamingWorksheet` writes a whole row of data cells as one
string instead — the same ``<row>`` and ``<c>`` elements XlsxWriter writes (inline strings, the
cell's format index, the row height) — and leaves everything else to XlsxWriter: formats, column
widths, merged cells, formulas, freeze panes, autofilter, print setup, the package itself.
Streamed rows and XlsxWriter's own rows can follow one another in any order of increasing row.

A :class:`FastZipWorkbook` packs its parts with ISA-L's fast deflate (``isal``) instead of zlib at
the default level 6: at level 6 a large export spent a fifth of its time compressing, at zlib's
level 1 still a tenth; ISA-L's level 1 is about five times as fast as that, and as small.
"""

import os
import re
import shutil
import threading
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import xlsxwriter.workbook
from isal import isal_zlib
from xlsxwriter.exceptions import OverlappingRange
from xlsxwriter.format import Format
from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name, xl_range
from xlsxwriter.worksheet import Worksheet

# Anything XlsxWriter would change or mark in an inline string: XML specials, control characters,
# its own «_xHHHH_» escapes, the two non-characters, leading or trailing whitespace.
_NEEDS_CARE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
# The same without the edges, which a row's cells check with ``str.isspace`` (what ``\s`` is):
# an alternation anchored at the edges makes the search try every branch at every character.
_CARE_INSIDE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_EDGE_SPACE = re.compile(r"^\s|\s$")
_MAX_FAST_CHARS = 16383  # below half of Excel's 32 767 UTF-16 units no string can be too long
_EPOCH = datetime(1899, 12, 31)  # XlsxWriter's epoch of serial dates
_EXACT_INT = 10**15  # an int below this prints the same with «.16G» as with str()
_COLUMNS = [xl_col_to_name(col) for col in range(64)]


class Formula(NamedTuple):
    """A formula cell for :meth:`StreamingWorksheet.stream_values`: the formula without «=», and
    the value a reader shows before recalculating."""

    formula: str
    value: int | float


class RowOrderError(ValueError):
    """A streamed row must come after every row already written."""


class StreamingWorksheet(Worksheet):
    """A worksheet (``Workbook.add_worksheet(name, worksheet_class=StreamingWorksheet)``) for a
    workbook in ``constant_memory`` mode, with :meth:`stream_values` for its data rows."""

    # XlsxWriter's used range of the sheet, which streamed rows extend.
    dim_rowmin: int | None
    dim_rowmax: int | None
    dim_colmin: int | None
    dim_colmax: int | None

    def __init__(self) -> None:
        super().__init__()
        self._style_attrs: dict[int, str] = {}
        self._styles_of: dict[int, tuple[list, list[str]]] = {}

    def _style(self, fmt: Format | None) -> str:
        """The cell's ``s`` attribute, remembered per format (the format stays alive with the
        workbook, so its id is not reused)."""
        index = fmt._get_xf_index() if fmt is not None else 0
        attr = self._style_attrs[id(fmt)] = f' s="{index}"' if index else ""
        return attr

    def _string(self, value: str) -> tuple[str, str]:
        """The text as XlsxWriter writes it in an inline string, and the <t> attribute."""
        # XlsxWriter's own rule: the length limit is in UTF-16 units.
        if len(value) > _MAX_FAST_CHARS and _utf16_len(value) > self.xls_strmax:
            value = _utf16_truncate(value, self.xls_strmax)
        if _NEEDS_CARE.search(value) is None:
            return value, ""
        value = self._escape_control_characters(value)
        preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(value) else ""
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), preserve

    def stream_values(
        self,
        row: int,
        values: Sequence[Any],
        formats: list[Format | None],
        text_format: Format | None,
        *,
        date_format: Format | None = None,
        height: float | None = None,
        skip_empty: bool = False,
    ) -> None:
        """Row ``row`` from column 0, typed as the export types a row: text (and «да»/«нет» for a
        bool) in ``text_format``, never a formula; an int, a :class:`Formula`, and an empty value
        («» or None) as a blank, in its column's format from ``formats``, or the empty value left
        out with ``skip_empty``; a naive datetime in ``date_format``; anything else as its text.
        ``height``: the row's height in points (None: the default)."""
        if len(values) > len(_COLUMNS):
            raise ValueError(f"stream_values: at most {len(_COLUMNS)} columns")
        self._open_row(row)
        parts: list[str] = []
        append = parts.append
        text_style = self._style(text_format)
        styles = self._column_styles(formats)
        first = last = None
        r = str(row + 1)
        for col, value in enumerate(values):
            cls = value.__class__
            if cls is str and value:
                if (
                    len(value) > _MAX_FAST_CHARS
                    or _CARE_INSIDE.search(value) is not None
                    or value[0].isspace()
                    or value[-1].isspace()
                ):
                    text, preserve = self._string(value)
                else:
                    text, preserve = value, ""
                append(
                    f'<c r="{_COLUMNS[col]}{r}"{text_style} t="inlineStr"><is><t{preserve}>{text}</t></is></c>'
                )
            elif cls is int and -_EXACT_INT < value < _EXACT_INT:
                append(f'<c r="{_COLUMNS[col]}{r}"{styles[col]}><v>{value}</v></c>')
            elif value is None or value == "":
                if skip_empty:
                    continue
                append(f'<c r="{_COLUMNS[col]}{r}"{styles[col]}/>')
            elif cls is bool:
                text = "да" if value else "нет"
                append(f'<c r="{_COLUMNS[col]}{r}"{text_style} t="inlineStr"><is><t>{text}</t></is></c>')
            elif isinstance(value, int):
                append(f'<c r="{_COLUMNS[col]}{r}"{styles[col]}><v>{int(value):.16G}</v></c>')
            elif cls is Formula:
                formula = value.formula.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                append(f'<c r="{_COLUMNS[col]}{r}"{styles[col]}><f>{formula}</f><v>{value.value}</v></c>')
            elif isinstance(value, datetime):
                serial = self._serial(value)
                append(f'<c r="{_COLUMNS[col]}{r}"{self._style(date_format)}><v>{serial:.16G}</v></c>')
            else:
                text, preserve = self._string(str(value))
                append(
                    f'<c r="{_COLUMNS[col]}{r}"{text_style} t="inlineStr"><is><t{preserve}>{text}</t></is></c>'
                )
            if first is None:
                first = col
            last = col
        self._close_row(row, r, parts, first, last, height)

    def _serial(self, value: datetime) -> float:
        """XlsxWriter's serial number of a datetime (``_convert_date_time``), computed the same way
        without its checks for the usual case: a naive datetime after 1900, the 1900 epoch."""
        if value.tzinfo is not None or value.year <= 1900 or self.date_1904:
            return self._convert_date_time(value)
        delta = value - _EPOCH
        serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
        return serial + 1 if serial > 59 else serial  # Excel's 29.02.1900

    def _column_styles(self, formats: list[Format | None]) -> list[str]:
        known = self._styles_of.get(id(formats))
        if known is None or known[0] is not formats:
            known = self._styles_of[id(formats)] = (formats, [self._style(f) for f in formats])
        return known[1]

    def _open_row(self, row: int) -> None:
        if row >= self.xls_rowmax:
            raise RowOrderError(f"row {row} is beyond the worksheet")
        if row < self.previous_row or (
            row == self.previous_row and (self.table.get(row) or row in self.row_info)
        ):
            raise RowOrderError(f"row {row} is already written")
        if row > self.previous_row:
            self._write_single_row(row)  # the row XlsxWriter holds, if any, goes out first

    def _close_row(self, row: int, r: str, parts: list[str], first, last, height: float | None) -> None:
        # XlsxWriter's ``_check_dimensions`` for the row's first and last cells, whose bounds and
        # order ``_open_row`` has checked.
        if self.dim_rowmin is None or row < self.dim_rowmin:
            self.dim_rowmin = row
        if self.dim_rowmax is None or row > self.dim_rowmax:
            self.dim_rowmax = row
        if first is None:
            first = last = self.dim_colmin or 0
        if self.dim_colmin is None or first < self.dim_colmin:
            self.dim_colmin = first
        if self.dim_colmax is None or last > self.dim_colmax:
            self.dim_colmax = last
        attrs = f'r="{r}"'
        if height is not None:
            pixels = int(height * 4.0 / 3.0 + 0.5)
            if pixels != self.default_row_height:
                attrs += f' ht="{pixels * 0.75:.16g}" customHeight="1"'
        if parts:
            self.row_data_fh.write(f"<row {attrs}>{''.join(parts)}</row>")
        elif "ht=" in attrs:
            self.row_data_fh.write(f"<row {attrs}/>")

    def _write_optimized_sheet_data(self) -> None:
        """XlsxWriter's copy of the row file into the sheet's XML, as bytes: both are UTF-8, so
        the text need not be decoded and encoded again (a large export's rows are tens of MB)."""
        if self.dim_rowmin is None or not hasattr(self.fh, "buffer"):  # no rows, or XML in memory
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.fh.flush()
        self.row_data_fh.flush()
        with open(self.row_data_filename, "rb") as rows:
            shutil.copyfileobj(rows, self.fh.buffer, 1 << 20)
        self.row_data_fh.close()
        os.unlink(self.row_data_filename)
        self._xml_end_tag("sheetData")

    def merge_cells(self, row: int, first_col: int, last_col: int) -> None:
        """Mark columns ``first_col``…``last_col`` of ``row`` as one merged cell, as ``merge_range``
        does; the row itself is streamed: the value in the first cell, formatted blanks after it."""
        cell_range = xl_range(row, first_col, row, last_col)
        for col in range(first_col, last_col + 1):
            if self.merged_cells.get((row, col)):
                raise OverlappingRange(
                    f"Merge range '{cell_range}' overlaps '{self.merged_cells[(row, col)]}'."
                )
        for col in range(first_col, last_col + 1):
            self.merged_cells[(row, col)] = cell_range
        self.merge.append([row, first_col, row, last_col])


class _FastZipFile(zipfile.ZipFile):
    """A zip file whose deflated parts are compressed by ISA-L (``isal``): the same deflate format,
    about five times as fast as zlib's fastest level, and as small. ``zipfile`` takes no other
    compressor, so the one it made for a part is replaced before anything is written."""

    def _open_to_write(self, zinfo, force_zip64=False):
        writer = super()._open_to_write(zinfo, force_zip64)
        if zinfo.compress_type == zipfile.ZIP_DEFLATED:
            writer._compressor = isal_zlib.compressobj(FastZipWorkbook.ISAL_LEVEL, isal_zlib.DEFLATED, -15)
        return writer


_packing = threading.Lock()


class FastZipWorkbook(xlsxwriter.workbook.Workbook):
    """An XlsxWriter workbook packed fast (see ``_FastZipFile``). XlsxWriter has no option for it:
    its zip file class is swapped for the time this workbook is packed, under a lock so that
    workbooks packed at once in one process always put the default back. (Another XlsxWriter
    workbook packed in that moment by another thread would be packed the same way: still a valid
    file.)"""

    ISAL_LEVEL = 1  # ISA-L's levels are 0…3

    def _store_workbook(self) -> None:
        with _packing:
            default = xlsxwriter.workbook.ZipFile
            xlsxwriter.workbook.ZipFile = _FastZipFile
            try:
                super()._store_workbook()
            finally:
                xlsxwriter.workbook.ZipFile = default
