import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerPing


@shared_task(name="reports.worker_ping")
def worker_ping(ping_id: int) -> None:
    """Mark a ping as answered by this worker."""
    WorkerPing.objects.filter(pk=ping_id, completed_at__isnull=True).update(
        completed_at=timezone.now(), worker=socket.gethostname()[:200]
    )
