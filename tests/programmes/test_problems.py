"""The report's problems and how they were solved as a table: rows saved through the service with
history, taken over by the next report, kept on a refused form, shown on the report page; the data
migration carries the former two text fields over."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from core.errors import ServiceError
from programmes import services
from programmes.models import ProgressProblem

from .conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(entry_a1, dates, world, system):
    report = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    return fill(report, world.coordinator_a, system)


def _rows(report):
    return [(r.position, r.problem, r.solution) for r in report.problem_rows.order_by("position")]


def test_rows_are_saved_in_order_and_empty_ones_left_out(report, world):
    services.progress_report_save(
        report_id=report.pk,
        user=world.coordinator_a,
        values={},
        problems=[("Нет интернета в кабинете 12", "Частично: точка доступа"), ("", ""), ("Мало ПК", "")],
    )
    assert _rows(report) == [
        (1, "Нет интернета в кабинете 12", "Частично: точка доступа"),
        (2, "Мало ПК", ""),
    ]
    assert ProgressProblem.history.filter(history_type="+").first().history_user == world.coordinator_a
    # The same rows again change nothing; other rows replace them (the history keeps the old ones).
    services.progress_report_save(
        report_id=report.pk,
        user=world.coordinator_a,
        values={},
        problems=[("Нет интернета в кабинете 12", "Частично: точка доступа"), ("Мало ПК", "")],
    )
    assert ProgressProblem.history.count() == 2
    services.progress_report_save(
        report_id=report.pk, user=world.coordinator_a, values={}, problems=[("Мало ПК", "Закуплены 5 ПК")]
    )
    assert _rows(report) == [(1, "Мало ПК", "Закуплены 5 ПК")]
    assert ProgressProblem.history.filter(history_type="-").count() == 2


def test_solution_without_a_problem_is_refused(report, world):
    with pytest.raises(ServiceError, match="Проблемы, строка 1: укажите проблему"):
        services.progress_report_save(
            report_id=report.pk, user=world.coordinator_a, values={}, problems=[("", "Решено")]
        )
    assert not report.problem_rows.exists()


def test_next_report_starts_with_the_previous_rows(report, entry_a1, dates, world):
    services.progress_report_save(
        report_id=report.pk, user=world.coordinator_a, values={}, problems=[("Мало ПК", "Частично")]
    )
    second = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[1].pk, user=world.coordinator_a
    )
    assert _rows(second) == [(1, "Мало ПК", "Частично")]
    assert _rows(report) == [(1, "Мало ПК", "Частично")]  # copies, not moved


def test_edit_page_names_the_report_it_started_from(client_for, world, report, entry_a1, dates):
    client = client_for(world.coordinator_a)
    first = client.get(reverse("programmes:report_edit", args=[report.pk])).content.decode()
    assert "Первый отчёт организации по программе." in first and "начат с данных" not in first
    second = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[1].pk, user=world.coordinator_a
    )
    body = client.get(reverse("programmes:report_edit", args=[second.pk])).content.decode()
    assert "Отчёт начат с данных отчёта на 15.05.2012; обновите изменившиеся пункты." in body


def _post(report, **rows):
    data = {
        "version": report.version,
        "action": "save",
        "responsible_person": report.responsible_person,
        "system": report.system_id,
        "applications_registered": 0,
        "problem-TOTAL_FORMS": "2",
        "problem-INITIAL_FORMS": "0",
        "problem-MIN_NUM_FORMS": "0",
        "problem-MAX_NUM_FORMS": "1000",
    }
    data.update(rows)
    return data


def test_edit_page_saves_the_table_and_the_detail_page_shows_it(client_for, world, report):
    client = client_for(world.coordinator_a)
    url = reverse("programmes:report_edit", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'id="problems-table"' in page and "Содержание проблемы" in page
    response = client.post(
        url, _post(report, **{"problem-0-problem": "Мало ПК", "problem-0-solution": "Частично: закуплены 5"})
    )
    assert response.status_code == 302
    assert _rows(report) == [(1, "Мало ПК", "Частично: закуплены 5")]
    detail = client.get(reverse("programmes:report", args=[report.pk])).content.decode()
    assert "Возникшие проблемы и результат их решения" in detail
    assert "Частично: закуплены 5" in detail
    edit = client.get(url).content.decode()
    assert "Мало ПК" in edit and 'name="problem-2-problem"' in edit  # the row and two empty ones


def test_refused_form_keeps_typed_rows(client_for, world, report):
    client = client_for(world.coordinator_a)
    response = client.post(
        reverse("programmes:report_edit", args=[report.pk]),
        _post(
            report,
            **{
                "problem-0-problem": "",
                "problem-0-solution": "Решение без проблемы",
                "problem-1-problem": "Вторая проблема",
            },
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Укажите проблему, к которой относится решение" in body
    assert "Решение без проблемы" in body and "Вторая проблема" in body
    assert not report.problem_rows.exists()


def test_returned_report_is_corrected_in_the_table(client_for, world, report):
    services.progress_report_save(
        report_id=report.pk, user=world.coordinator_a, values={}, problems=[("Мало ПК", "")]
    )
    services.progress_report_submit(report_id=report.pk, user=world.coordinator_a)
    services.progress_report_return(
        report_id=report.pk, user=world.specialist_x, comment="Укажите, как решена проблема"
    )
    report.refresh_from_db()
    client = client_for(world.coordinator_a)
    url = reverse("programmes:report_edit", args=[report.pk])
    assert "Укажите, как решена проблема" in client.get(url).content.decode()
    data = _post(
        report,
        **{
            "action": "submit",
            "problem-TOTAL_FORMS": "3",
            "problem-INITIAL_FORMS": "1",
            "problem-0-problem": "Мало ПК",
            "problem-0-solution": "Полностью: закуплены 5 ПК",
        },
    )
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert _rows(report) == [(1, "Мало ПК", "Полностью: закуплены 5 ПК")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_carries_the_text_over_and_back(world):
    """0001 → the two text fields; 0002 → one row of the table per report (and back)."""
    executor = MigrationExecutor(connection)
    before, after = [("programmes", "0001_programmes")], [("programmes", "0002_progress_problem_rows")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        programme = old.get_model("programmes", "Programme").objects.create(
            municipality_id=world.mun_x.pk, title="П", order_number="1", order_date="2012-03-26"
        )
        entry = old.get_model("programmes", "ProgrammeSchool").objects.create(
            programme=programme, school_id=world.school_a1.pk
        )
        Date = old.get_model("programmes", "ReportingDate")
        Report = old.get_model("programmes", "ProgressReport")
        d1, d2, d3 = (Date.objects.create(programme=programme, on_date=f"2012-0{m}-15") for m in (5, 6, 7))
        both = Report.objects.create(
            participant=entry, reporting_date=d1, problems="Мало ПК", solutions="Частично"
        )
        only_solution = Report.objects.create(participant=entry, reporting_date=d2, solutions="Решено")
        empty = Report.objects.create(participant=entry, reporting_date=d3)

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        Problem = new.get_model("programmes", "ProgressProblem")
        rows = {r.report_id: (r.position, r.problem, r.solution) for r in Problem.objects.all()}
        assert rows == {
            both.pk: (1, "Мало ПК", "Частично"),
            only_solution.pk: (1, "(проблема не указана)", "Решено"),
        }
        assert empty.pk not in rows
        history = new.get_model("programmes", "HistoricalProgressProblem").objects.all()
        assert {h.report_id for h in history} == {both.pk, only_solution.pk}

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        back = old.get_model("programmes", "ProgressReport").objects.get(pk=both.pk)
        assert (back.problems, back.solutions) == ("Мало ПК", "Частично")
        assert old.get_model("programmes", "ProgressReport").objects.get(pk=only_solution.pk).problems == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
