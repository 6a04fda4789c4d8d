import pytest
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import user_apply_role
from tests.factories import UserFactory


def test_login_page_is_russian(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert "Вход в систему мониторинга" in html
    assert "Пароль" in html


def test_login_with_correct_password(client, world):
    response = client.post(reverse("login"), {"username": "coord_a", "password": "secret-pass-123"})
    assert response.status_code == 302
    assert response.wsgi_request.user == world.coordinator_a


def test_wrong_password_message_in_russian(client, world):
    response = client.post(reverse("login"), {"username": "coord_a", "password": "wrong"})
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль" in response.content.decode()


def test_lockout_after_repeated_wrong_passwords(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "coord_a", "password": "wrong"})
    # Even the right password is refused now.
    response = client.post(reverse("login"), {"username": "coord_a", "password": "secret-pass-123"})
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_lockout_does_not_block_other_users(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "coord_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "coord_b", "password": "secret-pass-123"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "persona,target",
    [
        ("coordinator_a", lambda w: reverse("schools:school", args=[w.school_a1.pk])),
        ("specialist_x", lambda w: reverse("schools:municipality", args=[w.mun_x.pk])),
        ("methodist", lambda w: reverse("schools:list")),
        ("admin", lambda w: reverse("schools:list")),
    ],
)
def test_home_sends_each_role_to_its_start_page(world, client_for, persona, target):
    response = client_for(getattr(world, persona)).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == target(world)


def test_home_for_user_without_role(world, client_for):
    response = client_for(world.nobody).get(reverse("home"))
    assert response.status_code == 403
    assert "не привязана к организации" in response.content.decode()


def test_logout_and_password_change_pages(world, client_for):
    client = client_for(world.coordinator_a)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Смена пароля" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "Nov0e-parol-2017",
            "new_password2": "Nov0e-parol-2017",
        },
    )
    assert response.status_code == 302
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.check_password("Nov0e-parol-2017")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("schools:list")).status_code == 302


def test_role_scope_constraint_in_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bad", role=Role.COORDINATOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bad2", role=Role.SPECIALIST, school=world.school_a1)


def test_methodist_gets_admin_access_to_reference_lists(world, client_for):
    user_apply_role(user=world.methodist)
    world.methodist.refresh_from_db()
    assert world.methodist.is_staff
    assert world.methodist.has_perm("schools.change_school")
    assert not world.methodist.has_perm("accounts.change_user")
    client = client_for(world.methodist)
    assert client.get(reverse("admin:schools_edmssystem_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_coordinator_has_no_admin_access(world, client_for):
    user_apply_role(user=world.coordinator_a)
    response = client_for(world.coordinator_a).get(reverse("admin:index"))
    assert response.status_code == 302  # sent to the admin login


def test_factory_password_usable(db):
    user = UserFactory(username="x1")
    assert user.check_password("secret-pass-123")


def test_home_goes_to_the_open_campaign(world, client_for):
    from tests.factories import campaign

    current = campaign("2017")
    assert client_for(world.coordinator_a).get(reverse("home"))["Location"] == reverse(
        "monitoring:report", args=[current.slug, world.school_a1.pk]
    )
    assert client_for(world.specialist_x).get(reverse("home"))["Location"] == reverse(
        "monitoring:municipality_dashboard", args=[current.slug, world.mun_x.pk]
    )
    assert client_for(world.methodist).get(reverse("home"))["Location"] == reverse(
        "monitoring:dashboard", args=[current.slug]
    )
