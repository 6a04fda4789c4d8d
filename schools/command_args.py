"""Argument parsing of management commands that name a municipality."""

from django.core.management.base import CommandError

from .matching import MunicipalityMatcher
from .models import Municipality


def find_municipality(name: str) -> Municipality:
    """A municipality by its name, code or another spelling («г. Томск», «Томский р-н», «ОГОО»)."""
    matcher = MunicipalityMatcher()
    match = matcher.find(name)
    if match is None:
        raise CommandError(matcher.unknown_message(name))
    return match.municipality
