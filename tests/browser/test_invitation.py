"""A coordinator invited by e-mail follows the link, sets a password, logs in by address."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Zelen0e-Yabloko-17"


def test_invited_coordinator_sets_password_and_sees_only_their_school(
    page, world, live_server, settings, shot
):
    settings.PORTAL_BASE_URL = live_server.url
    current = campaign("2017")
    report(
        current,
        world.school_a2,
        coordinator_email="Koord.A2@School.example",
        coordinator_name="Смирнова Ольга Ивановна",
    )
    out = StringIO()
    call_command("invite_coordinators", "--campaign", current.slug, "--municipality", "tomsk", stdout=out)
    assert "Отправлено: 1 приглашение" in out.getvalue()

    (message,) = mail.outbox
    assert message.to == ["koord.a2@school.example"]
    link = re.search(re.escape(live_server.url) + r"/accounts/invitation/\d+/\w+/", message.body).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", name="Задайте пароль")).to_be_visible()
    expect(page.get_by_text(world.school_a2.short_name)).to_be_visible()
    assert not axe_violations(page)
    page.locator("#id_new_password1").fill("12345678")
    page.locator("#id_new_password2").fill("12345678")
    page.get_by_role("button", name="Задать пароль").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Задать пароль").click()
    expect(page.get_by_text("Пароль задан")).to_be_visible()
    shot(page, "invitation-accepted")

    # The link works once.
    page.goto(link)
    expect(page.get_by_text("Эта ссылка уже использована")).to_be_visible()

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Имя пользователя или e-mail").fill("KOORD.A2@school.example")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name=world.school_a2.short_name)).to_be_visible()

    page.goto(live_server.url + "/orgs/")
    table = page.locator("table")
    expect(table).to_contain_text(world.school_a2.short_name)
    for other in (world.school_a1, world.school_b1, world.school_b2):
        expect(table).not_to_contain_text(other.short_name)
    response = page.goto(live_server.url + f"/orgs/{world.school_a1.pk}/")
    assert response.status == 404
    assert page.goto(live_server.url + "/people/").status == 403


def test_specialist_invites_coordinators_from_people_page(page, world, live_server, settings, shot):
    from tests.browser.conftest import login

    settings.PORTAL_BASE_URL = live_server.url
    current = campaign("2017")
    report(current, world.school_a2, coordinator_email="koord.a2@school.example")
    report(current, world.school_b2, coordinator_email="koord.b2@school.example")
    login(page, "spec_x")
    page.get_by_role("link", name="Люди").click()
    expect(page.get_by_role("heading", name="Люди")).to_be_visible()
    expect(page.locator("#people")).to_contain_text(world.school_a1.short_name)
    expect(page.locator("#people")).not_to_contain_text(world.school_b1.short_name)
    assert not axe_violations(page)
    page.get_by_role("link", name="Пригласить координаторов").click()
    expect(page.locator("#candidates")).to_contain_text("koord.a2@school.example")
    expect(page.locator("#candidates")).not_to_contain_text("koord.b2@school.example")
    assert not axe_violations(page)
    page.get_by_role("button", name="Все школы без активного координатора").click()
    expect(page.get_by_text("Отправлено: 1 приглашение")).to_be_visible()
    shot(page, "people-invite-coordinators")
    assert [m.to for m in mail.outbox] == [["koord.a2@school.example"]]
    page.get_by_role("link", name="Учётные записи").click()
    expect(page.locator("#people")).to_contain_text("приглашён")
