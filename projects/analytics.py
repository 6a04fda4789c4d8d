"""Figures of the pilot network for the analytic report (the reconciliation of the registry with
the monitoring data is in :mod:`reports.reconciliation`).

Every function runs a fixed number of aggregate queries: the count does not grow with the
number of sites or reports.
"""

import datetime

from django.db.models import Count, IntegerField, Min, Q, Sum, Value
from django.db.models.functions import Coalesce

from core.models import ReportStatus

from .indicators import INDICATORS
from .models import AssignmentReport, Event, PilotSite, PilotSiteQuerySet, Project

COUNTED_STATES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


def _pct(part, whole) -> float:
    """Share in per cent, unrounded (templates round with the ``pct`` filter)."""
    return part * 100 / whole if whole else 0.0


def _sites(project: Project) -> PilotSiteQuerySet:
    return PilotSite.objects.filter(project=project)


def _by_system(qs, prefix: str = "") -> list[dict]:
    """Counts grouped by EDMS system (``prefix`` leads from the queryset's model to a PilotSite)."""
    s = f"{prefix}system"
    rows = (
        qs.values(s, f"{s}__code", f"{s}__name", f"{s}__short_name", f"{s}__vendor__short_name")
        .annotate(count=Count("pk"))
        .order_by(f"{s}__sort_order", f"{s}__name")
    )
    return [
        {
            "system_id": row[s],
            "code": row[f"{s}__code"],
            "system": row[f"{s}__name"],
            "short_name": row[f"{s}__short_name"],
            "vendor": row[f"{s}__vendor__short_name"] or "—",
            "count": row["count"],
        }
        for row in rows
    ]


def _by_vendor(by_system: list[dict]) -> list[dict]:
    """«149 ТЭШ, 7 Дневник.ру, 4 ИРТех»: the systems of one vendor added up, in system order."""
    totals: dict[str, int] = {}
    for row in by_system:
        totals[row["vendor"]] = totals.get(row["vendor"], 0) + row["count"]
    return [{"vendor": vendor, "count": count} for vendor, count in totals.items()]


def network_as_of(project: Project, date: datetime.date) -> dict:
    """The pilot network on ``date``: its size, by system, by vendor and by municipality."""
    active = _sites(project).active_on(date)
    by_system = _by_system(active)
    by_municipality = [
        {
            "municipality_id": row["school__municipality_id"],
            "municipality": row["school__municipality__name"],
            "count": row["count"],
        }
        for row in active.values("school__municipality_id", "school__municipality__name")
        .annotate(count=Count("pk"))
        .order_by("school__municipality__sort_order", "school__municipality__name")
    ]
    return {
        "as_of": date,
        "size": sum(row["count"] for row in by_system),
        "by_system": by_system,
        "by_vendor": _by_vendor(by_system),
        "by_municipality": by_municipality,
    }


def network_changes(project: Project, start: datetime.date, end: datetime.date) -> dict:
    """How the network changed between two dates.

    Sites counted as joined have ``start < joined_on <= end``, as left ``start < left_on <= end``,
    so that ``size_end == size_start + joined - left``.
    """
    sites = _sites(project)
    size_start = sites.active_on(start).count()
    joined_by_system = _by_system(sites.filter(joined_on__gt=start, joined_on__lte=end))
    left = sites.filter(left_on__gt=start, left_on__lte=end)
    left_by_system = _by_system(left)
    left_by_reason = [
        {"reason": row["leave_reason"], "count": row["count"]}
        for row in left.values("leave_reason").annotate(count=Count("pk")).order_by("-count", "leave_reason")
    ]
    at_end = network_as_of(project, end)
    return {
        "start": start,
        "end": end,
        "size_start": size_start,
        "joined": sum(row["count"] for row in joined_by_system),
        "joined_by_system": joined_by_system,
        "left": sum(row["count"] for row in left_by_system),
        "left_by_system": left_by_system,
        "left_by_reason": left_by_reason,
        "size_end": at_end["size"],
        "end_by_system": at_end["by_system"],
        "end_by_vendor": at_end["by_vendor"],
        "end_by_municipality": at_end["by_municipality"],
    }


# --- The analysis of the reports on the technical assignment -------------------------------------


def _sum(name):
    return Coalesce(Sum(name), Value(0), output_field=IntegerField())


def _sites_where(condition: Q):
    return Count("pk", filter=condition)


# For each indicator: (key, label, aggregate, is a count of sites — then a share is shown too).
TOTALS: dict[int, list[tuple[str, str, object, bool]]] = {
    1: [
        ("measures_done", "провели мероприятия по защите ПД", _sites_where(Q(pd_measures_done=True)), True),
        ("documents_published", "разместили документы на сайте", _sites_where(Q(pd_documents_published=True)), True),
    ],
    2: [
        ("events", "мероприятий международного, всероссийского, межрегионального уровня", _sum("ext_events_count"), False),
        ("participants", "участников этих мероприятий", _sum("ext_events_participants"), False),
        ("contests_sites", "ПВП провели конкурсы", _sites_where(Q(organised_contests__gt=0)), True),
        ("contests", "проведено конкурсов", _sum("organised_contests"), False),
        ("contests_participants", "участников конкурсов", _sum("organised_contests_participants"), False),
        (
            "seminars_sites",
            "ПВП провели обучающие семинары и круглые столы",
            _sites_where(Q(organised_seminars__gt=0) | Q(organised_round_tables__gt=0)),
            True,
        ),
        ("seminars", "обучающих семинаров", _sum("organised_seminars"), False),
        ("round_tables", "круглых столов", _sum("organised_round_tables"), False),
        (
            "seminars_participants",
            "участников семинаров и круглых столов",
            _sum("organised_seminars_participants") + _sum("organised_round_tables_participants"),
            False,
        ),
        ("conferences_sites", "ПВП провели конференции", _sites_where(Q(organised_conferences__gt=0)), True),
        ("conferences", "проведено конференций", _sum("organised_conferences"), False),
        ("conferences_participants", "участников конференций", _sum("organised_conferences_participants"), False),
        ("internet_projects_teachers", "педагогов — участников интернет-проектов", _sum("internet_projects_teachers"), False),
    ],
    3: [
        ("resources", "электронных баз на сайтах ПВП", _sum("resources_count"), False),
        ("library_sites", "ПВП разместили базу учебно-методической литературы", _sites_where(Q(methodical_library=True)), True),
    ],
    4: [],
    5: [("teachers", "педагогов-экспертов", _sum("expert_teachers"), False)],
    6: [
        ("teachers", "проконсультировано педагогов", _sum("consultations_teachers"), False),
        ("students", "проконсультировано обучающихся", _sum("consultations_students"), False),
        ("parents", "проконсультировано родителей", _sum("consultations_parents"), False),
    ],
    7: [
        ("publications", "публикаций педагогов", _sum("publications_count"), False),
        ("report_chapter_sites", "ПВП отразили проект в публичном докладе", _sites_where(Q(public_report_chapter=True)), True),
    ],
    8: [
        ("journal_fill_sites", "мониторинг заполняемости электронного журнала", _sites_where(Q(monitor_journal_fill=True)), True),
        ("diary_fill_sites", "мониторинг заполняемости электронных дневников", _sites_where(Q(monitor_diary_fill=True)), True),
        ("materials_sites", "мониторинг программно-методических материалов", _sites_where(Q(monitor_materials=True)), True),
        ("progress_sites", "мониторинги успеваемости", _sites_where(Q(monitor_progress=True)), True),
        ("quality_sites", "мониторинг успеваемости и качества знаний", _sites_where(Q(monitor_quality=True)), True),
    ],
}  # fmt: skip


def counted_assignment_reports(project: Project, academic_year: str):
    """Reports of the year that count as presented: submitted or approved."""
    return AssignmentReport.objects.filter(
        pilot_site__project=project, academic_year=academic_year, status__in=COUNTED_STATES
    )


def pilot_network_summary(project: Project, academic_year: str, as_of: datetime.date) -> dict:
    """The ``pilot_network`` part of the analytic report.

    ``network_size`` is the network on ``as_of``; the 8 indicators are computed over the
    submitted and approved reports of ``academic_year`` («N ПВП, представивших отчёт (X%)»).
    Shares are per cent, unrounded. The result is plain JSON data (``as_of`` as an ISO date).
    """
    network = network_as_of(project, as_of)
    reports = counted_assignment_reports(project, academic_year)
    aggregates = {"reports": Count("pk")}
    for indicator in INDICATORS:
        aggregates[f"met_{indicator.number}"] = _sites_where(indicator.met)
        for key, _, expression, _ in TOTALS[indicator.number]:
            aggregates[f"i{indicator.number}_{key}"] = expression
    values = reports.aggregate(**aggregates)
    total = values["reports"]

    indicators = []
    for indicator in INDICATORS:
        lines = []
        for key, label, _, is_sites in TOTALS[indicator.number]:
            value = values[f"i{indicator.number}_{key}"]
            lines.append(
                {"key": key, "label": label, "value": value, "pct": _pct(value, total) if is_sites else None}
            )
        met = values[f"met_{indicator.number}"]
        indicators.append(
            {
                "number": indicator.number,
                "title": indicator.title,
                "met_label": indicator.met_label,
                "sites": met,
                "pct": _pct(met, total),
                "totals": {line["key"]: line["value"] for line in lines},
                "lines": lines,
            }
        )

    by_system = _by_system(reports, prefix="pilot_site__")
    for row in by_system:
        row["pct"] = _pct(row["count"], total)
    by_vendor = _by_vendor(by_system)
    for row in by_vendor:
        row["pct"] = _pct(row["count"], total)
    return {
        "academic_year": academic_year,
        "as_of": as_of.isoformat(),
        "network_size": network["size"],
        "network_by_system": network["by_system"],
        "network_by_vendor": network["by_vendor"],
        "network_by_municipality": network["by_municipality"],
        "assignment_reports": total,
        "assignment_reports_pct": _pct(total, network["size"]),
        "by_system": by_system,
        "by_vendor": by_vendor,
        "indicators": indicators,
    }


# --- Named examples and the year's events, for the analytic report ----------------------------------

EXAMPLES_PER_INDICATOR = 2


def indicator_examples(project: Project, academic_year: str, limit: int = EXAMPLES_PER_INDICATOR) -> dict:
    """Up to ``limit`` named examples per indicator from the free texts «что сделано, примеры» of the
    counted reports: ``{number: [{"school", "municipality", "text"}]}`` (one query).

    Approved reports come first, then the longer texts (they usually name the event and the topic).
    """
    fields = [indicator.examples_field for indicator in INDICATORS]
    rows = (
        counted_assignment_reports(project, academic_year)
        .values("status", "pilot_site__school__short_name", "pilot_site__school__municipality__name", *fields)
        .order_by("pilot_site__school__municipality__sort_order", "pilot_site__school__short_name")
    )
    found: dict[int, list[tuple]] = {indicator.number: [] for indicator in INDICATORS}
    for row in rows:
        for indicator in INDICATORS:
            text = (row[indicator.examples_field] or "").strip()
            if text:
                rank = (row["status"] != ReportStatus.APPROVED, -len(text))
                found[indicator.number].append(
                    (
                        rank,
                        {
                            "school": row["pilot_site__school__short_name"],
                            "municipality": row["pilot_site__school__municipality__name"],
                            "text": text,
                        },
                    )
                )
    return {
        str(number): [item for _, item in sorted(items, key=lambda pair: pair[0])[:limit]]
        for number, items in found.items()
    }


def year_events(project: Project, start: datetime.date, end: datetime.date) -> list[dict]:
    """The events the regional centre held between two dates, with participant counts (one query)."""
    rows = (
        project.events.filter(organiser_school__isnull=True, starts_on__gte=start, starts_on__lte=end)
        .order_by("starts_on", "title")
        .values("title", "kind", "level", "starts_on", "organiser_text", "teachers", "students", "outcome")
    )
    return [
        {
            **row,
            "starts_on": row["starts_on"].isoformat(),
            "kind_label": Event.Kind(row["kind"]).label,
            "level_label": Event.Level(row["level"]).label,
        }
        for row in rows
    ]


# --- Yearly actuals of the plan's indicators (the registry's and the events' side) -----------------


def _active_q(date: datetime.date) -> Q:
    return Q(joined_on__lte=date) & (Q(left_on__isnull=True) | Q(left_on__gt=date))


def network_sizes(project: Project, dates: dict[int, datetime.date]) -> dict[int, int]:
    """The size of the pilot network on each date (``{key: date}``), as :func:`network_as_of`
    counts it, in one query."""
    if not dates:
        return {}
    values = _sites(project).aggregate(
        **{f"d{key}": Count("pk", filter=_active_q(d)) for key, d in dates.items()}
    )
    return {key: values[f"d{key}"] for key in dates}


def network_first_joined(project: Project) -> datetime.date | None:
    """The day the first site joined the network (before it the registry knows nothing)."""
    return _sites(project).aggregate(first=Min("joined_on"))["first"]


def assignment_reports_by_year(project: Project, academic_years: list[str]) -> dict[str, dict]:
    """For each academic year: reports of any state and the counted ones (submitted or approved),
    in one query."""
    rows = (
        AssignmentReport.objects.filter(pilot_site__project=project, academic_year__in=academic_years)
        .values("academic_year")
        .annotate(all=Count("pk"), counted=Count("pk", filter=Q(status__in=COUNTED_STATES)))
        .order_by()
    )
    found = {row["academic_year"]: {"all": row["all"], "counted": row["counted"]} for row in rows}
    return {year: found.get(year, {"all": 0, "counted": 0}) for year in academic_years}


def events_by_year(project: Project, first: int, last: int) -> dict[int, dict]:
    """Events of the project per calendar year of their start and their participants (teachers and
    students), in one query; years without events are left out."""
    rows = (
        project.events.filter(starts_on__year__gte=first, starts_on__year__lte=last)
        .values("starts_on__year")
        .annotate(events=Count("pk"), teachers=_sum("teachers"), students=_sum("students"))
        .order_by()
    )
    return {
        row["starts_on__year"]: {"events": row["events"], "participants": row["teachers"] + row["students"]}
        for row in rows
    }
