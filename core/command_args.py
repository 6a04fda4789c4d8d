"""Argument parsing shared by the management commands, with Russian messages."""

import datetime

from django.core.management.base import CommandError

MSG_BAD_DATE = "Неверная дата «{value}»: используйте ГГГГ-ММ-ДД или ДД.ММ.ГГГГ."


def parse_date(value: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CommandError(MSG_BAD_DATE.format(value=value))
