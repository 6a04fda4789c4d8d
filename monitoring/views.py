from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.http import require_POST

from . import comments, confirmations, presenters, selectors, services
from .actions import report_actions
from .checks import check_saved_report, comparison_for
from .forms import CampaignForm
from .history import report_history
from .models import WorkflowEvent
from .presenters import build_sections, required_progress, vendor_rows
from .report_page import ReportEditPage
from .rules import CheckResult

MSG_ONLY_METHODISTS = "Это действие доступно только методистам РЦРО."
MSG_SAVED = "Сохранено в {stamp}."
MSG_DRAFT_WITH_ERRORS = "Черновик сохранён в {stamp}. Есть ошибки ({count}): исправьте их до отправки."
MSG_STALE_FORM = "Форма устарела или повреждена: обновите страницу."
MSG_ONLY_COORDINATOR = "Редактировать отчёт может только координатор этой организации."
MSG_AUTOSAVED = "Сохранено в {stamp}"


def _require_regional(user):
    if not user.is_regional:
        raise PermissionDenied(MSG_ONLY_METHODISTS)


# --- Campaigns -----------------------------------------------------------------------------


@login_required
def campaign_list(request):
    campaigns = selectors.campaign_list(user=request.user)
    return render(request, "monitoring/campaign_list.html", {"campaigns": campaigns})


def _participants_from(form):
    from schools.models import School

    chosen = form.cleaned_data.get("participant_municipalities")
    if not chosen:
        return None
    return School.objects.open_on(form.cleaned_data["as_of"]).filter(municipality__in=chosen)


@login_required
def campaign_create(request):
    _require_regional(request.user)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "participant_municipalities"}
        campaign = services.campaign_create(**data, participants=_participants_from(form), user=request.user)
        messages.success(request, f"Мониторинг «{campaign}» создан. Откройте его, когда всё будет готово.")
        return redirect("monitoring:campaign", slug=campaign.slug)
    return render(request, "monitoring/campaign_form.html", {"form": form})


@login_required
def campaign_edit(request, slug):
    _require_regional(request.user)
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        fields = {
            k: v for k, v in form.cleaned_data.items() if k not in ("participant_municipalities", "slug")
        }
        try:
            services.campaign_update(
                campaign=campaign, user=request.user, participants=_participants_from(form), **fields
            )
        except services.ServiceError as exc:
            form.add_error("participant_municipalities", str(exc))
        else:
            messages.success(request, "Изменения сохранены.")
            return redirect("monitoring:campaign", slug=campaign.slug)
    return render(request, "monitoring/campaign_form.html", {"form": form, "campaign": campaign})


MSG_PARTICIPANTS_SAVED = "Состав участников изменён: включено {added}, исключено {removed}."


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


@login_required
def campaign_participants(request, slug):
    """Review and change who takes part: add organisations opened since, remove closed ones."""
    _require_regional(request.user)
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    if request.method == "POST":
        add_ids, remove_ids = _ids(request.POST.getlist("add")), _ids(request.POST.getlist("remove"))
        try:
            services.campaign_participants_change(
                campaign_id=campaign.pk,
                user=request.user,
                add_ids=add_ids,
                remove_ids=remove_ids,
                reason=request.POST.get("reason", "")[:300],
            )
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, MSG_PARTICIPANTS_SAVED.format(added=len(add_ids), removed=len(remove_ids))
            )
        return redirect("monitoring:participants", slug=campaign.slug)
    review = selectors.campaign_participants_review(user=request.user, campaign=campaign)
    return render(request, "monitoring/participants.html", {"campaign": campaign, **review})


@login_required
@require_POST
def campaign_status(request, slug, action):
    _require_regional(request.user)
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    change = {"open": services.campaign_open, "close": services.campaign_close}[action]
    try:
        change(campaign=campaign, user=request.user)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Мониторинг «{campaign}»: {campaign.get_status_display()}.")
    return redirect("monitoring:campaign", slug=campaign.slug)


@login_required
def campaign_detail(request, slug):
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    if request.user.is_coordinator:
        return redirect("monitoring:report", slug=slug, school_pk=request.user.school_id)
    search = request.GET.get("q", "").strip()
    schools = selectors.campaign_schools(user=request.user, campaign=campaign, search=search)
    return render(
        request,
        "monitoring/campaign_detail.html",
        {"campaign": campaign, "schools": schools, "search": search},
    )


# --- Reports -------------------------------------------------------------------------------


def _context(campaign, school, report, previous, result, branch_systems=None, **extra):
    if branch_systems is None:
        rows = report.branch_rows.all() if report is not None else school.branches.filter(is_active=True)
        branch_systems = [getattr(row, "system_id", None) for row in rows]
    filled, total = required_progress(services.report_values(report), branch_systems)
    return {
        "campaign": campaign,
        "school": school,
        "report": report,
        "previous": previous,
        "result": result,
        "filled": filled,
        "fillable": total,
        **extra,
    }


@login_required
def report_detail(request, slug, school_pk):
    """The report as a page: values, last year's values, checks and the change history."""
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    school = selectors.campaign_school_get(user=request.user, campaign=campaign, school_pk=school_pk)
    report = selectors.report_for(campaign=campaign, school=school)
    previous = selectors.previous_report(report_or_campaign=campaign, school=school)
    comparison = comparison_for(campaign, school.pk, previous_report=previous) if report is not None else None
    result = check_saved_report(report, comparison=comparison) if report is not None else CheckResult()
    actions = report_actions(user=request.user, report=report, campaign=campaign, school=school)
    remarks = comments.report_comments(report)
    review = {}
    if report is not None:
        log = list(selectors.workflow_log(report=report))
        diff_base, diff = presenters.changes_since_last_review(report, log)
        review = {
            "log": log,
            "last_return": next((e for e in log if e.action == WorkflowEvent.Action.RETURN), None),
            "diff_base": diff_base,
            "diff": diff,
            **confirmations.report_page(report),
        }
    return render(
        request,
        "monitoring/report_detail.html",
        _context(
            campaign,
            school,
            report,
            previous,
            result,
            sections=build_sections(report=report, previous=previous, result=result),
            history=report_history(report, comments=remarks["all_comments"]) if report else [],
            vendor=vendor_rows(report, comparison.vendor if comparison else None),
            actions=actions,
            **remarks,
            **review,
        ),
    )


def _school_for_editing(request, slug, school_pk, *, lock: bool = False):
    """The campaign, the school, its report (None if not started) and why it cannot be edited now
    (None when it can); 403 for anyone but the school's coordinator. ``lock``: the report is read
    with its lock, to be saved in the transaction the caller has open."""
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    school = selectors.campaign_school_get(user=request.user, campaign=campaign, school_pk=school_pk)
    report = selectors.report_for(campaign=campaign, school=school, lock=lock)
    actions = report_actions(user=request.user, report=report, campaign=campaign, school=school)
    actions.require_right("edit", MSG_ONLY_COORDINATOR)
    return campaign, school, report, actions.reason("edit")


def _edit_page(request, campaign, school, report) -> ReportEditPage:
    """The edit page; a report not started yet is shown prefilled, and nothing is written."""
    new_rows: list = []
    if report is None:
        report, new_rows = services.report_prefilled(campaign=campaign, school=school)
    elif len(report.branch_rows.all()) < len(school.branches.all()):
        new_rows = services.report_missing_branch_rows(report)
    return ReportEditPage(
        report=report,
        previous_of=lambda: selectors.previous_report(report_or_campaign=campaign, school=school),
        data=request.POST if request.method == "POST" else None,
        new_branch_rows=new_rows,
    )


def _save(request, campaign, school, page, *, draft):
    started = page.report.pk is not None and not page.new_branch_rows
    return services.report_save_or_start(
        campaign=campaign,
        school=school,
        user=request.user,
        data=page.typed_input(),
        expected_version=page.version,
        draft=draft,
        report=page.report if started else None,
    )


@login_required
def report_edit(request, slug, school_pk):
    """The Appendix 1 form of the coordinator's own school. A save reads the report with its lock
    and writes it in one transaction."""
    if request.method == "POST":
        with services.report_form_transaction():
            return _report_edit(request, slug, school_pk)
    return _report_edit(request, slug, school_pk)


def _report_edit(request, slug, school_pk):
    posted = request.method == "POST"
    campaign, school, report, refusal = _school_for_editing(request, slug, school_pk, lock=posted)
    if refusal:
        messages.warning(request, refusal)
        return redirect("monitoring:report", slug=slug, school_pk=school.pk)
    page = _edit_page(request, campaign, school, report)
    status = 200
    if request.method != "POST":
        result = page.check_stored()
    elif not page.is_well_formed:
        return HttpResponseBadRequest(MSG_STALE_FORM)
    else:
        try:
            saved, result = _save(request, campaign, school, page, draft=request.POST.get("action") != "save")
        except services.ReportLocked as exc:
            messages.error(request, str(exc))
            return redirect("monitoring:report", slug=slug, school_pk=school.pk)
        except services.ReportConflict as exc:
            messages.error(request, str(exc))
            result, status = page.check_typed(), 409
        except services.ReportInvalid as exc:
            messages.error(request, str(exc))
            result, status = exc.result, 422
        except services.ServiceError as exc:  # input out of bounds: nothing written
            messages.error(request, str(exc))
            result, status = page.check_typed(), 422
        else:
            stamp = time_format(timezone.localtime(), "H:i")
            problems = len(result.errors) + len(page.event_errors)
            if problems:
                messages.warning(request, MSG_DRAFT_WITH_ERRORS.format(stamp=stamp, count=problems))
            else:
                messages.success(request, MSG_SAVED.format(stamp=stamp))
            if page.events_valid:
                return redirect("monitoring:report_edit", slug=slug, school_pk=school.pk)
            # Event rows with errors are shown again; the rest is saved.
            page.saved_as(saved)
            status = 422
    return render(
        request,
        "monitoring/report_edit.html",
        _context(
            campaign,
            school,
            page.report,
            page.previous,
            result,
            branch_systems=[row.system_id for row in page.branch_rows],
            **page.context(result),
            **comments.report_comments(page.report),
        ),
        status=status,
    )


@login_required
@require_POST
def report_autosave(request, slug, school_pk):
    """Save the form as a draft in the background; answers JSON, never loses what was typed:
    on a conflict or a lock nothing is written and the page keeps the input. The report is read
    with its lock and written in one transaction."""
    with services.report_form_transaction():
        return _report_autosave(request, slug, school_pk)


def _report_autosave(request, slug, school_pk):
    campaign, school, report, refusal = _school_for_editing(request, slug, school_pk, lock=True)
    if refusal:
        return JsonResponse({"ok": False, "message": refusal}, status=423)
    page = _edit_page(request, campaign, school, report)
    if not page.is_well_formed:
        return JsonResponse({"ok": False, "message": MSG_STALE_FORM}, status=400)
    try:
        saved, result = _save(request, campaign, school, page, draft=True)
    except services.ReportConflict as exc:
        return JsonResponse({"ok": False, "conflict": True, "message": str(exc)}, status=409)
    except services.ServiceError as exc:
        return JsonResponse({"ok": False, "message": str(exc)}, status=423)
    stamp = time_format(timezone.localtime(), "H:i")
    problems = len(result.errors) + len(page.event_errors)
    rows = saved.saved_branch_rows if saved.saved_branch_rows is not None else saved.branch_rows.all()
    filled, total = required_progress(services.report_values(saved), [row.system_id for row in rows])
    return JsonResponse(
        {
            "ok": True,
            "version": saved.version,
            "stamp": stamp,
            "message": (MSG_DRAFT_WITH_ERRORS if problems else MSG_AUTOSAVED).format(
                stamp=stamp, count=problems
            ),
            "errors": problems,
            "filled": filled,
            "total": total,
            "event_ids": page.saved_event_ids(saved),
        }
    )
