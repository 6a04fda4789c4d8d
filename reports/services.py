"""Writes of the reports app: background jobs, exports and imports."""

import dataclasses
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.bounds import IMPORT_BACKGROUND_ROWS
from core.replica import reading_from_replica
from monitoring.basis import DEFAULT_BASIS, Basis

from . import narrative
from .analytics import compute_figures, report_project
from .documents import FILE_NAMES, write_all, write_docx
from .docx_template import Signoff, default_template_bytes, validate_template
from .excel.export import write_appendix1
from .excel.importer import import_appendix1
from .excel.reading import row_count
from .excel.safety import UnsafeWorkbook, check_xlsx
from .models import (
    AnalyticReport,
    ExportJob,
    ImportBatch,
    ImportJob,
    Job,
    ReportParagraph,
    ReportTemplate,
    WorkerPing,
)
from .tasks import build_analytic_report, build_appendix1_export, run_import_job, worker_ping

logger = logging.getLogger(__name__)

MSG_EXPORT_FAILED = (
    "Не удалось сформировать файл: {error}. Попробуйте ещё раз или обратитесь к администратору."
)
MSG_ALREADY_APPLIED = "Эта таблица уже загружена."
MSG_IMPORT_PENDING = "Таблица ещё обрабатывается: дождитесь окончания."


def worker_ping_request(*, user: User | None = None) -> WorkerPing:
    """Record a ping and enqueue it once the record is committed."""
    with transaction.atomic():
        ping = WorkerPing.objects.create(requested_by=user)
        transaction.on_commit(lambda: worker_ping.delay(ping.pk))
    return ping


MSG_SCOPE_LOST = (
    "Задание отменено: у пользователя, который его запросил, больше нет доступа к этим данным "
    "(учётная запись отключена или переведена в другой муниципалитет)."
)


def job_set_progress(job: Job, done: int, total: int) -> None:
    percent = min(99, int(done * 100 / total)) if total else 99
    job_beat(job, progress=percent)


def job_beat(job: Job, *, progress: int | None = None) -> None:
    """The worker is alive: record a heartbeat (and the progress, when given)."""
    fields: dict = {"heartbeat_at": timezone.now()}
    if progress is not None:
        fields["progress"] = progress
    type(job)._default_manager.filter(pk=job.pk, state=Job.State.RUNNING).update(**fields)


def job_fail_if_interrupted(job: Job) -> Job:
    """A job whose worker died (no heartbeat, or beyond its time limit) is marked failed with a
    message, so the page offers «Повторить» instead of showing «выполняется» for an hour."""
    message = job.interruption()
    if message is None:
        return job
    model = type(job)._default_manager
    with transaction.atomic():
        locked = model.select_for_update().get(pk=job.pk)
        if locked.interruption() is not None:
            model.filter(pk=job.pk).update(state=Job.State.FAILED, error=message, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _job_claim(model, job_id: int) -> bool:
    """Take the job for this run under a row lock. False when there is nothing to do: it is done
    already (a second run of the same task), or another worker is on it and alive."""
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        if job.state == Job.State.DONE:
            return False
        if job.state == Job.State.RUNNING and job.interruption() is None:
            return False
        now = timezone.now()
        model.objects.filter(pk=job_id).update(
            state=Job.State.RUNNING, started_at=now, heartbeat_at=now, finished_at=None, progress=0, error=""
        )
    return True


def requester_may_see(user: User | None, municipality) -> bool:
    """Whether the person who asked for a job may still see its scope (checked again at run time:
    the account may have been disabled or moved to another municipality meanwhile)."""
    if user is None or not user.is_active:
        return False
    if user.is_regional:
        return True
    return user.is_specialist and municipality is not None and municipality.pk == user.municipality_id


def _job_fail(model, job_id: int, message: str) -> None:
    model.objects.filter(pk=job_id).update(state=Job.State.FAILED, error=message, finished_at=timezone.now())


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
    """Build the workbook of an export job (the Celery task's body). Running it twice gives one
    result: the job is claimed under a row lock, and a finished one is left as it is. The file is
    stored under a new name and the job points at it only once it is complete."""
    if not _job_claim(ExportJob, job_id):
        return ExportJob.objects.get(pk=job_id)
    job = ExportJob.objects.select_related("campaign", "municipality", "requested_by").get(pk=job_id)
    if not requester_may_see(job.requested_by, job.municipality):
        _job_fail(ExportJob, job.pk, MSG_SCOPE_LOST)
        job.refresh_from_db()
        return job
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / export_file_name(job.campaign, job.municipality, job.basis)
            with reading_from_replica():
                write_appendix1(
                    path,
                    user=job.requested_by,
                    campaign=job.campaign,
                    municipality=job.municipality,
                    basis=job.basis,
                    progress=lambda done, total: job_set_progress(job, done, total),
                )
            old = job.file.name if job.file else None
            with path.open("rb") as fh:
                job.file.save(path.name, File(fh), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            file=job.file.name, state=Job.State.DONE, progress=100, finished_at=timezone.now()
        )
        if old and old != job.file.name:
            job.file.storage.delete(old)
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        _job_fail(ExportJob, job.pk, MSG_EXPORT_FAILED.format(error=exc))
    job.refresh_from_db()
    return job


def export_job_retry(*, job: ExportJob) -> ExportJob:
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
            state=Job.State.QUEUED, progress=0, error="", created_at=timezone.now()
        )
        transaction.on_commit(lambda: build_appendix1_export.delay(job.pk))
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


def _import_rows(batch: ImportBatch) -> int:
    """How many rows the stored workbook declares (its dimension; nothing is parsed)."""
    try:
        with batch.file.open("rb") as fh:
            return row_count(fh) or 0
    except Exception:  # noqa: BLE001 - an unreadable file is reported by the import itself
        return 0


def _import_run(batch: ImportBatch, *, user: User, dry_run: bool, progress=None) -> ImportBatch:
    with batch.file.open("rb") as fh:
        result = import_appendix1(
            fh,
            user=user,
            campaign=batch.campaign,
            file_name=batch.file_name,
            municipality=batch.municipality,
            create_missing=batch.create_missing,
            dry_run=dry_run,
            progress=progress,
        )
    batch.preview = _preview(result)
    if dry_run:
        batch.state = ImportBatch.State.REJECTED if result.errors else ImportBatch.State.CHECKED
    elif result.written:
        batch.state = ImportBatch.State.APPLIED
        batch.applied_at = timezone.now()
    else:
        batch.state = ImportBatch.State.REJECTED
    batch.save()
    return batch


def _import_job_request(batch: ImportBatch, *, user: User, action: str) -> ImportJob:
    job = ImportJob.objects.create(batch=batch, action=action, requested_by=user)
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def import_batch_create(
    *, user: User, campaign, upload, municipality=None, create_missing=False
) -> ImportBatch:
    """Store an uploaded workbook and check it; nothing is loaded yet. A workbook of more than
    ``IMPORT_BACKGROUND_ROWS`` rows is checked by a background job (the batch stays «pending»).

    Raises :class:`UnsafeWorkbook` for a file that must not even be stored.
    """
    check_xlsx(upload, upload.name, getattr(upload, "size", None))
    if municipality is None and user.is_specialist:
        municipality = user.municipality  # the scope is fixed when asked, and checked again at run
    batch = ImportBatch(
        campaign=campaign,
        municipality=municipality,
        uploaded_by=user,
        file_name=Path(upload.name).name[:255],
        create_missing=create_missing,
    )
    batch.file.save(f"{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    if _import_rows(batch) > IMPORT_BACKGROUND_ROWS:
        with transaction.atomic():
            batch.state = ImportBatch.State.PENDING
            batch.save()
            _import_job_request(batch, user=user, action=ImportJob.Action.CHECK)
        return batch
    return _import_run(batch, user=user, dry_run=True)


def import_batch_apply(*, batch: ImportBatch, user: User) -> ImportBatch:
    """Load a checked workbook. If anything fails now (say, a report was locked meanwhile), nothing
    is written and the new errors are shown. A large workbook is loaded by a background job."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state == ImportBatch.State.APPLIED:
            raise UnsafeWorkbook(MSG_ALREADY_APPLIED)
        if batch.state == ImportBatch.State.PENDING:
            raise UnsafeWorkbook(MSG_IMPORT_PENDING)
        if _import_rows(batch) > IMPORT_BACKGROUND_ROWS:
            batch.state = ImportBatch.State.PENDING
            batch.save(update_fields=["state"])
            _import_job_request(batch, user=user, action=ImportJob.Action.APPLY)
            return batch
        return _import_run(batch, user=user, dry_run=False)


def import_job_run(*, job_id: int) -> ImportJob:
    """Check or load a stored workbook (the Celery task's body); safe to run twice."""
    if not _job_claim(ImportJob, job_id):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("batch__campaign", "batch__municipality", "requested_by").get(
        pk=job_id
    )
    batch = job.batch
    user = job.requested_by
    if user is None or not requester_may_see(user, batch.municipality):
        _job_fail(ImportJob, job.pk, MSG_SCOPE_LOST)
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.REJECTED)
        job.refresh_from_db()
        return job
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if job.action == ImportJob.Action.APPLY and batch.state == ImportBatch.State.APPLIED:
                pass  # loaded by an earlier run: one result
            else:
                _import_run(
                    batch,
                    user=user,
                    dry_run=job.action == ImportJob.Action.CHECK,
                    progress=lambda percent: job_beat(job, progress=min(percent, 99)),
                )
        ImportJob.objects.filter(pk=job.pk).update(
            state=Job.State.DONE, progress=100, finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("import job %s failed", job.pk)
        _job_fail(ImportJob, job.pk, MSG_EXPORT_FAILED.format(error=exc))
        ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.PENDING).update(
            state=ImportBatch.State.CHECKED
            if job.action == ImportJob.Action.APPLY
            else ImportBatch.State.REJECTED
        )
    job.refresh_from_db()
    return job


def import_job_retry(*, job: ImportJob) -> ImportJob:
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
            state=Job.State.QUEUED, progress=0, error="", created_at=timezone.now()
        )
        ImportBatch.objects.filter(pk=job.batch_id).exclude(state=ImportBatch.State.APPLIED).update(
            state=ImportBatch.State.PENDING
        )
        transaction.on_commit(lambda: run_import_job.delay(job.pk))
    job.refresh_from_db()
    return job


# --- analytic report -----------------------------------------------------------------------------

MSG_REPORT_FAILED = "Справка не сформирована: {error}. Нажмите «Повторить» или обратитесь к администратору."
MSG_REPORT_SCOPE = "Специалист МОУО может сформировать справку только по своему МО."
MSG_REPORT_FINAL = "Справка отмечена окончательной: изменять её и пересчитывать показатели нельзя."
MSG_REPORT_NOT_READY = "Справка ещё не сформирована."
MSG_REPORT_EDIT_ROLE = "Изменять справку могут только методисты РЦРО."
MSG_PARAGRAPH_EMPTY = "Текст абзаца не может быть пустым."
MSG_UNKNOWN_SECTION = "Такого раздела в справке нет."


class ReportRefused(Exception):
    """A change of an analytic report that is not allowed; the message is for the user."""


def signoff_defaults() -> dict:
    """The signature and the executors of a new report: from the settings, else the passport."""
    project = report_project()
    head = project.head.splitlines()[0].strip() if project and project.head.strip() else ""
    coordinators = [
        line.strip() for line in (project.coordinators if project else "").splitlines() if line.strip()
    ]
    return {
        "signatory_position": settings.ANALYTIC_REPORT_SIGNATORY_POSITION or head,
        "signatory_name": settings.ANALYTIC_REPORT_SIGNATORY_NAME,
        "executors": "\n".join(coordinators),
    }


def signoff_of(report: AnalyticReport) -> Signoff:
    return Signoff(
        order_number=report.order_number,
        order_date=report.order_date,
        signatory_position=report.signatory_position,
        signatory_name=report.signatory_name,
        executors=[line.strip() for line in report.executors.splitlines() if line.strip()],
    )


def template_current() -> ReportTemplate | None:
    return ReportTemplate.objects.order_by("-uploaded_at", "-pk").first()


def template_bytes() -> bytes:
    """The Word template in use: the latest upload, or the default one."""
    current = template_current()
    if current is None:
        return default_template_bytes()
    with current.file.open("rb") as fh:
        return fh.read()


def build_report_files(
    *, campaign, municipality=None, include_unapproved=False, out_dir: Path, progress=None
) -> dict:
    """Compute the figures and write report.json, report.docx and report.xlsx into ``out_dir``
    (the generated text, the default signature and the template in use)."""
    with reading_from_replica():
        figures = compute_figures(campaign, municipality=municipality, include_unapproved=include_unapproved)
    if progress:
        progress(40)
    defaults = signoff_defaults()
    signoff = Signoff(
        signatory_position=defaults["signatory_position"],
        signatory_name=defaults["signatory_name"],
        executors=defaults["executors"].splitlines(),
    )
    write_all(figures, out_dir, progress=progress, signoff=signoff, template=template_bytes())
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
        report = AnalyticReport(
            requested_by=user,
            campaign=campaign,
            municipality=municipality,
            include_unapproved=include_unapproved,
            **signoff_defaults(),
        )
        report._history_user = user
        report.save()
        transaction.on_commit(lambda: build_analytic_report.delay(report.pk))
    return report


def analytic_report_retry(*, report: AnalyticReport) -> AnalyticReport:
    """Build the report again (after a failure, or to recompute the figures of a draft)."""
    with transaction.atomic():
        locked = AnalyticReport.objects.select_for_update().get(pk=report.pk)
        if locked.is_final:
            raise ReportRefused(MSG_REPORT_FINAL)
        AnalyticReport.objects.filter(pk=report.pk).update(
            state=Job.State.QUEUED, progress=0, error="", created_at=timezone.now()
        )
        transaction.on_commit(lambda: build_analytic_report.delay(report.pk))
    report.refresh_from_db()
    return report


def report_sections(report: AnalyticReport) -> list[narrative.Section]:
    """The sections of the report with the stored paragraphs (edited text where edited, the
    methodist's added paragraphs in place)."""
    stored: dict[str, list[ReportParagraph]] = {}
    for paragraph in report.paragraphs.order_by("position", "pk"):
        stored.setdefault(paragraph.section, []).append(paragraph)
    sections = narrative.sections(report.figures)
    for section in sections:
        if section.key in stored:
            section.paragraphs = [
                narrative.Paragraph(p.key, p.text, p.kind)
                for p in stored[section.key]
                if p.text.strip() and not (p.is_obsolete and not p.is_edited)
            ]
    return sections


def _sync_paragraphs(report: AnalyticReport, sections: list[narrative.Section], *, user) -> None:
    """Store the generated paragraphs: new ones are added, the generated text of known ones is
    updated (flagged when it changed), edited and added paragraphs are kept as they are."""
    existing = {(p.section, p.key): p for p in report.paragraphs.all()}
    positions: dict[tuple[str, str], int] = {}
    seen = set()
    position = 0
    for section in sections:
        for generated in section.paragraphs:
            position += 100
            ident = (section.key, generated.key)
            positions[ident] = position
            seen.add(ident)
            row = existing.get(ident)
            if row is None:
                row = ReportParagraph(
                    report=report,
                    section=section.key,
                    key=generated.key,
                    kind=generated.kind,
                    generated_text=generated.text,
                    position=position,
                )
            else:
                changed = row.generated_text != generated.text
                if changed:
                    row.previous_generated_text = row.generated_text
                    row.generated_text = generated.text
                row.generated_changed = changed
                row.position, row.kind, row.is_obsolete = position, generated.kind, False
            row._history_user = user
            row.save()
    for ident, row in existing.items():
        if ident in seen or row.is_added:
            continue
        if row.is_edited:
            row.is_obsolete, row.generated_changed = True, False
            row._history_user = user
            row.save()
        else:
            row.delete()
    per_anchor: dict[tuple[str, str], int] = {}
    for row in report.paragraphs.filter(is_added=True).order_by("position", "pk"):
        anchor = (row.section, row.after_key)
        if anchor not in positions:
            continue
        per_anchor[anchor] = per_anchor.get(anchor, 0) + 1
        wanted = positions[anchor] + min(per_anchor[anchor], 99)
        if row.position != wanted:
            row.position = wanted
            row._history_user = user
            row.save(update_fields=["position"])


def _store_file(report: AnalyticReport, kind: str, path: Path, stem: str) -> tuple | None:
    """Save the file under a new name; returns (storage, old name) of the file it replaces, to be
    deleted only once the job points at the new one."""
    field = getattr(report, kind)
    old = (field.storage, field.name) if field else None
    with path.open("rb") as fh:
        field.save(f"{stem}-{FILE_NAMES[kind]}", File(fh), save=False)
    return old


def _delete_replaced(report: AnalyticReport, old: list) -> None:
    current = {report.docx.name, report.xlsx.name, report.json.name}
    for storage, name in old:
        if name not in current:
            storage.delete(name)


def _stem(report: AnalyticReport) -> str:
    scope = report.municipality.code if report.municipality else "region"
    return f"{report.campaign.slug}-{scope}-{report.pk}"


def analytic_report_render_docx(*, report: AnalyticReport) -> AnalyticReport:
    """Render report.docx again from the stored paragraphs, the signature and the template."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / FILE_NAMES["docx"]
        write_docx(
            report.figures,
            path,
            sections=report_sections(report),
            signoff=signoff_of(report),
            template=template_bytes(),
        )
        old = _store_file(report, "docx", path, _stem(report))
    AnalyticReport.objects.filter(pk=report.pk).update(docx=report.docx.name)
    _delete_replaced(report, [old] if old else [])
    return report


def analytic_report_run(*, report_id: int) -> AnalyticReport:
    """Build an analytic report (the Celery task's body). Running it again gives the same result;
    the methodist's edited and added paragraphs are kept."""
    report = AnalyticReport.objects.select_related("campaign__previous", "municipality", "requested_by").get(
        pk=report_id
    )
    if report.is_final:
        return report
    if not _job_claim(AnalyticReport, report_id):  # done already, or a live worker is on it
        return AnalyticReport.objects.get(pk=report_id)
    if not requester_may_see(report.requested_by, report.municipality):
        _job_fail(AnalyticReport, report.pk, MSG_SCOPE_LOST)
        report.refresh_from_db()
        return report
    job_beat(report, progress=5)

    def progress(percent):
        job_beat(report, progress=percent)

    try:
        figures = compute_figures(
            report.campaign, municipality=report.municipality, include_unapproved=report.include_unapproved
        )
        progress(40)
        with transaction.atomic():
            _sync_paragraphs(report, narrative.sections(figures), user=None)  # journal: by the system
        report.figures = figures
        with tempfile.TemporaryDirectory() as tmp:
            paths = write_all(
                figures,
                Path(tmp),
                progress=progress,
                sections=report_sections(report),
                signoff=signoff_of(report),
                template=template_bytes(),
            )
            old = [_store_file(report, kind, path, _stem(report)) for kind, path in paths.items()]
        # The job points at the new files only once all are written; then the old ones go.
        AnalyticReport.objects.filter(pk=report.pk).update(
            figures=figures,
            docx=report.docx.name,
            xlsx=report.xlsx.name,
            json=report.json.name,
            state=Job.State.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
        _delete_replaced(report, [o for o in old if o])
    except Exception as exc:
        logger.exception("analytic report %s failed", report.pk)
        AnalyticReport.objects.filter(pk=report.pk).update(
            state=Job.State.FAILED, error=MSG_REPORT_FAILED.format(error=exc), finished_at=timezone.now()
        )
    report.refresh_from_db()
    return report


# --- editing before the report is final -----------------------------------------------------------


def _editable(report_id: int, user) -> AnalyticReport:
    if not (user and user.is_regional):
        raise ReportRefused(MSG_REPORT_EDIT_ROLE)
    report = AnalyticReport.objects.select_for_update().get(pk=report_id)
    if report.is_final:
        raise ReportRefused(MSG_REPORT_FINAL)
    if report.state != Job.State.DONE:
        raise ReportRefused(MSG_REPORT_NOT_READY)
    return report


def _after_change(report: AnalyticReport) -> None:
    transaction.on_commit(
        lambda: analytic_report_render_docx(report=AnalyticReport.objects.get(pk=report.pk))
    )


def report_paragraph_update(*, report_id: int, paragraph_id: int, text: str, user) -> ReportParagraph:
    """Save the methodist's text of a paragraph; the text equal to the generated one undoes the edit."""
    text = (text or "").strip()
    with transaction.atomic():
        report = _editable(report_id, user)
        paragraph = report.paragraphs.select_for_update().get(pk=paragraph_id)
        if not text and not paragraph.is_added:
            raise ReportRefused(MSG_PARAGRAPH_EMPTY)
        if text == paragraph.generated_text and not paragraph.is_added:
            paragraph.edited_text, paragraph.is_edited = "", False
        else:
            paragraph.edited_text, paragraph.is_edited = text, True
        paragraph.generated_changed = False
        paragraph.updated_by = user
        paragraph._history_user = user
        paragraph.save()
        _after_change(report)
    return paragraph


def report_paragraph_revert(*, report_id: int, paragraph_id: int, user) -> ReportParagraph:
    """Back to the generated text (an added paragraph is removed)."""
    with transaction.atomic():
        report = _editable(report_id, user)
        paragraph = report.paragraphs.select_for_update().get(pk=paragraph_id)
        paragraph._history_user = user
        if paragraph.is_added:
            paragraph.delete()
        else:
            paragraph.edited_text, paragraph.is_edited, paragraph.generated_changed = "", False, False
            paragraph.updated_by = user
            paragraph.save()
        _after_change(report)
    return paragraph


def report_paragraph_add(*, report_id: int, after_id: int, text: str, user) -> ReportParagraph:
    """A new paragraph of the methodist's, right after paragraph ``after_id``."""
    text = (text or "").strip()
    if not text:
        raise ReportRefused(MSG_PARAGRAPH_EMPTY)
    with transaction.atomic():
        report = _editable(report_id, user)
        after = report.paragraphs.get(pk=after_id)
        anchor_key = after.after_key if after.is_added else after.key
        report.paragraphs.filter(position__gt=after.position).update(position=F("position") + 1)
        paragraph = ReportParagraph(
            report=report,
            section=after.section,
            key=f"added_{report.paragraphs.filter(is_added=True).count() + 1}_{timezone.now():%Y%m%d%H%M%S%f}",
            kind=ReportParagraph.Kind.TEXT,
            position=after.position + 1,
            edited_text=text,
            is_edited=True,
            is_added=True,
            after_key=anchor_key,
            updated_by=user,
        )
        paragraph._history_user = user
        paragraph.save()
        _after_change(report)
    return paragraph


SIGNOFF_FIELDS = ("order_number", "order_date", "signatory_position", "signatory_name", "executors")


def analytic_report_signoff_update(*, report_id: int, values: dict, user) -> AnalyticReport:
    """The header block (order number and date), the signature and the executors."""
    with transaction.atomic():
        report = _editable(report_id, user)
        for name in SIGNOFF_FIELDS:
            setattr(report, name, values.get(name) or (None if name == "order_date" else ""))
        report._history_user = user
        report.save(update_fields=list(SIGNOFF_FIELDS))
        _after_change(report)
    return report


def analytic_report_finalise(*, report_id: int, user) -> AnalyticReport:
    """Mark the report final: the text and the figures no longer change."""
    with transaction.atomic():
        report = _editable(report_id, user)
        report.is_final, report.finalised_at, report.finalised_by = True, timezone.now(), user
        report._history_user = user
        report.save(update_fields=["is_final", "finalised_at", "finalised_by"])
        _after_change(report)
    return report


def report_template_upload(*, upload, user) -> ReportTemplate:
    """Store a new Word template after checking that it is a .docx that renders; otherwise raise
    :class:`TemplateError` and keep the template in use."""
    if not (user and user.is_regional):
        raise ReportRefused(MSG_REPORT_EDIT_ROLE)
    data = upload.read()
    latest = AnalyticReport.objects.filter(state=Job.State.DONE, municipality__isnull=True).first()
    validate_template(data, upload.name, figures=latest.figures if latest else None)
    template = ReportTemplate(uploaded_by=user, file_name=Path(upload.name).name[:255])
    template.file.save(f"{timezone.now():%Y%m%d%H%M%S}.docx", ContentFile(data), save=False)
    template.save()
    return template


def report_template_reset(*, user) -> None:
    """Back to the default template: the uploaded ones are removed."""
    if not (user and user.is_regional):
        raise ReportRefused(MSG_REPORT_EDIT_ROLE)
    ReportTemplate.objects.all().delete()
