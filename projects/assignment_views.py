"""Pages of the pilot sites' reports on the technical assignment.

The coordinator fills and submits their own school's report; a methodist approves or returns it;
a municipal specialist may read the reports of their municipality. Anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.meta import model_field

from . import analytics, selectors, services
from .forms import (
    AssignmentReportFilterForm,
    AssignmentReportForm,
    StartAssignmentReportForm,
    assignment_initial,
)
from .indicators import INDICATORS
from .models import AssignmentReport

MSG_ONLY_COORDINATOR = "Заполнять отчёт может только координатор этой организации."
MSG_NO_ROLE = "Отчёты ПВП доступны координаторам ОО, специалистам МОУО и методистам РЦРО."
REPORTS_PER_PAGE = 50


def _sections(report: AssignmentReport) -> list[tuple]:
    """(indicator, [(label, value)]) for the report page."""
    sections = []
    for indicator in INDICATORS:
        rows = []
        for name in indicator.fields:
            field = model_field(AssignmentReport, name)
            value = getattr(report, name)
            if isinstance(field, models.BooleanField):
                value = "да" if value else "нет"
            elif value == "":
                value = "—"
            rows.append((field.verbose_name, value))
        sections.append((indicator, rows))
    return sections


@login_required
def my_reports(request):
    """The coordinator's page: their school's reports and the start of a new one."""
    user = request.user
    project = selectors.project_default()
    if not user.is_coordinator:
        if user.is_regional or user.is_specialist:
            return redirect("projects:assignments", pk=project.pk)
        raise PermissionDenied(MSG_NO_ROLE)
    site = services.active_site_for(project=project, school_id=user.school_id)
    return render(
        request,
        "projects/assignment_my.html",
        {
            "project": project,
            "site": site,
            "reports": selectors.school_assignment_reports(project=project, school_id=user.school_id),
            "start_form": StartAssignmentReportForm(today=timezone.localdate()) if site else None,
        },
    )


@login_required
@require_POST
def start(request):
    project = selectors.project_default()
    if not request.user.is_coordinator:
        raise PermissionDenied(MSG_ONLY_COORDINATOR)
    form = StartAssignmentReportForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        messages.error(request, "Выберите учебный год из списка.")
        return redirect("projects:my_assignments")
    try:
        report = services.assignment_report_start(
            project=project, academic_year=form.cleaned_data["academic_year"], user=request.user
        )
    except services.ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("projects:my_assignments")
    return redirect("projects:assignment_edit", report_pk=report.pk)


@login_required
def report_list(request, pk):
    """Reports of the project in the user's scope, with approve for submitted ones."""
    user = request.user
    if user.is_coordinator:
        return redirect("projects:my_assignments")
    if not (user.is_regional or user.is_specialist):
        raise PermissionDenied(MSG_NO_ROLE)
    project = selectors.project_get(pk=pk)
    form = AssignmentReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reports = selectors.assignment_report_list(
        user=user,
        project=project,
        academic_year=filters.get("academic_year", ""),
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    years = selectors.assignment_report_years(project=project)
    summary, as_of = None, None
    if user.is_regional:  # the analysis covers the whole region
        year = filters.get("academic_year") or (years[0] if years else "")
        as_of = filters.get("as_of") or timezone.localdate()
        summary = analytics.pilot_network_summary(project, year, as_of) if year else None
    return render(
        request,
        "projects/assignment_list.html",
        {
            "project": project,
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "years": years,
            "summary": summary,
            "summary_as_of": as_of if summary else None,
            "can_review": user.is_regional,
        },
    )


@login_required
def report_detail(request, report_pk):
    user = request.user
    report = selectors.assignment_report_get(user=user, pk=report_pk)
    actions = services.assignment_actions(user=user, report=report)
    log = list(selectors.assignment_report_log(report=report))
    return render(
        request,
        "projects/assignment_detail.html",
        {
            "project": report.pilot_site.project,
            "report": report,
            "sections": _sections(report),
            "log": log,
            "errors": services.assignment_report_errors(report) if actions.may("edit") else [],
            "actions": actions,
        },
    )


@login_required
def report_edit(request, report_pk):
    report = selectors.assignment_report_get(user=request.user, pk=report_pk)
    actions = services.assignment_actions(user=request.user, report=report)
    actions.require_right("edit", MSG_ONLY_COORDINATOR)
    if not actions.may("edit"):
        messages.warning(request, actions.reason("edit"))
        return redirect("projects:assignment", report_pk=report.pk)
    status = 200
    if request.method == "POST":
        form = AssignmentReportForm(request.POST)
        if form.is_valid():
            try:
                services.assignment_report_save(
                    report_id=report.pk,
                    user=request.user,
                    values=form.values(),
                    expected_version=form.cleaned_data["version"],
                )
            except services.AssignmentReportConflict as exc:
                messages.error(request, str(exc))
                status = 409
            except services.TransitionRefused as exc:
                messages.error(request, str(exc))
                return redirect("projects:assignment", report_pk=report.pk)
            except services.ServiceError as exc:  # input out of bounds (core.bounds): nothing written
                messages.error(request, str(exc))
                status = 422
            else:
                messages.success(request, f"Сохранено в {timezone.localtime():%H:%M}.")
                return redirect("projects:assignment", report_pk=report.pk)
        else:
            status = 422
    else:
        form = AssignmentReportForm(initial=assignment_initial(report))
    return render(
        request,
        "projects/assignment_edit.html",
        {"project": report.pilot_site.project, "report": report, "form": form},
        status=status,
    )


@login_required
@require_POST
def report_submit(request, report_pk):
    report = selectors.assignment_report_get(user=request.user, pk=report_pk)
    services.assignment_actions(user=request.user, report=report).require_right(
        "submit", MSG_ONLY_COORDINATOR
    )
    try:
        services.assignment_report_submit(report_id=report.pk, user=request.user)
    except services.AssignmentReportInvalid as exc:
        messages.error(request, str(exc))
        for error in exc.errors:
            messages.error(request, error)
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Отчёт отправлен в РЦРО на проверку.")
    return redirect("projects:assignment", report_pk=report.pk)


@login_required
@require_POST
def report_review(request, report_pk, action):
    report = selectors.assignment_report_get(user=request.user, pk=report_pk)
    services.assignment_actions(user=request.user, report=report).require_right(action)
    try:
        if action == "approve":
            services.assignment_report_approve(report_id=report.pk, user=request.user)
            messages.success(request, f"Отчёт «{report.pilot_site.school}» принят.")
        else:
            services.assignment_report_return(
                report_id=report.pk, user=request.user, comment=request.POST.get("comment", "")
            )
            messages.success(request, f"Отчёт «{report.pilot_site.school}» возвращён на доработку.")
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("projects:assignment", report_pk=report.pk)
