"""The figures of the regional analytic report («аналитическая справка»), from aggregate queries.

The number of queries does not depend on the number of schools: every figure is a database
aggregate, or one query whose rows are the municipalities, the systems or the schools named in
the «Проблемы» section.
"""

import datetime
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.formats import date_format

from core import russian as ru
from monitoring.basis import Basis, basis_statuses
from monitoring.models import Campaign, ReportStatus, SchoolReport
from projects.analytics import indicator_examples, network_changes, pilot_network_summary, year_events
from projects.models import Project
from schools.models import Municipality

from .discrepancies import vendor_summary

# --- Thresholds of the «Проблемы» section, in one place -------------------------------------------
MIN_TEACHER_WORKSTATIONS_PER_TEACHER = 0.5  # teacher workstations per teacher using the EDMS
MIN_PARENTS_PER_STUDENT = 0.3  # registered parents per student
TOP_MUNICIPALITIES = 3
# Below this share of participants counted, the year-over-year comparison is called preliminary.
FULL_COVERAGE_PCT = 90.0
SUM_FIELDS = (
    "classes_total",
    "classes_edms",
    "students_total",
    "students_edms",
    "teachers_total",
    "teachers_edms",
    "parents_edms",
    "teacher_workstations",
    "student_workstations",
)


def basis_of(include_unapproved: bool) -> Basis:
    return Basis.SUBMITTED if include_unapproved else Basis.ACCEPTED


def counted_reports(campaign: Campaign, municipality: Municipality | None, include_unapproved: bool):
    """The reports the figures are computed from, on the basis chosen (``monitoring.basis``)."""
    states = basis_statuses(basis_of(include_unapproved))
    qs = SchoolReport.objects.filter(campaign=campaign, status__in=states, school__campaigns=campaign)
    if municipality is not None:
        qs = qs.filter(school__municipality=municipality)
    return qs


def _using(prefix: str = "") -> Q:
    return Q(**{f"{prefix}system__is_used": True})


def _headline_aggregates() -> dict:
    return dict(
        orgs_total=Count("id"),
        orgs_using_edms=Count("id", filter=_using()),
        regional_orgs_total=Count("id", filter=Q(school__municipality__kind=Municipality.Kind.REGIONAL)),
        municipalities_total=Count(
            "school__municipality",
            filter=~Q(school__municipality__kind=Municipality.Kind.REGIONAL),
            distinct=True,
        ),
    )


HEADLINE_KEYS = ("orgs_total", "orgs_using_edms", "regional_orgs_total", "municipalities_total")


def _headline(qs=None, *, totals: dict | None = None) -> dict:
    """Counts of organisations: from ``totals`` already aggregated, or one query over ``qs``."""
    data = {key: totals[key] for key in HEADLINE_KEYS} if totals else qs.aggregate(**_headline_aggregates())
    data["orgs_using_edms_pct"] = ru.share(data["orgs_using_edms"], data["orgs_total"])
    return data


def headline(qs) -> dict:
    """Organisations counted and those using an EDMS, with the share: the справка's headline figure."""
    return _headline(qs)


def _totals(qs) -> dict:
    """Every whole-scope count and sum of the report in one pass over the counted reports."""
    return qs.aggregate(
        **_headline_aggregates(),
        **{n: Sum(n) for n in SUM_FIELDS},
        paper_yes=Count("id", filter=Q(paper_journal=1)),
        paper_no=Count("id", filter=Q(paper_journal=2)),
        paper_planned=Count("id", filter=Q(paper_journal=3)),
        **{f"freq_{n}": Count("id", filter=Q(entry_frequency=n)) for n in (1, 2, 3, 4)},
        pilot_sites=Count("id", filter=Q(pilot_site=SchoolReport.PilotSite.YES)),
    )


def _by_system(qs, total: int) -> list[dict]:
    rows = (
        qs.filter(system__isnull=False)
        .values(
            "system_id",
            "system__name",
            "system__short_name",
            "system__installation",
            "system__vendor__short_name",
            "system__vendor__name",
            "system__is_used",
        )
        .annotate(orgs=Count("id"))
        .order_by("-orgs", "system__name")
    )
    result = [
        {
            "system": r["system__name"],
            "short_name": r["system__short_name"],
            "installation": r["system__installation"],
            "vendor": r["system__vendor__short_name"],
            "vendor_name": r["system__vendor__name"],
            "is_used": r["system__is_used"],
            "orgs": r["orgs"],
            "pct": ru.share(r["orgs"], total),
        }
        for r in rows
    ]
    return with_labels(result)


def with_labels(rows: list[dict]) -> list[dict]:
    """A label per system for charts and tables: the short name, and the installation address
    when several installations share it («Сетевой город (netgorod.tomsk-7.ru)»)."""
    shared = Counter(row["short_name"] for row in rows)
    for row in rows:
        row["label"] = (
            f"{row['short_name']} ({row['installation']})"
            if shared[row["short_name"]] > 1 and row.get("installation")
            else row["short_name"]
        )
    return rows


def _by_vendor(by_system: list[dict], total: int) -> list[dict]:
    vendors: dict[str, int] = {}
    names: dict[str, str] = {}
    for row in by_system:
        if row["vendor"]:
            vendors[row["vendor"]] = vendors.get(row["vendor"], 0) + row["orgs"]
            names[row["vendor"]] = row.get("vendor_name") or row["vendor"]
    return [
        {"vendor": v, "vendor_name": names[v], "orgs": n, "pct": ru.share(n, total)}
        for v, n in sorted(vendors.items(), key=lambda x: -x[1])
    ]


def _by_municipality(qs) -> list[dict]:
    rows = (
        qs.values("school__municipality_id", "school__municipality__name", "school__municipality__sort_order")
        .annotate(
            orgs=Count("id"),
            using=Count("id", filter=_using()),
            paper_no=Count("id", filter=Q(paper_journal=SchoolReport.PaperJournal.NO)),
            pilot=Count("id", filter=Q(pilot_site=SchoolReport.PilotSite.YES)),
            **{
                f: Sum(f)
                for f in (
                    "classes_total",
                    "classes_edms",
                    "students_total",
                    "students_edms",
                    "teachers_total",
                    "teachers_edms",
                    "parents_edms",
                )
            },
        )
        .order_by("school__municipality__sort_order")
    )
    result = []
    for r in rows:
        result.append(
            {
                "municipality": r["school__municipality__name"],
                "orgs": r["orgs"],
                "orgs_using_edms": r["using"],
                "orgs_using_edms_pct": ru.share(r["using"], r["orgs"]),
                "classes_pct": ru.share(r["classes_edms"] or 0, r["classes_total"] or 0),
                "students_pct": ru.share(r["students_edms"] or 0, r["students_total"] or 0),
                "teachers_pct": ru.share(r["teachers_edms"] or 0, r["teachers_total"] or 0),
                "parents_per_student": (r["parents_edms"] or 0) / r["students_total"]
                if r["students_total"]
                else None,
                "paper_journal_no": r["paper_no"],
                "pilot_sites": r["pilot"],
            }
        )
    return result


PROBLEM_KEYS = ("parallel_journals", "few_teacher_workstations", "low_parent_registration", "edms_not_used")


def _problem_keys(used, paper_journal, teachers_edms, workstations, students, parents) -> list[str]:
    """The problems of one report (the thresholds at the top of this module)."""
    keys = []
    if used and paper_journal == SchoolReport.PaperJournal.YES:
        keys.append("parallel_journals")
    if (
        used
        and teachers_edms
        and workstations is not None
        and workstations < teachers_edms * MIN_TEACHER_WORKSTATIONS_PER_TEACHER
    ):
        keys.append("few_teacher_workstations")
    if used and students and parents is not None and parents < students * MIN_PARENTS_PER_STUDENT:
        keys.append("low_parent_registration")
    if used is False:
        keys.append("edms_not_used")
    return keys


def school_lists(campaign: Campaign, qs) -> dict:
    """The organisations named in the справка: by problem, those that changed their system since
    the previous campaign (both years a system in use) and those that started to use one (last
    year «не используется», no system or no report). Two queries of plain values, sorted out in
    Python: a query per list, or a subquery per report, costs seconds at tens of thousands of
    schools."""
    before: dict[int, tuple] = {}
    if campaign.previous_id:
        before = {
            school_id: (system_id, name, used)
            for school_id, system_id, name, used in SchoolReport.objects.filter(
                campaign_id=campaign.previous_id
            )
            .order_by()
            .values_list("school_id", "system_id", "system__name", "system__is_used")
            .iterator(chunk_size=5000)
        }
    rows = qs.values_list(
        "school_id",
        "system_id",
        "system__name",
        "system__is_used",
        "notes",
        "school__short_name",
        "school__municipality__name",
        "paper_journal",
        "teachers_edms",
        "teacher_workstations",
        "students_total",
        "parents_edms",
    ).order_by("school__municipality__sort_order", "school__short_name")
    problems: dict[str, list[dict]] = {key: [] for key in PROBLEM_KEYS}
    switched, adopted = [], []
    for school_id, system_id, name, used, notes, school, municipality, *values in rows.iterator(
        chunk_size=5000
    ):
        for key in _problem_keys(used, *values):
            problems[key].append({"school": school, "municipality": municipality})
        if not used or not campaign.previous_id:
            continue
        previous_system, previous_name, previous_used = before.get(school_id, (None, None, None))
        if previous_system is not None and previous_used and previous_system != system_id:
            switched.append(
                {
                    "school": school,
                    "municipality": municipality,
                    "from": previous_name,
                    "to": name,
                    "notes": notes,
                }
            )
        elif not previous_used:
            adopted.append({"school": school, "municipality": municipality, "to": name})
    return {"switched": switched, "adopted": adopted, "problems": problems}


# --- The figures, step by step ---------------------------------------------------------------------
#
# ``compute_figures`` runs the steps of ``FIGURE_STEPS`` in order; each returns a dict of figures
# that is merged into the result and may read what earlier steps computed. A new figure is one
# more small function and one more line in ``FIGURE_STEPS``.


@dataclass
class Scope:
    campaign: Campaign
    municipality: Municipality | None
    include_unapproved: bool
    reports: QuerySet  # the counted reports

    @functools.cached_property
    def totals(self) -> dict:
        return _totals(self.reports)

    @property
    def region_wide(self) -> bool:
        return self.municipality is None

    def participants(self, campaign: Campaign | None = None) -> QuerySet:
        qs = (campaign or self.campaign).participants.all()
        return qs if self.municipality is None else qs.filter(municipality=self.municipality)


FigureStep = Callable[[Scope, dict], dict]


def _identity(scope: Scope, f: dict) -> dict:
    campaign = scope.campaign
    basis = basis_of(scope.include_unapproved)
    return {
        "campaign": campaign.title,
        "campaign_slug": campaign.slug,
        "academic_year": campaign.academic_year,
        "report_year": completed_academic_year(campaign.as_of),
        "as_of": campaign.as_of.isoformat(),
        "as_of_text": date_format(campaign.as_of, "d.m.Y"),
        "scope": scope.municipality.name if scope.municipality else "Томская область",
        "include_unapproved": scope.include_unapproved,
        "basis": str(basis),
        "basis_label": basis.label,
    }


def _participation(scope: Scope, f: dict) -> dict:
    data = _headline(totals=scope.totals)
    participants = scope.participants()
    by_status = {
        row["status"]: row["n"]
        for row in SchoolReport.objects.filter(campaign=scope.campaign, school__in=participants)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    }
    expected = participants.count()
    data.update(
        participants_expected=expected,
        reports_missing=expected - sum(by_status.values()),
        reports_not_approved=sum(n for s, n in by_status.items() if s != ReportStatus.APPROVED),
        reports_not_counted=expected - data["orgs_total"],
        coverage_pct=ru.share(data["orgs_total"], expected),
    )
    return data


def _systems(scope: Scope, f: dict) -> dict:
    by_system = _by_system(scope.reports, f["orgs_total"])
    return {"by_system": by_system, "by_vendor": _by_vendor(by_system, f["orgs_total"])}


def _coverage(scope: Scope, f: dict) -> dict:
    sums = {n: scope.totals[n] or 0 for n in SUM_FIELDS}
    students, teachers = sums["students_total"], sums["teachers_total"]
    data = {
        "classes_total": sums["classes_total"],
        "students_total": students,
        "teachers_total": teachers,
        "classes_using_edms": sums["classes_edms"],
        "students_using_edms": sums["students_edms"],
        "teachers_using_edms": sums["teachers_edms"],
        "parents_using_edms": sums["parents_edms"],
        "teacher_workstations": sums["teacher_workstations"],
        "student_workstations": sums["student_workstations"],
    }
    data.update(
        classes_using_edms_pct=ru.share(data["classes_using_edms"], data["classes_total"]),
        students_using_edms_pct=ru.share(data["students_using_edms"], students),
        teachers_using_edms_pct=ru.share(data["teachers_using_edms"], teachers),
        parents_per_student=data["parents_using_edms"] / students if students else None,
        teacher_workstations_per_teacher=data["teacher_workstations"] / teachers if teachers else None,
        student_workstations_per_student=data["student_workstations"] / students if students else None,
    )
    return data


def _journal_and_frequency(scope: Scope, f: dict) -> dict:
    codes = scope.totals
    paper = {"yes": codes["paper_yes"], "no": codes["paper_no"], "planned": codes["paper_planned"]}
    return {
        "paper_journal": paper,
        "paper_journal_pct": {k: ru.share(v, f["orgs_total"]) for k, v in paper.items()},
        "entry_frequency": {str(n): codes[f"freq_{n}"] for n in (1, 2, 3, 4)},
        "pilot_sites": codes["pilot_sites"],
        "pilot_sites_by_system": [
            {"system": r["system__name"] or "не указана", "orgs": r["n"]}
            for r in scope.reports.filter(pilot_site=SchoolReport.PilotSite.YES)
            .values("system__name")
            .annotate(n=Count("id"))
            .order_by("-n", "system__name")
        ],
    }


def _municipalities(scope: Scope, f: dict) -> dict:
    rows = _by_municipality(scope.reports) if scope.region_wide else []
    ranked = sorted(
        (m for m in rows if m["orgs_using_edms_pct"] is not None),
        key=lambda m: (-m["orgs_using_edms_pct"], m["municipality"]),
    )
    return {
        "by_municipality": rows,
        "top_municipalities": [m["municipality"] for m in ranked[:TOP_MUNICIPALITIES]],
        "bottom_municipalities": [m["municipality"] for m in ranked[-TOP_MUNICIPALITIES:][::-1]]
        if len(ranked) > TOP_MUNICIPALITIES
        else [],
    }


def _changes_and_problems(scope: Scope, f: dict) -> dict:
    return {
        **school_lists(scope.campaign, scope.reports),
        "thresholds": {
            "min_teacher_workstations_per_teacher": MIN_TEACHER_WORKSTATIONS_PER_TEACHER,
            "min_parents_per_student": MIN_PARENTS_PER_STUDENT,
        },
    }


def _previous_year(scope: Scope, f: dict) -> dict:
    """Last year's figures on the same basis as this year's (accepted with accepted)."""
    previous = scope.campaign.previous if scope.campaign.previous_id else None
    if previous is None:
        return {"previous": None, "comparison_preliminary": False}
    reports = counted_reports(previous, scope.municipality, scope.include_unapproved)
    head = headline(reports)
    by_system = _by_system(reports, head["orgs_total"])
    expected = scope.participants(previous).count()
    coverage = ru.share(head["orgs_total"], expected)
    before = {row["system"]: row for row in by_system}
    for row in f["by_system"]:
        old = before.get(row["system"])
        row["previous_orgs"] = old["orgs"] if old else 0
        row["previous_pct"] = old["pct"] if old else None
        row["pct_change"] = (
            row["pct"] - old["pct"] if old and row["pct"] is not None and old["pct"] is not None else None
        )
    preliminary = any(c is None or c < FULL_COVERAGE_PCT for c in (f["coverage_pct"], coverage))
    return {
        "previous": {
            "campaign": previous.title,
            "academic_year": previous.academic_year,
            "as_of": previous.as_of.isoformat(),
            "basis": f["basis"],
            "participants_expected": expected,
            "coverage_pct": coverage,
            "orgs_total": head["orgs_total"],
            "orgs_using_edms": head["orgs_using_edms"],
            "orgs_using_edms_pct": head["orgs_using_edms_pct"],
            "by_system": by_system,
        },
        "comparison_preliminary": preliminary,
    }


def report_project() -> Project | None:
    """The regional project the report describes: the latest one."""
    return Project.objects.order_by("-period_end", "-pk").first()


def _year_bounds(academic_year: str) -> tuple[datetime.date, datetime.date]:
    start = int(academic_year[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _project(scope: Scope, f: dict) -> dict:
    """The passport, the year's events, the pilot network and the sites' assignment reports."""
    project = report_project() if scope.region_wide else None
    if project is None:
        return {"project": None, "events": [], "pilot_network": None, "network_year": None}
    year = f["report_year"]
    start, end = _year_bounds(year)
    network = pilot_network_summary(project, year, scope.campaign.as_of)
    network["examples"] = indicator_examples(project, year)
    return {
        "project": {
            "name": project.name,
            "short_name": project.short_name,
            "period": project.period,
            "responsible_org": project.responsible_org,
            "approval_document": project.approval_document,
            "goal": project.goal,
            "tasks": project.tasks,
            "coordinators": project.coordinators,
            "information_channels": [
                line.strip() for line in project.information_channels.splitlines() if line.strip()
            ],
        },
        "events": year_events(project, start, end),
        "pilot_network": network,
        "network_year": _jsonable(network_changes(project, start, min(end, scope.campaign.as_of))),
    }


def _plan(scope: Scope, f: dict) -> dict:
    """The project's plan and fact for the campaign's year (region-wide only): see ``plan_fact``."""
    if not scope.region_wide or f.get("project") is None:
        return {"plan": None}
    # plan_fact reads this module's figures; imported here so that either module may load first.
    from .plan_fact import report_figures

    return {"plan": report_figures(scope.campaign, include_unapproved=scope.include_unapproved)}


def _vendors(scope: Scope, f: dict) -> dict:
    """What the vendors' systems count against the schools' reports (see ``reports.discrepancies``)."""
    return {"vendors": vendor_summary(scope.reports, scope.campaign.as_of)}


def _conclusions(scope: Scope, f: dict) -> dict:
    return {"conclusions": conclusions(f)}


FIGURE_STEPS: tuple[FigureStep, ...] = (
    _identity,
    _participation,
    _systems,
    _coverage,
    _journal_and_frequency,
    _municipalities,
    _changes_and_problems,
    _previous_year,
    _project,
    _plan,
    _vendors,
    _conclusions,
)


def compute_figures(
    campaign: Campaign, *, municipality: Municipality | None = None, include_unapproved=False
) -> dict:
    """Every figure of the analytic report, as plain JSON data (see ``FIGURE_STEPS``)."""
    scope = Scope(
        campaign,
        municipality,
        include_unapproved,
        counted_reports(campaign, municipality, include_unapproved),
    )
    figures: dict = {}
    for step in FIGURE_STEPS:
        figures.update(step(scope, figures))
    return figures


def completed_academic_year(on_date) -> str:
    """The last academic year (September–August) that ended before ``on_date``: 01.09.2017 → 2016-2017."""
    start = on_date.year if on_date.month >= 9 else on_date.year - 1
    return f"{start - 1}-{start}"


def conclusions(f: dict) -> list[str]:
    """Short statements generated from the figures (the summary on the web page and in XLSX)."""
    out = []
    if f["orgs_total"]:
        text = f"Организаций, использующих СЭД: {ru.num(f['orgs_using_edms'])} ({ru.pct(f['orgs_using_edms_pct'])})"
        prev = f.get("previous")
        if prev and prev["orgs_using_edms_pct"] is not None:
            delta = f["orgs_using_edms_pct"] - prev["orgs_using_edms_pct"]
            direction = "больше" if delta > 0 else "меньше"
            text += (
                f"; это на {ru.dec(abs(delta))} п. п. {direction}, чем в {prev['academic_year']} учебном году"
                if abs(delta) >= 0.05
                else f"; доля не изменилась по сравнению с {prev['academic_year']} учебным годом"
            )
        out.append(text + ".")
    missing = f["reports_not_counted"]
    if missing:
        out.append(
            f"Не учтены отчёты {ru.orgs_genitive(missing)} из {ru.num(f['participants_expected'])}: "
            "они не представлены или ещё не приняты."
        )
    return out
