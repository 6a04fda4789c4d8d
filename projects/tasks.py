from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from accounts.models import Role, User
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
    recipients = sorted(
        {
            u.email
            for u in User.objects.filter(role=Role.COORDINATOR, school=school, is_active=True)
            if u.email
        }
    )
    if not recipients:
        return 0
    link = portal_url(reverse("projects:assignment", args=[report.pk]))
    what = f"Отчёт об исполнении технического задания за {report.academic_year} учебный год ({school.short_name})"
    if log.action == AssignmentReportLog.Action.RETURN:
        subject = f"Отчёт ПВП возвращён на доработку: {school.short_name}"
        body = f"{what} возвращён на доработку.\n\nКомментарий РЦРО:\n{log.comment}\n\n{link}\n"
    else:
        subject = f"Отчёт ПВП принят: {school.short_name}"
        body = f"{what} принят РЦРО.\n\n{link}\n"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
