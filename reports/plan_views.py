"""The «план и факт» page of the regional project (it reads the monitoring, so it lives here and
joins the project's pages in ``rcro_portal.urls``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from projects import selectors as project_selectors
from projects.plan import plan_refusal

from . import plan_fact, plan_svg


def _require_reader(user) -> None:
    refusal = plan_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)


@login_required
def plan_index(request):
    _require_reader(request.user)
    return redirect("projects:plan", pk=project_selectors.project_default().pk)


@login_required
def plan(request, pk):
    _require_reader(request.user)
    project = project_selectors.project_get(pk=pk)
    data = plan_fact.plan_fact(project)
    can_edit = plan_refusal(request.user, edit=True) is None
    return render(
        request,
        "projects/plan.html",
        {
            "project": project,
            "plan": data,
            "timeline": plan_svg.timeline(data),
            "today_on_timeline": plan_svg.today_on_timeline(data),
            "charts": [(row, plan_svg.indicator_chart(row)) for row in data.indicators],
            "expected_results": project_selectors.plan_expected_results(project=project),
            "can_edit": can_edit,
            "history": project_selectors.plan_history(project=project) if can_edit else [],
            "states": plan_svg.STATE_COLOURS,
        },
    )
