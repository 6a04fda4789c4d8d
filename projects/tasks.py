from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from accounts.notifications import notify
from core.links import portal_url
from core.tasks import mail_task_options

from .models import AssignmentReportLog


@shared_task(name="projects.send_assignment_notification", **mail_task_options())
def send_assignment_notification(log_id: int) -> int:
    """E-mail the pilot site's coordinators that their assignment report was approved or returned."""
    log = (
        AssignmentReportLog.objects.select_related("report__pilot_site__school")
        .filter(pk=log_id, action__in=[AssignmentReportLog.Action.APPROVE, AssignmentReportLog.Action.RETURN])
        .first()
    )
    if log is None:
        return 0
    report = log.report
    school = report.pilot_site.school
    users = list(User.objects.filter(role=Role.COORDINATOR, school=school, is_active=True))
    recipients = sorted({u.email for u in users if u.email})
    path = reverse("projects:assignment", args=[report.pk])
    link = portal_url(path)
    what = f"Отчёт об исполнении технического задания за {report.academic_year} учебный год ({school.short_name})"
    if log.action == AssignmentReportLog.Action.RETURN:
        subject = f"Отчёт ПВП возвращён на доработку: {school.short_name}"
        text = f"{what} возвращён на доработку.\n\nКомментарий РЦРО:\n{log.comment}"
    else:
        subject = f"Отчёт ПВП принят: {school.short_name}"
        text = f"{what} принят РЦРО."
    with transaction.atomic():  # the portal copy is kept only if the e-mail went out
        notify([u.pk for u in users], f"{subject}\n\n{text}", path)
        if not recipients:
            return 0
        return send_mail(subject, f"{text}\n\n{link}\n", settings.DEFAULT_FROM_EMAIL, recipients)
