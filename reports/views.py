import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from monitoring.selectors import campaign_get, campaign_list
from schools.selectors import municipality_get

from . import narrative, selectors, services
from .documents import FILE_NAMES
from .excel.export import write_appendix1
from .excel.safety import UnsafeWorkbook
from .forms import AnalyticReportForm, ExportForm, ImportForm

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
            "jobs": selectors.export_jobs(user=request.user).filter(campaign=campaign)[:10],
        },
    )


@login_required
def export_job(request, pk):
    job = selectors.export_job_get(user=request.user, pk=pk)
    template = "reports/_export_job_status.html" if request.htmx else "reports/export_job.html"
    return render(request, template, {"job": job})


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
    return render(request, "reports/import_preview.html", {"batch": batch, "preview": batch.preview})


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
    reports = selectors.analytic_reports(user=request.user)[:30]
    return render(request, "reports/analytics.html", {"form": form, "reports": reports})


@login_required
def analytic_report(request, pk):
    report = selectors.analytic_report_get(user=request.user, pk=pk)
    context = {"report": report}
    if report.state == report.State.DONE:
        context["title"] = narrative.title(report.figures)
        context["sections"] = narrative.sections(report.figures)
    template = "reports/_analytic_status.html" if request.htmx else "reports/analytic_report.html"
    return render(request, template, context)


@login_required
@require_POST
def analytic_report_retry(request, pk):
    report = selectors.analytic_report_get(user=request.user, pk=pk)
    if report.state == report.State.FAILED:
        services.analytic_report_retry(report=report)
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
