"""What input the portal accepts at all: the range of counts, the length of texts, no control
characters. The forms, the Excel import and the services check against these same numbers, so no
door can write a value the database would refuse (PostgreSQL rejects NUL in text and integers
beyond 2 147 483 647 with an error, which would otherwise be a 500).

Documented in README, «Допустимые значения».
"""

import functools
import re
from collections.abc import Iterable, Mapping

from .errors import ServiceError
from .russian import num

# A PostgreSQL ``integer`` holds −2 147 483 648 … 2 147 483 647.
DB_INT_MAX = 2_147_483_647
# Counts (classes, pupils, teachers, workstations, parents, event participants): 0 … 1 000 000.
# The largest school of the region has a few thousand pupils and parents; a million leaves room for
# regional sums while staying far below the database limit. A draft may hold a negative number the
# user is still correcting (the checks show it as an error), within the same magnitude.
COUNT_MIN = 0
COUNT_MAX = 1_000_000
# Free texts without a length of their own in the database (notes, explanations of warnings).
TEXT_MAX = 5_000
# What a draft keeps of input that could not be read (shown again for correcting), per field.
RAW_INPUT_MAX = 1_000
# A cell of an imported workbook longer than this is refused before any other reading.
CELL_MAX = 5_000

# An imported workbook: at most this many rows (organisations and branches) under the number row;
# the sheet's declared size is read first, and reading stops past the cap, before any parsing.
IMPORT_MAX_ROWS = 5_000
# A workbook with more rows than this is checked and loaded as a background job with progress.
IMPORT_BACKGROUND_ROWS = 300

# Control characters other than tab, line feed and carriage return; lone surrogates (never valid
# text, and not encodable for the database either).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

MSG_CONTROL_CHARS = "Текст содержит недопустимые управляющие символы (например, нулевой байт): удалите их."
MSG_COUNT_RANGE = "Введите число от 0 до {max}."
MSG_TOO_LONG = "Слишком длинный текст: не более {limit} символов (сейчас {length})."
MSG_NOT_TEXT = "Ожидался текст."


class InputOutOfBounds(ServiceError):
    """A value no door may write: a control character, a count out of range, a text too long."""


def count_range_message() -> str:
    return MSG_COUNT_RANGE.format(max=num(COUNT_MAX))


def has_control_chars(text: str) -> bool:
    return bool(CONTROL_CHARS.search(text))


def strip_control_chars(text: str) -> str:
    """The text without control characters (for input that is kept only to be shown again)."""
    return CONTROL_CHARS.sub("", text)


def count_problem(value, *, allow_negative: bool = True) -> str | None:
    """Why ``value`` cannot be stored as a count, or None. None (empty) is fine."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return count_range_message()
    low = -COUNT_MAX if allow_negative else COUNT_MIN
    if not low <= value <= COUNT_MAX:
        return count_range_message()
    return None


def text_problem(value, *, limit: int = TEXT_MAX) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        return MSG_NOT_TEXT
    if has_control_chars(value.replace("\t", " ").replace("\n", " ").replace("\r", " ")):
        return MSG_CONTROL_CHARS
    if len(value) > limit:
        return MSG_TOO_LONG.format(limit=num(limit), length=num(len(value)))
    return None


def value_problem(value, *, limit: int = TEXT_MAX) -> str | None:
    """A count, a text, or anything else harmless (a bool, a date, a model instance)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return count_problem(value)
    if isinstance(value, float):
        return count_range_message()
    if isinstance(value, str):
        return text_problem(value, limit=limit)
    return None


def require_within_bounds(
    values: Mapping, *, limits: Mapping[str, int] | None = None, label: str = ""
) -> None:
    """Raise :class:`InputOutOfBounds` for the first value out of bounds (the service-level guard)."""
    limits = limits or {}
    for name, value in values.items():
        if isinstance(name, str) and (problem := text_problem(name, limit=200)):
            raise InputOutOfBounds(f"{label}{problem}")
        problem = value_problem(value, limit=limits.get(name, TEXT_MAX))
        if problem:
            raise InputOutOfBounds(f"{label}«{name}»: {problem}")


def require_rows_within_bounds(rows: Iterable[Mapping], **kwargs) -> None:
    for row in rows:
        require_within_bounds(row, **kwargs)


def char_limits(model) -> dict[str, int]:
    """``max_length`` of a model's text fields, by field name."""
    return dict(_char_limits(model))


@functools.cache
def _char_limits(model) -> dict[str, int]:
    return {
        f.name: f.max_length
        for f in model._meta.get_fields()
        if getattr(f, "max_length", None)
        and f.get_internal_type() in ("CharField", "SlugField", "EmailField")
    }
