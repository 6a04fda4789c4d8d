"""The demo seeder of the project: the registry follows the project's rules, and a second run adds
nothing."""

import io

import pytest

from accounts.demo import seed_users
from monitoring.demo import seed_campaigns
from monitoring.models import SchoolReport
from projects.analytics import network_changes
from projects.models import AssignmentReport, AssignmentReportLog, Event, PilotSite, Project
from projects.passport import PROJECT_NAME
from rcro_portal.project_demo import ASSIGNMENT_YEAR, LEAVE_REASON, seed_projects
from reports.reconciliation import reconciliation
from schools.demo import seed_organisations
from schools.demo_data import BILATERAL_PILOT_SITES
from schools.models import Municipality
from tests.projects.conftest import D


@pytest.fixture
def demo(db):
    schools = seed_organisations(seed=2017)
    users = seed_users(
        coordinator_school=schools["tomsk-001"],
        specialist_municipality=Municipality.objects.get(code="tomsk"),
    )
    seed_campaigns(seed=2017, schools=schools, users=users)
    return schools, users


def _counts():
    return tuple(
        model.objects.count() for model in (PilotSite, Event, AssignmentReport, AssignmentReportLog, Project)
    ) + (PilotSite.history.model.objects.count(), AssignmentReport.history.model.objects.count())


def test_seed_projects_is_idempotent(demo):
    schools, users = demo
    out = io.StringIO()
    seed_projects(seed=2017, schools=schools, users=users, stdout=out)
    first = _counts()
    assert "Сеть ПВП" in out.getvalue()
    seed_projects(seed=2017, schools=schools, users=users)
    assert _counts() == first
    assert first[0] > 0 and first[1] == 4 and first[2] > 0


def test_demo_registry_follows_the_rules(demo):
    schools, users = demo
    project = seed_projects(seed=2017, schools=schools, users=users)
    assert project.name == PROJECT_NAME

    tesh_2016 = set(
        SchoolReport.objects.filter(campaign__slug="2016", system__code="tesh").values_list(
            "school_id", flat=True
        )
    )
    trilateral = set(
        PilotSite.objects.filter(agreement_type="trilateral", left_on__isnull=True).values_list(
            "school_id", flat=True
        )
    )
    assert trilateral == tesh_2016
    bilateral = PilotSite.objects.filter(agreement_type="bilateral").select_related("school__municipality")
    assert {(s.school.municipality.code, s.school.short_name) for s in bilateral} == set(
        BILATERAL_PILOT_SITES
    )
    assert not bilateral.filter(system__code="tesh").exists()

    # Some left after switching to Дневник.ру in the autumn of 2016.
    changes = network_changes(project, D(2015, 9, 1), D(2017, 1, 1))
    assert 0 < changes["left"] <= 18
    assert changes["left_by_reason"] == [{"reason": LEAVE_REASON, "count": changes["left"]}]
    assert changes["size_end"] == changes["size_start"] + changes["joined"] - changes["left"]
    # The December 2016 reconciliation finds them in the 2016 monitoring data.
    from monitoring.models import Campaign

    kinds = {row.kind for row in reconciliation(project, Campaign.objects.get(slug="2016"))}
    assert "system_changed" in kinds

    events = set(Event.objects.values_list("title", flat=True))
    assert "Семинар «Новые возможности электронной школы»" in events
    assert any("Электронная школа — это здорово!" in t for t in events)
    assert Event.objects.filter(kind="laboratory", teachers=56).exists()

    active = PilotSite.objects.filter(left_on__isnull=True).count()
    reports = AssignmentReport.objects.filter(academic_year=ASSIGNMENT_YEAR)
    assert 0.35 * active <= reports.count() <= 0.65 * active
    assert set(reports.values_list("status", flat=True)) == {"draft", "submitted", "approved", "returned"}
    returned = reports.filter(status="returned")
    assert not returned.filter(return_comment="").exists()
    assert AssignmentReportLog.objects.filter(action="return").count() == returned.count()


def test_demo_shows_a_filled_plan(demo, client):
    from django.urls import reverse

    from accounts.models import User
    from projects.models import IndicatorActual, IndicatorTarget, ProjectStage, StageState
    from reports.plan_fact import plan_fact

    schools, users = demo
    project = seed_projects(seed=2017, schools=schools, users=users)
    counts = (ProjectStage.objects.count(), IndicatorTarget.objects.count(), IndicatorActual.objects.count())
    seed_projects(seed=2017, schools=schools, users=users)
    assert (
        ProjectStage.objects.count(),
        IndicatorTarget.objects.count(),
        IndicatorActual.objects.count(),
    ) == counts
    assert counts[0] == 5 and counts[1] > 40 and counts[2] >= 10

    plan = plan_fact(project, today=D(2026, 11, 21))
    assert {s.state for s in plan.stages} == {StageState.DONE, StageState.LATE}
    by_number = {row.indicator.number: row for row in plan.indicators}
    # Computed from the demo's 2016 monitoring, registry and events; manual ones with their source.
    assert by_number[1].cell(2016).actual.value is not None
    assert by_number[2].cell(2016).actual.value > 0
    assert by_number[3].cell(2017).actual.value > 0
    assert by_number[4].cell(2016).actual.value is not None
    assert by_number[8].cell(2016).actual.note.startswith("Опрос родителей")
    assert plan.behind

    methodist = User.objects.get(username=next(u.username for u in users if u.is_regional))
    client.force_login(methodist)
    html = client.get(reverse("projects:plan", args=[project.pk])).content.decode()
    assert "Мониторинг внедрения СЭД и обобщение опыта ПВП" in html
    assert html.count('data-kind="actual"') > 20
