"""Registry and report transitions under real concurrent transactions (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from projects import services
from projects.models import AssignmentReport, AssignmentReportLog, PilotSite
from tests.projects.conftest import D, make_report

# Skipped by a mark (not inside a fixture), so that on SQLite no transactional test is set up and
# the database is not flushed for the tests that follow.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="нужен PostgreSQL: проверяются настоящие параллельные транзакции",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _run(target, results, key):
    try:
        results[key] = target()
    except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
        results[key] = exc
    finally:
        connection.close()


def _together(target, n):
    barrier = threading.Barrier(n)
    results = {}

    def run():
        barrier.wait(5)
        return target()

    threads = [threading.Thread(target=_run, args=(run, results, i)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    return results


def test_concurrent_registration_gives_one_active_site(world, project, systems):
    def add():
        return services.pilot_site_add(
            project=project,
            school=world.school_a1,
            agreement_type="trilateral",
            system=systems["tesh"],
            joined_on=D(2015, 5, 22),
            user=world.methodist,
        ).pk

    results = _together(add, 3)
    refused = [v for v in results.values() if isinstance(v, Exception)]
    assert len(refused) == 2 and all(isinstance(v, services.ServiceError) for v in refused)
    assert PilotSite.objects.filter(school=world.school_a1).count() == 1


def test_concurrent_double_approve_gives_one_transition(world, sites):
    report = make_report(sites[0], status="submitted")
    results = _together(
        lambda: services.assignment_report_approve(report_id=report.pk, user=world.methodist).status, 3
    )
    outcomes = sorted(type(v).__name__ if isinstance(v, Exception) else v for v in results.values())
    assert outcomes == ["TransitionRefused", "TransitionRefused", "approved"]
    assert AssignmentReportLog.objects.filter(report=report, action="approve").count() == 1
    assert AssignmentReport.objects.get(pk=report.pk).status == "approved"


def test_concurrent_start_creates_one_report(world, project, sites):
    results = _together(
        lambda: (
            services.assignment_report_start(
                project=project, academic_year="2016-2017", user=world.coordinator_a
            ).pk
        ),
        2,
    )
    assert len(set(results.values())) == 1
    assert AssignmentReport.objects.filter(pilot_site=sites[0]).count() == 1
    assert AssignmentReportLog.objects.filter(action="start").count() == 1
