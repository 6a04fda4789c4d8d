"""Text normalisation shared by matching code."""

import re


def normalize_name(text: str) -> str:
    """For matching names: case, «» vs "" quotes and extra spaces do not matter."""
    text = str(text or "").lower().replace("ё", "е")
    text = re.sub(r"[«»“”„\"'‘’]", "", text)
    return " ".join(text.split())
