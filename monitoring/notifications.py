"""Messages of the review workflow, the deadline reminders and the daily digest, in Russian.

Every message goes out by e-mail and is left in the portal («Уведомления») for the same people
with the same text, so a person who does not read e-mail still sees it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Role, User
from accounts.notifications import notify
from core.links import portal_url
from core.russian import agree, verb_for

from .comments import comment_label
from .lateness import HANDED_IN
from .models import (
    Campaign,
    MunicipalityReview,
    MunicipalityState,
    ReportComment,
    SchoolReport,
    WorkflowEvent,
)

# Reminders go out this many days before the deadline, and on the deadline day.
REMINDER_DAYS_BEFORE = (7, 3, 1)
# After the deadline they go on every N days (settings.REMINDER_AFTER_DEADLINE_EVERY_DAYS).
DEFAULT_REMINDER_EVERY_DAYS = 3
DIGEST_PERIOD = datetime.timedelta(days=1)


@dataclass
class Message:
    subject: str
    body: str
    path: str
    users: list[User] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The in-portal text: the subject and the body, without the link (the page links it)."""
        return f"{self.subject}\n\n{self.body.strip()}"

    def as_mail(self) -> tuple[str, str, str, list[str]] | None:
        recipients = _addresses(self.users)
        if not recipients:
            return None
        body = f"{self.body.rstrip()}\n\n{_url(self.path)}\n"
        return (self.subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _url(path: str) -> str:
    return portal_url(path)


def _addresses(users) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def reminder_every_days() -> int:
    return max(1, int(getattr(settings, "REMINDER_AFTER_DEADLINE_EVERY_DAYS", DEFAULT_REMINDER_EVERY_DAYS)))


def methodists() -> list[User]:
    return list(User.objects.filter(role=Role.METHODIST, is_active=True).order_by("username"))


def reviewers_of(municipality) -> list[User]:
    """Who reviews the municipality's schools: its specialists; methodists for the regional schools."""
    if municipality.is_regional:
        return methodists()
    return list(
        User.objects.filter(role=Role.SPECIALIST, municipality=municipality, is_active=True).order_by(
            "username"
        )
    )


def workflow_messages(event: WorkflowEvent) -> list[Message]:
    """The messages one workflow event sends."""
    campaign = event.campaign
    if event.report_id:
        school = event.report.school
        path = reverse("monitoring:report", args=[campaign.slug, school.pk])
        users = list(User.objects.filter(role=Role.COORDINATOR, school=school, is_active=True))
        if event.action == WorkflowEvent.Action.APPROVE:
            subject = f"Отчёт принят: {school.short_name}"
            body = f"Отчёт организации «{school.short_name}» в мониторинге «{campaign}» принят."
        elif event.action == WorkflowEvent.Action.RETURN:
            subject = f"Отчёт возвращён на доработку: {school.short_name}"
            body = (
                f"Отчёт организации «{school.short_name}» в мониторинге «{campaign}» возвращён на доработку.\n\n"
                f"Комментарий проверяющего:\n{event.comment}\n\n"
                f"{_field_remarks(event.report)}"
                "Исправьте отчёт и отправьте его снова."
            )
        else:
            return []
    else:
        municipality = event.municipality
        if event.action == WorkflowEvent.Action.MUNICIPALITY_SUBMIT:
            path = reverse("monitoring:municipality_dashboard", args=[campaign.slug, municipality.pk])
            subject = f"МОУО передал данные в РЦРО: {municipality}"
            body = f"МОУО «{municipality}» передал данные мониторинга «{campaign}» в РЦРО."
            if event.comment:
                body += f"\n\nНе все отчёты приняты. Причина:\n{event.comment}"
            return [Message(subject, body, path, methodists())]
        path = reverse("monitoring:dashboard", args=[campaign.slug])
        users = list(User.objects.filter(role=Role.SPECIALIST, municipality=municipality, is_active=True))
        if event.action == WorkflowEvent.Action.MUNICIPALITY_ACCEPT:
            subject = f"Данные приняты РЦРО: {municipality}"
            body = f"Данные МОУО «{municipality}» в мониторинге «{campaign}» приняты РЦРО."
        elif event.action == WorkflowEvent.Action.MUNICIPALITY_RETURN:
            subject = f"Данные возвращены РЦРО на доработку: {municipality}"
            body = (
                f"Данные МОУО «{municipality}» в мониторинге «{campaign}» возвращены на доработку.\n\n"
                f"Комментарий РЦРО:\n{event.comment}"
            )
        else:
            return []
    return [Message(subject, body, path, users)]


def _field_remarks(report) -> str:
    remarks = ReportComment.objects.filter(report=report, resolved_at__isnull=True).select_related("branch")
    lines = [f"— {comment_label(c)}: {c.text}" for c in remarks]
    return "Замечания к полям:\n" + "\n".join(lines) + "\n\n" if lines else ""


# --- Reminders ---------------------------------------------------------------------------------


def reminder_due(campaign: Campaign, today: datetime.date) -> bool:
    """Before the deadline: 7, 3, 1 days before and on the day; after it: every N days."""
    if campaign.status != Campaign.Status.OPEN:
        return False
    days_left = (campaign.deadline - today).days
    if days_left < 0:
        return -days_left % reminder_every_days() == 0
    return days_left == 0 or days_left in REMINDER_DAYS_BEFORE


def schools_not_handed_in(campaign: Campaign):
    """Participating schools whose report is not submitted (not started, draft or returned)."""
    done = SchoolReport.objects.filter(campaign=campaign, status__in=HANDED_IN).values("school_id")
    return campaign.participants.exclude(pk__in=done)


def reminder_recipients(campaign: Campaign) -> tuple[list[User], list[User]]:
    """Coordinators whose report is not submitted; specialists of municipalities not complete."""
    coordinators = list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True, school__in=schools_not_handed_in(campaign))
        .select_related("school")
        .order_by("school__short_name", "username")
    )
    closed_states = [MunicipalityState.SUBMITTED, MunicipalityState.ACCEPTED]
    finished = MunicipalityReview.objects.filter(campaign=campaign, state__in=closed_states).values(
        "municipality_id"
    )
    specialists = list(
        User.objects.filter(role=Role.SPECIALIST, is_active=True)
        .filter(municipality__schools__in=campaign.participants.all())
        .exclude(municipality_id__in=finished)
        .select_related("municipality")
        .distinct()
        .order_by("municipality__sort_order", "username")
    )
    return coordinators, specialists


def late_schools_by_municipality(campaign: Campaign) -> dict[int, list[str]]:
    """Names of the schools that have not submitted, per municipality (one query)."""
    late: dict[int, list[str]] = {}
    for municipality_id, name in (
        schools_not_handed_in(campaign).order_by("short_name").values_list("municipality_id", "short_name")
    ):
        late.setdefault(municipality_id, []).append(name)
    return late


def reminder_messages(campaign: Campaign, today: datetime.date) -> list[Message]:
    coordinators, specialists = reminder_recipients(campaign)
    deadline = date_format(campaign.deadline, "d.m.Y")
    days_left = (campaign.deadline - today).days
    overdue = days_left < 0
    when = "сегодня" if days_left == 0 else f"{deadline}"
    messages = []
    for user in coordinators:
        path = reverse("monitoring:report", args=[campaign.slug, user.school_id])
        if overdue:
            subject = f"Срок предоставления отчёта истёк {deadline}"
            body = (
                f"Здравствуйте, {_name(user)}!\n\n"
                f"Отчёт организации «{user.school}» в мониторинге «{campaign}» не отправлен на проверку, "
                f"а срок предоставления истёк {deadline}. Заполните и отправьте отчёт как можно скорее: "
                "он будет отмечен «с опозданием»."
            )
        else:
            subject = f"Напоминание: срок предоставления отчёта — {when}"
            body = (
                f"Здравствуйте, {_name(user)}!\n\n"
                f"Отчёт организации «{user.school}» в мониторинге «{campaign}» ещё не отправлен на "
                f"проверку. Срок предоставления — {deadline}."
            )
        messages.append(Message(subject, body, path, [user]))
    late = late_schools_by_municipality(campaign) if overdue else {}
    for user in specialists:
        path = reverse("monitoring:dashboard", args=[campaign.slug])
        if overdue:
            names = late.get(user.municipality_id, [])
            subject = f"Срок истёк {deadline}: данные МОУО не переданы в РЦРО"
            body = (
                f"Здравствуйте, {_name(user)}!\n\n"
                f"Данные МОУО «{user.municipality}» в мониторинге «{campaign}» не переданы в РЦРО, "
                f"а срок предоставления истёк {deadline}."
            )
            if names:
                body += f"\n\nНе отправили отчёт ({agree(len(names), 'организация')}):\n"
                body += "\n".join(f"— {name}" for name in names)
        else:
            subject = f"Напоминание: срок сбора данных МОУО — {when}"
            body = (
                f"Здравствуйте, {_name(user)}!\n\n"
                f"Данные МОУО «{user.municipality}» в мониторинге «{campaign}» ещё не переданы в РЦРО. "
                f"Срок предоставления — {deadline}."
            )
        messages.append(Message(subject, body, path, [user]))
    return messages


# --- Daily digest for reviewers --------------------------------------------------------------------


def digest_messages(campaign: Campaign, now: datetime.datetime | None = None) -> list[Message]:
    """For each municipality: the reports submitted or resubmitted in the last day, to its reviewers."""
    now = now or timezone.now()
    since = now - DIGEST_PERIOD
    events = list(
        WorkflowEvent.objects.filter(
            campaign=campaign,
            action=WorkflowEvent.Action.SUBMIT,
            created_at__gte=since,
            created_at__lt=now,
        )
        .select_related("report__school__municipality")
        .order_by("report__school__short_name", "created_at")
    )
    by_municipality: dict[int, dict[int, WorkflowEvent]] = {}
    for event in events:
        by_municipality.setdefault(event.municipality_id, {})[event.report_id] = event
    if not by_municipality:
        return []
    resubmitted = set(
        WorkflowEvent.objects.filter(
            report_id__in=[e.report_id for e in events],
            action=WorkflowEvent.Action.RETURN,
            created_at__lt=now,
        ).values_list("report_id", flat=True)
    )
    messages = []
    for reports in by_municipality.values():
        municipality = next(iter(reports.values())).report.school.municipality
        users = reviewers_of(municipality)
        if not users:
            continue
        lines = []
        for event in reports.values():
            again = " (повторно, после возврата)" if event.report_id in resubmitted else ""
            stamp = date_format(timezone.localtime(event.created_at), "d.m.Y H:i")
            lines.append(f"— {event.report.school.short_name}{again}, {stamp}")
        number = agree(len(lines), "отчёт")
        came = verb_for(len(lines), "поступил", "поступило")
        subject = f"На проверку {came} {number}: {municipality}"
        body = (
            f"За последние сутки в мониторинге «{campaign}» на проверку {came} {number} "
            f"организаций МОУО «{municipality}»:\n" + "\n".join(lines)
        )
        path = reverse("monitoring:municipality_dashboard", args=[campaign.slug, municipality.pk])
        path += "?status=submitted"
        messages.append(Message(subject, body, path, users))
    return messages


# --- Delivery ----------------------------------------------------------------------------------


@transaction.atomic
def deliver(messages: list[Message]) -> int:
    """Leave each message in the portal and send it by e-mail; returns the number of e-mails.

    One transaction: if the mail server refuses, the portal copies are not kept either, so a
    retry does not duplicate them.
    """
    for message in messages:
        notify([u.pk for u in message.users if u.is_active], message.text, message.path)
    mails = [mail for mail in (m.as_mail() for m in messages) if mail]
    return send_mass_mail(mails, fail_silently=False) if mails else 0
