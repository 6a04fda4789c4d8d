from celery import shared_task

from .emails import send_invitation_email
from .models import Invitation


@shared_task(
    name="accounts.send_invitation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_invitation(invitation_id: int) -> int:
    """E-mail the link of an open invitation (the link of its latest sending)."""
    invitation = (
        Invitation.objects.select_related("user", "school", "municipality")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return 0
    return send_invitation_email(invitation)
