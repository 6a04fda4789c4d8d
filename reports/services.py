"""Writes of the reports app: background jobs, exports and imports."""

import dataclasses
import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from monitoring.basis import DEFAULT_BASIS, Basis

from .analytics import compute_figures
from .documents import FILE_NAMES, write_all
from .excel.export import write_appendix1
from .excel.importer import import_appendix1
from .excel.safety import UnsafeWorkbook, check_xlsx
from .models import AnalyticReport, ExportJob, ImportBatch, Job, WorkerPing
from .tasks import build_analytic_report, build_appendix1_export, worker_ping

logger = logging.getLogger(__name__)

MSG_EXPORT_FAILED = (
    "Не удалось сформировать файл: {error}. Попробуйте ещё раз или обратитесь к администратору."
)
MSG_ALREADY_APPLIED = "Эта таблица уже загружена."


def worker_ping_request(*, user: User | None = None) -> WorkerPing:
    """Record a ping and enqueue it once the record is committed."""
    with transaction.atomic():
        ping = WorkerPing.objects.create(requested_by=user)
        transaction.on_commit(lambda: worker_ping.delay(ping.pk))
    return ping


def job_set_progress(job: Job, done: int, total: int) -> None:
    percent = min(99, int(done * 100 / total)) if total else 99
    type(job)._default_manager.filter(pk=job.pk).update(progress=percent)


# --- exports ---------------------------------------------------------------------------------------


def export_job_request(*, user: User, campaign, municipality=None, basis: str = DEFAULT_BASIS) -> ExportJob:
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user, campaign=campaign, municipality=municipality, basis=Basis(basis)
        )
        transaction.on_commit(lambda: build_appendix1_export.delay(job.pk))
    return job


def export_file_name(campaign, municipality=None, basis: str = DEFAULT_BASIS) -> str:
    scope = municipality.code if municipality else "region"
    suffix = "" if basis == DEFAULT_BASIS else f"-{basis}"
    return f"appendix1-{campaign.slug}-{scope}{suffix}.xlsx"


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the workbook of an export job (the Celery task's body). Safe to run again."""
    job = ExportJob.objects.select_related("campaign", "municipality", "requested_by").get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, started_at=timezone.now(), progress=0, error=""
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / export_file_name(job.campaign, job.municipality, job.basis)
            write_appendix1(
                path,
                user=job.requested_by,
                campaign=job.campaign,
                municipality=job.municipality,
                basis=job.basis,
                progress=lambda done, total: job_set_progress(job, done, total),
            )
            with path.open("rb") as fh:
                if job.file:
                    job.file.delete(save=False)
                job.file.save(path.name, File(fh), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            file=job.file.name, state=Job.State.DONE, progress=100, finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, error=MSG_EXPORT_FAILED.format(error=exc), finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


# --- imports ---------------------------------------------------------------------------------------


def _preview(result) -> dict:
    return {
        "summary": result.summary(),
        "counts": result.counts,
        "planned": [dataclasses.asdict(p) | {"action_label": p.action_label} for p in result.planned],
        "errors": [dataclasses.asdict(e) for e in result.errors],
        "warnings": [dataclasses.asdict(w) for w in result.warnings],
        "error_rows": result.error_rows,
        "new_organisations": [dataclasses.asdict(n) for n in result.new_organisations],
        "respelled": [dataclasses.asdict(r) for r in result.respelled],
        "missing": [dataclasses.asdict(m) for m in result.missing],
        "written": result.written,
    }


def import_batch_create(
    *, user: User, campaign, upload, municipality=None, create_missing=False
) -> ImportBatch:
    """Store an uploaded workbook and check it; nothing is loaded yet.

    Raises :class:`UnsafeWorkbook` for a file that must not even be stored.
    """
    check_xlsx(upload, upload.name, getattr(upload, "size", None))
    batch = ImportBatch(
        campaign=campaign,
        municipality=municipality,
        uploaded_by=user,
        file_name=Path(upload.name).name[:255],
        create_missing=create_missing,
    )
    batch.file.save(f"{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    with batch.file.open("rb") as fh:
        result = import_appendix1(
            fh,
            user=user,
            campaign=campaign,
            file_name=batch.file_name,
            municipality=municipality,
            create_missing=create_missing,
            dry_run=True,
        )
    batch.preview = _preview(result)
    batch.state = ImportBatch.State.REJECTED if result.errors else ImportBatch.State.CHECKED
    batch.save()
    return batch


def import_batch_apply(*, batch: ImportBatch, user: User) -> ImportBatch:
    """Load a checked workbook. If anything fails now (say, a report was locked meanwhile), nothing
    is written and the new errors are shown."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state == ImportBatch.State.APPLIED:
            raise UnsafeWorkbook(MSG_ALREADY_APPLIED)
        with batch.file.open("rb") as fh:
            result = import_appendix1(
                fh,
                user=user,
                campaign=batch.campaign,
                file_name=batch.file_name,
                municipality=batch.municipality,
                create_missing=batch.create_missing,
                dry_run=False,
            )
        batch.preview = _preview(result)
        if result.written:
            batch.state = ImportBatch.State.APPLIED
            batch.applied_at = timezone.now()
        else:
            batch.state = ImportBatch.State.REJECTED
        batch.save()
    return batch


# --- analytic report -----------------------------------------------------------------------------

MSG_REPORT_FAILED = "Справка не сформирована: {error}. Нажмите «Повторить» или обратитесь к администратору."
MSG_REPORT_SCOPE = "Специалист МОУО может сформировать справку только по своему МО."


def build_report_files(
    *, campaign, municipality=None, include_unapproved=False, out_dir: Path, progress=None
) -> dict:
    """Compute the figures and write report.json, report.docx and report.xlsx into ``out_dir``."""
    figures = compute_figures(campaign, municipality=municipality, include_unapproved=include_unapproved)
    if progress:
        progress(40)
    write_all(figures, out_dir, progress=progress)
    return figures


def analytic_report_request(
    *, user: User, campaign, municipality=None, include_unapproved=False
) -> AnalyticReport:
    own_municipality = (
        user.is_specialist and municipality is not None and municipality.pk == user.municipality_id
    )
    if not (user.is_regional or own_municipality):
        raise PermissionError(MSG_REPORT_SCOPE)
    with transaction.atomic():
        report = AnalyticReport.objects.create(
            requested_by=user,
            campaign=campaign,
            municipality=municipality,
            include_unapproved=include_unapproved,
        )
        transaction.on_commit(lambda: build_analytic_report.delay(report.pk))
    return report


def analytic_report_retry(*, report: AnalyticReport) -> AnalyticReport:
    with transaction.atomic():
        AnalyticReport.objects.filter(pk=report.pk).update(state=Job.State.QUEUED, progress=0, error="")
        transaction.on_commit(lambda: build_analytic_report.delay(report.pk))
    report.refresh_from_db()
    return report


def analytic_report_run(*, report_id: int) -> AnalyticReport:
    """Build an analytic report (the Celery task's body). Running it again gives the same result."""
    report = AnalyticReport.objects.select_related("campaign__previous", "municipality").get(pk=report_id)
    AnalyticReport.objects.filter(pk=report.pk).update(
        state=Job.State.RUNNING, started_at=timezone.now(), finished_at=None, progress=5, error=""
    )

    def progress(percent):
        AnalyticReport.objects.filter(pk=report.pk).update(progress=percent)

    try:
        with tempfile.TemporaryDirectory() as tmp:
            figures = build_report_files(
                campaign=report.campaign,
                municipality=report.municipality,
                include_unapproved=report.include_unapproved,
                out_dir=Path(tmp),
                progress=progress,
            )
            stem = f"{report.campaign.slug}-{report.municipality.code if report.municipality else 'region'}-{report.pk}"
            for kind, name in FILE_NAMES.items():
                field = getattr(report, kind)
                if field:
                    field.delete(save=False)
                with (Path(tmp) / name).open("rb") as fh:
                    field.save(f"{stem}-{name}", File(fh), save=False)
        AnalyticReport.objects.filter(pk=report.pk).update(
            figures=figures,
            docx=report.docx.name,
            xlsx=report.xlsx.name,
            json=report.json.name,
            state=Job.State.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        logger.exception("analytic report %s failed", report.pk)
        AnalyticReport.objects.filter(pk=report.pk).update(
            state=Job.State.FAILED, error=MSG_REPORT_FAILED.format(error=exc), finished_at=timezone.now()
        )
    report.refresh_from_db()
    return report
