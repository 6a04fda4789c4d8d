"""Demo data of the introduction programmes (called by ``seed_demo`` after organisations and users
exist): one municipal programme of the demo specialist's municipality with the stages of the order,
dated targets, four reporting dates and reports in every state. A repeated run adds nothing."""

import datetime

from django.db import transaction

from accounts.models import Role
from core.models import ReportStatus
from schools.models import EdmsSystem, School

from .models import (
    Indicator,
    ParentApplication,
    Programme,
    ProgrammeSchool,
    ProgressProblem,
    ProgressReport,
    ProgressReportLog,
    ReadinessMark,
    ReportingDate,
    Stage,
    Target,
)
from .reference import CONDITIONS, STAGES

DEMO_ORDER_NUMBER = "256-демо"
ORDER_DATE = datetime.date(2016, 9, 1)
REPORTING_DATES = (
    datetime.date(2016, 10, 15),
    datetime.date(2016, 12, 26),
    datetime.date(2017, 3, 15),
    datetime.date(2017, 5, 15),
)
TARGETS = (
    (Indicator.PARENTS_ACTIVATED, datetime.date(2016, 12, 26), 30, 40),
    (Indicator.PARENTS_ACTIVATED, datetime.date(2017, 3, 15), 41, 60),
    (Indicator.PARENTS_ACTIVATED, datetime.date(2017, 5, 15), 61, 100),
    (Indicator.TEACHERS_WORKING, datetime.date(2016, 12, 26), 70, 100),
)
STAGE_DUE = {
    "Назначение ответственного лица": datetime.date(2016, 9, 15),
    "Анализ готовности": datetime.date(2016, 9, 30),
}
# Per school (in order): the states of its reports on the reporting dates, and the parents' activation.
PLAN = (
    (
        (ReportStatus.APPROVED, ReportStatus.APPROVED, ReportStatus.RETURNED, ReportStatus.DRAFT),
        (10, 35, 52, 55),
    ),
    ((ReportStatus.APPROVED, ReportStatus.APPROVED, ReportStatus.SUBMITTED), (5, 20, 38)),
    ((ReportStatus.APPROVED, ReportStatus.SUBMITTED), (15, 42)),
    ((), ()),
)
RETURN_COMMENT = "Пункт 14: укажите классы, в которых активированы родители."


def seed_programmes(*, seed, schools, users, stdout=None):
    specialist = next((u for u in users if u.role == Role.SPECIALIST), None)
    coordinator = next((u for u in users if u.role == Role.COORDINATOR), None)
    if specialist is None or coordinator is None or coordinator.school is None:
        return None
    municipality = specialist.municipality
    existing = Programme.objects.filter(municipality=municipality, order_number=DEMO_ORDER_NUMBER).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        programme = _seed(municipality, specialist, coordinator)
    if stdout is not None:
        stdout.write(f"Программа внедрения: {programme} — {programme.participants.count()} организации.")
    return programme


def _save(obj, user):
    obj._history_user = user
    obj.save()
    return obj


def _seed(municipality, specialist, coordinator):
    system = EdmsSystem.objects.filter(code="tesh").first() or EdmsSystem.objects.first()
    others = list(
        School.objects.filter(municipality=municipality, is_active=True)
        .exclude(pk=coordinator.school_id)
        .order_by("short_name")[:3]
    )
    programme = _save(
        Programme(
            municipality=municipality,
            title="Введение электронных дневников учащихся и электронного журнала успеваемости",
            order_number=DEMO_ORDER_NUMBER,
            order_date=ORDER_DATE,
            created_by=specialist,
        ),
        specialist,
    )
    for position, (phase, title, content) in enumerate(STAGES, start=1):
        _save(
            Stage(
                programme=programme,
                phase=phase,
                position=position,
                title=title,
                content=content,
                due_on=STAGE_DUE.get(title),
            ),
            specialist,
        )
    for indicator, due_on, low, high in TARGETS:
        _save(
            Target(
                programme=programme, indicator=indicator, due_on=due_on, min_percent=low, max_percent=high
            ),
            specialist,
        )
    dates = [_save(ReportingDate(programme=programme, on_date=d), specialist) for d in REPORTING_DATES]
    for index, school in enumerate([coordinator.school, *others]):
        states, activation = PLAN[index] if index < len(PLAN) else ((), ())
        entry = _save(
            ProgrammeSchool(
                programme=programme, school=school, director_name="Директорова Анна Петровна", system=system
            ),
            specialist,
        )
        for number, condition in enumerate(CONDITIONS):
            met = number < 6 - index
            _save(
                ReadinessMark(
                    participant=entry,
                    condition=condition.code,
                    met=met,
                    note="" if met else "Запланировано на следующий учебный год",
                    updated_by=specialist,
                ),
                specialist,
            )
        if index == 0:
            for n, (day, grade) in enumerate(
                [
                    (datetime.date(2016, 9, 20), "1а"),
                    (datetime.date(2016, 10, 3), "2б"),
                    (datetime.date(2016, 12, 1), "5в"),
                ],
                start=1,
            ):
                _save(
                    ParentApplication(
                        participant=entry,
                        reg_number=f"{n}",
                        reg_date=day,
                        class_name=grade,
                        delivery=ParentApplication.Delivery.IN_PERSON,
                        consent=True,
                        created_by=coordinator,
                    ),
                    coordinator,
                )
        for date, state, activated in zip(dates, states, activation, strict=False):
            report = _save(
                ProgressReport(
                    participant=entry,
                    reporting_date=date,
                    status=state,
                    responsible_person="Иванова Мария Сергеевна, заместитель директора по УВР",
                    system=system,
                    plan_approval=f"Приказ директора № 112 от {ORDER_DATE + datetime.timedelta(days=20):%d.%m.%Y}",
                    local_acts="Положение об электронном журнале (приказ № 113)",
                    informed_teachers_pct=100,
                    informed_parents_pct=min(100, activated + 30),
                    databases_filled_pct=min(100, 50 + activated),
                    trained_teachers_pct=min(100, 60 + activated),
                    site_link=True,
                    logins_parents_pct=min(100, activated + 10),
                    teachers_working_pct=min(100, 65 + activated // 2),
                    parents_activated_pct=activated,
                    return_comment=RETURN_COMMENT if state == ReportStatus.RETURNED else "",
                    updated_by=coordinator if index == 0 else specialist,
                ),
                specialist,
            )
            if index == 0:
                _save(
                    ProgressProblem(
                        report=report,
                        position=1,
                        problem="Не все родители начальных классов имеют доступ к интернету",
                        solution="Частично: логины выдаются на родительских собраниях, работает консультационный пункт",
                    ),
                    coordinator,
                )
            ProgressReportLog.objects.create(
                report=report, action=ProgressReportLog.Action.START, to_state="draft"
            )
            if state != ReportStatus.DRAFT:
                ProgressReportLog.objects.create(
                    report=report,
                    action=ProgressReportLog.Action.SUBMIT,
                    from_state="draft",
                    to_state="submitted",
                )
            if state in (ReportStatus.APPROVED, ReportStatus.RETURNED):
                action = (
                    ProgressReportLog.Action.APPROVE
                    if state == ReportStatus.APPROVED
                    else ProgressReportLog.Action.RETURN
                )
                ProgressReportLog.objects.create(
                    report=report,
                    action=action,
                    from_state="submitted",
                    to_state=state,
                    actor=specialist,
                    comment=report.return_comment,
                )
    return programme
