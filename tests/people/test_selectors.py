"""Who sees whom on the people page, and which schools can be invited."""

import pytest
from django.http import Http404

from accounts.models import Role
from people.selectors import CandidateStatus, PersonState, coordinator_candidates, person_get, person_list
from tests.factories import UserFactory

# Persona → the personas whose accounts it sees.
SEES = {
    "coordinator_a": set(),
    "coordinator_b": set(),
    "specialist_x": {"coordinator_a"},
    "specialist_y": {"coordinator_b"},
    "methodist": {
        "coordinator_a",
        "coordinator_b",
        "specialist_x",
        "specialist_y",
        "methodist",
        "admin",
        "nobody",
    },
    "nobody": set(),
}
PEOPLE = ["coordinator_a", "coordinator_b", "specialist_x", "specialist_y", "methodist", "admin", "nobody"]


@pytest.mark.parametrize("persona", SEES)
def test_person_list_scope(world, persona):
    seen = set(person_list(user=getattr(world, persona)))
    assert {p for p in PEOPLE if getattr(world, p) in seen} == SEES[persona]


@pytest.mark.parametrize("persona", SEES)
@pytest.mark.parametrize("target", PEOPLE)
def test_person_get_scope(world, persona, target):
    user, person = getattr(world, persona), getattr(world, target)
    if target in SEES[persona]:
        assert person_get(user=user, pk=person.pk) == person
    else:
        with pytest.raises(Http404):
            person_get(user=user, pk=person.pk)


def test_states(world, invite_a2):
    from django.utils import timezone

    world.coordinator_b.last_login = timezone.now()
    world.coordinator_b.save()
    world.specialist_y.is_active = False
    world.specialist_y.save()
    by_state = {
        state: {p.pk for p in person_list(user=world.methodist, state=state)} for state in PersonState.LABELS
    }
    assert invite_a2.user_id in by_state[PersonState.INVITED]
    assert world.coordinator_b.pk in by_state[PersonState.ACTIVE]
    assert world.coordinator_a.pk in by_state[PersonState.NEVER_LOGGED_IN]
    assert world.specialist_y.pk in by_state[PersonState.DEACTIVATED]
    assert sum(len(v) for v in by_state.values()) == len(PEOPLE) + 1


@pytest.fixture
def invite_a2(world):
    from accounts.services import invitation_create

    return invitation_create(
        email="new@a2.example", role=Role.COORDINATOR, school=world.school_a2, user=world.methodist
    )


def test_candidates_take_column_23_then_7(world, current):
    candidates = {c.school: c for c in coordinator_candidates(user=world.methodist, campaign=current)}
    assert candidates[world.school_a1].status == CandidateStatus.HAS_COORDINATOR
    assert candidates[world.school_a2].status == CandidateStatus.READY
    assert candidates[world.school_a2].contact.email == "koord.a2@school.example"
    assert candidates[world.school_a2].contact.source == "coordinator"
    assert candidates[world.school_b2].contact.email == "edms.b2@school.example"
    assert candidates[world.school_b2].contact.name == "Орлов Игорь Петрович"
    assert candidates[world.school_b2].contact.source == "responsible"


def test_candidates_scope(world, current):
    for persona, schools in [
        ("specialist_x", {world.school_a1, world.school_a2}),
        ("specialist_y", {world.school_b1, world.school_b2}),
        ("methodist", {world.school_a1, world.school_a2, world.school_b1, world.school_b2}),
        ("coordinator_a", set()),
        ("nobody", set()),
    ]:
        assert {
            c.school for c in coordinator_candidates(user=getattr(world, persona), campaign=current)
        } == schools


def test_candidates_statuses(world, current):
    from monitoring.models import SchoolReport

    SchoolReport.objects.filter(school=world.school_b2).update(responsible_email="нет", coordinator_email="")
    UserFactory(username="taken", email="KOORD.a2@school.example")
    candidates = {c.school: c.status for c in coordinator_candidates(user=world.methodist, campaign=current)}
    assert candidates[world.school_b2] == CandidateStatus.NO_EMAIL
    assert candidates[world.school_a2] == CandidateStatus.EMAIL_TAKEN


def test_candidates_constant_queries(world, current, django_assert_max_num_queries):
    from tests.factories import SchoolFactory, report

    for i in range(10):
        report(current, SchoolFactory(municipality=world.mun_x), coordinator_email=f"c{i}@school.example")
    with django_assert_max_num_queries(6):
        assert len(coordinator_candidates(user=world.methodist, campaign=current)) == 14


def test_person_list_constant_queries(world, django_assert_max_num_queries):
    from accounts.services import invitation_create
    from tests.factories import SchoolFactory

    for i in range(10):
        invitation_create(
            email=f"p{i}@school.example",
            role=Role.COORDINATOR,
            school=SchoolFactory(municipality=world.mun_x),
            user=world.methodist,
        )
    with django_assert_max_num_queries(3):
        people = list(person_list(user=world.methodist))
        assert sum(1 for p in people if p.open_invitations) == 10
        assert all(p.school is None or p.school.municipality for p in people)
