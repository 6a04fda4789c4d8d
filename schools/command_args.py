"""Argument parsing of management commands that name a municipality."""

from django.core.management.base import CommandError

from core.text import normalize_name

from .models import Municipality


def find_municipality(name: str) -> Municipality:
    """A municipality by its name or code, ignoring case, quotes and extra spaces."""
    wanted = normalize_name(name)
    for municipality in Municipality.objects.all():
        if wanted in (normalize_name(municipality.name), normalize_name(municipality.code)):
            return municipality
    names = ", ".join(Municipality.objects.values_list("name", flat=True))
    raise CommandError(f"МО «{name}» не найдено. Допустимые значения: {names}.")
