from django.db.models import QuerySet

from accounts.access import get_in_scope_or_404
from accounts.models import User

from .models import AnalyticReport, ExportJob, ImportBatch, ReportParagraph, ReportTemplate


def export_jobs(*, user: User) -> QuerySet[ExportJob]:
    """A user's own export jobs; methodists see everyone's."""
    qs = ExportJob.objects.select_related("campaign", "municipality", "requested_by")
    return qs if user.is_regional else qs.filter(requested_by=user)


def export_job_get(*, user: User, pk) -> ExportJob:
    return get_in_scope_or_404(export_jobs(user=user), pk=pk)


def import_batches(*, user: User) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.select_related("campaign", "municipality", "uploaded_by")
    return qs if user.is_regional else qs.filter(uploaded_by=user)


def import_batch_get(*, user: User, pk) -> ImportBatch:
    return get_in_scope_or_404(import_batches(user=user), pk=pk)


def analytic_reports(*, user: User) -> QuerySet[AnalyticReport]:
    """Methodists see every analytic report; a specialist sees those of their municipality."""
    qs = AnalyticReport.objects.select_related("campaign", "municipality", "requested_by")
    if user.is_regional:
        return qs
    if user.is_specialist:
        return qs.filter(municipality_id=user.municipality_id)  # type: ignore[misc]
    return qs.none()


def analytic_report_get(*, user: User, pk) -> AnalyticReport:
    return get_in_scope_or_404(analytic_reports(user=user), pk=pk)


def report_paragraphs(*, report: AnalyticReport) -> QuerySet[ReportParagraph]:
    return report.paragraphs.select_related("updated_by").order_by("position", "pk")


def report_revisions(*, report: AnalyticReport, limit: int = 50) -> list:
    """The latest changes of the report's text and signature: who and when (newest first)."""
    paragraph_changes = (
        ReportParagraph.history.filter(report_id=report.pk, history_user__isnull=False)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    report_changes = report.history.filter(history_user__isnull=False).select_related("history_user")[:limit]
    changes = [*paragraph_changes, *report_changes]
    return sorted(changes, key=lambda h: h.history_date, reverse=True)[:limit]


def report_templates() -> QuerySet[ReportTemplate]:
    return ReportTemplate.objects.select_related("uploaded_by")
