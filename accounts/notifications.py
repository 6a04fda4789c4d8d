"""In-portal notifications: one service writes them, the e-mail code sends the same text."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Notification, User

NOTIFICATIONS_PAGE_SIZE = 50


def notify(user_ids: Iterable[int], text: str, link: str = "") -> list[Notification]:
    """Leave the message for each of the users (duplicates and empty ids are ignored)."""
    ids = sorted({int(i) for i in user_ids if i})
    if not ids or not text:
        return []
    return Notification.objects.bulk_create(
        [Notification(user_id=user_id, text=text, link=link[:500]) for user_id in ids]
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own unread notifications read (all of them, or the given ones)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def notification_get(*, user: User, pk: int) -> Notification:
    """The user's own notification; anybody else's is «not found»."""
    return get_object_or_404(Notification, pk=pk, user=user)
