"""The people page: access, invitations from the browser form, account actions."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, Role, User
from accounts.services import INVITATION_ALREADY_OPEN, INVITATION_EMAIL_INVALID, invitation_create
from people.views import PEOPLE_FORBIDDEN, SPECIALIST_INVITE_FORBIDDEN


def url(name, *args):
    return reverse(f"people:{name}", args=args)


@pytest.mark.parametrize("persona", ["coordinator_a", "nobody"])
def test_coordinators_and_roleless_refused_everywhere(world, client_for, persona, current):
    client = client_for(getattr(world, persona))
    for target in (
        url("list"),
        url("invite_coordinators"),
        url("invite_specialist"),
        url("person", world.coordinator_a.pk),
    ):
        response = client.get(target)
        assert response.status_code == 403
        assert PEOPLE_FORBIDDEN in response.content.decode()
    assert client.post(url("action", world.coordinator_a.pk, "deactivate")).status_code == 403
    assert client.post(url("invite_coordinators"), {"campaign": current.slug, "all": "1"}).status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_sent_to_login(client, db):
    response = client.get(url("list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_nav_entry_for_specialists_and_methodists(world, client_for):
    for persona, shown in [("specialist_x", True), ("methodist", True), ("coordinator_a", False)]:
        html = client_for(getattr(world, persona)).get(reverse("schools:list")).content.decode()
        assert (f'href="{url("list")}">Люди<' in html) == shown


def test_specialist_sees_only_own_coordinators(world, client_for):
    response = client_for(world.specialist_x).get(url("list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.school_a1.short_name in html and "coord_a" in html
    assert "coord_b" not in html and "spec_y" not in html and "meth@" not in html


def test_methodist_sees_everyone_and_filters(world, client_for):
    client = client_for(world.methodist)
    html = client.get(url("list")).content.decode()
    for name in ("coord_a", "coord_b", "spec_x", "spec_y"):
        assert name in html
    html = client.get(url("list"), {"municipality": world.mun_y.pk}).content.decode()
    assert "coord_b" in html and "spec_y" in html and "coord_a" not in html
    html = client.get(url("list"), {"state": "invited"}).content.decode()
    assert "coord_a" not in html


@pytest.mark.parametrize("action", ["deactivate", "activate", "resend", "revoke"])
def test_specialist_cannot_touch_outsiders(world, client_for, action):
    client = client_for(world.specialist_x)
    for person in (world.coordinator_b, world.specialist_y, world.methodist, world.admin):
        assert client.get(url("person", person.pk)).status_code == 404
        assert client.post(url("action", person.pk, action)).status_code == 404
    assert (
        client.post(url("change_school", world.coordinator_b.pk), {"school": world.school_a2.pk}).status_code
        == 404
    )
    world.coordinator_b.refresh_from_db()
    assert world.coordinator_b.is_active and world.coordinator_b.school == world.school_b1


def test_specialist_cannot_invite_specialists(world, client_for):
    client = client_for(world.specialist_x)
    assert client.get(url("invite_specialist")).status_code == 403
    response = client.post(url("invite_specialist"), {"municipality": world.mun_x.pk, "email": "s@x.example"})
    assert response.status_code == 403
    assert SPECIALIST_INVITE_FORBIDDEN in response.content.decode()
    assert not User.objects.filter(email="s@x.example").exists()


def test_deactivate_and_activate(world, client_for):
    client = client_for(world.specialist_x)
    page = client.get(url("person", world.coordinator_a.pk)).content.decode()
    assert "Отключить учётную запись" in page
    response = client.post(url("action", world.coordinator_a.pk, "deactivate"), follow=True)
    assert "отключена" in response.content.decode()
    world.coordinator_a.refresh_from_db()
    assert not world.coordinator_a.is_active
    assert world.coordinator_a.history.first().is_active is False
    client.post(url("action", world.coordinator_a.pk, "activate"))
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.is_active


def test_change_school(world, client_for):
    client = client_for(world.specialist_x)
    response = client.post(
        url("change_school", world.coordinator_a.pk), {"school": world.school_a2.pk}, follow=True
    )
    assert "теперь привязан" in response.content.decode()
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.school == world.school_a2
    # A school outside the municipality is not offered and is refused.
    response = client.post(
        url("change_school", world.coordinator_a.pk), {"school": world.school_b1.pk}, follow=True
    )
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.school == world.school_a2


def test_invite_coordinators_page_lists_schools_with_emails(world, client_for, current):
    html = client_for(world.specialist_x).get(url("invite_coordinators")).content.decode()
    assert "koord.a2@school.example" in html
    assert world.school_b2.short_name not in html
    assert "есть активный координатор" in html


def test_invite_selected_schools(world, client_for, current, mailoutbox, django_capture_on_commit_callbacks):
    client = client_for(world.specialist_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite_coordinators"),
            {"campaign": current.slug, "school": [world.school_a2.pk, world.school_b2.pk]},
            follow=True,
        )
    assert "Отправлено: 1 приглашение" in response.content.decode()
    # The school of another municipality was ignored.
    assert list(User.objects.filter(role=Role.COORDINATOR, school=world.school_b2)) == []
    (invitation,) = Invitation.objects.all()
    assert invitation.school == world.school_a2 and invitation.email == "koord.a2@school.example"
    assert invitation.user.get_full_name() == "Смирнова Ольга Ивановна"
    assert mailoutbox[0].to == ["koord.a2@school.example"]


def test_invite_all_without_coordinator_twice(
    world, client_for, current, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("invite_coordinators"), {"campaign": current.slug, "all": "1"})
    assert sorted(Invitation.objects.values_list("school__short_name", flat=True)) == sorted(
        [world.school_a2.short_name, world.school_b2.short_name]
    )
    assert len(mailoutbox) == 2
    response = client.post(url("invite_coordinators"), {"campaign": current.slug, "all": "1"}, follow=True)
    assert "Новых приглашений нет" in response.content.decode()
    assert Invitation.objects.count() == 2 and User.objects.filter(role=Role.COORDINATOR).count() == 4


def test_invite_nothing_selected(world, client_for, current):
    response = client_for(world.methodist).post(
        url("invite_coordinators"), {"campaign": current.slug}, follow=True
    )
    assert "Не выбрано ни одной организации" in response.content.decode()


def test_methodist_invites_specialist_with_bad_input(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(world.methodist)
    response = client.post(
        url("invite_specialist"), {"municipality": world.mun_y.pk, "email": "not an email"}
    )
    assert INVITATION_EMAIL_INVALID.format(email="not an email") in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite_specialist"), {"municipality": world.mun_y.pk, "email": "Mouo@Seversk.example"}
        )
    assert response.status_code == 302
    person = User.objects.get(email="mouo@seversk.example")
    assert person.role == Role.SPECIALIST and person.municipality == world.mun_y
    response = client.post(
        url("invite_specialist"), {"municipality": world.mun_x.pk, "email": "mouo@seversk.example"}
    )
    assert INVITATION_ALREADY_OPEN.format(email="mouo@seversk.example") in response.content.decode()
    assert User.objects.filter(email__iexact="mouo@seversk.example").count() == 1
    assert len(mailoutbox) == 1


def test_resend_and_revoke_from_page(world, client_for, mailoutbox, django_capture_on_commit_callbacks):
    invitation = invitation_create(
        email="n@a2.example", role=Role.COORDINATOR, school=world.school_a2, user=world.specialist_x
    )
    client = client_for(world.specialist_x)
    html = client.get(url("list")).content.decode()
    assert "приглашён" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("action", invitation.user_id, "resend"), follow=True)
    assert "отправлено повторно" in response.content.decode() and len(mailoutbox) == 1
    client.post(url("action", invitation.user_id, "revoke"))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.sent_count == 2
    response = client.post(url("action", invitation.user_id, "resend"), follow=True)
    assert response.status_code == 200
    assert "Отправить приглашение повторно" not in response.content.decode()


def test_person_list_page_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    from tests.factories import SchoolFactory

    client = client_for(world.methodist)

    def add(n):
        for _ in range(n):
            school = SchoolFactory(municipality=world.mun_x)
            invitation_create(
                email=f"{school.pk}@school.example",
                role=Role.COORDINATOR,
                school=school,
                user=world.methodist,
            )

    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url("list")).status_code == 200
    add(15)
    with django_assert_max_num_queries(len(few)):
        html = client.get(url("list")).content.decode()
    assert html.count('data-state="invited"') == 17


def test_change_school_form_offers_only_own_municipality(world, client_for):
    html = client_for(world.specialist_x).get(url("person", world.coordinator_a.pk)).content.decode()
    assert "Сменить организацию координатора" in html
    assert f'value="{world.school_a2.pk}"' in html
    assert f'value="{world.school_b1.pk}"' not in html and f'value="{world.school_b2.pk}"' not in html
