"""Logging in by e-mail address, lockout, and password reset by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.parametrize("login", ["coord_a@test.example", "COORD_A@Test.Example", " coord_a@test.example "])
def test_login_by_email_any_case(client, world, login):
    response = client.post(reverse("login"), {"username": login, "password": "secret-pass-123"})
    assert response.status_code == 302
    assert response.wsgi_request.user == world.coordinator_a


def test_login_by_username_still_works_and_wrong_password_refused(client, world):
    assert (
        client.post(reverse("login"), {"username": "coord_a", "password": "secret-pass-123"}).status_code
        == 302
    )
    client.logout()
    response = client.post(reverse("login"), {"username": "coord_a@test.example", "password": "wrong"})
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль" in response.content.decode()


def test_address_shared_by_two_accounts_logs_in_nobody_by_address(client, world):
    UserFactory(username="twin", email="COORD_A@test.example")
    response = client.post(
        reverse("login"), {"username": "coord_a@test.example", "password": "secret-pass-123"}
    )
    assert response.status_code == 200
    assert (
        client.post(reverse("login"), {"username": "coord_a", "password": "secret-pass-123"}).status_code
        == 302
    )


def test_inactive_user_cannot_log_in_by_email(client, world):
    world.coordinator_a.is_active = False
    world.coordinator_a.save()
    response = client.post(
        reverse("login"), {"username": "coord_a@test.example", "password": "secret-pass-123"}
    )
    assert response.status_code == 200


def test_lockout_with_email_login(client, world, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        login = "coord_a@test.example" if i % 2 else "COORD_A@TEST.EXAMPLE"
        client.post(reverse("login"), {"username": login, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "coord_a@test.example", "password": "secret-pass-123"}
    )
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    # The same account by username is locked as well; other people are not.
    response = client.post(reverse("login"), {"username": "coord_a", "password": "secret-pass-123"})
    assert response.status_code == 429
    response = client.post(
        reverse("login"), {"username": "coord_b@test.example", "password": "secret-pass-123"}
    )
    assert response.status_code == 302


def test_lockout_by_username_covers_email_login(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "coord_a", "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": "Coord_A@test.example", "password": "secret-pass-123"}
    )
    assert response.status_code == 429


def test_login_page_offers_password_reset(client, db):
    html = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in html
    assert "Имя пользователя или e-mail" in html


def _reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_password_reset_does_not_reveal_whether_address_exists(client, world, settings):
    settings.PORTAL_BASE_URL = "https://monitoring.example"
    known = _reset(client, "COORD_A@test.example")
    unknown = _reset(client, "nobody-here@test.example")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(known.content.decode()) == strip(unknown.content.decode())
    assert "Проверьте почту" in known.content.decode()
    (message,) = mail.outbox
    assert message.to == ["coord_a@test.example"]
    assert "Восстановление пароля" in message.subject
    assert "https://monitoring.example/accounts/password/reset/" in message.body


def test_password_reset_link_sets_new_password(client, world):
    _reset(client, "coord_a@test.example")
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert "Новый пароль" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "Nov0e-Yabloko-17", "new_password2": "Nov0e-Yabloko-17"}, follow=True
    )
    assert "Пароль изменён" in done.content.decode()
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.check_password("Nov0e-Yabloko-17")
    # The link works once.
    again = client.get(link, follow=True)
    assert "Ссылка недействительна" in again.content.decode()


def test_workflow_links_use_portal_base_url(settings):
    from core.links import portal_domain_and_protocol, portal_url

    settings.PORTAL_BASE_URL = "https://monitoring.example:8443/"
    assert portal_url("/campaigns/") == "https://monitoring.example:8443/campaigns/"
    assert portal_domain_and_protocol() == ("monitoring.example:8443", "https")


def test_login_updates_last_login_without_history_record(client, world):
    before = world.coordinator_a.history.count()
    client.post(reverse("login"), {"username": "coord_a@test.example", "password": "secret-pass-123"})
    world.coordinator_a.refresh_from_db()
    assert world.coordinator_a.last_login is not None
    assert world.coordinator_a.history.count() == before


def test_signed_in_user_comes_with_school_and_municipality(world, django_assert_num_queries):
    from accounts.backends import EmailOrUsernameBackend

    backend = EmailOrUsernameBackend()
    with django_assert_num_queries(1):
        coordinator = backend.get_user(world.coordinator_a.pk)
        assert coordinator.school.short_name == world.school_a1.short_name
    with django_assert_num_queries(1):
        specialist = backend.get_user(world.specialist_x.pk)
        assert specialist.municipality.name == world.mun_x.name
    world.nobody.is_active = False
    world.nobody.save()
    assert backend.get_user(world.nobody.pk) is None
    assert backend.get_user(10**9) is None
