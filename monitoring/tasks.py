from celery import shared_task
from django.utils import timezone

from core.tasks import mail_task_options

from .models import Campaign, WorkflowEvent
from .notifications import reminder_due, reminder_messages, send, workflow_messages


@shared_task(name="monitoring.send_workflow_notification", **mail_task_options())
def send_workflow_notification(event_id: int) -> int:
    event = (
        WorkflowEvent.objects.select_related("campaign", "report__school", "municipality")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    return send(workflow_messages(event))


@shared_task(name="monitoring.send_deadline_reminders", **mail_task_options())
def send_deadline_reminders() -> int:
    """Daily (Celery beat): remind those who have not reported yet, N days before and on the deadline."""
    today = timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN):
        if reminder_due(campaign, today):
            sent += send(reminder_messages(campaign, today))
    return sent
