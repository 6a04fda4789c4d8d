"""E-mails of the review workflow and the deadline reminders, in Russian."""

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.formats import date_format

from accounts.models import Role, User
from core.links import portal_url

from .models import Campaign, MunicipalityReview, MunicipalityState, ReportStatus, WorkflowEvent

# Reminders go out this many days before the deadline, and on the deadline day.
REMINDER_DAYS_BEFORE = (7, 3, 1)


def _url(path: str) -> str:
    return portal_url(path)


def _addresses(users) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def workflow_messages(event: WorkflowEvent) -> list[tuple[str, str, str, list[str]]]:
    """The e-mails one workflow event sends, as ``send_mass_mail`` tuples."""
    campaign = event.campaign
    sender = settings.DEFAULT_FROM_EMAIL
    if event.report is not None:
        school = event.report.school
        link = _url(reverse("monitoring:report", args=[campaign.slug, school.pk]))
        recipients = _addresses(User.objects.filter(role=Role.COORDINATOR, school=school))
        if event.action == WorkflowEvent.Action.APPROVE:
            subject = f"Отчёт принят: {school.short_name}"
            body = f"Отчёт организации «{school.short_name}» в мониторинге «{campaign}» принят.\n\n{link}\n"
        elif event.action == WorkflowEvent.Action.RETURN:
            subject = f"Отчёт возвращён на доработку: {school.short_name}"
            body = (
                f"Отчёт организации «{school.short_name}» в мониторинге «{campaign}» возвращён на доработку.\n\n"
                f"Комментарий проверяющего:\n{event.comment}\n\n"
                f"Исправьте отчёт и отправьте его снова: {link}\n"
            )
        else:
            return []
    else:
        municipality = event.municipality
        link = _url(reverse("monitoring:dashboard", args=[campaign.slug]))
        recipients = _addresses(User.objects.filter(role=Role.SPECIALIST, municipality=municipality))
        if event.action == WorkflowEvent.Action.MUNICIPALITY_ACCEPT:
            subject = f"Данные приняты РЦРО: {municipality}"
            body = f"Данные МОУО «{municipality}» в мониторинге «{campaign}» приняты РЦРО.\n\n{link}\n"
        elif event.action == WorkflowEvent.Action.MUNICIPALITY_RETURN:
            subject = f"Данные возвращены РЦРО на доработку: {municipality}"
            body = (
                f"Данные МОУО «{municipality}» в мониторинге «{campaign}» возвращены на доработку.\n\n"
                f"Комментарий РЦРО:\n{event.comment}\n\n{link}\n"
            )
        else:
            return []
    if not recipients:
        return []
    return [(subject, body, sender, recipients)]


def reminder_due(campaign: Campaign, today: datetime.date) -> bool:
    days_left = (campaign.deadline - today).days
    return campaign.status == Campaign.Status.OPEN and (days_left == 0 or days_left in REMINDER_DAYS_BEFORE)


def reminder_recipients(campaign: Campaign) -> tuple[list[User], list[User]]:
    """Coordinators whose report is not submitted; specialists of municipalities not complete."""
    done = [ReportStatus.SUBMITTED, ReportStatus.APPROVED]
    schools_done = campaign.reports.filter(status__in=done).values("school_id")
    coordinators = list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True, school__in=campaign.participants.all())
        .exclude(school_id__in=schools_done)
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


def reminder_messages(campaign: Campaign, today: datetime.date) -> list[tuple[str, str, str, list[str]]]:
    coordinators, specialists = reminder_recipients(campaign)
    deadline = date_format(campaign.deadline, "d.m.Y")
    days_left = (campaign.deadline - today).days
    when = "сегодня" if days_left == 0 else f"{deadline}"
    sender = settings.DEFAULT_FROM_EMAIL
    messages = []
    for user in coordinators:
        if not user.email:
            continue
        link = _url(reverse("monitoring:report", args=[campaign.slug, user.school_id]))
        messages.append(
            (
                f"Напоминание: срок предоставления отчёта — {when}",
                f"Здравствуйте, {user.get_full_name() or user.username}!\n\n"
                f"Отчёт организации «{user.school}» в мониторинге «{campaign}» ещё не отправлен на "
                f"проверку. Срок предоставления — {deadline}.\n\n{link}\n",
                sender,
                [user.email],
            )
        )
    for user in specialists:
        if not user.email:
            continue
        link = _url(reverse("monitoring:dashboard", args=[campaign.slug]))
        messages.append(
            (
                f"Напоминание: срок сбора данных МОУО — {when}",
                f"Здравствуйте, {user.get_full_name() or user.username}!\n\n"
                f"Данные МОУО «{user.municipality}» в мониторинге «{campaign}» ещё не переданы в РЦРО. "
                f"Срок предоставления — {deadline}.\n\n{link}\n",
                sender,
                [user.email],
            )
        )
    return messages


def send(messages) -> int:
    return send_mass_mail(messages, fail_silently=False) if messages else 0
