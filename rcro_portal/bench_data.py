"""The benchmark's data set: N schools, M branches, about N/20 municipalities (one large, one a tenth
of it, the rest even), two campaigns (last year's closed and fully accepted, this year's open with
reports in a realistic mix of states) and the users the measurements act as.

Everything is written with ``bulk_create`` in batches; the set is tagged by its size (codes
``b<N>-…``), so running the benchmark again with the same N reuses it.
"""

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from monitoring.models import Campaign, ReportBranch, ReportStatus, SchoolReport
from schools.demo_data import POSITIONS, person_name, phone
from schools.models import Branch, EdmsSystem, Municipality, School

BATCH = 2000
PASSWORD = "bench-password"
# This year's reports per state; the rest are not started.
STATES = (
    (ReportStatus.APPROVED, 0.45),
    (ReportStatus.SUBMITTED, 0.25),
    (ReportStatus.RETURNED, 0.05),
    (ReportStatus.DRAFT, 0.15),
)
LARGEST_SHARE = 1336 / 40000  # the largest municipality of the national data set


class BenchSet:
    """Names of one data set's objects."""

    def __init__(self, schools: int, branches: int):
        self.schools = schools
        self.branches = branches
        self.tag = f"b{schools}"
        self.municipalities = max(3, schools // 20)
        self.previous_slug = f"{self.tag}-prev"
        self.current_slug = f"{self.tag}-cur"
        self.import_slug = f"{self.tag}-imp"

    def user(self, role: str) -> User:
        return User.objects.get(username=f"{self.tag}-{role}")

    def campaign(self, which: str = "current") -> Campaign:
        slug = {"current": self.current_slug, "previous": self.previous_slug, "import": self.import_slug}
        return Campaign.objects.get(slug=slug[which])

    def municipality(self, index: int) -> Municipality:
        return Municipality.objects.get(code=f"{self.tag}-{index:04d}")

    def exists(self) -> bool:
        return Campaign.objects.filter(slug=self.current_slug).exists()


def _sizes(n: int, municipalities: int) -> list[int]:
    """Schools per municipality: the largest, one a tenth of it, the rest even."""
    largest = max(2, round(n * LARGEST_SHARE))
    small = max(1, largest // 10)
    rest = n - largest - small
    others = municipalities - 2
    base, extra = divmod(rest, others)
    return [largest, small] + [base + (1 if i < extra else 0) for i in range(others)]


def _values(rng: random.Random, systems: list[EdmsSystem], base: dict | None = None) -> dict:
    if base is not None:
        values = dict(base)
        for name in ("students_total", "students_edms", "parents_edms", "teachers_total", "teachers_edms"):
            if values[name] and values[name] > 20:
                values[name] = round(values[name] * rng.uniform(0.97, 1.03))
        values["students_edms"] = min(values["students_edms"], values["students_total"])
        values["teachers_edms"] = min(values["teachers_edms"], values["teachers_total"])
        values["parents_edms"] = min(values["parents_edms"], 2 * values["students_total"])
        return values
    system = rng.choices(systems, [76, 12, 3, 9][: len(systems)] + [1] * (len(systems) - 4))[0]
    students = rng.randint(40, 1200)
    classes = max(1, round(students / rng.uniform(18, 25)))
    teachers = max(4, round(students / rng.uniform(11, 16)))
    used = system.is_used
    students_edms = round(students * rng.uniform(0.85, 1.0)) if used else 0
    classes_edms = classes if used else 0
    return {
        "system": system,
        "responsible_name": person_name(rng),
        "responsible_position": rng.choice(POSITIONS),
        "responsible_phone": phone(rng),
        "responsible_email": f"edms{rng.randint(1, 10**6)}@school.example",
        "coordinator_name": person_name(rng),
        "coordinator_phone": phone(rng),
        "coordinator_email": f"coord{rng.randint(1, 10**6)}@school.example",
        "classes_total": classes,
        "classes_edms": classes_edms,
        "parents_edms": round(students_edms * rng.uniform(0.6, 1.3)) if used else 0,
        "teacher_workstations": max(1, round(teachers * rng.uniform(0.4, 1.0))) if used else 0,
        "student_workstations": round(students * rng.uniform(0.02, 0.1)) if used else 0,
        "classes_ejournal": classes_edms,
        "classes_other_modules": 0,
        "students_total": students,
        "students_edms": students_edms,
        "teachers_total": teachers,
        "teachers_edms": round(teachers * rng.uniform(0.85, 1.0)) if used else 0,
        "entry_frequency": rng.choices([1, 2, 3, 4], [70, 18, 9, 3])[0] if used else None,
        "paper_journal": rng.choices([1, 2, 3], [80, 7, 13])[0],
        "pilot_site": 1 if system.code == "tesh" else 2,
    }


def _in_batches(model, objects, batch=BATCH):
    created = []
    for start in range(0, len(objects), batch):
        created += model.objects.bulk_create(objects[start : start + batch])
    return created


@transaction.atomic
def ensure_data(schools: int, branches: int, *, seed: int = 1, stdout=None) -> BenchSet:
    """Create the data set unless it exists (same N and M): idempotent."""
    bench = BenchSet(schools, branches)
    if bench.exists():
        ensure_import_campaign(bench)
        analyze()
        return bench
    rng = random.Random(seed)
    systems = list(EdmsSystem.objects.order_by("sort_order", "pk"))
    if not systems:
        systems = [EdmsSystem.objects.create(code="tesh", name="ТЭШ", short_name="ТЭШ")]
    municipalities = _in_batches(
        Municipality,
        [
            Municipality(
                name=f"Бенч-{schools} МО {i:04d}",
                code=f"{bench.tag}-{i:04d}",
                kind="district",
                sort_order=1000 + i,
            )
            for i in range(bench.municipalities)
        ],
    )
    school_objects = []
    for municipality, size in zip(municipalities, _sizes(schools, bench.municipalities), strict=True):
        for k in range(size):
            school_objects.append(
                School(
                    municipality=municipality,
                    short_name=f"МБОУ СОШ № {k + 1}",
                    full_name=f"Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {k + 1}»",
                )
            )
    school_objects = _in_batches(School, school_objects)
    branch_objects = [
        Branch(
            school=school_objects[i % len(school_objects)], name=f"Филиал № {i // len(school_objects) + 1}"
        )
        for i in range(branches)
    ]
    branch_objects = _in_batches(Branch, branch_objects)
    by_school: dict[int, list[Branch]] = {}
    for branch in branch_objects:
        by_school.setdefault(branch.school_id, []).append(branch)

    now = timezone.now()
    previous = Campaign.objects.create(
        slug=bench.previous_slug,
        title=f"Бенчмарк {schools}: прошлый год",
        academic_year="2016-2017",
        as_of=datetime.date(2016, 9, 1),
        deadline=datetime.date(2016, 9, 20),
        status=Campaign.Status.CLOSED,
    )
    current = Campaign.objects.create(
        slug=bench.current_slug,
        title=f"Бенчмарк {schools}: текущий год",
        academic_year="2017-2018",
        as_of=datetime.date(2017, 9, 1),
        deadline=datetime.date(2017, 9, 20),
        previous=previous,
        status=Campaign.Status.OPEN,
    )
    through = Campaign.participants.through
    for campaign in (previous, current):
        _in_batches(through, [through(campaign_id=campaign.pk, school_id=s.pk) for s in school_objects], 5000)

    last_year = {}
    reports = []
    for school in school_objects:
        values = _values(rng, systems)
        last_year[school.pk] = values
        reports.append(
            SchoolReport(
                campaign=previous, school=school, status=ReportStatus.APPROVED, submitted_at=now, **values
            )
        )
    for school in school_objects:
        roll, cumulative, status = rng.random(), 0.0, None
        for state, share in STATES:
            cumulative += share
            if roll < cumulative:
                status = state
                break
        if status is None:
            continue
        submitted = now if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED) else None
        reports.append(
            SchoolReport(
                campaign=current,
                school=school,
                status=status,
                submitted_at=submitted,
                **_values(rng, systems, base=last_year[school.pk]),
            )
        )
    reports = _in_batches(SchoolReport, reports)
    rows = [
        ReportBranch(
            report=report,
            branch=branch,
            system=report.system,
            responsible_name=person_name(rng),
            responsible_position=rng.choice(POSITIONS),
            responsible_phone=phone(rng),
        )
        for report in reports
        for branch in by_school.get(report.school_id, ())
    ]
    _in_batches(ReportBranch, rows)

    largest = municipalities[0]
    coordinator_school = next(s for s in school_objects if s.municipality_id == largest.pk)
    for role, extra in (
        (Role.METHODIST, {}),
        (Role.SPECIALIST, {"municipality": largest}),
        (Role.COORDINATOR, {"school": coordinator_school}),
    ):
        user = User(username=f"{bench.tag}-{role}", role=role, **extra)
        user.set_password(PASSWORD)
        user.save()
    ensure_import_campaign(bench)
    analyze()
    if stdout:
        stdout.write(
            f"создан набор: {len(school_objects)} ОО, {len(branch_objects)} филиалов, "
            f"{len(municipalities)} МО, {len(reports)} отчётов"
        )
    return bench


ANALYZED = (
    Municipality,
    School,
    Branch,
    Campaign,
    Campaign.participants.through,
    SchoolReport,
    ReportBranch,
)


def analyze() -> None:
    """Fresh planner statistics for the tables the set fills (PostgreSQL). A server running
    autovacuum gathers them by itself after a bulk load; one with it off (or not yet come round)
    would otherwise plan the measured queries for empty tables."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in ANALYZED:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def ensure_import_campaign(bench: BenchSet) -> Campaign:
    """An open campaign with every school taking part and no reports yet: the import loads last
    year's table into it (inside a transaction that is rolled back, so each run starts the same)."""
    previous = bench.campaign("previous")
    campaign, created = Campaign.objects.get_or_create(
        slug=bench.import_slug,
        defaults={
            "title": f"Бенчмарк {bench.schools}: загрузка таблицы",
            "academic_year": "2017-2018",
            "as_of": datetime.date(2017, 9, 1),
            "deadline": datetime.date(2017, 9, 20),
            "previous": previous,
            "status": Campaign.Status.OPEN,
        },
    )
    if created:
        through = Campaign.participants.through
        ids = previous.participants.values_list("pk", flat=True)
        _in_batches(through, [through(campaign_id=campaign.pk, school_id=pk) for pk in ids], 5000)
    return campaign
