"""Mail of the introduction programmes: a school is told its progress report was accepted or
returned; late reports (the reporting date passed, nothing submitted) get reminders."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from core.tasks import mail_task_options

from .models import ProgressReminder, ProgressReportLog
from .selectors import late_reports

# A late report is reminded of at most once a week, for at most this long after its date.
REMIND_EVERY = datetime.timedelta(days=7)
REMIND_FOR = datetime.timedelta(days=60)


def _coordinator_emails(school_ids) -> dict[int, list[str]]:
    emails: dict[int, list[str]] = {}
    for school_id, email in User.objects.filter(
        role=Role.COORDINATOR, school_id__in=list(school_ids), is_active=True
    ).values_list("school_id", "email"):
        if email:
            emails.setdefault(school_id, []).append(email)
    return {k: sorted(set(v)) for k, v in emails.items()}


def _link(name: str, *args) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, args=args)


@shared_task(name="programmes.send_progress_notification", **mail_task_options())
def send_progress_notification(log_id: int) -> int:
    log = (
        ProgressReportLog.objects.select_related("report__participant__school", "report__reporting_date")
        .filter(pk=log_id, action__in=[ProgressReportLog.Action.APPROVE, ProgressReportLog.Action.RETURN])
        .first()
    )
    if log is None:
        return 0
    report = log.report
    school = report.participant.school
    recipients = _coordinator_emails([school.pk]).get(school.pk, [])
    if not recipients:
        return 0
    link = _link("programmes:report", report.pk)
    what = f"Отчёт о ходе введения электронного журнала на {report.reporting_date} ({school.short_name})"
    if log.action == ProgressReportLog.Action.RETURN:
        subject = f"Отчёт о ходе введения возвращён на доработку: {school.short_name}"
        body = f"{what} возвращён на доработку.\n\nКомментарий:\n{log.comment}\n\n{link}\n"
    else:
        subject = f"Отчёт о ходе введения принят: {school.short_name}"
        body = f"{what} принят.\n\n{link}\n"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@shared_task(name="programmes.send_progress_reminders", **mail_task_options())
def send_progress_reminders() -> int:
    """Daily (Celery beat): remind the coordinators of schools whose report is late."""
    today = timezone.localdate()
    now = timezone.now()
    late = late_reports(today=today, since=today - REMIND_FOR)
    if not late:
        return 0
    recent = set(
        ProgressReminder.objects.filter(sent_at__gte=now - REMIND_EVERY).values_list(
            "participant_id", "reporting_date_id"
        )
    )
    due = [item for item in late if (item.participant.pk, item.reporting_date.pk) not in recent]
    emails = _coordinator_emails({item.participant.school_id for item in due})
    messages, reminded = [], []
    for item in due:
        recipients = emails.get(item.participant.school_id)
        if not recipients:
            continue
        school = item.participant.school
        subject = f"Напоминание: отчёт о ходе введения на {item.reporting_date} ({school.short_name})"
        body = (
            f"Срок отчёта о введении электронных дневников и журнала по программе «{item.participant.programme.title}» "
            f"({item.reporting_date}) прошёл, а отчёт {school.short_name} не отправлен.\n\n"
            f"{_link('programmes:participant', item.participant.pk)}\n"
        )
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
        reminded.append(ProgressReminder(participant=item.participant, reporting_date=item.reporting_date))
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    ProgressReminder.objects.bulk_create(reminded)
    return sent
