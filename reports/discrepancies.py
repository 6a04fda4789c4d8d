"""Where schools and vendors disagree: a campaign's reports (accepted and under review) next to the
vendors' figures for the nearest date. Three queries for any number of schools."""

from django.conf import settings

from accounts.models import User
from monitoring.basis import Basis
from monitoring.columns import COLUMN_OF_FIELD
from monitoring.models import Campaign
from monitoring.rules import vendor_difference_pct
from monitoring.selectors import reports_on_basis
from schools.models import Municipality
from vendors.selectors import REPORT_FIELD_FIGURES, nearest_count_values, nearest_counts

COMPARED = tuple(REPORT_FIELD_FIGURES.items())  # (report field, vendor field)
SORT_KEYS = ("max_pct", "school", "municipality", "vendor")
EXPORT_HEADER = [
    "Организация",
    "МОУО",
    "Система в отчёте",
    "Разработчик",
    "Данные разработчика на",
    *(
        f"Графа {COLUMN_OF_FIELD[field]}: {what}"
        for field, _ in COMPARED
        for what in ("в отчёте", "у разработчика", "расхождение, %")
    ),
    "Наибольшее расхождение, %",
]


def _rows(reports, on_date) -> list[dict]:
    reports = list(
        reports.select_related("school__municipality", "system").order_by(
            "school__municipality__sort_order", "school__short_name"
        )
    )
    counts = nearest_counts([r.school_id for r in reports], on_date)
    threshold = settings.VENDOR_DIFF_WARNING_PCT
    rows = []
    for report in reports:
        count = counts.get(report.school_id)
        if count is None:
            continue
        cells = []
        for field, vendor_field in COMPARED:
            ours, theirs = getattr(report, field), getattr(count, vendor_field)
            pct = None if ours is None else round(vendor_difference_pct(ours, theirs), 1)
            cells.append(
                {"field": field, "ours": ours, "theirs": theirs, "pct": pct, "over": (pct or 0) > threshold}
            )
        rows.append(
            {
                "school": report.school.short_name,
                "school_pk": report.school_id,
                "municipality": report.school.municipality.name,
                "municipality_order": report.school.municipality.sort_order,
                "system": report.system.short_name if report.system else "",
                "vendor": count.vendor.short_name,
                "as_of": count.as_of,
                "cells": cells,
                "max_pct": max((c["pct"] for c in cells if c["pct"] is not None), default=None),
            }
        )
    return rows


def discrepancy_rows(
    *, user: User, campaign: Campaign, municipality: Municipality | None = None, sort: str = "-max_pct"
) -> list[dict]:
    """Reports in the user's scope, accepted and under review, that have a vendor's figures."""
    reports = reports_on_basis(user=user, campaign=campaign, basis=Basis.SUBMITTED, municipality=municipality)
    rows = _rows(reports, campaign.as_of)
    key = sort.lstrip("-") if sort.lstrip("-") in SORT_KEYS else "max_pct"
    reverse = sort.startswith("-")
    if key == "municipality":
        rows.sort(key=lambda r: (r["municipality_order"], r["school"]), reverse=reverse)
    elif key == "max_pct":
        rows.sort(key=lambda r: (r["max_pct"] is None, r["max_pct"] or 0), reverse=reverse)
    else:
        rows.sort(key=lambda r: r[key], reverse=reverse)
    return rows


def export_rows(rows: list[dict]) -> list[list]:
    return [
        [
            r["school"],
            r["municipality"],
            r["system"],
            r["vendor"],
            r["as_of"].strftime("%d.%m.%Y"),
            *(value for c in r["cells"] for value in (c["ours"], c["theirs"], c["pct"])),
            r["max_pct"],
        ]
        for r in rows
    ]


def vendor_summary(reports, on_date) -> dict:
    """Figures of the «по данным разработчиков» part of the analytic report, for the reports it counts:
    two queries of plain values (no model instances), whatever the number of schools."""
    threshold = settings.VENDOR_DIFF_WARNING_PCT
    fields = [field for field, _ in COMPARED]
    counts = nearest_count_values(reports.values("school_id"), on_date, [name for _, name in COMPARED])
    compared = over = 0
    ours_total = [0] * len(fields)
    theirs_total = [0] * len(fields)
    for school_id, *ours in reports.order_by().values_list("school_id", *fields).iterator(chunk_size=5000):
        theirs = counts.get(school_id)
        if theirs is None:
            continue
        compared += 1
        worst = None
        for i, (mine, vendor) in enumerate(zip(ours, theirs, strict=True)):
            ours_total[i] += mine or 0
            theirs_total[i] += vendor
            if mine is not None:
                pct = round(vendor_difference_pct(mine, vendor), 1)
                worst = pct if worst is None else max(worst, pct)
        if (worst or 0) > threshold:
            over += 1
    return {
        "schools_compared": compared,
        "schools_over_threshold": over,
        "threshold": threshold,
        "totals": [
            {"column": COLUMN_OF_FIELD[field], "ours": ours_total[i], "theirs": theirs_total[i]}
            for i, field in enumerate(fields)
        ],
    }
