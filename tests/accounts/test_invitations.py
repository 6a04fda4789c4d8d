"""Invitation services and the one-time link."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Role, User
from accounts.services import (
    ACCOUNT_DISABLED,
    INVITATION_ALREADY_OPEN,
    INVITATION_EMAIL_INVALID,
    INVITATION_EMAIL_TAKEN,
    INVITATION_FORBIDDEN,
    LINK_EXPIRED,
    LINK_INVALID,
    LINK_REVOKED,
    LINK_USED,
    PERSON_FORBIDDEN,
    InvitationError,
    coordinator_change_school,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    user_activate,
    user_deactivate,
)
from accounts.views import PASSWORD_SET

PASSWORD = "Zelen0e-Yabloko-17"


def link_in(message) -> str:
    return re.search(r"http://\S+/accounts/invitation/\d+/\w+/", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def invite(world, django_capture_on_commit_callbacks):
    def make(email="Petrova@School.example", school=None, by=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return invitation_create(
                email=email,
                role=Role.COORDINATOR,
                school=school or world.school_a2,
                user=by or world.specialist_x,
                **kwargs,
            )

    return make


def test_create_makes_account_and_sends_russian_email(world, invite, mailoutbox, settings):
    settings.PORTAL_BASE_URL = "https://monitoring.example"
    invitation = invite(full_name="Петрова Анна Сергеевна")
    person = invitation.user
    assert person.role == Role.COORDINATOR and person.school == world.school_a2
    assert person.email == "petrova@school.example"
    assert (person.last_name, person.first_name, person.middle_name) == ("Петрова", "Анна", "Сергеевна")
    assert not person.has_usable_password()
    assert invitation.created_by == world.specialist_x and invitation.sent_count == 1
    assert abs(invitation.expires_at - invitation.created_at - datetime.timedelta(days=7)).total_seconds() < 5
    assert invitation.history.count() == 1 and person.history.count() == 1
    (message,) = mailoutbox
    assert message.to == ["petrova@school.example"]
    assert "Приглашение" in message.subject
    assert "Анна Сергеевна" in message.body and world.school_a2.short_name in message.body
    assert "https://monitoring.example/accounts/invitation/" in message.body
    assert "https://monitoring.example/accounts/login/" in message.body


def test_validity_days_configurable(world, invite, settings):
    settings.INVITATION_VALID_DAYS = 14
    invitation = invite()
    assert (
        abs(invitation.expires_at - invitation.created_at - datetime.timedelta(days=14)).total_seconds() < 5
    )


@pytest.mark.parametrize("email", ["", "not-an-email", "a@b", "ivanov@@school.ru"])
def test_malformed_email_refused_nothing_created(world, invite, email, mailoutbox):
    users = User.objects.count()
    with pytest.raises(InvitationError) as error:
        invite(email=email)
    assert str(error.value) == INVITATION_EMAIL_INVALID.format(email=email)
    assert User.objects.count() == users and not Invitation.objects.exists() and not mailoutbox


def test_duplicate_email_of_user_refused(world, invite, mailoutbox):
    with pytest.raises(InvitationError) as error:
        invite(email="COORD_B@test.example")
    assert str(error.value) == INVITATION_EMAIL_TAKEN.format(
        email="coord_b@test.example", user=world.coordinator_b
    )
    assert not Invitation.objects.exists() and not mailoutbox


def test_duplicate_open_invitation_refused(world, invite, mailoutbox):
    invite()
    users = User.objects.count()
    with pytest.raises(InvitationError) as error:
        invite(email="petrova@school.EXAMPLE", school=world.school_a1)
    assert str(error.value) == INVITATION_ALREADY_OPEN.format(email="petrova@school.example")
    assert User.objects.count() == users and Invitation.objects.count() == 1 and len(mailoutbox) == 1


def test_specialist_cannot_invite_outside_municipality_or_specialists(world, invite):
    with pytest.raises(InvitationError, match=INVITATION_FORBIDDEN):
        invite(school=world.school_b2)
    for role, kwargs in [
        (Role.SPECIALIST, {"municipality": world.mun_x}),
        (Role.METHODIST, {}),
        (Role.ADMIN, {}),
    ]:
        with pytest.raises(InvitationError, match=INVITATION_FORBIDDEN):
            invitation_create(email="x@school.example", role=role, user=world.specialist_x, **kwargs)
    for role in (Role.METHODIST, Role.ADMIN):
        with pytest.raises(InvitationError, match=INVITATION_FORBIDDEN):
            invitation_create(email="x@school.example", role=role, user=world.methodist)
    with pytest.raises(InvitationError, match=INVITATION_FORBIDDEN):
        invite(by=world.coordinator_a, school=world.school_a1)
    assert not Invitation.objects.exists()


def test_methodist_invites_specialist(world, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            email="mouo@seversk.example", role=Role.SPECIALIST, municipality=world.mun_y, user=world.methodist
        )
    assert invitation.user.role == Role.SPECIALIST and invitation.user.municipality == world.mun_y
    assert world.mun_y.name in mailoutbox[0].body


def test_accept_sets_password_once(world, invite, client, mailoutbox):
    invitation = invite()
    url = path_of(link_in(mailoutbox[0]))
    page = client.get(url)
    assert page.status_code == 200 and "Задайте пароль" in page.content.decode()
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True)
    assert PASSWORD_SET in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitation.user.check_password(PASSWORD)
    # The same link again: a clear page, nothing changes.
    again = client.post(url, {"new_password1": "Drugoi-Parol-99", "new_password2": "Drugoi-Parol-99"})
    assert again.status_code == 410 and LINK_USED in again.content.decode()
    invitation.user.refresh_from_db()
    assert invitation.user.check_password(PASSWORD)


def test_accept_applies_password_validators(world, invite, client, mailoutbox):
    invitation = invite()
    url = path_of(link_in(mailoutbox[0]))
    response = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "слишком" in html or "пароль" in html.lower()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not invitation.user.has_usable_password()


def test_expired_link_refused(world, invite, client, mailoutbox):
    invitation = invite()
    url = path_of(link_in(mailoutbox[0]))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        assert response.status_code == 410 and LINK_EXPIRED in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not invitation.user.has_usable_password()


def test_revoked_link_refused_and_account_switched_off(world, invite, client, mailoutbox):
    invitation = invite()
    url = path_of(link_in(mailoutbox[0]))
    invitation_revoke(invitation=invitation, user=world.specialist_x)
    response = client.get(url)
    assert response.status_code == 410 and LINK_REVOKED in response.content.decode()
    invitation.user.refresh_from_db()
    assert not invitation.user.is_active


def test_resend_invalidates_older_link(world, invite, client, mailoutbox, django_capture_on_commit_callbacks):
    invitation = invite()
    old = path_of(link_in(mailoutbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation, user=world.specialist_x)
    assert len(mailoutbox) == 2
    new = path_of(link_in(mailoutbox[1]))
    assert new != old
    response = client.get(old)
    assert response.status_code == 410 and LINK_INVALID in response.content.decode()
    assert client.get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.sent_count == 2


def test_forged_or_unknown_link_refused(world, invite, client):
    invitation = invite()
    for url in (
        reverse("invitation_accept", args=[invitation.pk, "0" * 64]),
        reverse("invitation_accept", args=[invitation.pk + 100, "abc"]),
    ):
        response = client.get(url)
        assert response.status_code == 410 and LINK_INVALID in response.content.decode()


def test_accept_service_refuses_used_link_without_changes(world, invite, mailoutbox):
    invitation = invite()
    token = link_in(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]
    form = invitation_accept(
        invitation_id=invitation.pk, token=token, data={"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert form.is_valid()
    with pytest.raises(InvitationError, match=LINK_USED):
        invitation_accept(
            invitation_id=invitation.pk, token=token, data={"new_password1": "x", "new_password2": "x"}
        )


def test_deactivated_account_link_refused(world, invite, client, mailoutbox):
    invitation = invite()
    url = path_of(link_in(mailoutbox[0]))
    user_deactivate(person=invitation.user, user=world.specialist_x)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(url).status_code == 410
    # Switching on again sends a new invitation to an account that never had a password.
    user_activate(person=invitation.user, user=world.specialist_x)
    assert Invitation.objects.filter(user=invitation.user, revoked_at__isnull=True).count() == 1


def test_disabled_account_message(world, invite, client, mailoutbox):
    invitation = invite()
    url = path_of(link_in(mailoutbox[0]))
    User.objects.filter(pk=invitation.user_id).update(is_active=False)
    response = client.get(url)
    assert ACCOUNT_DISABLED in response.content.decode()


def test_specialist_cannot_manage_other_municipality_or_specialists(world):
    for person in (world.coordinator_b, world.specialist_y, world.specialist_x, world.methodist):
        with pytest.raises(InvitationError, match=PERSON_FORBIDDEN):
            user_deactivate(person=person, user=world.specialist_x)
    with pytest.raises(InvitationError, match=PERSON_FORBIDDEN):
        user_deactivate(person=world.methodist, user=world.methodist)
    world.coordinator_b.refresh_from_db()
    assert world.coordinator_b.is_active


def test_change_school_within_scope(world):
    coordinator_change_school(person=world.coordinator_a, school=world.school_a2, user=world.specialist_x)
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.school == world.school_a2
    assert world.coordinator_a.history.first().school_id == world.school_a2.pk
    with pytest.raises(InvitationError, match=INVITATION_FORBIDDEN):
        coordinator_change_school(person=world.coordinator_a, school=world.school_b1, user=world.specialist_x)
    coordinator_change_school(person=world.coordinator_a, school=world.school_b1, user=world.methodist)
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.school == world.school_b1
