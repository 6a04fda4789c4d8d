"""The figures of the regional analytic report («аналитическая справка»), from aggregate queries.

The number of queries does not depend on the number of schools: every figure is a database
aggregate, or one query whose rows are the municipalities, the systems or the schools named in
the «Проблемы» section.
"""

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils.formats import date_format

from core import russian as ru
from monitoring.models import Campaign, ReportStatus, SchoolReport
from schools.models import Municipality

# --- Thresholds of the «Проблемы» section, in one place -------------------------------------------
MIN_TEACHER_WORKSTATIONS_PER_TEACHER = 0.5  # teacher workstations per teacher using the EDMS
MIN_PARENTS_PER_STUDENT = 0.3  # registered parents per student
TOP_MUNICIPALITIES = 3

COUNTED_DEFAULT = (ReportStatus.APPROVED,)
COUNTED_WITH_UNAPPROVED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
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


def counted_reports(campaign: Campaign, municipality: Municipality | None, include_unapproved: bool):
    states = COUNTED_WITH_UNAPPROVED if include_unapproved else COUNTED_DEFAULT
    qs = SchoolReport.objects.filter(campaign=campaign, status__in=states, school__campaigns=campaign)
    if municipality is not None:
        qs = qs.filter(school__municipality=municipality)
    return qs


def _using(prefix: str = "") -> Q:
    return Q(**{f"{prefix}system__is_used": True})


def _headline(qs) -> dict:
    data = qs.aggregate(
        orgs_total=Count("id"),
        orgs_using_edms=Count("id", filter=_using()),
        regional_orgs_total=Count("id", filter=Q(school__municipality__kind=Municipality.Kind.REGIONAL)),
        municipalities_total=Count(
            "school__municipality",
            filter=~Q(school__municipality__kind=Municipality.Kind.REGIONAL),
            distinct=True,
        ),
    )
    data["orgs_using_edms_pct"] = ru.share(data["orgs_using_edms"], data["orgs_total"])
    return data


def _by_system(qs, total: int) -> list[dict]:
    rows = (
        qs.filter(system__isnull=False)
        .values(
            "system_id", "system__name", "system__short_name", "system__vendor__short_name", "system__is_used"
        )
        .annotate(orgs=Count("id"))
        .order_by("-orgs", "system__name")
    )
    return [
        {
            "system": r["system__name"],
            "short_name": r["system__short_name"],
            "vendor": r["system__vendor__short_name"],
            "is_used": r["system__is_used"],
            "orgs": r["orgs"],
            "pct": ru.share(r["orgs"], total),
        }
        for r in rows
    ]


def _by_vendor(by_system: list[dict], total: int) -> list[dict]:
    vendors: dict[str, int] = {}
    for row in by_system:
        if row["vendor"]:
            vendors[row["vendor"]] = vendors.get(row["vendor"], 0) + row["orgs"]
    return [
        {"vendor": v, "orgs": n, "pct": ru.share(n, total)}
        for v, n in sorted(vendors.items(), key=lambda x: -x[1])
    ]


def _problems(qs) -> dict:
    def schools(filtered):
        return [
            {"school": r["school__short_name"], "municipality": r["school__municipality__name"]}
            for r in filtered.values("school__short_name", "school__municipality__name").order_by(
                "school__municipality__sort_order", "school__short_name"
            )
        ]

    return {
        "parallel_journals": schools(qs.filter(_using(), paper_journal=SchoolReport.PaperJournal.YES)),
        "few_teacher_workstations": schools(
            qs.filter(_using(), teachers_edms__gt=0).filter(
                teacher_workstations__lt=F("teachers_edms") * MIN_TEACHER_WORKSTATIONS_PER_TEACHER
            )
        ),
        "low_parent_registration": schools(
            qs.filter(_using(), students_total__gt=0).filter(
                parents_edms__lt=F("students_total") * MIN_PARENTS_PER_STUDENT
            )
        ),
        "edms_not_used": schools(qs.filter(system__is_used=False)),
    }


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


def _switched(campaign: Campaign, qs) -> list[dict]:
    if not campaign.previous_id:
        return []
    previous = SchoolReport.objects.filter(campaign_id=campaign.previous_id, school_id=OuterRef("school_id"))
    rows = (
        qs.filter(system__isnull=False)
        .annotate(
            previous_system_id=Subquery(previous.values("system_id")[:1]),
            previous_system=Subquery(previous.values("system__name")[:1]),
            previous_used=Subquery(previous.values("system__is_used")[:1]),
        )
        .filter(previous_system_id__isnull=False, system__is_used=True, previous_used=True)
        .exclude(system_id=F("previous_system_id"))
        .values(
            "school__short_name", "school__municipality__name", "previous_system", "system__name", "notes"
        )
        .order_by("school__municipality__sort_order", "school__short_name")
    )
    return [
        {
            "school": r["school__short_name"],
            "municipality": r["school__municipality__name"],
            "from": r["previous_system"],
            "to": r["system__name"],
            "notes": r["notes"],
        }
        for r in rows
    ]


def _adopted(campaign: Campaign, qs) -> list[dict]:
    """Organisations that started to use a system: last year «не используется» or no report."""
    if not campaign.previous_id:
        return []
    previous = SchoolReport.objects.filter(campaign_id=campaign.previous_id, school_id=OuterRef("school_id"))
    rows = (
        qs.filter(system__is_used=True)
        .annotate(previous_used=Subquery(previous.values("system__is_used")[:1]))
        .filter(Q(previous_used__isnull=True) | Q(previous_used=False))
        .values("school__short_name", "school__municipality__name", "system__name")
        .order_by("school__municipality__sort_order", "school__short_name")
    )
    return [
        {
            "school": r["school__short_name"],
            "municipality": r["school__municipality__name"],
            "to": r["system__name"],
        }
        for r in rows
    ]


def compute_figures(
    campaign: Campaign, *, municipality: Municipality | None = None, include_unapproved=False
) -> dict:
    qs = counted_reports(campaign, municipality, include_unapproved)
    figures: dict = {
        "campaign": campaign.title,
        "campaign_slug": campaign.slug,
        "academic_year": campaign.academic_year,
        "as_of": campaign.as_of.isoformat(),
        "as_of_text": date_format(campaign.as_of, "d.m.Y"),
        "scope": municipality.name if municipality else "Томская область",
        "include_unapproved": include_unapproved,
    }
    figures.update(_headline(qs))
    total = figures["orgs_total"]

    participants = campaign.participants.all()
    if municipality is not None:
        participants = participants.filter(municipality=municipality)
    status_counts = (
        SchoolReport.objects.filter(campaign=campaign, school__in=participants)
        .values("status")
        .annotate(n=Count("id"))
    )
    by_status = {row["status"]: row["n"] for row in status_counts}
    expected = participants.count()
    figures["participants_expected"] = expected
    figures["reports_missing"] = expected - sum(by_status.values())
    figures["reports_not_approved"] = sum(n for s, n in by_status.items() if s != ReportStatus.APPROVED)
    figures["reports_not_counted"] = expected - total

    figures["by_system"] = _by_system(qs, total)
    figures["by_vendor"] = _by_vendor(figures["by_system"], total)
    sums = qs.aggregate(**{f: Sum(f) for f in SUM_FIELDS})
    figures.update({k: sums[k] or 0 for k in SUM_FIELDS})
    figures["classes_using_edms"] = figures.pop("classes_edms")
    figures["students_using_edms"] = figures.pop("students_edms")
    figures["teachers_using_edms"] = figures.pop("teachers_edms")
    figures["parents_using_edms"] = figures.pop("parents_edms")
    figures["classes_using_edms_pct"] = ru.share(figures["classes_using_edms"], figures["classes_total"])
    figures["students_using_edms_pct"] = ru.share(figures["students_using_edms"], figures["students_total"])
    figures["teachers_using_edms_pct"] = ru.share(figures["teachers_using_edms"], figures["teachers_total"])
    students, teachers = figures["students_total"], figures["teachers_total"]
    figures["parents_per_student"] = figures["parents_using_edms"] / students if students else None
    figures["teacher_workstations_per_teacher"] = (
        figures["teacher_workstations"] / teachers if teachers else None
    )
    figures["student_workstations_per_student"] = (
        figures["student_workstations"] / students if students else None
    )

    codes = qs.aggregate(
        paper_yes=Count("id", filter=Q(paper_journal=1)),
        paper_no=Count("id", filter=Q(paper_journal=2)),
        paper_planned=Count("id", filter=Q(paper_journal=3)),
        **{f"freq_{n}": Count("id", filter=Q(entry_frequency=n)) for n in (1, 2, 3, 4)},
        pilot_sites=Count("id", filter=Q(pilot_site=SchoolReport.PilotSite.YES)),
    )
    figures["paper_journal"] = {
        "yes": codes["paper_yes"],
        "no": codes["paper_no"],
        "planned": codes["paper_planned"],
    }
    figures["paper_journal_pct"] = {k: ru.share(v, total) for k, v in figures["paper_journal"].items()}
    figures["entry_frequency"] = {str(n): codes[f"freq_{n}"] for n in (1, 2, 3, 4)}
    figures["pilot_sites"] = codes["pilot_sites"]
    figures["pilot_sites_by_system"] = [
        {"system": r["system__name"] or "не указана", "orgs": r["n"]}
        for r in qs.filter(pilot_site=SchoolReport.PilotSite.YES)
        .values("system__name")
        .annotate(n=Count("id"))
        .order_by("-n", "system__name")
    ]

    figures["by_municipality"] = _by_municipality(qs) if municipality is None else []
    ranked = sorted(
        (m for m in figures["by_municipality"] if m["orgs_using_edms_pct"] is not None),
        key=lambda m: (-m["orgs_using_edms_pct"], m["municipality"]),
    )
    figures["top_municipalities"] = [m["municipality"] for m in ranked[:TOP_MUNICIPALITIES]]
    figures["bottom_municipalities"] = (
        [m["municipality"] for m in ranked[-TOP_MUNICIPALITIES:][::-1]]
        if len(ranked) > TOP_MUNICIPALITIES
        else []
    )
    figures["switched"] = _switched(campaign, qs)
    figures["adopted"] = _adopted(campaign, qs)
    figures["problems"] = _problems(qs)
    figures["thresholds"] = {
        "min_teacher_workstations_per_teacher": MIN_TEACHER_WORKSTATIONS_PER_TEACHER,
        "min_parents_per_student": MIN_PARENTS_PER_STUDENT,
    }

    figures["previous"] = None
    if campaign.previous_id:
        previous = campaign.previous
        prev_qs = counted_reports(previous, municipality, include_unapproved=False)
        head = _headline(prev_qs)
        prev_by_system = _by_system(prev_qs, head["orgs_total"])
        figures["previous"] = {
            "campaign": previous.title,
            "academic_year": previous.academic_year,
            "orgs_total": head["orgs_total"],
            "orgs_using_edms": head["orgs_using_edms"],
            "orgs_using_edms_pct": head["orgs_using_edms_pct"],
            "by_system": prev_by_system,
        }
        previous_share = {row["system"]: row for row in prev_by_system}
        for row in figures["by_system"]:
            before = previous_share.get(row["system"])
            row["previous_orgs"] = before["orgs"] if before else 0
            row["previous_pct"] = before["pct"] if before else None
            row["pct_change"] = (
                row["pct"] - before["pct"]
                if before and row["pct"] is not None and before["pct"] is not None
                else None
            )
    figures["pilot_network"] = _pilot_network(campaign) if municipality is None else None
    figures["conclusions"] = conclusions(figures)
    return figures


def completed_academic_year(on_date) -> str:
    """The last academic year (September–August) that ended before ``on_date``: 01.09.2017 → 2016-2017."""
    start = on_date.year if on_date.month >= 9 else on_date.year - 1
    return f"{start - 1}-{start}"


def _pilot_network(campaign: Campaign) -> dict | None:
    """The pilot-site network and its assignment reports for the year before the campaign."""
    from projects.analytics import pilot_network_summary
    from projects.models import Project

    project = Project.objects.order_by("-period_end", "-pk").first()
    if project is None:
        return None
    return pilot_network_summary(project, completed_academic_year(campaign.as_of), campaign.as_of)


def conclusions(f: dict) -> list[str]:
    """«Выводы»: short statements generated from the figures."""
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
        leader = next((s for s in f["by_system"] if s["is_used"]), None)
        if leader:
            out.append(
                f"Наиболее распространённая система — {leader['system']}: {ru.orgs(leader['orgs'])} ({ru.pct(leader['pct'])})."
            )
        gave_up = f["paper_journal"]["no"]
        out.append(
            f"Отказ от бумажного журнала: только {ru.orgs(gave_up)} ({ru.pct(f['paper_journal_pct']['no'])}); "
            f"планируют отказ в следующем учебном году — {ru.num(f['paper_journal']['planned'])}."
        )
        parallel = len(f["problems"]["parallel_journals"])
        if parallel:
            out.append(f"Бумажный и электронный журналы ведутся параллельно: {ru.orgs(parallel)}.")
    missing = f["reports_not_counted"]
    if missing:
        out.append(
            f"Не учтены отчёты {ru.orgs_genitive(missing)} из {ru.num(f['participants_expected'])}: "
            "они не представлены или ещё не приняты."
        )
    if f["switched"]:
        out.append(f"Сменили систему: {ru.orgs(len(f['switched']))}.")
    return out
