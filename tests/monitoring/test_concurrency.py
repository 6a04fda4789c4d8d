"""Two people saving the same report at once, with real concurrent transactions (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, transaction

from monitoring import services
from monitoring.models import SchoolReport
from monitoring.services import ReportInput, report_save, report_start, report_values
from tests.factories import campaign
from tests.factories import report as make_report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("нужен PostgreSQL: проверяются настоящие параллельные транзакции")


def _run(target, results, key):
    try:
        results[key] = target()
    except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
        results[key] = exc
    finally:
        connection.close()


def _save_holding_the_lock(report, user, version: int, holds: threading.Event, seconds: float) -> int:
    """Save ``classes_total`` = 21 and keep the report's row locked for ``seconds`` after saying so
    through ``holds``, while a second save arrives; the version saved."""
    with transaction.atomic():
        saved, _ = report_save(
            report_id=report.pk,
            user=user,
            data=ReportInput(values=report_values(report) | {"classes_total": 21}),
            expected_version=version,
            draft=True,
        )
        holds.set()
        time.sleep(seconds)
    return saved.version


def test_second_concurrent_save_gets_conflict(world):
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    make_report(previous, world.school_a1, status="approved")
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    version = report.version
    first_holds_lock = threading.Event()
    results = {}

    def first():
        return _save_holding_the_lock(report, world.coordinator_a, version, first_holds_lock, 0.5)

    def second():
        first_holds_lock.wait(10)
        values = report_values(report) | {"classes_total": 25}
        return report_save(
            report_id=report.pk,
            user=world.coordinator_a,
            data=ReportInput(values=values),
            expected_version=version,
            draft=True,
        )

    threads = [
        threading.Thread(target=_run, args=(first, results, "first")),
        threading.Thread(target=_run, args=(second, results, "second")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results["first"] == version + 1
    assert isinstance(results["second"], services.ReportConflict)
    saved = SchoolReport.objects.get(pk=report.pk)
    assert saved.classes_total == 21
    assert saved.version == version + 1
    # Exactly one change was recorded.
    assert saved.history.filter(classes_total=21).count() == 1
    assert not saved.history.filter(classes_total=25).exists()


def test_concurrent_report_start_creates_one_report(world):
    current = campaign("2017")
    barrier = threading.Barrier(2)
    results = {}

    def start():
        barrier.wait(5)
        return report_start(campaign=current, school=world.school_a1, user=world.coordinator_a).pk

    threads = [threading.Thread(target=_run, args=(start, results, i)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert SchoolReport.objects.filter(campaign=current, school=world.school_a1).count() == 1
    assert SchoolReport.objects.get(campaign=current, school=world.school_a1).branch_rows.count() == 1


def test_concurrent_double_approve_gives_one_transition(world):
    from monitoring import workflow
    from monitoring.models import WorkflowEvent

    current = campaign("2017")
    r = make_report(current, world.school_a1)
    workflow.report_submit(report_id=r.pk, user=world.coordinator_a)
    barrier = threading.Barrier(3)
    results = {}

    def approve():
        barrier.wait(5)
        return workflow.report_approve(report_id=r.pk, user=world.specialist_x).status

    threads = [threading.Thread(target=_run, args=(approve, results, i)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    outcomes = sorted(type(v).__name__ if isinstance(v, Exception) else v for v in results.values())
    assert outcomes == ["TransitionRefused", "TransitionRefused", "approved"]
    assert WorkflowEvent.objects.filter(report=r, action="approve").count() == 1
    assert SchoolReport.objects.get(pk=r.pk).status == "approved"


def test_two_concurrent_first_saves_create_one_report_and_one_conflict(world):
    """Two tabs opened a report not started yet (version 1); both save at once: one creates the
    report with its input, the other gets the conflict message and writes nothing."""
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    make_report(previous, world.school_a1, status="approved")
    prefilled, _ = services.report_prefilled(campaign=current, school=world.school_a1)
    barrier = threading.Barrier(2)
    results = {}

    def save(total):
        def run():
            barrier.wait(5)
            values = report_values(prefilled) | {"classes_total": total}
            report, _ = services.report_save_or_start(
                campaign=current,
                school=world.school_a1,
                user=world.coordinator_a,
                data=ReportInput(values=values),
                expected_version=prefilled.version,
                draft=True,
            )
            return report.classes_total

        return run

    threads = [threading.Thread(target=_run, args=(save(n), results, n)) for n in (21, 25)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    outcomes = sorted(results.values(), key=lambda r: isinstance(r, Exception))
    assert isinstance(outcomes[0], int) and isinstance(outcomes[1], services.ReportConflict), results
    saved = SchoolReport.objects.get(campaign=current, school=world.school_a1)
    assert saved.classes_total == outcomes[0]
    assert saved.version == 2


@pytest.mark.parametrize("view", ["report_edit", "report_autosave"])
def test_form_post_waits_for_a_concurrent_save_and_writes_nothing(world, client, view):
    """The form reads the report with its lock: a save posted while another one holds the report
    waits for it, then sees the newer version and answers with a conflict."""
    from django.urls import reverse

    from tests.monitoring.test_views import form_data

    current = campaign("2017")
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    version = report.version
    first_holds_lock = threading.Event()
    results = {}

    def first():
        return _save_holding_the_lock(report, world.coordinator_a, version, first_holds_lock, 0.6)

    thread = threading.Thread(target=_run, args=(first, results, "first"))
    thread.start()
    assert first_holds_lock.wait(10)
    client.force_login(world.coordinator_a)
    url = reverse(f"monitoring:{view}", args=[current.slug, world.school_a1.pk])
    started = time.monotonic()
    response = client.post(url, form_data(report, classes_total=25, action="draft"))
    waited = time.monotonic() - started
    thread.join(20)
    assert results["first"] == version + 1
    assert response.status_code == 409
    assert waited > 0.2  # it waited for the lock instead of reading the older version
    saved = SchoolReport.objects.get(pk=report.pk)
    assert (saved.classes_total, saved.version) == (21, version + 1)
    assert not saved.history.filter(classes_total=25).exists()
