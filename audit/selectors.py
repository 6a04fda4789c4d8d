"""Reading the access journal (methodists and administrators only)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from .models import AccessEvent

MSG_ONLY_REGIONAL = "Журнал доступа читают только методисты РЦРО и администраторы."


def require_journal_reader(user: User) -> None:
    if not user.is_regional:
        raise PermissionDenied(MSG_ONLY_REGIONAL)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_events(
    *,
    user: User,
    person: str = "",
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    municipality_id: int | None = None,
) -> QuerySet[AccessEvent]:
    require_journal_reader(user)
    qs = AccessEvent.objects.select_related("user").order_by("-created_at", "-pk")
    if person:
        qs = qs.filter(username__icontains=person.strip())
    if kind:
        qs = qs.filter(kind=kind)
    if date_from is not None:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to is not None:
        qs = qs.filter(created_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if municipality_id is not None:
        qs = qs.filter(municipality_id=municipality_id)
    return qs
