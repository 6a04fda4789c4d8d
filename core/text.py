"""Text normalisation shared by matching code."""

import re


def normalize_name(text: str) -> str:
    """For matching names: case, «» vs "" quotes and extra spaces do not matter."""
    text = str(text or "").lower().replace("ё", "е")
    text = re.sub(r"[«»“”„\"'‘’]", "", text)
    return " ".join(text.split())


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """A sort key in which numbers compare as numbers: «СОШ № 4» comes before «СОШ № 38».

    Text parts compare without case, quotes and ё/е differences; the parts alternate text and
    number, so keys of any two names compare without type errors.
    """
    parts = _DIGITS.split(normalize_name(text))
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
