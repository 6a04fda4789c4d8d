"""Demo campaigns (used by ``seed_demo``): last year's, closed, with complete data for every demo
school, and the current one, open, with reports in a realistic mix of states."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from schools.demo_data import BILATERAL_PILOT_SITES, POSITIONS, demo_schools, email, person_name, phone
from schools.models import EdmsSystem, Municipality

from .models import (
    COUNT_FIELDS,
    PART_OF_WHOLE,
    Campaign,
    MunicipalityReview,
    MunicipalityState,
    ReportBranch,
    ReportStatus,
    SchoolReport,
    WorkflowEvent,
)
from .selectors import report_snapshot
from .services import campaign_create

# The oldest demo campaign: the pilot-site registry of the projects demo is built from its data.
HISTORY = {
    "slug": "2016",
    "title": "Мониторинг использования СЭД по состоянию на 01.09.2016",
    "academic_year": "2016-2017",
    "as_of": datetime.date(2016, 9, 1),
    "deadline": datetime.date(2016, 9, 20),
    "letter_number": "702",
    "letter_date": datetime.date(2016, 8, 10),
}
DEADLINE_AHEAD = datetime.timedelta(days=21)  # the open campaign's deadline is this far ahead


def academic_year_start(today: datetime.date) -> int:
    """The year the academic year containing ``today`` began (September to August)."""
    return today.year if today.month >= 9 else today.year - 1


def campaign_spec(year: int, *, today: datetime.date | None = None) -> dict:
    """The demo campaign of the academic year beginning in ``year``; with ``today`` (the open
    one) its deadline is still ahead."""
    as_of = datetime.date(year, 9, 1)
    deadline = datetime.date(year, 9, 20)
    if today is not None:
        deadline = max(deadline, today + DEADLINE_AHEAD)
    return {
        "slug": str(year),
        "title": f"Мониторинг использования СЭД по состоянию на {as_of:%d.%m.%Y}",
        "academic_year": f"{year}-{year + 1}",
        "as_of": as_of,
        "deadline": deadline,
        "letter_number": str(700 + year % 100),
        "letter_date": as_of - datetime.timedelta(days=22),
    }


def demo_campaign_specs(today: datetime.date) -> tuple[list[dict], dict]:
    """(closed campaigns with complete data, oldest first; the open campaign of the current
    academic year). The last closed one is the open one's «previous year»."""
    year = academic_year_start(today)
    closed = [HISTORY] + [campaign_spec(y) for y in range(max(2017, year - 1), year)]
    return closed, campaign_spec(year, today=today)


# Share of current reports per state; the rest are not started.
CURRENT_STATES = (
    (ReportStatus.APPROVED, 0.30),
    (ReportStatus.SUBMITTED, 0.20),
    (ReportStatus.RETURNED, 0.05),
    (ReportStatus.DRAFT, 0.25),
)
# Municipalities that have finished the current campaign: accepted by the region, or handed over.
FINISHED = {"kedrovy": MunicipalityState.ACCEPTED, "teguldetsky": MunicipalityState.SUBMITTED}
RETURN_COMMENTS = (
    "Проверьте графу 16: обучающихся в СЭД больше, чем в прошлом году, без пояснения.",
    "Не указаны контакты ответственного за работу СЭД в филиале.",
    "Уточните периодичность внесения данных (графа 19).",
)
NETGOROD_BY_MUNICIPALITY = {"seversk": "netgorod-tomsk7", "strezhevoy": "netgorod-guostrj"}


def _pick_system(rng, demo, bilateral):
    if demo.municipality_code in NETGOROD_BY_MUNICIPALITY and rng.random() < 0.7:
        return NETGOROD_BY_MUNICIPALITY[demo.municipality_code]
    if (demo.municipality_code, demo.short_name) in bilateral:
        return rng.choice(["dnevnik", "netgorod-217"])
    roll = rng.random()
    if roll < 0.76:
        return "tesh"
    if roll < 0.88:
        return "dnevnik"
    if roll < 0.91:
        return "netgorod-217"
    return "none"


def _drift(rng, value):
    """This year's count from last year's: a few per cent either way; small counts stay as they were."""
    if value is None or value < 20:
        return value
    return round(value * rng.uniform(0.96, 1.05))


def _values(rng, demo, system, bilateral, base=None):
    """Plausible, consistent Appendix 1 values; ``base`` is last year's values to drift from.

    Drifts stay well inside the form's 30% warning threshold, so the demo's submitted reports
    carry no unexplained warnings.
    """
    pilot = system.code == "tesh" or (demo.municipality_code, demo.short_name) in bilateral
    if base is not None and base["system"].is_used == system.is_used:
        values = {name: _drift(rng, base[name]) for name in COUNT_FIELDS}
        for part, whole in PART_OF_WHOLE:
            values[part] = min(values[part], values[whole])
        values["parents_edms"] = min(values["parents_edms"], 2 * values["students_total"])
        return {
            **values,
            "system": system,
            "entry_frequency": base["entry_frequency"],
            "paper_journal": base["paper_journal"] if rng.random() < 0.93 else rng.choice([2, 3]),
            "pilot_site": 1 if pilot else 2,
        }
    students = demo.enrolment
    classes = max(1, round(students / rng.uniform(18, 25)))
    teachers = max(4, round(students / rng.uniform(11, 16)))
    used = system.is_used
    classes_edms = classes - (rng.random() < 0.2) if used else 0
    students_edms = round(students * rng.uniform(0.85, 1.0)) if used else 0
    teachers_edms = round(teachers * rng.uniform(0.85, 1.0)) if used else 0
    return {
        "system": system,
        "classes_total": classes,
        "classes_edms": max(0, classes_edms),
        "parents_edms": round(students_edms * rng.uniform(0.6, 1.3)) if used else 0,
        "teacher_workstations": max(1, round(teachers * rng.uniform(0.4, 1.0))) if used else 0,
        "student_workstations": round(students * rng.uniform(0.02, 0.1)) if used else 0,
        "classes_ejournal": max(0, classes_edms),
        "classes_other_modules": round(classes * rng.uniform(0, 0.5)) if used and rng.random() < 0.3 else 0,
        "students_total": students,
        "students_edms": students_edms,
        "teachers_total": teachers,
        "teachers_edms": teachers_edms,
        "entry_frequency": (rng.choices([1, 2, 3, 4], [70, 18, 9, 3])[0]) if used else None,
        "paper_journal": rng.choices([1, 2, 3], [80, 7, 13])[0],
        "pilot_site": 1 if pilot else 2,
    }


def _people(rng, demo):
    return {
        "responsible_name": person_name(rng),
        "responsible_position": rng.choice(POSITIONS),
        "responsible_phone": phone(rng),
        "responsible_email": email(rng, demo.code),
        "coordinator_name": person_name(rng),
        "coordinator_phone": phone(rng),
        "coordinator_email": email(rng, demo.code),
    }


# Column 14 names the other modules whenever it counts classes using them (no random draws here,
# so the rest of the demo stays the same).
DEMO_MODULES = (
    {"module_turnstile": True, "module_canteen": True, "other_modules_text": "ООО «ТЭШ»"},
    {"module_library": True},
    {"module_canteen": True},
)


def _with_modules(values: dict) -> dict:
    count = values.get("classes_other_modules") or 0
    if count <= 0:
        return values
    return {**values, **DEMO_MODULES[count % len(DEMO_MODULES)]}


def _make_report(campaign, school, status, values, people, notes=""):
    values = _with_modules(values)
    report = SchoolReport(campaign=campaign, school=school, status=status, notes=notes, **values, **people)
    if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        stamp = datetime.datetime.combine(campaign.deadline, datetime.time(12)) - datetime.timedelta(days=3)
        report.submitted_at = min(timezone.make_aware(stamp), timezone.now() - datetime.timedelta(hours=2))
    return report


def _closed_campaign(spec, *, previous, last_year, rng, systems, bilateral, schools, by_code):
    """A closed campaign with an accepted report of every school (drifted from ``last_year``)."""
    campaign = campaign_create(**spec, previous=previous, participants=list(schools.values()), open_now=True)
    values_now = {}
    reports = []
    for code, school in schools.items():
        demo = by_code[code]
        if code in last_year:
            base, people = last_year[code]
            values = _values(rng, demo, base["system"], bilateral, base=base)
        else:
            system = systems[_pick_system(rng, demo, bilateral)]
            values, people = _values(rng, demo, system, bilateral), _people(rng, demo)
        values_now[code] = (values, people)
        reports.append(_make_report(campaign, school, ReportStatus.APPROVED, values, people))
    bulk_create_with_history(reports, SchoolReport)
    _branch_rows(campaign, rng, systems)
    MunicipalityReview.objects.bulk_create(
        MunicipalityReview(
            campaign=campaign,
            municipality_id=m,
            state=MunicipalityState.ACCEPTED,
            submitted_at=timezone.now(),
        )
        for m in {s.municipality_id for s in schools.values()}
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED, closed_at=timezone.now())
    return campaign, values_now


def current_campaign_slug(today: datetime.date | None = None) -> str:
    return demo_campaign_specs(today or timezone.localdate())[1]["slug"]


@transaction.atomic
def seed_campaigns(*, seed, schools, users, stdout=None, today: datetime.date | None = None):
    """Create the demo campaigns and their reports unless they exist already: closed ones with
    complete data (from 2016 to last academic year) and an open one in the current academic year
    with its deadline ahead, so a newcomer meets a live campaign."""
    if Campaign.objects.filter(slug=HISTORY["slug"]).exists():
        return
    closed, open_spec = demo_campaign_specs(today or timezone.localdate())
    rng = random.Random(seed)
    systems = {s.code: s for s in EdmsSystem.objects.all()}
    bilateral = set(BILATERAL_PILOT_SITES)
    coordinator_school = next(u.school for u in users if u.school_id)
    demos = demo_schools(seed)
    by_code = {d.code: d for d in demos}

    previous = None
    last_year: dict = {}
    for spec in closed:
        previous, last_year = _closed_campaign(
            spec,
            previous=previous,
            last_year=last_year,
            rng=rng,
            systems=systems,
            bilateral=bilateral,
            schools=schools,
            by_code=by_code,
        )

    current = campaign_create(
        **open_spec, previous=previous, participants=list(schools.values()), open_now=True
    )
    reports = []
    for code, school in schools.items():
        if school.pk == coordinator_school.pk:
            continue  # the demo coordinator starts the report themselves (prefilled from last year)
        roll, cumulative, status = rng.random(), 0.0, None
        for state, share in CURRENT_STATES:
            cumulative += share
            if roll < cumulative:
                status = state
                break
        if by_code[code].municipality_code in FINISHED:
            status = ReportStatus.APPROVED
        if status is None:
            continue
        base, people = last_year[code]
        system = base["system"]
        notes = ""
        if system.code == "tesh" and rng.random() < 0.04:
            system = systems["dnevnik"]
            notes = (
                f"С 01.01.{current.as_of.year} организация перешла на систему «Дневник.ру» по решению МОУО."
            )
        values = _values(rng, by_code[code], system, bilateral, base=base)
        reports.append(_make_report(current, school, status, values, people, notes))
    bulk_create_with_history(reports, SchoolReport)
    _branch_rows(current, rng, systems)
    _workflow(current, rng, users)


def _workflow(campaign, rng, users):
    """Audit entries for the demo states, and the finished municipalities."""
    specialist = next((u for u in users if u.municipality_id), None)
    events = []
    reports = (
        SchoolReport.objects.filter(campaign=campaign)
        .exclude(status=ReportStatus.DRAFT)
        .select_related("school", "system")
        .prefetch_related("branch_rows__branch", "branch_rows__system", "events")
    )
    for report in reports:
        snapshot = report_snapshot(report)
        submitted = WorkflowEvent(
            campaign=campaign,
            report=report,
            municipality_id=report.school.municipality_id,
            action=WorkflowEvent.Action.SUBMIT,
            from_state=ReportStatus.DRAFT,
            to_state=ReportStatus.SUBMITTED,
            snapshot=snapshot,
        )
        events.append(submitted)
        if report.status == ReportStatus.RETURNED:
            events.append(
                WorkflowEvent(
                    campaign=campaign,
                    report=report,
                    municipality_id=report.school.municipality_id,
                    action=WorkflowEvent.Action.RETURN,
                    from_state=ReportStatus.SUBMITTED,
                    to_state=ReportStatus.RETURNED,
                    comment=rng.choice(RETURN_COMMENTS),
                    snapshot=snapshot,
                    actor=specialist
                    if report.school.municipality_id == getattr(specialist, "municipality_id", None)
                    else None,
                )
            )
        elif report.status == ReportStatus.APPROVED:
            events.append(
                WorkflowEvent(
                    campaign=campaign,
                    report=report,
                    municipality_id=report.school.municipality_id,
                    action=WorkflowEvent.Action.APPROVE,
                    from_state=ReportStatus.SUBMITTED,
                    to_state=ReportStatus.APPROVED,
                )
            )
    WorkflowEvent.objects.bulk_create(events)
    for code, state in FINISHED.items():
        MunicipalityReview.objects.create(
            campaign=campaign,
            municipality=Municipality.objects.get(code=code),
            state=state,
            submitted_at=timezone.now(),
        )


def _branch_rows(campaign, rng, systems):
    rows = []
    for report in (
        SchoolReport.objects.filter(campaign=campaign)
        .select_related("system")
        .prefetch_related("school__branches")
    ):
        for branch in report.school.branches.all():
            rows.append(
                ReportBranch(
                    report=report,
                    branch=branch,
                    system=report.system,
                    responsible_name=person_name(rng),
                    responsible_position=rng.choice(POSITIONS),
                    responsible_phone=phone(rng),
                )
            )
    bulk_create_with_history(rows, ReportBranch)


DEMO_EXPLANATIONS = {
    "pilot_registry": "Соглашение о работе в сети ПВП в организации не найдено, уточняем в РЦРО.",
    "parents_per_student": "В системе зарегистрированы оба родителя и законные представители.",
    "no_teacher_workstations": "Педагоги вносят данные с личных ноутбуков.",
    "not_used_with_users": "Учётные записи остались с прошлого года, система не используется.",
}


@transaction.atomic
def explain_demo_warnings(*, seed, schools, users, stdout=None):
    """Submitted demo reports carry an explanation for every warning, as real ones must."""
    from .workflow import full_check

    reports = SchoolReport.objects.filter(
        status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED], campaign__status=Campaign.Status.OPEN
    ).select_related("campaign", "school", "system")
    for report in reports:
        result = full_check(report)
        if not result.errors:
            continue
        notes = dict(report.warning_notes)
        for warning in result.warnings:
            text = DEMO_EXPLANATIONS.get(warning.code, "Данные проверены и подтверждены руководителем.")
            notes.setdefault(warning.code, {"text": text, "source": "form"})
        SchoolReport.objects.filter(pk=report.pk).update(warning_notes=notes)
