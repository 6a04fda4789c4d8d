import time

import pytest
from django.core.management import call_command

from reports.models import WorkerPing
from reports.services import worker_ping_request


def test_ping_runs_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ping = worker_ping_request()
    ping.refresh_from_db()
    assert ping.completed_at is not None
    assert ping.worker


def test_ping_not_enqueued_when_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        worker_ping_request()
    # The task is only scheduled for after the commit.
    assert len(callbacks) == 1
    assert WorkerPing.objects.get().completed_at is None


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_task_is_executed_by_a_real_worker(real_broker):
    ping = worker_ping_request()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ping.refresh_from_db()
        if ping.completed_at:
            break
        time.sleep(0.2)
    assert ping.completed_at is not None, "the worker did not execute the task"
    assert ping.worker


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_check_worker_command(real_broker, capsys):
    call_command("check_worker", "--timeout", "30")
    assert "выполнена" in capsys.readouterr().out
