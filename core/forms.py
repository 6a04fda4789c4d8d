"""Form fields shared by the apps."""

import re

from django import forms
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator

from .bounds import COUNT_MAX, MSG_CONTROL_CHARS, TEXT_MAX, count_range_message, text_problem

MSG_NOT_A_NUMBER = "Введите целое число, например 1 234."
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


class CountField(forms.IntegerField):
    """A whole number typed as «1 234», «1234» or «1 234» (non-breaking space), within the
    documented range (``core.bounds``: up to 1 000 000; negative only where ``min_value`` allows)."""

    default_error_messages = {
        "invalid": MSG_NOT_A_NUMBER,
        "max_value": count_range_message(),
        "min_value": count_range_message(),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_value", COUNT_MAX)
        kwargs.setdefault("min_value", -COUNT_MAX)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "num-input"}),
        )
        super().__init__(**kwargs)
        self.error_messages["max_value"] = count_range_message()
        self.error_messages["min_value"] = count_range_message()

    def to_python(self, value):
        if isinstance(value, str):
            value = SPACES.sub("", value).replace("−", "-")
            if len(value) > 20:  # far beyond any count: no need to parse it
                raise forms.ValidationError(count_range_message(), code="max_value")
        return super().to_python(value)


def validate_safe_text(value) -> None:
    """No control characters (tab and line breaks are fine)."""
    if isinstance(value, str) and "\x00" not in value:
        problem = text_problem(value, limit=len(value))
    else:
        problem = MSG_CONTROL_CHARS if value else None
    if problem:
        raise forms.ValidationError(problem, code="control_chars")


def harden_text_fields(form: forms.BaseForm) -> None:
    """Every text field of ``form`` refuses control characters with a Russian message and has a
    length limit (``TEXT_MAX`` where it had none)."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        field.validators.append(validate_safe_text)
        if field.max_length is None:
            field.max_length = TEXT_MAX
            field.validators.append(MaxLengthValidator(TEXT_MAX))


class SafeTextMixin:
    """A form whose text fields are hardened (see :func:`harden_text_fields`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden_text_fields(self)
