"""Demo data of the regional project (called by ``seed_demo`` after organisations, users and the
monitoring campaigns exist).

The registry follows the rules of the project: every school whose 2016 monitoring report names
ТЭШ is a pilot site under a trilateral agreement, the schools of the official list are pilot sites
under a bilateral one, and some former ТЭШ schools left the network after switching to
Дневник.ру in the autumn of 2016. Agreement numbers, dates of events, the reports' figures and the
plan's stages, targets and manually entered actuals are invented; the events' titles and
participant counts are those of the analytic report.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Role
from core.models import ReportStatus
from monitoring.models import SchoolReport
from projects import services as plan_services
from projects.models import (
    AgreementType,
    AssignmentReport,
    AssignmentReportLog,
    Event,
    IndicatorTarget,
    PilotSite,
    PlanIndicator,
    Project,
)
from projects.passport import PASSPORT, PROJECT_NAME
from schools.demo_data import BILATERAL_PILOT_SITES
from schools.models import EdmsSystem, Municipality

MONITORING_2016 = "2016"
ASSIGNMENT_YEAR = "2016-2017"
REPORTS_AS_OF = datetime.date(2017, 6, 1)
MAX_LEAVERS = 18
LEAVE_REASON = "Перешла на систему «Дневник.ру» по решению МОУО; выведена из сети ПВП по итогам сверки."
# (joined on, basis order, weight) for trilateral sites.
JOINING_WAVES = (
    (datetime.date(2013, 3, 20), "Распоряжение Департамента общего образования № 187-р от 20.03.2013", 40),
    (datetime.date(2014, 9, 1), "Приказ ОГБУ «РЦРО» о сети ПВП на 2014-2015 учебный год", 25),
    (datetime.date(2015, 5, 22), "Распоряжение № 360-р от 22.05.2015", 30),
    (datetime.date(2016, 2, 1), "Приказ ОГБУ «РЦРО» о дополнении сети ПВП", 5),
)
BILATERAL_JOINED = (datetime.date(2015, 5, 22), "Распоряжение № 360-р от 22.05.2015")
# Shares of the 2016-2017 reports by state; about half of the active sites report.
REPORT_SHARE = 0.5
REPORT_STATES = (
    (ReportStatus.APPROVED, 0.35),
    (ReportStatus.SUBMITTED, 0.30),
    (ReportStatus.RETURNED, 0.10),
    (ReportStatus.DRAFT, 0.25),
)
RETURN_COMMENTS = (
    "Уточните сведения о проведённых конкурсах (раздел 2): сколько проведено и сколько было участников.",
    "Добавьте ссылки на материалы, размещённые на сайте ОО (разделы 3 и 4).",
    "Уточните число консультаций для родителей (раздел 6).",
)

EVENTS = (
    {
        "title": "Информационно-мониторинговый семинар по реализации регионального проекта",
        "kind": Event.Kind.SEMINAR,
        "level": Event.Level.REGIONAL,
        "starts_on": datetime.date(2012, 11, 15),
        "organiser_text": "Отдел развития образовательных систем ОГБУ «РЦРО»",
        "outcome": (
            "Участники: специалисты 20 школьных ПВП, представители ООО «Томская электронная школа», "
            "специалисты ОГБУ «РЦРО», координаторы проекта.\n"
            "Решено: добавить на сайт раздел «Расписание звонков», ввести мониторинг посещаемости "
            "сайта родителями, урегулировать отражение данных обучающихся при работе в подгруппах. "
            "Определён порядок передачи данных системы по учреждению на собственные школьные серверы."
        ),
    },
    {
        "title": "Семинар «Новые возможности электронной школы»",
        "kind": Event.Kind.SEMINAR,
        "level": Event.Level.REGIONAL,
        "starts_on": datetime.date(2015, 11, 18),
        "organiser_text": (
            "ОГБУ «РЦРО»: учебный модуль 7.6 «Информационно-коммуникационные технологии» сетевой ДПП "
            "«Инновации в образовании в условиях реализации ФГОС»"
        ),
        "teachers": 77,
    },
    {
        "title": "Областной конкурс интервью «Электронная школа — это здорово!»",
        "kind": Event.Kind.CONTEST,
        "level": Event.Level.REGIONAL,
        "starts_on": datetime.date(2015, 3, 2),
        "ends_on": datetime.date(2015, 4, 30),
        "students": 20,
        "outcome": "Конкурс проводится 1 раз в 2 года. По итогам выпущен сборник работ участников.",
    },
    {
        "title": (
            "Проектная лаборатория в рамках XII регионального фестиваля педагогических идей и "
            "инновационных разработок"
        ),
        "kind": Event.Kind.LABORATORY,
        "level": Event.Level.REGIONAL,
        "starts_on": datetime.date(2016, 3, 24),
        "teachers": 56,
    },
)


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


@transaction.atomic
def seed_projects(*, seed, schools, users, stdout=None):
    """Create the demo registry, events and 2016-2017 reports; a repeated run adds nothing."""
    project = Project.objects.filter(name=PROJECT_NAME).first()
    if project is None:  # the data migration creates it; this covers a database without it
        project = Project.objects.create(**PASSPORT)
    rng = random.Random(seed * 31 + 7)
    if not project.sites.exists():
        _seed_registry(project, rng, schools, stdout)
    for spec in EVENTS:
        values = dict(spec)
        Event.objects.get_or_create(
            project=project, title=values.pop("title"), starts_on=values.pop("starts_on"), defaults=values
        )
    if not AssignmentReport.objects.filter(
        pilot_site__project=project, academic_year=ASSIGNMENT_YEAR
    ).exists():
        _seed_reports(project, rng, users)
    if (
        not project.stages.exists()
        and not IndicatorTarget.objects.filter(indicator__project=project).exists()
    ):
        _seed_plan(project, users, stdout)
    active = PilotSite.objects.filter(project=project, left_on__isnull=True).count()
    _say(
        stdout,
        f"Сеть ПВП: {project.sites.count()} записей в реестре, действующих {active}; "
        f"мероприятий проекта: {project.events.count()}; отчётов ПВП за {ASSIGNMENT_YEAR}: "
        f"{AssignmentReport.objects.filter(pilot_site__project=project, academic_year=ASSIGNMENT_YEAR).count()}.",
    )
    return project


# --- The plan: stages, targets and manual actuals (invented for the demonstration) ---------------

D = datetime.date
PLAN_STAGES = (
    (
        "Организационный этап",
        "Утверждение проекта, заключение соглашений с разработчиками СЭД, формирование сети ПВП.",
        D(2012, 9, 1),
        D(2013, 3, 31),
        D(2013, 3, 20),
    ),
    (
        "Создание нормативной базы",
        "Разработка локальных актов и инструктивно-методических материалов по направлениям проекта.",
        D(2013, 4, 1),
        D(2014, 5, 31),
        D(2014, 6, 10),
    ),
    (
        "Расширение сети ПВП и повышение квалификации",
        "Включение в сеть новых ПВП, курсы повышения квалификации для управленческих и педагогических работников.",
        D(2014, 9, 1),
        D(2016, 5, 31),
        D(2016, 5, 31),
    ),
    (
        "Мониторинг внедрения СЭД и обобщение опыта ПВП",
        "Ежегодный мониторинг использования СЭД, анализ отчётов ПВП, публикация лучших практик.",
        D(2016, 9, 1),
        D(2017, 12, 29),
        None,
    ),
    (
        "Подведение итогов проекта",
        "Итоговая конференция, распространение опыта ПВП, предложения по дальнейшему развитию.",
        D(2018, 1, 9),
        D(2018, 12, 28),
        None,
    ),
)
PLAN_TARGETS = {
    1: {2012: 60, 2013: 70, 2014: 80, 2015: 85, 2016: 90, 2017: 95, 2018: 100},
    2: {2013: 40, 2014: 70, 2015: 120, 2016: 150, 2017: 160, 2018: 160},
    3: {2014: 60, 2015: 70, 2016: 80, 2017: 90, 2018: 95},
    4: {2012: 2, 2013: 3, 2014: 3, 2015: 3, 2016: 3, 2017: 3, 2018: 3},
    5: {2012: 100, 2013: 150, 2014: 150, 2015: 200, 2016: 200, 2017: 250, 2018: 250},
    6: {2013: 100, 2014: 150, 2015: 150, 2016: 200, 2017: 200, 2018: 200},
    7: {2013: 5, 2014: 5, 2015: 4, 2016: 4, 2017: 3, 2018: 3},
    8: {2015: 60, 2016: 70, 2017: 75, 2018: 80},
}
PLAN_ACTUALS = {
    6: {
        2013: (112, "Отчёт ОГБУ «РЦРО» о курсах повышения квалификации за 2013 год"),
        2014: (164, "Отчёт ОГБУ «РЦРО» о курсах повышения квалификации за 2014 год"),
        2015: (131, "Отчёт ОГБУ «РЦРО» о курсах повышения квалификации за 2015 год"),
        2016: (205, "Отчёт ОГБУ «РЦРО» о курсах повышения квалификации за 2016 год"),
    },
    7: {
        2013: (6, "Перечень материалов, утверждённых приказами ОГБУ «РЦРО» в 2013 году"),
        2014: (4, "Перечень материалов, утверждённых приказами ОГБУ «РЦРО» в 2014 году"),
        2015: (4, "Перечень материалов, утверждённых приказами ОГБУ «РЦРО» в 2015 году"),
        2016: (5, "Перечень материалов, утверждённых приказами ОГБУ «РЦРО» в 2016 году"),
    },
    8: {
        2015: (58, "Опрос родителей обучающихся ПВП, апрель 2015 года"),
        2016: (71, "Опрос родителей обучающихся ПВП, апрель 2016 года"),
    },
}


def _seed_plan(project, users, stdout):
    """Stages, targets and manual actuals through the services (so they have history)."""
    methodist = next(u for u in users if u.is_regional)
    for number, (title, content, starts_on, ends_on, done_on) in enumerate(PLAN_STAGES, 1):
        stage = plan_services.stage_create(
            project=project,
            user=methodist,
            number=number,
            title=title,
            content=content,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        if done_on:
            plan_services.stage_update(stage=stage, user=methodist, is_done=True, done_on=done_on)
    for indicator in PlanIndicator.objects.filter(project=project):
        plan_services.indicator_plan_update(
            indicator=indicator,
            user=methodist,
            targets={y: Decimal(v) for y, v in PLAN_TARGETS.get(indicator.number, {}).items()},
            actuals={
                y: (Decimal(v), note) for y, (v, note) in PLAN_ACTUALS.get(indicator.number, {}).items()
            },
        )
    _say(
        stdout,
        f"План проекта: этапов {len(PLAN_STAGES)}, плановые значения по {len(PLAN_TARGETS)} показателям.",
    )


def _seed_registry(project, rng, schools, stdout):
    systems = {s.code: s for s in EdmsSystem.objects.all()}
    municipality_codes = dict(Municipality.objects.values_list("pk", "code"))
    bilateral = set(BILATERAL_PILOT_SITES)
    systems_2016 = dict(
        SchoolReport.objects.filter(campaign__slug=MONITORING_2016).values_list("school_id", "system__code")
    )
    if not systems_2016:
        _say(
            stdout,
            "Нет мониторинга 2016 года: в реестр ПВП внесены только площадки по двусторонним соглашениям.",
        )
    sites = []
    leavers = 0
    for code in sorted(schools):
        school = schools[code]
        system_code = systems_2016.get(school.pk)
        is_bilateral = (municipality_codes[school.municipality_id], school.short_name) in bilateral
        number = len(sites) + 1
        if is_bilateral:
            system = systems.get(system_code) if system_code else None
            if system is None or not system.is_used:
                system = systems["dnevnik"]
            joined_on, basis = BILATERAL_JOINED
            sites.append(
                PilotSite(
                    project=project,
                    school=school,
                    agreement_type=AgreementType.BILATERAL,
                    agreement_number=f"Д-{number:03d}",
                    agreement_date=joined_on,
                    basis_order=basis,
                    system=system,
                    joined_on=joined_on,
                )
            )
        elif system_code == "tesh":
            sites.append(_trilateral(project, school, rng, systems["tesh"], number))
        elif system_code == "dnevnik" and leavers < MAX_LEAVERS and rng.random() < 0.7:
            # A former ТЭШ school that switched to Дневник.ру and was taken out of the network.
            site = _trilateral(
                project, school, rng, systems["tesh"], number, before=datetime.date(2015, 9, 1)
            )
            site.left_on = datetime.date(2016, 10, 3) + datetime.timedelta(days=rng.randint(0, 78))
            site.leave_reason = LEAVE_REASON
            sites.append(site)
            leavers += 1
    bulk_create_with_history(sites, PilotSite)


def _trilateral(project, school, rng, tesh, number, before=None) -> PilotSite:
    waves = [w for w in JOINING_WAVES if before is None or w[0] < before]
    joined_on, basis, _ = rng.choices(waves, [w[2] for w in waves])[0]
    return PilotSite(
        project=project,
        school=school,
        agreement_type=AgreementType.TRILATERAL,
        agreement_number=f"Т-{number:03d}/{joined_on.year}",
        agreement_date=joined_on,
        basis_order=basis,
        system=tesh,
        joined_on=joined_on,
    )


def _figures(rng, n) -> dict:
    """Plausible indicator values of one report."""

    def some(probability, low, high):
        return rng.randint(low, high) if rng.random() < probability else 0

    values = {
        "pd_measures_done": rng.random() < 0.98,
        "pd_documents_published": rng.random() < 0.95,
        "ext_events_count": some(0.18, 1, 6),
        "organised_contests": some(0.36, 1, 3),
        "organised_seminars": some(0.15, 1, 2),
        "organised_round_tables": some(0.08, 1, 1),
        "organised_conferences": some(0.08, 1, 1),
        "internet_projects_teachers": some(0.3, 1, 6),
        "resources_count": some(0.33, 1, 3),
        "methodical_library": rng.random() < 0.24,
        "best_practices_published": rng.random() < 0.25,
        "expert_teachers": some(0.4, 1, 3),
        "consultations_teachers": rng.randint(5, 40),
        "consultations_students": rng.randint(20, 300),
        "consultations_parents": rng.randint(10, 200),
        "publications_count": some(0.2, 1, 2),
        "public_report_chapter": rng.random() < 0.95,
        "monitor_journal_fill": rng.random() < 0.95,
        "monitor_diary_fill": rng.random() < 0.85,
        "monitor_materials": rng.random() < 0.5,
        "monitor_progress": rng.random() < 0.9,
        "monitor_quality": rng.random() < 0.8,
    }
    for count, participants, low, high in (
        ("ext_events_count", "ext_events_participants", 5, 25),
        ("organised_contests", "organised_contests_participants", 10, 60),
        ("organised_seminars", "organised_seminars_participants", 8, 30),
        ("organised_round_tables", "organised_round_tables_participants", 6, 20),
        ("organised_conferences", "organised_conferences_participants", 15, 80),
    ):
        values[participants] = values[count] * rng.randint(low, high)
    if values["best_practices_published"]:
        values["best_practices_links"] = f"https://school{n}.edu.example/sed/opyt"
    for number, condition, texts in DEMO_EXAMPLES:
        if values[condition]:
            values[f"examples_{number}"] = texts[n % len(texts)]
    return values


# «Что сделано, примеры» of the demo reports: (indicator, the field that must be set, texts).
DEMO_EXAMPLES = (
    (
        2,
        "organised_contests",
        (
            "Школьный конкурс мини-сочинений «Мой электронный дневник» для обучающихся 5–7 классов.",
            "Конкурс методических разработок уроков с использованием ИКТ для педагогов школы.",
        ),
    ),
    (
        3,
        "resources_count",
        ("На сайте школы размещены электронные базы «Одарённые дети» и «Портфолио педагогов».",),
    ),
    (
        4,
        "best_practices_published",
        ("Опубликован опыт «Нормативно-правовое обеспечение введения электронного журнала».",),
    ),
    (
        6,
        "consultations_parents",
        ("Консультации для родителей «Возможности электронного дневника» в начале учебного года.",),
    ),
    (
        8,
        "monitor_journal_fill",
        ("Ежемесячный мониторинг заполняемости электронного журнала; итоги — на совещании при директоре.",),
    ),
)


def _pick_state(rng):
    roll, cumulative = rng.random(), 0.0
    for state, share in REPORT_STATES:
        cumulative += share
        if roll < cumulative:
            return state
    return ReportStatus.DRAFT


def _seed_reports(project, rng, users):
    methodist = next((u for u in users if u.role == Role.METHODIST), None)
    coordinator_school_ids = {u.school_id for u in users if u.role == Role.COORDINATOR and u.school_id}
    sites = list(
        PilotSite.objects.active_on(REPORTS_AS_OF)
        .filter(project=project, left_on__isnull=True)
        .order_by("school__short_name", "pk")
    )
    reports = []
    for site in sites:
        if site.school_id in coordinator_school_ids:
            status = ReportStatus.RETURNED  # the demo coordinator sees a report sent back to them
        elif rng.random() < REPORT_SHARE:
            status = _pick_state(rng)
        else:
            continue
        report = AssignmentReport(
            pilot_site=site, academic_year=ASSIGNMENT_YEAR, status=status, **_figures(rng, site.school_id)
        )
        if status != ReportStatus.DRAFT:
            report.submitted_at = timezone.make_aware(
                datetime.datetime(2017, 6, 1, 10)
                + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 7))
            )
        if status == ReportStatus.RETURNED:
            report.return_comment = rng.choice(RETURN_COMMENTS)
        reports.append(report)
    created = bulk_create_with_history(reports, AssignmentReport)
    log = []
    for report in AssignmentReport.objects.filter(pk__in=[r.pk for r in created]).exclude(
        status=ReportStatus.DRAFT
    ):
        log.append(
            AssignmentReportLog(
                report=report,
                action=AssignmentReportLog.Action.SUBMIT,
                from_state=ReportStatus.DRAFT,
                to_state=ReportStatus.SUBMITTED,
            )
        )
        if report.status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
            returned = report.status == ReportStatus.RETURNED
            log.append(
                AssignmentReportLog(
                    report=report,
                    action=AssignmentReportLog.Action.RETURN
                    if returned
                    else AssignmentReportLog.Action.APPROVE,
                    from_state=ReportStatus.SUBMITTED,
                    to_state=report.status,
                    actor=methodist,
                    comment=report.return_comment if returned else "",
                )
            )
    AssignmentReportLog.objects.bulk_create(log)
