"""Row heights that fit wrapped text, for printing.

Excel and XlsxWriter do not grow a row to fit wrapped text written by a program (LibreOffice does
only on recalculation), so a printed table would show the first line of a long cell and hide the
rest. The writer sets every row's height from its texts: the text is wrapped word by word at the
number of characters a column holds, and the row gets the height of its tallest cell.

The estimate is for Times New Roman (Liberation Serif in LibreOffice, which has the same metrics)
and errs on the generous side.
"""

import math
import re
import textwrap

DIGIT_PX = 7  # width of «0» in the workbook's default font (Times New Roman 10), the unit of widths
CELL_PADDING_PX = 5
PX_PER_PT = 96 / 72
GLYPH_EM = 0.52  # average width of a Cyrillic/Latin glyph of Times New Roman (0.48), with a margin
BOLD_GLYPH_EM = 0.55
LINE_EM = 1.25  # line height, in font sizes
ROW_PADDING_PT = 3
MIN_ROW_PT = 15
MAX_ROW_PT = 409  # the largest row height Excel accepts


def column_pixels(width: float) -> int:
    return int(width * DIGIT_PX + 0.5) + CELL_PADDING_PX


def _glyph_px(size: float, bold: bool) -> float:
    return (BOLD_GLYPH_EM if bold else GLYPH_EM) * size * PX_PER_PT


def chars_per_line(width: float, size: float, bold: bool = False) -> int:
    usable = column_pixels(width) - 2 * CELL_PADDING_PX
    return max(1, int(usable // _glyph_px(size, bold)))


def wrap(text: str, per_line: int) -> list[str]:
    lines = []
    for paragraph in str(text).splitlines() or [""]:
        lines += textwrap.wrap(paragraph, per_line, break_long_words=True, break_on_hyphens=True) or [""]
    return lines


def line_count(text: str, width: float, size: float, bold: bool = False) -> int:
    if text in (None, ""):
        return 1
    return len(wrap(str(text), chars_per_line(width, size, bold)))


def lines_height(lines: int, size: float) -> float:
    return lines * size * LINE_EM + ROW_PADDING_PT


def row_height(cells, minimum: float = MIN_ROW_PT) -> float:
    """Height in points of a row of ``cells``: (text, column width, font size, bold)."""
    height = minimum
    for text, width, size, bold in cells:
        if text in (None, ""):
            continue
        height = max(height, lines_height(line_count(text, width, size, bold), size))
    return min(MAX_ROW_PT, math.ceil(height))


def rotated_lines(text: str, width: float, size: float) -> list[str]:
    """``text`` turned 90° in a column of ``width``: split into as many lines as the column holds
    side by side, as even as the words allow. The writer joins them with line breaks, so Excel and
    LibreOffice show the same lines."""
    text = " ".join(str(text).split())
    lines_fit = max(1, int((column_pixels(width) - CELL_PADDING_PX) // (size * LINE_EM * PX_PER_PT)))
    longest_word = max((len(word) for word in text.split()), default=1)
    length = max(longest_word, math.ceil(len(text) / lines_fit))
    while len(textwrap.wrap(text, length)) > lines_fit:
        length += 1
    return textwrap.wrap(text, length)


def rotated_height(lines: list[str], size: float, bold: bool = False) -> float:
    """Height in points a cell needs for ``lines`` turned 90°."""
    longest = max((len(line) for line in lines), default=1)
    return min(MAX_ROW_PT, math.ceil(longest * _glyph_px(size, bold) / PX_PER_PT + 4 * ROW_PADDING_PT))


class ColumnFit:
    """``row_height`` for a fixed set of columns, fast for the common case: a text that fits on
    one line of its column (no line break, no longer than the column holds) is one line without
    wrapping it, a longer one of words one space apart is cut at the last space that fits, and a
    text met again in a column of the same width is counted once (``KNOWN`` texts are kept). Gives
    the same heights as ``row_height``."""

    KNOWN = 20_000

    def __init__(
        self, widths: dict[int, float], size: float, bold: bool = False, minimum: float = MIN_ROW_PT
    ):
        self.size, self.bold, self.minimum = size, bold, minimum
        self.widths = widths
        self.per_line = {key: chars_per_line(width, size, bold) for key, width in widths.items()}
        self.one_line = math.ceil(max(minimum, lines_height(1, size)))
        self._known: dict[tuple[int, str], int] = {}
        # The characters a line holds by column position, for rows given as their cells.
        self._per_position = [self.per_line.get(i, 0) for i in range(max(widths, default=-1) + 1)]

    def lines(self, key, text: str) -> int:
        per_line = self.per_line[key]
        if len(text) <= per_line and text.isprintable():
            return 1
        return self._counted(key, per_line, text)

    def _counted(self, key, per_line: int, text: str) -> int:
        """``_count``, kept for a text met again (at most ``KNOWN`` texts)."""
        known = self._known
        lines = known.get((per_line, text))
        if lines is None:
            if len(known) >= self.KNOWN:
                known.clear()
            lines = known[per_line, text] = self._count(key, per_line, text)
        return lines

    def _count(self, key, per_line: int, text: str) -> int:
        if text.isprintable():  # one paragraph, no whitespace but spaces: nothing for textwrap to munge
            if _HYPHEN_BREAK.search(text):  # words that break after a hyphen: textwrap's own chunks
                return _greedy_lines([chunk for chunk in _WORDSEP.split(text) if chunk], per_line)
            if "  " not in text:
                lines = _space_lines(text, per_line)
                if lines:
                    return lines
            return _greedy_lines(_CHUNK.findall(text), per_line)
        return line_count(text, self.widths[key], self.size, self.bold)

    def height(self, texts) -> float:
        """Height of a row of ``texts``: (column key, text) pairs; empty texts are skipped."""
        most = 0
        for key, text in texts:
            if text:
                lines = self.lines(key, text)
                if lines > most:
                    most = lines
        return self._height_of(most)

    def row_height(self, cells) -> float:
        """``height`` of a row given as its cells from column 0 (the column keys are positions);
        only non-empty ``str`` cells count. The same count as :meth:`lines`, its one-line case
        inlined: a large export asks this for every row."""
        most = 0
        per_position = self._per_position
        for col, text in enumerate(cells):
            if text.__class__ is not str or not text:
                continue
            per_line = per_position[col]
            lines = 1 if len(text) <= per_line and text.isprintable() else self._counted(col, per_line, text)
            if lines > most:
                most = lines
        return self._height_of(most)

    def _height_of(self, most: int) -> float:
        if most <= 1:
            return self.one_line if most else math.ceil(self.minimum)
        return min(MAX_ROW_PT, math.ceil(max(self.minimum, lines_height(most, self.size))))


# ``textwrap`` breaks after a hyphen only before a letter, and around «--»; a one-line text without
# either splits into runs of spaces and of the rest, as ``_greedy_lines`` takes them.
_HYPHEN_BREAK = re.compile(r"-[^\d\W]|--")
_CHUNK = re.compile(r" +|[^ ]+")
_WORDSEP = textwrap.TextWrapper.wordsep_re  # how textwrap splits a text when it breaks on hyphens


def _space_lines(text: str, width: int) -> int:
    """``_greedy_lines`` for the usual text, words one space apart, by cutting the string: a line
    ends at the last space that leaves it at most ``width`` long; a word longer than a line fills
    the rest of its line and goes on in the next one (cut after its last hyphen that fits, if
    any). 0 when the text starts or ends with a space (the general count handles it)."""
    if not text or text[0] == " " or text[-1] == " ":
        return 0
    start, size, lines = 0, len(text), 1
    while size - start > width:
        end = start + width  # the line is at most text[start:end]
        cut = text.rfind(" ", start, end + 1)
        if cut == end:  # the line is full and a space follows: the next line starts after it
            start = end + 1
        else:
            word = cut + 1 if cut >= start else start  # the word that does not fit on this line
            word_end = text.find(" ", word)
            if (word_end if word_end >= 0 else size) - word > width:  # a long word is broken
                hyphen = text.rfind("-", word, end)
                start = hyphen + 1 if hyphen > word else end
            else:
                start = word
        lines += 1
    return lines


def _greedy_lines(chunks: list[str], width: int) -> int:
    """How many lines ``textwrap.wrap`` makes of ``chunks`` (its ``_wrap_chunks`` with leading and
    trailing spaces dropped, long words broken, at a hyphen where one is), counting only."""
    chunks.reverse()
    lines = 0
    while chunks:
        if lines and chunks[-1][0] == " ":
            del chunks[-1]
        line: list[str] = []
        length = 0
        while chunks and length + len(chunks[-1]) <= width:
            length += len(chunks[-1])
            line.append(chunks.pop())
        if chunks and len(chunks[-1]) > width:
            space_left = width - length if width >= 1 else 1
            chunk = chunks[-1]
            end = space_left
            hyphen = chunk.rfind("-", 0, space_left)
            if hyphen > 0 and any(c != "-" for c in chunk[:hyphen]):
                end = hyphen + 1
            line.append(chunk[:end])
            chunks[-1] = chunk[end:]
        if line and line[-1][:1] == " ":
            del line[-1]
        if line:
            lines += 1
    return lines or 1
