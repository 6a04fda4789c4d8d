"""Finding an e-mail address in what people typed into a contact cell."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

_SEPARATORS = re.compile(r"[\s,;]+")


def first_email(text: str) -> str:
    """The first valid e-mail address in a cell like «+7 3822 55-01-23, Petrova@School.ru; скайп x»,
    lower-cased; «» if there is none."""
    for token in _SEPARATORS.split(text or ""):
        token = token.strip("<>()[]«»\"'.:")
        if "@" not in token:
            continue
        try:
            validate_email(token)
        except ValidationError:
            continue
        return token.lower()
    return ""
