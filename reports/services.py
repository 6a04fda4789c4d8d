from django.db import transaction

from .models import WorkerPing
from .tasks import worker_ping


def worker_ping_request(*, user=None) -> WorkerPing:
    """Record a ping and enqueue it once the record is committed."""
    with transaction.atomic():
        ping = WorkerPing.objects.create(requested_by=user)
        transaction.on_commit(lambda: worker_ping.delay(ping.pk))
    return ping
