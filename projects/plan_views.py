"""Methodists' forms of the project's plan: stages (marking them done), targets and the actual
values of manual indicators. The «план и факт» page itself reads the monitoring too, so it lives in
:mod:`reports.plan_views`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from core.errors import ServiceError

from . import selectors, services
from .forms import IndicatorPlanForm, StageForm, indicator_plan_initial
from .plan import plan_refusal


def _require_editor(user) -> None:
    refusal = plan_refusal(user, edit=True)
    if refusal:
        raise PermissionDenied(refusal)


def _status(form) -> int:
    return 422 if form.errors else 200


@login_required
def stage_add(request, pk):
    _require_editor(request.user)
    project = selectors.project_get(pk=pk)
    next_number = (
        selectors.plan_stages(project=project).order_by("-number").values_list("number", flat=True).first()
        or 0
    ) + 1
    form = StageForm(request.POST or None, initial={"number": next_number})
    if request.method == "POST" and form.is_valid():
        try:
            stage = services.stage_create(project=project, user=request.user, **form.values())
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Этап «{stage.title}» добавлен.")
            return redirect("projects:plan", pk=project.pk)
    return render(
        request, "projects/plan_stage_form.html", {"project": project, "form": form}, status=_status(form)
    )


@login_required
def stage_edit(request, pk, stage_pk):
    _require_editor(request.user)
    project = selectors.project_get(pk=pk)
    stage = selectors.plan_stage_get(project=project, pk=stage_pk)
    if request.method == "POST" and request.POST.get("delete"):
        services.stage_delete(stage=stage, user=request.user)
        messages.success(request, f"Этап «{stage.title}» удалён.")
        return redirect("projects:plan", pk=project.pk)
    form = StageForm(request.POST or None, instance=stage, with_done=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_update(
                stage=stage,
                user=request.user,
                is_done=form.cleaned_data["is_done"],
                done_on=form.cleaned_data["done_on"],
                **form.values(),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Этап «{stage.title}» сохранён.")
            return redirect("projects:plan", pk=project.pk)
    return render(
        request,
        "projects/plan_stage_form.html",
        {"project": project, "form": form, "stage": stage},
        status=_status(form),
    )


@login_required
def indicator_edit(request, pk, indicator_pk):
    _require_editor(request.user)
    project = selectors.project_get(pk=pk)
    indicator = selectors.plan_indicator_get(project=project, pk=indicator_pk)
    years = list(range(project.period_start, project.period_end + 1))
    form = IndicatorPlanForm(
        request.POST or None, indicator=indicator, years=years, initial=indicator_plan_initial(indicator)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_plan_update(
                indicator=indicator, user=request.user, targets=form.targets(), actuals=form.actuals()
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Показатель «{indicator.name}» сохранён.")
            return redirect("projects:plan", pk=project.pk)
    return render(
        request,
        "projects/plan_indicator_form.html",
        {"project": project, "indicator": indicator, "form": form},
        status=_status(form),
    )
