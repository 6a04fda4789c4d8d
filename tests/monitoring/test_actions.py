"""What each persona may do with a school report and a municipality's data: the answer of
report_actions / municipality_actions, the buttons it shows, and the refusals of the URLs."""

import pytest
from django.urls import reverse

from core.transitions import MSG_NOT_ALLOWED
from monitoring import services, workflow
from monitoring.actions import MSG_FILL_FIRST, municipality_actions, report_actions
from monitoring.models import ReportStatus, SchoolReport
from monitoring.selectors import municipality_review
from tests.factories import campaign, report

# Personas and what they may do with a submitted report of school A1 (municipality X).
SUBMITTED_MATRIX = {
    "coordinator_a": {"submit": "locked", "approve": "forbidden", "return": "forbidden", "edit": "locked"},
    "specialist_x": {"submit": "forbidden", "approve": None, "return": None, "edit": "forbidden"},
    "specialist_y": {
        "submit": "forbidden",
        "approve": "forbidden",
        "return": "forbidden",
        "edit": "forbidden",
    },
    "methodist": {"submit": "forbidden", "approve": "forbidden", "return": "forbidden", "edit": "forbidden"},
    "nobody": {"submit": "forbidden", "approve": "forbidden", "return": "forbidden", "edit": "forbidden"},
}


@pytest.fixture
def setup(world):
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    for school in (world.school_a1, world.school_a2, world.school_b1):
        report(previous, school, status="approved")
    r_a1 = report(current, world.school_a1)
    return current, r_a1


@pytest.mark.parametrize("persona", sorted(SUBMITTED_MATRIX))
def test_report_actions_of_a_submitted_report(world, setup, persona):
    current, r_a1 = setup
    workflow.report_submit(report_id=r_a1.pk, user=world.coordinator_a)
    r_a1 = SchoolReport.objects.select_related("campaign", "school__municipality").get(pk=r_a1.pk)
    actions = report_actions(user=getattr(world, persona), report=r_a1)
    for name, expected in SUBMITTED_MATRIX[persona].items():
        if expected is None:
            assert actions.may(name), name
            assert actions.allowed[name]
        elif expected == "forbidden":
            assert not actions.has_right(name), name
            assert actions.reason(name) == MSG_NOT_ALLOWED
        else:
            assert actions.has_right(name) and not actions.may(name), name
            assert actions.reason(name) == services.MSG_REPORT_LOCKED.format(status="на проверке")


def test_report_actions_of_a_report_not_started(world, setup):
    current, _ = setup
    actions = report_actions(user=world.coordinator_a, report=None, campaign=current, school=world.school_a2)
    assert not actions.has_right("edit")  # another school of the same municipality
    actions = report_actions(user=world.coordinator_b, report=None, campaign=current, school=world.school_b1)
    assert actions.may("edit")
    assert actions.reason("submit") == MSG_FILL_FIRST
    closed = campaign("2018", status="closed")
    actions = report_actions(user=world.coordinator_b, report=None, campaign=closed, school=world.school_b1)
    assert actions.reason("edit") == services.MSG_CAMPAIGN_NOT_OPEN.format(campaign=closed)


def test_municipality_actions(world, setup):
    current, _ = setup
    review = municipality_review(campaign=current, municipality=world.mun_x)
    mine = municipality_actions(user=world.specialist_x, review=review)
    assert mine.may("submit") and mine.may("bulk_approve")
    assert not mine.has_right("accept") and not mine.has_right("return")
    other = municipality_actions(user=world.specialist_y, review=review)
    assert not other.has_right("submit") and not other.has_right("bulk_approve")
    region = municipality_actions(user=world.methodist, review=review)
    assert region.has_right("accept") and not region.may("accept")  # nothing handed over yet
    assert region.reason("accept") == workflow.MSG_MUN_WRONG_STATE.format(state="сбор данных")
    assert not region.has_right("bulk_approve")  # municipal reports are the specialists' to review
    current.status = "closed"
    assert municipality_actions(user=world.specialist_x, review=review).reason("submit") == (
        workflow.MSG_CAMPAIGN_CLOSED
    )


# --- The URLs: 404 outside the scope, 403 in the scope without the right, a message otherwise -----


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("coordinator_b", 404),  # coordinator of another school
        ("specialist_y", 404),  # specialist of another municipality
        ("specialist_x", 403),  # the reviewer does not submit
        ("methodist", 403),  # methodist on a municipal school's report
        ("nobody", 404),
    ],
)
def test_wrong_role_post_on_submit(world, setup, client_for, persona, expected):
    current, r_a1 = setup
    url = reverse("monitoring:report_submit", args=[current.slug, world.school_a1.pk])
    assert client_for(getattr(world, persona)).post(url).status_code == expected
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("coordinator_a", 403),  # own school, but coordinators do not approve
        ("coordinator_b", 404),
        ("specialist_y", 404),
        ("methodist", 403),  # municipal reports are approved by the municipality's specialist
        ("nobody", 404),
    ],
)
def test_wrong_role_post_on_approve(world, setup, client_for, persona, expected):
    current, r_a1 = setup
    workflow.report_submit(report_id=r_a1.pk, user=world.coordinator_a)
    url = reverse("monitoring:report_review", args=[current.slug, world.school_a1.pk, "approve"])
    assert client_for(getattr(world, persona)).post(url).status_code == expected
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.SUBMITTED


def test_right_role_in_the_wrong_state_gets_a_message(world, setup, client_for):
    current, r_a1 = setup
    url = reverse("monitoring:report_review", args=[current.slug, world.school_a1.pk, "approve"])
    response = client_for(world.specialist_x).post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert workflow.MSG_WRONG_STATE.format(state="черновик") in response.content.decode()
    assert SchoolReport.objects.get(pk=r_a1.pk).status == ReportStatus.DRAFT


def test_submit_of_a_report_not_started(world, setup, client_for):
    current, _ = setup
    url = reverse("monitoring:report_submit", args=[current.slug, world.school_a2.pk])
    response = client_for(world.specialist_x).post(url)
    assert response.status_code == 403


def test_buttons_follow_the_actions(world, setup, client_for):
    current, r_a1 = setup
    workflow.report_submit(report_id=r_a1.pk, user=world.coordinator_a)
    url = reverse("monitoring:report", args=[current.slug, world.school_a1.pk])
    html = client_for(world.specialist_x).get(url).content.decode()
    assert "Принять отчёт" in html and "Вернуть на доработку" in html
    html = client_for(world.coordinator_a).get(url).content.decode()
    assert "Принять отчёт" not in html and "Отправить на проверку" not in html
    dashboard = reverse("monitoring:municipality_dashboard", args=[current.slug, world.mun_x.pk])
    html = client_for(world.specialist_x).get(dashboard).content.decode()
    assert "Принять отмеченные" in html and "Передать данные МОУО в РЦРО" in html
    html = client_for(world.methodist).get(dashboard).content.decode()
    assert "Принять отмеченные" not in html and "Передать данные МОУО в РЦРО" not in html
