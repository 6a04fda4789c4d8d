"""What each persona may do with a pilot site's assignment report, and the refusals of the URLs."""

import pytest
from django.urls import reverse

from core.transitions import MSG_NOT_ALLOWED
from projects import services
from projects.models import AssignmentReport

from .conftest import make_report


@pytest.mark.parametrize(
    "persona,allowed",
    [
        ("coordinator_a", {"edit", "submit"}),
        ("coordinator_b", set()),
        ("specialist_x", set()),
        ("methodist", set()),
    ],
)
def test_assignment_actions_of_a_draft(world, sites, persona, allowed):
    report = make_report(sites[0])
    actions = services.assignment_actions(user=getattr(world, persona), report=report)
    assert {name for name, ok in actions.allowed.items() if ok} == allowed


def test_assignment_actions_of_a_submitted_report(world, sites):
    report = make_report(sites[0], status="submitted")
    methodist = services.assignment_actions(user=world.methodist, report=report)
    assert methodist.may("approve") and methodist.may("return")
    assert not methodist.has_right("submit") and methodist.reason("submit") == MSG_NOT_ALLOWED
    coordinator = services.assignment_actions(user=world.coordinator_a, report=report)
    assert coordinator.has_right("edit") and not coordinator.may("edit")
    assert coordinator.reason("edit") == services.MSG_REPORT_LOCKED.format(state="на проверке")


@pytest.mark.parametrize(
    "persona,expected", [("coordinator_b", 404), ("specialist_x", 403), ("methodist", 403)]
)
def test_wrong_role_post_on_submit(world, sites, client_for, persona, expected):
    report = make_report(sites[0])
    url = reverse("projects:assignment_submit", args=[report.pk])
    assert client_for(getattr(world, persona)).post(url).status_code == expected
    assert AssignmentReport.objects.get(pk=report.pk).status == "draft"


@pytest.mark.parametrize(
    "persona,expected", [("coordinator_a", 403), ("coordinator_b", 404), ("specialist_x", 403)]
)
def test_wrong_role_post_on_approve(world, sites, client_for, persona, expected):
    report = make_report(sites[0], status="submitted")
    url = reverse("projects:assignment_review", args=[report.pk, "approve"])
    assert client_for(getattr(world, persona)).post(url).status_code == expected
    assert AssignmentReport.objects.get(pk=report.pk).status == "submitted"
