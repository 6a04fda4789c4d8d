"""Review workflow and completeness dashboards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.replica import reading_from_replica
from core.text import natural_key
from core.xlsx import xlsx_response
from schools.selectors import municipality_get

from . import comments, confirmations, dashboard, selectors, workflow
from .actions import municipality_actions, report_actions
from .models import MunicipalityState, ReportStatus
from .services import ReportInvalid

MAX_LISTED_ERRORS = 15


def _report_or_404(request, slug, school_pk):
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    school = selectors.campaign_school_get(user=request.user, campaign=campaign, school_pk=school_pk)
    report = selectors.report_for(campaign=campaign, school=school)
    return campaign, school, report


def _invalid(request, exc: ReportInvalid):
    messages.error(request, str(exc))
    for finding in exc.result.errors[:MAX_LISTED_ERRORS]:
        prefix = f"Графа {finding.column}: " if finding.column else ""
        messages.error(request, prefix + finding.message)


@login_required
@require_POST
def report_submit(request, slug, school_pk):
    campaign, school, report = _report_or_404(request, slug, school_pk)
    actions = report_actions(user=request.user, report=report, campaign=campaign, school=school)
    actions.require_right("submit")
    if report is None:
        messages.error(request, actions.reason("submit"))
        return redirect("monitoring:report_edit", slug=slug, school_pk=school.pk)
    if not confirmations.confirmed(request):
        messages.error(request, confirmations.MSG_CONFIRM_REQUIRED)
        return redirect("monitoring:report", slug=slug, school_pk=school.pk)
    try:
        workflow.report_submit(report_id=report.pk, user=request.user)
    except ReportInvalid as exc:
        _invalid(request, exc)
        return redirect("monitoring:report_edit", slug=slug, school_pk=school.pk)
    except workflow.TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Отчёт отправлен на проверку.")
    return redirect("monitoring:report", slug=slug, school_pk=school.pk)


@login_required
@require_POST
def report_review(request, slug, school_pk, action):
    campaign, school, report = _report_or_404(request, slug, school_pk)
    actions = report_actions(user=request.user, report=report, campaign=campaign, school=school)
    actions.require_right(action)
    if report is None:
        messages.error(request, actions.reason(action))
        return redirect("monitoring:report", slug=slug, school_pk=school.pk)
    if action == "approve" and not confirmations.confirmed(request):
        messages.error(request, confirmations.MSG_CONFIRM_REQUIRED)
        return redirect("monitoring:report", slug=slug, school_pk=school.pk)
    try:
        if action == "approve":
            workflow.report_approve(report_id=report.pk, user=request.user)
            messages.success(request, "Отчёт принят.")
        else:
            field_comments = comments.comments_from_post(
                request.POST, school.branches.values_list("pk", flat=True)
            )
            workflow.report_return(
                report_id=report.pk,
                user=request.user,
                comment=request.POST.get("comment", "").strip()
                or (
                    comments.MSG_SEE_FIELD_COMMENTS.format(count=len(field_comments))
                    if field_comments
                    else ""
                ),
                field_comments=field_comments,
            )
            messages.success(request, "Отчёт возвращён на доработку.")
    except ReportInvalid as exc:
        _invalid(request, exc)
    except workflow.TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("monitoring:report", slug=slug, school_pk=school.pk)


@login_required
@require_POST
def bulk_approve(request, slug):
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    ids = [int(i) for i in request.POST.getlist("report") if i.isdigit()]
    reports = selectors.reports_in_scope(user=request.user, campaign=campaign, ids=ids)
    if ids and not confirmations.confirmed(request):
        messages.error(request, confirmations.MSG_CONFIRM_REQUIRED)
        reports = []
    result = workflow.reports_approve_bulk(report_ids=[r.pk for r in reports], user=request.user)
    if result.approved:
        messages.success(request, f"Принято отчётов: {len(result.approved)}.")
    for report, reason in result.refused:
        messages.error(request, f"{report.school.short_name}: {reason}")
    if not ids:
        messages.warning(request, "Отметьте отчёты, которые нужно принять.")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("monitoring:campaign", slug=slug)


@login_required
def region_dashboard(request, slug):
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    if request.user.is_specialist:
        return redirect(
            "monitoring:municipality_dashboard", slug=slug, municipality_pk=request.user.municipality_id
        )
    if not request.user.is_regional:
        raise PermissionDenied("Сводка доступна специалистам МОУО и методистам РЦРО.")
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    sort = request.GET.get("sort", "")
    with reading_from_replica():
        data = dashboard.by_municipality(
            user=request.user, campaign=campaign, kind=kind, state=state, sort=sort
        )
    if request.GET.get("format") == "xlsx":
        header = [
            "МОУО",
            "Ожидается",
            "Не начали",
            "Черновик",
            "На проверке",
            "Возвращено",
            "Принято",
            "% готовности",
            "В срок",
            "С опозданием",
            "Состояние",
        ]
        rows = [
            [
                r.name,
                r.expected,
                r.not_started,
                r.draft,
                r.submitted,
                r.returned,
                r.approved,
                r.pct,
                r.on_time,
                r.late,
                r.state_label,
            ]
            for r in [*data.rows, data.total]
        ]
        rows[-1][-1] = ""
        return xlsx_response(f"completeness-{campaign.slug}.xlsx", "Сводка", header, rows)
    return render(
        request,
        "monitoring/dashboard_region.html",
        {
            "campaign": campaign,
            "data": data,
            "kind": kind,
            "state": state,
            "sort": sort,
            "states": MunicipalityState.choices,
            "headers": dashboard.REGION_HEADERS,
            "deadline_passed": dashboard.is_late(campaign, None),
        },
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "d.m.Y H:i") if moment else ""


@login_required
def municipality_dashboard(request, slug, municipality_pk):
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    municipality = municipality_get(user=request.user, pk=municipality_pk)
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "")
    search = request.GET.get("q", "").strip()
    with reading_from_replica():
        rows = dashboard.by_school(
            user=request.user,
            campaign=campaign,
            municipality=municipality,
            status=status,
            sort=sort,
            search=search,
        )
    if request.GET.get("format") == "xlsx":
        header = ["Организация", "Состояние", "Изменён", "Отправлен", "Предупреждений", "С опозданием"]
        table = [
            [
                r.school.short_name,
                r.report.get_status_display() if r.report else "не начат",
                _when(r.report.updated_at) if r.report else "",
                _when(r.report.submitted_at) if r.report else "",
                r.warnings,
                r.late,
            ]
            for r in rows
        ]
        return xlsx_response(
            f"completeness-{campaign.slug}-{municipality.code}.xlsx", municipality.name, header, table
        )
    review = selectors.municipality_review(campaign=campaign, municipality=municipality)
    if rows.complete:  # every school listed: no more queries
        missing = rows.without_approved
        confirm = confirmations.municipality_page(campaign, municipality, rows, rows.municipality_counts())
    else:
        missing = sorted(
            (
                dashboard.SchoolItem(pk, name)
                for pk, name in workflow.schools_without_approved_report(campaign, municipality).values_list(
                    "pk", "short_name"
                )
            ),
            key=lambda s: natural_key(s.short_name),
        )
        confirm = confirmations.municipality_page(campaign, municipality, rows)
    return render(
        request,
        "monitoring/dashboard_municipality.html",
        {
            "campaign": campaign,
            "municipality": municipality,
            "rows": rows,
            "review": review,
            "missing": missing,
            "status": status,
            "sort": sort,
            "search": search,
            "statuses": [("not_started", "не начат"), *ReportStatus.choices, ("late", "с опозданием")],
            "actions": municipality_actions(user=request.user, review=review),
            "confirm": confirm,
        },
    )


@login_required
@require_POST
def municipality_action(request, slug, municipality_pk, action):
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    municipality = municipality_get(user=request.user, pk=municipality_pk)
    if action in ("submit", "accept") and not confirmations.confirmed(request):
        messages.error(request, confirmations.MSG_CONFIRM_REQUIRED)
        return redirect("monitoring:municipality_dashboard", slug=slug, municipality_pk=municipality.pk)
    try:
        if action == "submit":
            workflow.municipality_submit(
                campaign=campaign,
                municipality=municipality,
                user=request.user,
                missing_ids=[i for i in request.POST.getlist("missing") if i.isdigit()],
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, "Данные МОУО переданы в РЦРО.")
        elif action == "accept":
            workflow.municipality_accept(campaign=campaign, municipality=municipality, user=request.user)
            messages.success(request, f"Данные МОУО «{municipality}» приняты.")
        else:
            workflow.municipality_return(
                campaign=campaign,
                municipality=municipality,
                user=request.user,
                comment=request.POST.get("comment", ""),
                reopen_school_ids=[int(i) for i in request.POST.getlist("reopen") if i.isdigit()],
            )
            messages.success(request, f"Данные МОУО «{municipality}» возвращены на доработку.")
    except workflow.TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("monitoring:municipality_dashboard", slug=slug, municipality_pk=municipality.pk)
