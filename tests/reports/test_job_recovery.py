# ruff: noqa: F811 - the fixture «known» is imported from the analytic report tests
"""Background jobs survive a killed worker: a job whose heartbeat stopped, or that ran past its time
limit, is shown as failed with «Повторить»; a retry completes it; running a task twice gives one
result; a task checks again at run time that the person who asked may still see the scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import JOB_HEARTBEAT_STALE_AFTER, AnalyticReport, ExportJob, Job, job_time_limit
from tests.reports.test_analytics import known  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _running(model, *, beat_ago, started_ago=None, **fields):
    now = timezone.now()
    job = model.objects.create(state=Job.State.RUNNING, progress=5, **fields)
    model.objects.filter(pk=job.pk).update(
        started_at=now - (started_ago or beat_ago), heartbeat_at=now - beat_ago
    )
    job.refresh_from_db()
    return job


def test_fresh_running_job_is_alive(world, known):
    job = _running(
        AnalyticReport, beat_ago=datetime.timedelta(seconds=10), requested_by=world.methodist, campaign=known
    )
    assert job.interruption() is None
    assert services.job_fail_if_interrupted(job).state == Job.State.RUNNING


def test_silent_worker_is_shown_as_failed_and_retry_completes(
    world,
    known,
    client_for,
    django_capture_on_commit_callbacks,
):
    job = _running(
        AnalyticReport,
        beat_ago=JOB_HEARTBEAT_STALE_AFTER + datetime.timedelta(seconds=1),
        requested_by=world.methodist,
        campaign=known,
    )
    client = client_for(world.methodist)
    page = client.get(reverse("reports:analytic_report", args=[job.pk])).content.decode()
    assert "Задание прервано" in page and "Повторить" in page
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:analytic_report_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.progress == 100 and job.docx


def test_job_beyond_its_time_limit_is_failed_even_with_a_heartbeat(world, known):
    job = _running(
        ExportJob,
        beat_ago=datetime.timedelta(seconds=5),
        started_ago=job_time_limit() + datetime.timedelta(minutes=1),
        requested_by=world.methodist,
        campaign=known,
    )
    assert "превышено время" in job.interruption()
    assert services.job_fail_if_interrupted(job).state == Job.State.FAILED


def test_interrupted_export_offers_retry_and_retry_completes(
    world,
    known,
    client_for,
    django_capture_on_commit_callbacks,
):
    job = _running(
        ExportJob,
        beat_ago=JOB_HEARTBEAT_STALE_AFTER * 2,
        requested_by=world.methodist,
        campaign=known,
    )
    client = client_for(world.methodist)
    page = client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert "Задание прервано" in page and "Повторить" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.file


def test_running_twice_gives_one_result(world, known, tmp_path):
    report = AnalyticReport.objects.create(requested_by=world.methodist, campaign=known)
    first = services.analytic_report_run(report_id=report.pk)
    names = (first.docx.name, first.xlsx.name, first.json.name)
    second = services.analytic_report_run(report_id=report.pk)
    assert (second.docx.name, second.xlsx.name, second.json.name) == names
    assert second.finished_at == first.finished_at
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) == 3

    job = ExportJob.objects.create(requested_by=world.methodist, campaign=known)
    done = services.export_job_run(job_id=job.pk)
    again = services.export_job_run(job_id=job.pk)
    assert again.file.name == done.file.name and again.finished_at == done.finished_at
    assert len([p for p in tmp_path.rglob("*.xlsx") if "exports" in str(p)]) == 1


def test_alive_job_taken_by_another_worker_is_not_run_again(world, known):
    job = _running(
        ExportJob, beat_ago=datetime.timedelta(seconds=3), requested_by=world.methodist, campaign=known
    )
    result = services.export_job_run(job_id=job.pk)
    assert result.state == Job.State.RUNNING and not result.file


@pytest.mark.parametrize("change", ["deactivated", "moved"])
def test_export_and_report_fail_when_the_requester_lost_the_scope(world, known, change):
    user = world.specialist_x
    export = ExportJob.objects.create(requested_by=user, campaign=known, municipality=world.mun_x)
    report = AnalyticReport.objects.create(requested_by=user, campaign=known, municipality=world.mun_x)
    if change == "deactivated":
        user.is_active = False
    else:
        user.municipality = world.mun_y
    user.save()
    export = services.export_job_run(job_id=export.pk)
    report = services.analytic_report_run(report_id=report.pk)
    for job in (export, report):
        assert job.state == Job.State.FAILED and job.error == services.MSG_SCOPE_LOST
    assert not export.file and not report.docx


def test_requester_in_scope_still_gets_the_result(world, known):
    job = ExportJob.objects.create(requested_by=world.specialist_x, campaign=known, municipality=world.mun_x)
    assert services.export_job_run(job_id=job.pk).state == Job.State.DONE


def test_lists_show_an_interrupted_job_as_failed(world, known, client_for):
    stale = JOB_HEARTBEAT_STALE_AFTER * 2
    export = _running(ExportJob, beat_ago=stale, requested_by=world.methodist, campaign=known)
    report = _running(AnalyticReport, beat_ago=stale, requested_by=world.methodist, campaign=known)
    client = client_for(world.methodist)
    assert client.get(reverse("reports:export", args=[known.slug])).status_code == 200
    assert client.get(reverse("reports:analytics")).status_code == 200
    export.refresh_from_db()
    report.refresh_from_db()
    assert export.state == report.state == Job.State.FAILED
