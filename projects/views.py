"""Pages of the regional project: passport, pilot-site registry, events (the reconciliation page is
in :mod:`reports.reconciliation_views`)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import get_in_scope_or_404

from . import analytics, selectors, services
from .forms import EventForm, PeriodForm, PilotSiteEndForm, PilotSiteForm, ProjectForm, SiteFilterForm

MSG_ONLY_METHODISTS = "Это действие доступно только методистам РЦРО."
SITES_PER_PAGE = 50


def require_regional(user):
    if not user.is_regional:
        raise PermissionDenied(MSG_ONLY_METHODISTS)


# --- Passport -------------------------------------------------------------------------------------


@login_required
def index(request):
    return redirect("projects:project", pk=selectors.project_default().pk)


@login_required
def project_detail(request, pk):
    project = selectors.project_get(pk=pk)
    network = analytics.network_as_of(project, timezone.localdate()) if request.user.is_regional else None
    return render(request, "projects/project_detail.html", {"project": project, "network": network})


@login_required
def project_edit(request, pk):
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        # The form only cleans; the service writes. Reload so the form's instance edits are dropped.
        project = selectors.project_get(pk=pk)
        services.project_update(project=project, user=request.user, **form.cleaned_data)
        messages.success(request, "Паспорт проекта сохранён.")
        return redirect("projects:project", pk=project.pk)
    return render(request, "projects/project_form.html", {"project": project, "form": form})


# --- Pilot-site registry --------------------------------------------------------------------------


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def site_list(request, pk):
    """The registry with filters kept in the URL and the network «as of» a date."""
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    form = SiteFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    as_of = filters.get("as_of") or timezone.localdate()
    sites = selectors.pilot_site_list(
        user=request.user,
        project=project,
        municipality_id=filters["municipality"].pk if filters.get("municipality") else None,
        system_id=filters["system"].pk if filters.get("system") else None,
        state=filters.get("state", ""),
        search=filters.get("q", ""),
    )
    page = Paginator(sites, SITES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/site_list.html",
        {
            "project": project,
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "as_of": as_of,
            "network": analytics.network_as_of(project, as_of),
        },
    )


@login_required
def site_add(request, pk):
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    form = PilotSiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.pilot_site_add(project=project, user=request.user, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"«{site.school}» включена в сеть ПВП с {site.joined_on:%d.%m.%Y}.")
            return redirect("projects:sites", pk=project.pk)
    return render(request, "projects/site_form.html", {"project": project, "form": form})


@login_required
def site_detail(request, pk, site_pk):
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    site = selectors.pilot_site_get(user=request.user, project=project, pk=site_pk)
    return render(
        request,
        "projects/site_detail.html",
        {"project": project, "site": site, "history": selectors.pilot_site_history(site=site)},
    )


@login_required
def site_end(request, pk, site_pk):
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    site = selectors.pilot_site_get(user=request.user, project=project, pk=site_pk)
    form = PilotSiteEndForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_site_end(
                site=site,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Соглашение с «{site.school}» прекращено с {site.left_on:%d.%m.%Y}.")
            return redirect("projects:site", pk=project.pk, site_pk=site.pk)
    return render(request, "projects/site_end.html", {"project": project, "site": site, "form": form})


# --- Events ---------------------------------------------------------------------------------------


@login_required
def event_list(request, pk):
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    return render(
        request,
        "projects/event_list.html",
        {"project": project, "events": selectors.event_list(project=project)},
    )


@login_required
def event_add(request, pk):
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(project=project, user=request.user, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Мероприятие «{event}» добавлено.")
            return redirect("projects:events", pk=project.pk)
    return render(request, "projects/event_form.html", {"project": project, "form": form})


@login_required
def event_edit(request, pk, event_pk):
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    event = get_in_scope_or_404(selectors.event_list(project=project), pk=event_pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and request.POST.get("delete"):
        services.event_delete(event=event, user=request.user)
        messages.success(request, f"Мероприятие «{event}» удалено.")
        return redirect("projects:events", pk=project.pk)
    if request.method == "POST" and form.is_valid():
        services.event_update(event=event, user=request.user, **form.cleaned_data)
        messages.success(request, f"Мероприятие «{event}» сохранено.")
        return redirect("projects:events", pk=project.pk)
    return render(request, "projects/event_form.html", {"project": project, "form": form, "event": event})


@login_required
def network(request, pk):
    """How the network changed over a period: size at the start, joined, left and why, size at the end."""
    require_regional(request.user)
    project = selectors.project_get(pk=pk)
    today = timezone.localdate()
    year_start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    form = PeriodForm(request.GET or None, initial={"start": year_start, "end": today})
    changes = None
    if form.is_valid():
        changes = analytics.network_changes(project, form.cleaned_data["start"], form.cleaned_data["end"])
    return render(request, "projects/network.html", {"project": project, "form": form, "changes": changes})
