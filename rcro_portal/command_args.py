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


def find_municipality(name: str):
    """A municipality by its name or code, ignoring case, quotes and extra spaces."""
    from reports.excel.layout import normalize_name
    from schools.models import Municipality

    wanted = normalize_name(name)
    for municipality in Municipality.objects.all():
        if wanted in (normalize_name(municipality.name), normalize_name(municipality.code)):
            return municipality
    names = ", ".join(Municipality.objects.values_list("name", flat=True))
    raise CommandError(f"МО «{name}» не найдено. Допустимые значения: {names}.")
