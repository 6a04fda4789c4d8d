"""What «с опозданием» means, in one place for every page.

A school is late when its report was submitted after the deadline, or when the deadline has
passed and the report is not submitted (not started, draft or returned). A report submitted
before the deadline and later returned is late again once the deadline has passed, until it is
submitted anew.
"""

import datetime
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from .models import Campaign, ReportStatus

HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class Stated(Protocol):
    """A report, or what a table keeps of one: its state and when it was submitted."""

    @property
    def status(self) -> str: ...

    @property
    def submitted_at(self) -> datetime.datetime | None: ...


def deadline_end(campaign: Campaign) -> datetime.datetime:
    """The first moment after the deadline day, in the portal's time zone."""
    day_after = campaign.deadline + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))


def deadline_passed(campaign: Campaign, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= deadline_end(campaign)


def late_q(campaign: Campaign, now: datetime.datetime | None = None) -> Q:
    """Reports (rows of SchoolReport) that are late; schools without a report are counted apart."""
    end = deadline_end(campaign)
    submitted_late = Q(status__in=HANDED_IN, submitted_at__gte=end)
    if deadline_passed(campaign, now):
        return submitted_late | ~Q(status__in=HANDED_IN)
    return submitted_late


def on_time_q(campaign: Campaign) -> Q:
    return Q(status__in=HANDED_IN, submitted_at__lt=deadline_end(campaign))


def is_late(campaign: Campaign, report: Stated | None, now: datetime.datetime | None = None) -> bool:
    """The same rule as :func:`late_q`, for one school (``report`` is None when not started)."""
    if report is not None and report.status in HANDED_IN:
        return bool(report.submitted_at and report.submitted_at >= deadline_end(campaign))
    return deadline_passed(campaign, now)
