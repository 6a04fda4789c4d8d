from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.http import require_POST

from . import selectors, services, workflow
from .forms import BranchFormSet, CampaignForm, EventFormSet, ReportForm, event_rows, system_choice_list
from .history import report_history
from .models import ReportStatus, WorkflowEvent
from .presenters import build_sections, filled_columns
from .rules import check_report

MSG_ONLY_METHODISTS = "Это действие доступно только методистам РЦРО."
MSG_STALE_FORM = "Форма устарела или повреждена: обновите страницу."
MSG_ONLY_COORDINATOR = "Редактировать отчёт может только координатор этой организации."


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
    return School.objects.filter(is_active=True, municipality__in=chosen)


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
        services.campaign_update(
            campaign=campaign, user=request.user, participants=_participants_from(form), **fields
        )
        messages.success(request, "Изменения сохранены.")
        return redirect("monitoring:campaign", slug=campaign.slug)
    return render(request, "monitoring/campaign_form.html", {"form": form, "campaign": campaign})


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


def _context(campaign, school, report, previous, result, **extra):
    filled, total = filled_columns(report, has_branches=bool(school.branches.all()))
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
    result = check_report(
        services.report_values(report) or {},
        previous=services.report_values(previous),
        branches=services.branch_values(report) if report else [],
        registry_pilot_site=services.registry_pilot_status(school.pk, campaign.as_of),
    )
    can_edit = (
        request.user.is_coordinator
        and request.user.school_id == school.pk
        and (
            report is None
            and campaign.is_open
            or report is not None
            and not services.report_edit_refusal(report)
        )
    )
    review = {}
    if report is not None:
        log = list(selectors.workflow_log(report=report))
        refusal = services.report_edit_refusal(report)
        reviewable = workflow.can_review(request.user, school) and not workflow.review_refusal(report)
        diff_base, diff = workflow.changes_since_last_review(report)
        review = {
            "log": log,
            "last_return": next((e for e in log if e.action == WorkflowEvent.Action.RETURN), None),
            "can_submit": request.user.is_coordinator and request.user.school_id == school.pk and not refusal,
            "can_approve": reviewable and report.status == ReportStatus.SUBMITTED,
            "can_return": reviewable and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
            "diff_base": diff_base,
            "diff": diff,
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
            history=report_history(report) if report else [],
            can_edit=can_edit,
            **review,
        ),
    )


def _school_for_editing(request, slug, school_pk):
    campaign = selectors.campaign_get(user=request.user, slug=slug)
    school = selectors.campaign_school_get(user=request.user, campaign=campaign, school_pk=school_pk)
    if not (request.user.is_coordinator and request.user.school_id == school.pk):
        raise PermissionDenied(MSG_ONLY_COORDINATOR)
    return campaign, school


def _initial(report):
    initial = {name: getattr(report, name) for name in services.VALUE_FIELDS}
    initial["system"] = report.system_id
    initial.update(report.raw_input or {})
    initial["version"] = report.version
    return initial


@login_required
def report_edit(request, slug, school_pk):
    """The Appendix 1 form of the coordinator's own school."""
    campaign, school = _school_for_editing(request, slug, school_pk)
    existing = selectors.report_for(campaign=campaign, school=school)
    refusal = (
        services.report_edit_refusal(existing)
        if existing
        else (None if campaign.is_open else services.MSG_CAMPAIGN_NOT_OPEN.format(campaign=campaign))
    )
    if refusal:
        messages.warning(request, refusal)
        return redirect("monitoring:report", slug=slug, school_pk=school.pk)
    if existing is None or len(existing.branch_rows.all()) < len(school.branches.all()):
        services.report_start(campaign=campaign, school=school, user=request.user)
        existing = selectors.report_for(campaign=campaign, school=school)
    report = existing
    previous = selectors.previous_report(report_or_campaign=campaign, school=school)
    previous_values = services.report_values(previous)
    branch_rows = list(report.branch_rows.all())
    branch_initial = [
        {"branch_id": row.branch_id, **{n: getattr(row, n) for n in services.BRANCH_FIELDS}}
        for row in branch_rows
    ]
    for item in branch_initial:
        item["system"] = item["system"].pk if item["system"] else None
    event_initial = [
        {"id": e.pk, "title": e.title, "students": e.students, "teachers": e.teachers}
        for e in report.events.all()
    ]

    status = 200
    choices = system_choice_list()
    registry = services.registry_pilot_status(school.pk, campaign.as_of)
    if request.method == "POST":
        form = ReportForm(request.POST, unconfirmed=report.unconfirmed_fields, system_choices=choices)
        branches = BranchFormSet(
            request.POST, prefix="branch", initial=branch_initial, form_kwargs={"system_choices": choices}
        )
        events = EventFormSet(request.POST, prefix="event", initial=event_initial)
        draft = request.POST.get("action") != "save"
        form.is_valid()
        version = form.cleaned_data.get("version")
        if version is None or not branches.management_form.is_valid():
            return HttpResponseBadRequest(MSG_STALE_FORM)
        branches.is_valid()
        events_ok = events.is_valid()
        own_branch_ids = {row.branch_id for row in branch_rows}
        data = services.ReportInput(
            values=form.values(),
            branches={
                f.cleaned_data["branch_id"]: f.values()
                for f in branches.forms
                if f.is_valid() and f.cleaned_data.get("branch_id") in own_branch_ids
            },
            events=event_rows(events) if events_ok else None,
            confirmed=form.confirmed(),
            explanations=form.explanations(),
            raw_input=form.raw_invalid(),
        )
        try:
            saved, result = services.report_save(
                report_id=report.pk,
                user=request.user,
                data=data,
                expected_version=version,
                draft=draft,
                previous=previous_values,
            )
        except services.ReportConflict as exc:
            messages.error(request, str(exc))
            result = check_report(data.values, previous=previous_values, registry_pilot_site=registry)
            status = 409
        except services.ReportInvalid as exc:
            messages.error(request, str(exc))
            result = exc.result
            status = 422
        except services.ReportLocked as exc:
            messages.error(request, str(exc))
            return redirect("monitoring:report", slug=slug, school_pk=school.pk)
        else:
            stamp = time_format(timezone.localtime(), "H:i")
            problems = len(result.errors) + len(data.raw_input) + (0 if events_ok else 1)
            if problems:
                messages.warning(
                    request,
                    f"Черновик сохранён в {stamp}. Есть ошибки ({problems}): исправьте их до отправки.",
                )
            else:
                messages.success(request, f"Сохранено в {stamp}.")
            if events_ok:
                return redirect("monitoring:report_edit", slug=slug, school_pk=school.pk)
            report = selectors.report_for(campaign=campaign, school=school)
            status = 422
        sections = build_sections(
            report=report,
            previous=previous,
            result=result,
            form=form,
            values={**services.report_values(report), **data.values},
            typed_explanations=data.explanations,
        )
    else:
        form = ReportForm(
            initial=_initial(report), unconfirmed=report.unconfirmed_fields, system_choices=choices
        )
        branches = BranchFormSet(
            prefix="branch", initial=branch_initial, form_kwargs={"system_choices": choices}
        )
        events = EventFormSet(prefix="event", initial=event_initial)
        result = check_report(
            services.report_values(report),
            previous=previous_values,
            branches=services.branch_values(report),
            registry_pilot_site=registry,
        )
        raw_errors = {name: ["Введите целое число, например 1 234."] for name in report.raw_input or {}}
        for name, errs in raw_errors.items():
            form.errors.setdefault(name, form.error_class(errs))
        sections = build_sections(report=report, previous=previous, result=result, form=form)

    previous_branches = {row.branch_id: row for row in previous.branch_rows.all()} if previous else {}
    branch_table = [
        {
            "form": f,
            "row": row,
            "previous": previous_branches.get(row.branch_id),
            "errors": [x for x in result.errors if x.branch_id == row.branch_id],
        }
        for f, row in zip(branches.forms, branch_rows, strict=False)
    ]
    return render(
        request,
        "monitoring/report_edit.html",
        _context(
            campaign,
            school,
            report,
            previous,
            result,
            form=form,
            sections=sections,
            branch_table=branch_table,
            branches=branches,
            events=events,
            project_events=selectors.project_event_titles(),
        ),
        status=status,
    )
