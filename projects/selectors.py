"""Reads of the projects app, always through the user's scope where the data is scoped."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.access import get_in_scope_or_404, school_q
from accounts.models import User
from core.meta import model_field
from schools.models import EdmsSystem

from .models import (
    AssignmentReport,
    AssignmentReportLog,
    Event,
    ExpectedResult,
    IndicatorActual,
    IndicatorTarget,
    PilotSite,
    PlanIndicator,
    Project,
    ProjectStage,
)

SITE_STATES = (("active", "действующие"), ("ended", "вышедшие"))


# --- Project --------------------------------------------------------------------------------------


def project_list() -> QuerySet[Project]:
    return Project.objects.order_by("-period_end", "name")


def project_default() -> Project:
    """The project the portal opens by default: the latest one."""
    project = project_list().first()
    if project is None:
        raise Http404("Проект не найден.")
    return project


def project_get(*, pk) -> Project:
    """The passport is public to every signed-in user, so there is no scope to apply."""
    return get_in_scope_or_404(project_list(), pk=pk)


# --- Pilot-site registry --------------------------------------------------------------------------


def pilot_site_list(
    *,
    user: User,
    project: Project,
    municipality_id: int | None = None,
    system_id: int | None = None,
    state: str = "",
    search: str = "",
) -> QuerySet[PilotSite]:
    """Registry rows in the user's scope, with school, municipality and system loaded."""
    qs = PilotSite.objects.filter(school_q(user, "school"), project=project).select_related(
        "school__municipality", "system__vendor"
    )
    if municipality_id:
        qs = qs.filter(school__municipality_id=municipality_id)
    if system_id:
        qs = qs.filter(system_id=system_id)
    if state == "active":
        qs = qs.filter(left_on__isnull=True)
    elif state == "ended":
        qs = qs.filter(left_on__isnull=False)
    search = " ".join((search or "").split())
    if search:
        qs = qs.filter(Q(school__short_name__icontains=search) | Q(school__full_name__icontains=search))
    return qs.order_by("school__municipality__sort_order", "school__short_name", "-joined_on")


def pilot_site_get(*, user: User, project: Project, pk) -> PilotSite:
    return get_in_scope_or_404(pilot_site_list(user=user, project=project), pk=pk)


def is_active_pilot_site(school, date: datetime.date, *, project: Project | None = None) -> bool:
    """Whether the school is a member of the pilot network on ``date`` (of any project by default)."""
    qs = PilotSite.objects.active_on(date).filter(school=school)
    if project is not None:
        qs = qs.filter(project=project)
    return qs.exists()


def active_pilot_school_ids(project: Project, date: datetime.date) -> set[int]:
    """Ids of the schools that are pilot sites of the project on ``date`` (one query)."""
    qs = PilotSite.objects.active_on(date).filter(project=project).order_by()
    return set(qs.values_list("school_id", flat=True))


# --- Events ---------------------------------------------------------------------------------------


def event_list(*, project: Project) -> QuerySet[Event]:
    return (
        Event.objects.filter(project=project)
        .select_related("organiser_school")
        .order_by("-starts_on", "title")
    )


# --- Reports on the technical assignment -----------------------------------------------------------


def assignment_report_list(
    *, user: User, project: Project | None = None, academic_year: str = "", status: str = "", search: str = ""
) -> QuerySet[AssignmentReport]:
    """Reports in the user's scope: the coordinator's own school, the specialist's municipality,
    everything for methodists."""
    qs = AssignmentReport.objects.filter(school_q(user, "pilot_site__school")).select_related(
        "pilot_site__school__municipality", "pilot_site__system__vendor", "pilot_site__project", "updated_by"
    )
    if project is not None:
        qs = qs.filter(pilot_site__project=project)
    if academic_year:
        qs = qs.filter(academic_year=academic_year)
    if status:
        qs = qs.filter(status=status)
    search = " ".join((search or "").split())
    if search:
        qs = qs.filter(pilot_site__school__short_name__icontains=search)
    return qs.order_by(
        "-academic_year", "pilot_site__school__municipality__sort_order", "pilot_site__school__short_name"
    )


def assignment_report_get(*, user: User, pk) -> AssignmentReport:
    return get_in_scope_or_404(assignment_report_list(user=user), pk=pk)


def assignment_report_years(*, project: Project) -> list[str]:
    return list(
        AssignmentReport.objects.filter(pilot_site__project=project)
        .order_by("-academic_year")
        .values_list("academic_year", flat=True)
        .distinct()
    )


def assignment_report_log(*, report: AssignmentReport) -> QuerySet[AssignmentReportLog]:
    return report.log.select_related("actor").order_by("-created_at", "-pk")


def school_assignment_reports(*, project: Project, school_id: int) -> QuerySet[AssignmentReport]:
    return (
        AssignmentReport.objects.filter(pilot_site__project=project, pilot_site__school_id=school_id)
        .select_related("pilot_site__school")
        .order_by("-academic_year")
    )


# --- History of a registry row --------------------------------------------------------------------

HISTORY_TYPES = {"+": "создана", "~": "изменена", "-": "удалена"}


def pilot_site_history(*, site: PilotSite) -> list[dict]:
    """Who changed the registry row and how, newest first (two queries)."""
    records = list(site.history.select_related("history_user").order_by("history_date", "history_id"))
    systems = {s.pk: s.name for s in EdmsSystem.objects.all()}
    entries = []
    previous = None
    for record in records:
        changes: list[dict] = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                field = model_field(PilotSite, change.field)
                old, new = change.old, change.new
                if change.field == "system":
                    old, new = systems.get(old, old), systems.get(new, new)
                elif field.choices:
                    labels = dict(field.choices)
                    old, new = labels.get(old, old), labels.get(new, new)
                changes.append(
                    {
                        "label": field.verbose_name,
                        "old": "—" if old in (None, "") else old,
                        "new": "—" if new in (None, "") else new,
                    }
                )
        user = record.history_user
        entries.append(
            {
                "when": record.history_date,
                "who": (user.get_full_name() or user.username) if user else "система",
                "what": HISTORY_TYPES.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
        previous = record
    return list(reversed(entries))


# --- The plan: stages, indicators, expected results ------------------------------------------------
# The plan belongs to the regional project, not to a school or a municipality: every reader sees the
# whole of it (who may open the page at all is decided by ``can_view_plan``).


def plan_stages(*, project: Project) -> QuerySet[ProjectStage]:
    return ProjectStage.objects.filter(project=project).order_by("starts_on", "number")


def plan_stage_get(*, project: Project, pk) -> ProjectStage:
    return get_in_scope_or_404(plan_stages(project=project), pk=pk)


def plan_indicators(*, project: Project) -> QuerySet[PlanIndicator]:
    """Indicators with their targets, actuals and expected results loaded (four queries)."""
    return (
        PlanIndicator.objects.filter(project=project)
        .prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
            Prefetch(
                "actuals", queryset=IndicatorActual.objects.select_related("updated_by").order_by("year")
            ),
            Prefetch("expected_results", queryset=ExpectedResult.objects.order_by("number")),
        )
        .order_by("number")
    )


def plan_indicator_get(*, project: Project, pk) -> PlanIndicator:
    return get_in_scope_or_404(plan_indicators(project=project), pk=pk)


def plan_expected_results(*, project: Project) -> QuerySet[ExpectedResult]:
    return (
        ExpectedResult.objects.filter(project=project)
        .prefetch_related(Prefetch("indicators", queryset=PlanIndicator.objects.order_by("number")))
        .order_by("number")
    )


def plan_history(*, project: Project, limit: int = 20) -> list[dict]:
    """The latest changes of the plan (stages, targets, actuals), newest first (three queries)."""
    entries = []
    sources = (
        (ProjectStage.history.filter(project_id=project.pk), "этап", lambda r: r.title),
        (
            IndicatorTarget.history.filter(indicator__project=project).select_related("indicator"),
            "план",
            lambda r: f"{r.indicator.name}, {r.year}: {r.value}",
        ),
        (
            IndicatorActual.history.filter(indicator__project=project).select_related("indicator"),
            "факт",
            lambda r: f"{r.indicator.name}, {r.year}: {r.value}",
        ),
    )
    for records, what, describe in sources:
        for record in records.select_related("history_user").order_by("-history_date")[:limit]:
            user = record.history_user
            entries.append(
                {
                    "when": record.history_date,
                    "who": (user.get_full_name() or user.username) if user else "система",
                    "what": what,
                    "action": HISTORY_TYPES.get(record.history_type, record.history_type),
                    "text": describe(record),
                }
            )
    return sorted(entries, key=lambda e: e["when"], reverse=True)[:limit]
