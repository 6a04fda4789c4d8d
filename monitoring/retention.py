"""Retention of personal data: the staff contacts of old campaigns are replaced by «удалено»."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AccessEvent
from audit.services import record

from .models import Campaign, ReportBranch, SchoolReport, WorkflowEvent

REMOVED = "удалено"
# Columns 6, 7 (responsible person) and 22, 23 (project coordinator) of Appendix 1: names become
# «удалено», the rest blank.
REPORT_NAMES = ("responsible_name", "coordinator_name")
REPORT_OTHERS = (
    "responsible_position",
    "responsible_phone",
    "responsible_email",
    "coordinator_phone",
    "coordinator_email",
    "coordinator_skype",
)
BRANCH_NAMES = ("responsible_name",)
BRANCH_OTHERS = ("responsible_position", "responsible_phone", "responsible_email")


@dataclass
class AnonymiseResult:
    campaigns: list[Campaign]
    reports: int = 0
    branch_rows: int = 0
    history_rows: int = 0
    journal_entries: int = 0

    @property
    def changed(self) -> int:
        return self.reports + self.branch_rows + self.history_rows + self.journal_entries


def _not_anonymised(names, others) -> Q:
    q = Q()
    for name in names:
        q |= ~Q(**{name: REMOVED}) & ~Q(**{name: ""})
    for name in others:
        q |= ~Q(**{name: ""})
    return q


def _values(names, others) -> dict:
    return {**dict.fromkeys(names, REMOVED), **dict.fromkeys(others, "")}


def _scrub_snapshot(snapshot: dict) -> dict:
    scrubbed = dict(snapshot)
    for name, value in _values(REPORT_NAMES, REPORT_OTHERS).items():
        if scrubbed.get(name) not in (None, "", value):
            scrubbed[name] = value
    branches = {}
    for key, row in (scrubbed.get("branches") or {}).items():
        row = dict(row)
        for name, value in _values(BRANCH_NAMES, BRANCH_OTHERS).items():
            if row.get(name) not in (None, "", value):
                row[name] = value
        branches[key] = row
    if branches:
        scrubbed["branches"] = branches
    return scrubbed


def campaigns_older_than(years: int, today: datetime.date | None = None):
    today = today or timezone.localdate()
    try:
        limit = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - years, day=28)
    return Campaign.objects.filter(as_of__lt=limit).order_by("as_of")


@transaction.atomic
def personal_data_anonymise(*, older_than_years: int, dry_run: bool = False, user=None) -> AnonymiseResult:
    """Replace the staff contacts in the reports (and their history and review snapshots) of every
    campaign whose as-of date is more than ``older_than_years`` years ago. Rows already anonymised
    are left alone, so a second run changes nothing."""
    campaigns = list(campaigns_older_than(older_than_years))
    result = AnonymiseResult(campaigns=campaigns)
    ids = [c.pk for c in campaigns]
    report_filter = _not_anonymised(REPORT_NAMES, REPORT_OTHERS)
    branch_filter = _not_anonymised(BRANCH_NAMES, BRANCH_OTHERS)
    reports = SchoolReport.objects.filter(report_filter, campaign_id__in=ids)
    branches = ReportBranch.objects.filter(branch_filter, report__campaign_id__in=ids)
    report_history = SchoolReport.history.filter(report_filter, campaign_id__in=ids)
    report_ids = SchoolReport.objects.filter(campaign_id__in=ids).values("pk")
    branch_history = ReportBranch.history.filter(branch_filter, report_id__in=report_ids)
    snapshots = [
        (event, _scrub_snapshot(event.snapshot))
        for event in WorkflowEvent.objects.filter(campaign_id__in=ids).exclude(snapshot={})
    ]
    snapshots = [(event, new) for event, new in snapshots if new != event.snapshot]
    if dry_run:
        result.reports = reports.count()
        result.branch_rows = branches.count()
        result.history_rows = report_history.count() + branch_history.count()
        result.journal_entries = len(snapshots)
        return result
    # QuerySet.update writes no new history rows and keeps the reports' versions.
    result.reports = reports.update(**_values(REPORT_NAMES, REPORT_OTHERS))
    result.branch_rows = branches.update(**_values(BRANCH_NAMES, BRANCH_OTHERS))
    result.history_rows = report_history.update(
        **_values(REPORT_NAMES, REPORT_OTHERS)
    ) + branch_history.update(**_values(BRANCH_NAMES, BRANCH_OTHERS))
    for event, new in snapshots:
        WorkflowEvent.objects.filter(pk=event.pk).update(snapshot=new)
    result.journal_entries = len(snapshots)
    record(
        kind=AccessEvent.Kind.ANONYMISE,
        user=user,
        username="" if user else "manage.py anonymise_personal_data",
        object_kind="campaign",
        object_id=",".join(c.slug for c in campaigns)[:64],
        scope="область",
        detail=(
            f"старше {older_than_years} лет: мониторингов {len(campaigns)}, отчётов {result.reports}, "
            f"строк филиалов {result.branch_rows}, записей истории {result.history_rows}, "
            f"записей журнала проверки {result.journal_entries}"
        ),
    )
    return result
