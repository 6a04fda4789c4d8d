"""Invitations under real concurrent transactions (PostgreSQL). Kept here, after tests/browser in
the run order: a transactional test collected before the browser tests empties their database."""

import threading

import pytest
from django.db import connection

from accounts.models import Invitation, Role, User
from accounts.services import (
    INVITATION_ALREADY_OPEN,
    LINK_USED,
    InvitationError,
    invitation_accept,
    invitation_create,
)
from accounts.tokens import invitation_token

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("нужен PostgreSQL: проверяются настоящие параллельные транзакции")


def _together(*targets):
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_same_address_invited_twice_at_once(world):
    def invite(school):
        return lambda: invitation_create(
            email="same@school.example", role=Role.COORDINATOR, school=school, user=world.methodist
        )

    results = _together(invite(world.school_a2), invite(world.school_b2))
    errors = [r for r in results if isinstance(r, InvitationError)]
    assert len(errors) == 1 and str(errors[0]) == INVITATION_ALREADY_OPEN.format(email="same@school.example")
    assert Invitation.objects.count() == 1
    assert User.objects.filter(email="same@school.example").count() == 1


def test_link_used_twice_at_once(world):
    invitation = invitation_create(
        email="once@school.example", role=Role.COORDINATOR, school=world.school_a2, user=world.methodist
    )
    token = invitation_token(invitation)

    def accept(password):
        return lambda: invitation_accept(
            invitation_id=invitation.pk,
            token=token,
            data={"new_password1": password, "new_password2": password},
        )

    results = _together(accept("Pervyi-Parol-2017"), accept("Vtoroi-Parol-2017"))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and str(errors[0]) == LINK_USED
    person = User.objects.get(pk=invitation.user_id)
    assert person.check_password("Pervyi-Parol-2017") != person.check_password("Vtoroi-Parol-2017")
