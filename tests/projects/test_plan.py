"""The project's plan: stage states from dates and the done mark (Asia/Tomsk), the reference data
from the passport, the database's rules, the services (methodists only, with history) and the
edit forms (Russian messages, input kept, other roles refused)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.errors import ServiceError
from core.transitions import TransitionRefused
from projects import services
from projects.models import (
    ExpectedResult,
    IndicatorActual,
    IndicatorTarget,
    PlanIndicator,
    Project,
    ProjectStage,
    StageState,
)
from projects.plan import PLAN_INDICATORS, expected_results, load_plan_reference

D = datetime.date
TOMSK = zoneinfo.ZoneInfo("Asia/Tomsk")


STAGE_START, STAGE_END = D(2014, 1, 1), D(2014, 12, 31)


def stage(project, number=1, starts_on=STAGE_START, ends_on=STAGE_END, **extra):
    return ProjectStage.objects.create(
        project=project, number=number, title=f"Этап {number}", starts_on=starts_on, ends_on=ends_on, **extra
    )


def manual(project):
    return PlanIndicator.objects.get(project=project, kind="manual", number=6)


def computed(project, key="pilot_network"):
    return PlanIndicator.objects.get(project=project, computed_key=key)


# --- the state of a stage -------------------------------------------------------------------------


def test_stage_state_is_derived_from_dates_and_the_done_mark(project):
    s = stage(project, starts_on=D(2014, 3, 1), ends_on=D(2014, 6, 30))
    assert s.state_on(D(2014, 2, 28)) == StageState.PLANNED
    assert s.state_on(D(2014, 3, 1)) == StageState.IN_PROGRESS
    assert s.state_on(D(2014, 6, 30)) == StageState.IN_PROGRESS
    assert s.state_on(D(2014, 7, 1)) == StageState.LATE
    s.is_done, s.done_on = True, D(2014, 7, 10)
    assert s.state_on(D(2014, 7, 9)) == StageState.LATE  # done later than that day
    assert s.state_on(D(2014, 7, 10)) == StageState.DONE


@pytest.mark.parametrize(
    "moment, expected",
    [
        # 29.02.2016 23:30 in Tomsk is still 29.02 there although it is 16:30 UTC: the stage starts 01.03.
        (datetime.datetime(2016, 2, 29, 23, 30, tzinfo=TOMSK), "planned"),
        # 01.03.2016 00:30 in Tomsk is 29.02 17:30 UTC: in Tomsk the stage has begun.
        (datetime.datetime(2016, 3, 1, 0, 30, tzinfo=TOMSK), "in_progress"),
        (datetime.datetime(2016, 6, 30, 23, 59, tzinfo=TOMSK), "in_progress"),
        (datetime.datetime(2016, 7, 1, 0, 1, tzinfo=TOMSK), "late"),
    ],
)
def test_plan_page_shows_the_state_on_todays_date_in_tomsk(world, project, client_for, moment, expected):
    stage(project, starts_on=D(2016, 3, 1), ends_on=D(2016, 6, 30))
    with time_machine.travel(moment, tick=False):
        response = client_for(world.methodist).get(reverse("projects:plan", args=[project.pk]))
    assert response.status_code == 200
    assert f'data-state="{expected}"' in response.content.decode()


def test_a_done_stage_is_done_whatever_the_date(world, project, client_for):
    s = stage(project, starts_on=D(2016, 3, 1), ends_on=D(2016, 6, 30))
    with time_machine.travel(datetime.datetime(2016, 8, 1, 12, tzinfo=TOMSK), tick=False):
        services.stage_update(stage=s, user=world.methodist, is_done=True)
        s.refresh_from_db()
        assert s.done_on == D(2016, 8, 1)
        html = client_for(world.methodist).get(reverse("projects:plan", args=[project.pk])).content.decode()
    assert 'data-state="done"' in html
    assert "Просрочен этап" not in html


# --- the reference plan from the passport -----------------------------------------------------------


def test_the_passport_reference_is_loaded_and_idempotent(project):
    assert PlanIndicator.objects.filter(project=project).count() == len(PLAN_INDICATORS)
    results = list(ExpectedResult.objects.filter(project=project).order_by("number"))
    assert [r.text for r in results] == expected_results()
    assert len(results) == 7
    assert results[-1].text.startswith("Удовлетворенность родителей")
    assert [i.number for i in results[-1].indicators.all()] == [8]
    assert set(
        PlanIndicator.objects.filter(project=project, kind="computed").values_list("computed_key", flat=True)
    ) == {"edms_share", "pilot_network", "assignment_reported", "events", "event_participants"}
    load_plan_reference(Project, PlanIndicator, ExpectedResult)
    assert PlanIndicator.objects.filter(project=project).count() == len(PLAN_INDICATORS)
    assert ExpectedResult.objects.filter(project=project).count() == 7
    assert ExpectedResult.indicators.through.objects.count() == sum(len(r.indicators.all()) for r in results)


# --- the database's rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda p: IndicatorTarget.objects.create(indicator=computed(p), year=2015, value=Decimal("-1")),
        lambda p: IndicatorTarget.objects.create(indicator=computed(p), year=1900, value=1),
        lambda p: IndicatorActual.objects.create(indicator=manual(p), year=2015, value=1, source_note=""),
        lambda p: stage(p, starts_on=D(2015, 5, 1), ends_on=D(2015, 4, 1)),
        lambda p: stage(p, is_done=True),  # done without a date
        lambda p: PlanIndicator.objects.create(project=p, number=99, name="x", unit="%", kind="computed"),
        lambda p: PlanIndicator.objects.create(
            project=p, number=99, name="x", unit="%", kind="computed", computed_key="events"
        ),
    ],
)
def test_the_database_refuses_bad_plan_rows(project, make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(project)


def test_one_target_per_indicator_and_year(project):
    IndicatorTarget.objects.create(indicator=computed(project), year=2015, value=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorTarget.objects.create(indicator=computed(project), year=2015, value=11)


# --- services ------------------------------------------------------------------------------------------


def test_targets_and_actuals_are_written_with_history(world, project):
    indicator = manual(project)
    services.indicator_plan_update(
        indicator=indicator,
        user=world.methodist,
        targets={2015: Decimal("100"), 2016: Decimal("150")},
        actuals={2015: (Decimal("120"), "Отчёт ТОИПКРО о курсах 2015 г.")},
    )
    assert dict(indicator.targets.values_list("year", "value")) == {2015: 100, 2016: 150}
    actual = indicator.actuals.get()
    assert (actual.value, actual.updated_by) == (120, world.methodist)
    assert actual.history.get().history_user == world.methodist
    assert IndicatorTarget.history.filter(indicator_id=indicator.pk).count() == 2
    services.targets_set(indicator=indicator, user=world.methodist, values={2016: None})
    assert list(indicator.targets.values_list("year", flat=True)) == [2015]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p, u: services.targets_set(indicator=computed(p), user=u, values={2011: 1}), "вне сроков"),
        (
            lambda p, u: services.targets_set(
                indicator=computed(p, "edms_share"), user=u, values={2015: 101}
            ),
            "больше 100",
        ),
        (
            lambda p, u: services.actual_set(
                indicator=computed(p), user=u, year=2015, value=1, source_note="x"
            ),
            "рассчитывает портал",
        ),
        (
            lambda p, u: services.actual_set(
                indicator=manual(p), user=u, year=2015, value=1, source_note=" "
            ),
            "источник данных",
        ),
        (
            lambda p, u: services.stage_create(
                project=p,
                user=u,
                number=1,
                title="Э",
                content="",
                starts_on=D(2010, 1, 1),
                ends_on=D(2013, 1, 1),
            ),
            "в пределах сроков",
        ),
    ],
)
def test_services_refuse_bad_input_in_russian(world, project, call, message):
    with pytest.raises(ServiceError, match=message):
        call(project, world.methodist)


def test_nothing_is_written_when_one_year_is_wrong(world, project):
    indicator = manual(project)
    with pytest.raises(ServiceError):
        services.indicator_plan_update(
            indicator=indicator,
            user=world.methodist,
            targets={2015: Decimal("10")},
            actuals={2016: (Decimal("1"), "")},
        )
    assert not IndicatorTarget.objects.exists()


@pytest.mark.parametrize("who", ["coordinator_a", "specialist_x", "nobody"])
def test_only_methodists_change_the_plan(world, project, who):
    user = getattr(world, who)
    with pytest.raises(TransitionRefused):
        services.targets_set(indicator=computed(project), user=user, values={2015: 1})
    with pytest.raises(TransitionRefused):
        services.stage_create(
            project=project,
            user=user,
            number=1,
            title="Э",
            content="",
            starts_on=D(2014, 1, 1),
            ends_on=D(2014, 2, 1),
        )


# --- pages and forms -----------------------------------------------------------------------------------


def test_who_may_see_and_change_the_plan(world, project, client_for):
    s = stage(project)
    indicator = computed(project)
    plan = reverse("projects:plan", args=[project.pk])
    edits = [
        reverse("projects:plan_stage_add", args=[project.pk]),
        reverse("projects:plan_stage", args=[project.pk, s.pk]),
        reverse("projects:plan_indicator", args=[project.pk, indicator.pk]),
    ]
    assert client_for(world.methodist).get(plan).status_code == 200
    for url in edits:
        assert client_for(world.methodist).get(url).status_code == 200
    specialist = client_for(world.specialist_x)
    page = specialist.get(plan)
    assert page.status_code == 200 and "Изменить" not in page.content.decode()
    for url in edits:
        assert specialist.get(url).status_code == 403
        assert specialist.post(url, {"number": 5, "title": "x"}).status_code == 403
    coordinator = client_for(world.coordinator_a)
    assert coordinator.get(plan).status_code == 403
    assert coordinator.get(reverse("projects:plan_index")).status_code == 403
    for url in edits:
        assert coordinator.post(url, {"target_2015": "1"}).status_code == 403
    assert not IndicatorTarget.objects.exists()
    assert ProjectStage.objects.count() == 1
    client_for(world.methodist)
    assert (
        client_for(world.methodist).get(reverse("projects:plan_stage", args=[project.pk, 999999])).status_code
        == 404
    )


def test_the_project_page_links_to_the_plan(world, project, client_for):
    html = client_for(world.methodist).get(reverse("projects:project", args=[project.pk])).content.decode()
    assert reverse("projects:plan", args=[project.pk]) in html
    html = client_for(world.specialist_x).get(reverse("home"), follow=True).content.decode()
    assert reverse("projects:plan_index") in html


def test_stage_form_keeps_input_on_error(world, project, client_for):
    url = reverse("projects:plan_stage_add", args=[project.pk])
    data = {
        "number": "1",
        "title": "Подготовительный этап",
        "content": "Разработка нормативной базы",
        "starts_on": "2015-09-01",
        "ends_on": "2015-03-01",
    }
    response = client_for(world.methodist).post(url, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Срок окончания этапа не может быть раньше его начала." in html
    assert "Подготовительный этап" in html and "Разработка нормативной базы" in html
    assert not ProjectStage.objects.exists()
    data["ends_on"] = "2020-03-01"  # after the project
    response = client_for(world.methodist).post(url, data)
    assert response.status_code == 422
    assert "в пределах сроков реализации проекта (2012–2018)" in response.content.decode()
    data["ends_on"] = "2016-03-01"
    response = client_for(world.methodist).post(url, data)
    assert response.status_code == 302
    created = ProjectStage.objects.get()
    assert created.history.get().history_user == world.methodist


def test_stage_is_marked_done_through_the_form(world, project, client_for):
    s = stage(project, starts_on=D(2014, 1, 1), ends_on=D(2014, 12, 31))
    url = reverse("projects:plan_stage", args=[project.pk, s.pk])
    data = {
        "number": "1",
        "title": s.title,
        "content": "",
        "starts_on": "2014-01-01",
        "ends_on": "2014-12-31",
        "is_done": "on",
        "done_on": "2014-12-20",
    }
    assert client_for(world.methodist).post(url, data).status_code == 302
    s.refresh_from_db()
    assert (s.is_done, s.done_on) == (True, D(2014, 12, 20))
    assert s.history.latest().history_user == world.methodist


def test_indicator_form_keeps_input_on_error(world, project, client_for):
    indicator = manual(project)
    url = reverse("projects:plan_indicator", args=[project.pk, indicator.pk])
    data = {"target_2015": "1 200", "actual_2015": "1 150,5", "source_2015": "", "target_2016": "abc"}
    response = client_for(world.methodist).post(url, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Укажите источник данных для значения за 2015 год." in html
    assert "Введите число, например 45 или 45,5." in html
    assert 'value="1 200"' in html and 'value="1 150,5"' in html and 'value="abc"' in html
    assert not IndicatorTarget.objects.exists() and not IndicatorActual.objects.exists()
    data.update(source_2015="Отчёт о курсах повышения квалификации", target_2016="")
    assert client_for(world.methodist).post(url, data).status_code == 302
    assert indicator.targets.get().value == Decimal("1200")
    actual = indicator.actuals.get()
    assert actual.value == Decimal("1150.5") and actual.source_note.startswith("Отчёт")


def test_percent_target_over_100_is_refused_in_the_form(world, project, client_for):
    indicator = computed(project, "edms_share")
    url = reverse("projects:plan_indicator", args=[project.pk, indicator.pk])
    response = client_for(world.methodist).post(url, {"target_2015": "120"})
    assert response.status_code == 422
    assert "Значение в процентах не может быть больше 100." in response.content.decode()
    assert 'value="120"' in response.content.decode()
