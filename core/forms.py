"""Form fields shared by the apps."""

import re

from django import forms

MSG_NOT_A_NUMBER = "Введите целое число, например 1 234."
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
MAX_COUNT = 2_147_483_647  # the largest whole number the database column holds


class CountField(forms.IntegerField):
    """A whole number typed as «1 234», «1234» or «1 234» (non-breaking space)."""

    default_error_messages = {"invalid": MSG_NOT_A_NUMBER, "max_value": MSG_NOT_A_NUMBER}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_value", MAX_COUNT)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "class": "num-input"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = SPACES.sub("", value).replace("−", "-")
        return super().to_python(value)
