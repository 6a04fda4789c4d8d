"""Scoped reads of vendor data."""

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.access import school_q
from accounts.models import User
from schools.models import EdmsSystem, EdmsVendor

from .models import VendorCount, VendorRequest

NEAREST_WITHIN_DAYS = 183  # a vendor's figure further than this from the date is not compared


def vendor_requests(*, user: User) -> QuerySet[VendorRequest]:
    """Coordinators see their school's requests, specialists their municipality's, methodists all."""
    return (
        VendorRequest.objects.filter(school_q(user, "school"))
        .select_related("school__municipality", "system__vendor", "created_by", "duplicate_of")
        .order_by("system__vendor__sort_order", "state", "-created_at", "-pk")
    )


def vendor_requests_of_vendor(*, vendor: EdmsVendor) -> QuerySet[VendorRequest]:
    """The requests to one vendor's systems (what the vendor's key sees)."""
    return (
        VendorRequest.objects.filter(system__vendor=vendor)
        .select_related("school", "system", "duplicate_of")
        .order_by("-created_at", "-pk")
    )


def used_systems() -> QuerySet[EdmsSystem]:
    return EdmsSystem.objects.filter(is_used=True, is_active=True).select_related("vendor")


def nearest_counts(school_ids: Iterable[int], on_date: datetime.date) -> dict[int, VendorCount]:
    """For each school, the vendor's counts with the date nearest to ``on_date`` (within
    :data:`NEAREST_WITHIN_DAYS`; the later one on a tie). One query for any number of schools."""
    ids = list(school_ids)
    if not ids:
        return {}
    window = datetime.timedelta(days=NEAREST_WITHIN_DAYS)
    best: dict[int, VendorCount] = {}
    rows = VendorCount.objects.filter(
        school_id__in=ids, as_of__gte=on_date - window, as_of__lte=on_date + window
    ).select_related("vendor")
    for row in rows:
        current = best.get(row.school_id)
        key = (abs((row.as_of - on_date).days), -row.as_of.toordinal())
        if current is None or key < (abs((current.as_of - on_date).days), -current.as_of.toordinal()):
            best[row.school_id] = row
    return best


# The report's columns a vendor's figure stands next to: column 10 — parents registered, 15 and 17 —
# students and teachers registered, 16 and 18 — students and teachers active in the last 30 days.
REPORT_FIELD_FIGURES = {
    "parents_edms": "parents_registered",
    "students_total": "students_registered",
    "students_edms": "students_active",
    "teachers_total": "teachers_registered",
    "teachers_edms": "teachers_active",
}


def vendor_figures(count: VendorCount | None) -> dict | None:
    """A vendor's counts as the report checks take them: who, as of when, and a value per report field."""
    if count is None:
        return None
    return {
        "vendor": count.vendor.short_name,
        "as_of": count.as_of,
        "values": {field: getattr(count, name) for field, name in REPORT_FIELD_FIGURES.items()},
    }


def nearest_count_values(school_ids, on_date: datetime.date, fields: Iterable[str]) -> dict[int, tuple]:
    """As :func:`nearest_counts`, but only the ``fields`` of each school's nearest counts, as a tuple;
    ``school_ids`` may be a subquery (``reports.values("school_id")``), so the query does not grow
    with the number of schools."""
    fields = list(fields)
    window = datetime.timedelta(days=NEAREST_WITHIN_DAYS)
    best: dict[int, tuple] = {}
    keys: dict[int, tuple[int, int]] = {}
    rows = VendorCount.objects.filter(
        school_id__in=school_ids, as_of__gte=on_date - window, as_of__lte=on_date + window
    ).values_list("school_id", "as_of", *fields)
    for school_id, as_of, *values in rows.iterator(chunk_size=5000):
        key = (abs((as_of - on_date).days), -as_of.toordinal())
        if school_id not in keys or key < keys[school_id]:
            keys[school_id], best[school_id] = key, tuple(values)
    return best
