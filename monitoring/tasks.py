from celery import shared_task
from django.utils import timezone

from core.tasks import mail_task_options

from .models import Campaign, WorkflowEvent
from .notifications import deliver, digest_messages, reminder_due, reminder_messages, workflow_messages


@shared_task(name="monitoring.send_workflow_notification", **mail_task_options())
def send_workflow_notification(event_id: int) -> int:
    event = (
        WorkflowEvent.objects.select_related("campaign", "report__school", "municipality")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    return deliver(workflow_messages(event))


@shared_task(name="monitoring.send_deadline_reminders", **mail_task_options())
def send_deadline_reminders() -> int:
    """Daily (Celery beat): remind those who have not reported yet: before and on the deadline, and
    every few days after it."""
    today = timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN):
        if reminder_due(campaign, today):
            sent += deliver(reminder_messages(campaign, today))
    return sent


@shared_task(name="monitoring.send_review_digest")
def send_review_digest() -> int:
    """Daily (Celery beat): reviewers get the list of reports submitted in the last day."""
    now = timezone.now()
    sent = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN):
        sent += deliver(digest_messages(campaign, now))
    return sent
