import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from monitoring.selectors import campaign_get, campaign_list
from schools.selectors import municipality_get

from . import narrative, selectors, services
from .documents import FILE_NAMES
from .docx_template import TemplateError
from .excel.export import write_appendix1
from .excel.safety import UnsafeWorkbook
from .forms import AnalyticReportForm, ExportForm, ImportForm, ParagraphForm, SignoffForm, TemplateUploadForm

MSG_EXCEL_ROLES = "Выгрузка и загрузка таблиц доступны специалистам МОУО и методистам РЦРО."


def _require_excel_role(user: User) -> None:
    if not (user.is_regional or user.is_specialist):
        raise PermissionDenied(MSG_EXCEL_ROLES)


def _stream(path: Path, name: str):
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response


@login_required
def export(request, slug):
    _require_excel_role(request.user)
    campaign = campaign_get(user=request.user, slug=slug)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        basis = form.cleaned_data["basis"]
        if request.user.is_specialist:
            municipality = municipality_get(user=request.user, pk=request.user.municipality_id)
        elif municipality is not None:
            municipality = municipality_get(user=request.user, pk=municipality.pk)
        if municipality is None:
            job = services.export_job_request(user=request.user, campaign=campaign, basis=basis)
            return redirect("reports:export_job", pk=job.pk)
        # One municipality is small: build it now and stream it.
        tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115 - removed after streaming
        tmp.close()
        path = Path(tmp.name)
        write_appendix1(path, user=request.user, campaign=campaign, municipality=municipality, basis=basis)
        response = _stream(path, services.export_file_name(campaign, municipality, basis))
        path.unlink()  # the open handle keeps the data until the response is sent
        return response
    return render(
        request,
        "reports/export.html",
        {
            "campaign": campaign,
            "form": form,
            "jobs": [
                services.job_fail_if_interrupted(job)
                for job in selectors.export_jobs(user=request.user).filter(campaign=campaign)[:10]
            ],
        },
    )


@login_required
def export_job(request, pk):
    job = services.job_fail_if_interrupted(selectors.export_job_get(user=request.user, pk=pk))
    template = "reports/_export_job_status.html" if request.htmx else "reports/export_job.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def export_job_retry(request, pk):
    job = services.job_fail_if_interrupted(selectors.export_job_get(user=request.user, pk=pk))
    if job.state == job.State.FAILED:
        services.export_job_retry(job=job)
    return redirect("reports:export_job", pk=job.pk)


@login_required
def export_job_download(request, pk):
    job = selectors.export_job_get(user=request.user, pk=pk)
    if not job.file:
        raise Http404("Файл ещё не готов.")
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=Path(job.file.name).name)
    return response


@login_required
def import_upload(request, slug):
    _require_excel_role(request.user)
    campaign = campaign_get(user=request.user, slug=slug)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_batch_create(
                user=request.user,
                campaign=campaign,
                upload=form.cleaned_data["file"],
                municipality=form.cleaned_data.get("municipality"),
                create_missing=form.cleaned_data.get("create_missing", False),
            )
        except UnsafeWorkbook as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("reports:import_batch", pk=batch.pk)
    return render(
        request,
        "reports/import_upload.html",
        {"campaign": campaign, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def import_batch(request, pk):
    batch = selectors.import_batch_get(user=request.user, pk=pk)
    job = batch.jobs.order_by("-created_at", "-pk").first()
    if job is not None:
        job = services.job_fail_if_interrupted(job)
        if job.state == job.State.FAILED:
            batch.refresh_from_db()
    context = {"batch": batch, "preview": batch.preview, "job": job}
    template = "reports/_import_job_status.html" if request.htmx else "reports/import_preview.html"
    return render(request, template, context)


@login_required
@require_POST
def import_job_retry(request, pk):
    batch = selectors.import_batch_get(user=request.user, pk=pk)
    job = batch.jobs.order_by("-created_at", "-pk").first()
    if job is not None:
        job = services.job_fail_if_interrupted(job)
        if job.state == job.State.FAILED:
            services.import_job_retry(job=job)
    return redirect("reports:import_batch", pk=batch.pk)


@login_required
@require_POST
def import_apply(request, pk):
    batch = selectors.import_batch_get(user=request.user, pk=pk)
    try:
        batch = services.import_batch_apply(batch=batch, user=request.user)
    except UnsafeWorkbook as exc:
        messages.error(request, str(exc))
    else:
        if batch.state == batch.State.APPLIED:
            messages.success(request, "Таблица загружена. " + batch.preview["summary"])
        else:
            messages.error(request, "Таблица не загружена: при загрузке найдены ошибки. Ничего не записано.")
    return redirect("reports:import_batch", pk=batch.pk)


# --- analytic reports ------------------------------------------------------------------------------


@login_required
def analytics(request):
    _require_excel_role(request.user)
    campaigns = campaign_list(user=request.user).exclude(status="preparing")
    form = AnalyticReportForm(request.POST or None, user=request.user, campaigns=campaigns)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data.get("municipality")
        if request.user.is_specialist:
            municipality = municipality_get(user=request.user, pk=request.user.municipality_id)
        report = services.analytic_report_request(
            user=request.user,
            campaign=form.cleaned_data["campaign"],
            municipality=municipality,
            include_unapproved=form.cleaned_data["include_unapproved"],
        )
        return redirect("reports:analytic_report", pk=report.pk)
    reports = [
        services.job_fail_if_interrupted(r) for r in selectors.analytic_reports(user=request.user)[:30]
    ]
    return render(request, "reports/analytics.html", {"form": form, "reports": reports})


MSG_EDIT_SAVED = "Абзац сохранён."
MSG_PARAGRAPH_ADDED = "Абзац добавлен."
MSG_PARAGRAPH_REVERTED = "Возвращён сформированный текст."
MSG_SIGNOFF_SAVED = "Реквизиты и подпись сохранены."
MSG_FINALISED = "Справка отмечена окончательной."
MSG_REGENERATING = "Показатели пересчитываются; исправленные абзацы сохранятся."
MSG_TEMPLATE_SAVED = "Шаблон загружен: следующие справки будут оформлены по нему."
MSG_TEMPLATE_RESET = "Возвращён стандартный шаблон."


def _paragraph_groups(report) -> list[tuple]:
    """(section, stored paragraphs of that section) in the document's order, for the page."""
    stored: dict[str, list] = {}
    for paragraph in selectors.report_paragraphs(report=report):
        stored.setdefault(paragraph.section, []).append(paragraph)
    sections = narrative.sections(report.figures)
    if not stored:  # a report built before paragraphs were stored: its generated text, read-only
        return [(section, section.paragraphs) for section in sections]
    return [(section, stored.get(section.key, [])) for section in sections]


@login_required
def analytic_report(request, pk):
    report = services.job_fail_if_interrupted(selectors.analytic_report_get(user=request.user, pk=pk))
    context = {
        "report": report,
        "can_edit": False,
        "can_rebuild": request.user.is_regional and not report.is_final,
    }
    if report.state == report.State.DONE:
        context["can_edit"] = request.user.is_regional and not report.is_final and report.paragraphs.exists()
        context["title"] = narrative.title(report.figures)
        context["period"] = narrative.period(report.figures)
        context["groups"] = _paragraph_groups(report)
        context["changed_count"] = sum(
            1 for _, paragraphs in context["groups"] for p in paragraphs if p.generated_changed
        )
        context["signoff_form"] = SignoffForm(
            initial={name: getattr(report, name) for name in services.SIGNOFF_FIELDS}
        )
        context["revisions"] = selectors.report_revisions(report=report, limit=20)
    template = "reports/_analytic_status.html" if request.htmx else "reports/analytic_report.html"
    return render(request, template, context)


def _refusal(request, exc) -> None:
    messages.error(request, str(exc))


@login_required
@require_POST
def analytic_report_retry(request, pk):
    report = services.job_fail_if_interrupted(selectors.analytic_report_get(user=request.user, pk=pk))
    if report.state == report.State.FAILED or (
        report.state == report.State.DONE and request.user.is_regional
    ):
        try:
            services.analytic_report_retry(report=report)
        except services.ReportRefused as exc:
            _refusal(request, exc)
        else:
            if report.state != report.State.FAILED:
                messages.info(request, MSG_REGENERATING)
    return redirect("reports:analytic_report", pk=report.pk)


@login_required
@require_POST
def analytic_report_paragraph(request, pk, paragraph_pk):
    report = selectors.analytic_report_get(user=request.user, pk=pk)
    paragraph = get_object_or_404(report.paragraphs, pk=paragraph_pk)
    form = ParagraphForm(request.POST)
    action = request.POST.get("action", "save")
    try:
        if not form.is_valid():
            raise services.ReportRefused(services.MSG_PARAGRAPH_EMPTY)
        text = form.cleaned_data["text"]
        if action == "revert":
            services.report_paragraph_revert(
                report_id=report.pk, paragraph_id=paragraph.pk, user=request.user
            )
            messages.success(request, MSG_PARAGRAPH_REVERTED)
        elif action == "add":
            services.report_paragraph_add(
                report_id=report.pk, after_id=paragraph.pk, text=text, user=request.user
            )
            messages.success(request, MSG_PARAGRAPH_ADDED)
        else:
            services.report_paragraph_update(
                report_id=report.pk, paragraph_id=paragraph.pk, text=text, user=request.user
            )
            messages.success(request, MSG_EDIT_SAVED)
    except services.ReportRefused as exc:
        _refusal(request, exc)
    return redirect(f"{reverse('reports:analytic_report', args=[report.pk])}#p-{paragraph.pk}")


@login_required
@require_POST
def analytic_report_signoff(request, pk):
    report = selectors.analytic_report_get(user=request.user, pk=pk)
    form = SignoffForm(request.POST)
    if form.is_valid():
        try:
            services.analytic_report_signoff_update(
                report_id=report.pk, values=form.cleaned_data, user=request.user
            )
        except services.ReportRefused as exc:
            _refusal(request, exc)
        else:
            messages.success(request, MSG_SIGNOFF_SAVED)
    else:
        messages.error(
            request, "Проверьте реквизиты: " + "; ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect("reports:analytic_report", pk=report.pk)


@login_required
@require_POST
def analytic_report_finalise(request, pk):
    report = selectors.analytic_report_get(user=request.user, pk=pk)
    try:
        services.analytic_report_finalise(report_id=report.pk, user=request.user)
    except services.ReportRefused as exc:
        _refusal(request, exc)
    else:
        messages.success(request, MSG_FINALISED)
    return redirect("reports:analytic_report", pk=report.pk)


@login_required
def analytic_report_file(request, pk, kind):
    report = selectors.analytic_report_get(user=request.user, pk=pk)
    field = getattr(report, kind)
    if not field:
        raise Http404("Файл ещё не готов.")
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=f"{report.campaign.slug}-{FILE_NAMES[kind]}"
    )


# --- the Word template -----------------------------------------------------------------------------


def _require_methodist(user) -> None:
    if not user.is_regional:
        raise PermissionDenied(services.MSG_REPORT_EDIT_ROLE)


@login_required
def analytic_template(request):
    _require_methodist(request.user)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_template_upload(upload=form.cleaned_data["file"], user=request.user)
        except TemplateError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, MSG_TEMPLATE_SAVED)
            return redirect("reports:analytic_template")
    return render(
        request,
        "reports/analytic_template.html",
        {
            "form": form,
            "current": services.template_current(),
            "templates": selectors.report_templates()[:10],
        },
        status=422 if form.errors else 200,
    )


@login_required
def analytic_template_download(request):
    _require_methodist(request.user)
    response = HttpResponse(
        services.template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = 'attachment; filename="analytic-report-template.docx"'
    return response


@login_required
@require_POST
def analytic_template_reset(request):
    _require_methodist(request.user)
    services.report_template_reset(user=request.user)
    messages.success(request, MSG_TEMPLATE_RESET)
    return redirect("reports:analytic_template")
