"""Large workbooks are checked and loaded by a background job with progress, like the region's
export; the job survives a killed worker, runs once, and re-checks the requester's scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import SchoolReport
from reports import services
from reports.models import JOB_HEARTBEAT_STALE_AFTER, ImportBatch, ImportJob, Job
from tests.factories import campaign
from tests.reports.test_excel_import import _row, _workbook_with


@pytest.fixture
def large(settings, tmp_path, monkeypatch):
    """Every workbook counts as large (the threshold is lowered), files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(services, "IMPORT_BACKGROUND_ROWS", 1)


def _upload(client, target, path, capture, execute=True):
    with capture(execute=execute), open(path, "rb") as fh:
        response = client.post(reverse("reports:import", args=[target.slug]), {"file": fh})
    assert response.status_code == 302
    return ImportBatch.objects.latest("pk"), response["Location"]


def test_large_workbook_checked_and_loaded_in_background(
    world, tmp_path, client_for, large, django_capture_on_commit_callbacks
):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска")])
    client = client_for(world.methodist)
    batch, location = _upload(client, target, path, django_capture_on_commit_callbacks)
    check = batch.jobs.get()
    assert check.action == ImportJob.Action.CHECK and check.state == Job.State.DONE and check.progress == 100
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED and batch.preview["planned"]
    assert "Загрузить данные" in client.get(location).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:import_apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    assert SchoolReport.objects.filter(campaign=target, school=world.school_a1).exists()
    # Run again: one result (the load is not repeated).
    apply_job = batch.jobs.get(action=ImportJob.Action.APPLY)
    ImportJob.objects.filter(pk=apply_job.pk).update(state=Job.State.QUEUED)
    services.import_job_run(job_id=apply_job.pk)
    assert SchoolReport.objects.filter(campaign=target).count() == 1


def test_pending_batch_shows_progress(world, tmp_path, client_for, large, django_capture_on_commit_callbacks):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска")])
    client = client_for(world.methodist)
    batch, location = _upload(client, target, path, django_capture_on_commit_callbacks, execute=False)
    assert batch.state == ImportBatch.State.PENDING
    page = client.get(location).content.decode()
    assert "Проверка таблицы в фоне" in page and "в очереди" in page
    assert "Загрузить данные" not in page


def test_killed_import_worker_is_shown_failed_and_retry_completes(
    world, tmp_path, client_for, large, django_capture_on_commit_callbacks
):
    target = campaign("2015", participants=[])
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска")])
    client = client_for(world.methodist)
    batch, location = _upload(client, target, path, django_capture_on_commit_callbacks, execute=False)
    job = batch.jobs.get()
    old = timezone.now() - JOB_HEARTBEAT_STALE_AFTER - datetime.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, progress=5, started_at=old, heartbeat_at=old
    )
    page = client.get(location).content.decode()
    assert "Задание прервано" in page and "Повторить" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:import_job_retry", args=[batch.pk]))
    job.refresh_from_db()
    batch.refresh_from_db()
    assert job.state == Job.State.DONE and batch.state == ImportBatch.State.CHECKED


@pytest.mark.parametrize("change", ["deactivated", "moved"])
def test_import_job_fails_when_the_requester_lost_the_scope(
    world, tmp_path, client_for, large, django_capture_on_commit_callbacks, change
):
    target = campaign("2017")
    path = _workbook_with(tmp_path, [_row("Город Томск", "МАОУ СОШ № 1 г. Томска")])
    user = world.specialist_x
    batch, _ = _upload(client_for(user), target, path, django_capture_on_commit_callbacks, execute=False)
    assert batch.municipality == world.mun_x
    if change == "deactivated":
        user.is_active = False
    else:
        user.municipality = world.mun_y
    user.save()
    job = services.import_job_run(job_id=batch.jobs.get().pk)
    assert job.state == Job.State.FAILED and job.error == services.MSG_SCOPE_LOST
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.REJECTED and not batch.preview
    assert not SchoolReport.objects.filter(campaign=target).exists()
