"""Approved figures for the Department: the reports the analytic report counts (``Basis.ACCEPTED``,
participants only), summed per municipality and for the region."""

from django.db.models import Count, Q, Sum

from monitoring.basis import Basis, basis_statuses
from monitoring.models import Campaign, SchoolReport
from schools.models import Municipality

SUM_FIELDS = (
    "classes_total",
    "classes_edms",
    "students_total",
    "students_edms",
    "teachers_total",
    "teachers_edms",
    "parents_edms",
)


def _counted(campaign: Campaign):
    return SchoolReport.objects.filter(
        campaign=campaign, school__campaigns=campaign, status__in=basis_statuses(Basis.ACCEPTED)
    )


def _row(data: dict) -> dict:
    return {
        "orgs": data["orgs"],
        "orgs_using_edms": data["orgs_using_edms"],
        **{f: data[f] or 0 for f in SUM_FIELDS},
    }


def _aggregates() -> dict:
    return {
        "orgs": Count("id"),
        "orgs_using_edms": Count("id", filter=Q(system__is_used=True)),
        **{f: Sum(f) for f in SUM_FIELDS},
    }


def approved_figures(campaign: Campaign, municipality: Municipality | None = None) -> dict:
    """Two queries for any number of schools."""
    qs = _counted(campaign)
    if municipality is not None:
        qs = qs.filter(school__municipality=municipality)
    rows = (
        qs.values(
            "school__municipality__code", "school__municipality__name", "school__municipality__sort_order"
        )
        .annotate(**_aggregates())
        .order_by("school__municipality__sort_order")
    )
    return {
        "campaign": campaign.slug,
        "title": campaign.title,
        "as_of": campaign.as_of,
        "basis": str(Basis.ACCEPTED),
        "region": _row(qs.aggregate(**_aggregates())),
        "municipalities": [
            {"code": r["school__municipality__code"], "name": r["school__municipality__name"], **_row(r)}
            for r in rows
        ],
    }
