import socket

from celery import shared_task
from django.utils import timezone

from core.tasks import time_limits

from .models import WorkerPing


@shared_task(name="reports.worker_ping", **time_limits("quick"))
def worker_ping(ping_id: int) -> None:
    """Mark a ping as answered by this worker."""
    WorkerPing.objects.filter(pk=ping_id, completed_at__isnull=True).update(
        completed_at=timezone.now(), worker=socket.gethostname()[:200]
    )


@shared_task(name="reports.build_appendix1_export", **time_limits("document"))
def build_appendix1_export(job_id: int) -> str:
    from .services import export_job_run

    return export_job_run(job_id=job_id).state


@shared_task(name="reports.build_analytic_report", **time_limits("document"))
def build_analytic_report(report_id: int) -> str:
    from .services import analytic_report_run

    return analytic_report_run(report_id=report_id).state


@shared_task(name="reports.run_import_job", **time_limits("document"))
def run_import_job(job_id: int) -> str:
    from .services import import_job_run

    return import_job_run(job_id=job_id).state
