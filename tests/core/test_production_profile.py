"""The production profile: security headers, caching, error pages, passwords, sessions, lockout,
client addresses behind a proxy and the health endpoint."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.client_ip import client_ip
from tests.factories import campaign, report

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


# --- Content-Security-Policy ------------------------------------------------------------------


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url_name", ["login", "home"])
def test_csp_header_without_inline_scripts(world, client_for, url_name):
    response = client_for(world.methodist).get(reverse(url_name), follow=True)
    policy = _csp(response)
    assert "'self'" in policy["script-src"]
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert "'none'" in policy["object-src"]


def test_csp_header_on_the_anonymous_login_page(client, db):
    response = client.get(reverse("login"))
    assert "unsafe-inline" not in _csp(response)["script-src"]


def test_templates_have_no_inline_scripts_or_handlers():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, re.compile(r"javascript:", re.IGNORECASE)):
            found += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not found


def test_csp_header_without_inline_styles(client, db):
    policy = _csp(client.get(reverse("login")))
    assert "'self'" in policy["style-src"]
    assert "unsafe-inline" not in policy["style-src"]


def test_templates_have_no_inline_styles():
    """No style="…" attributes and no <style> elements: the policy refuses them (widths of progress
    bars are classes, w-pct-N in static/css/portal.css)."""
    patterns = (re.compile(r"\sstyle\s*=", re.IGNORECASE), re.compile(r"<style\b", re.IGNORECASE))
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            found += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not found


def test_progress_bar_width_classes_cover_every_percent():
    css = (TEMPLATES.parent / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert all(f".w-pct-{n} {{ width: {n}%; }}" in css for n in range(101))


# --- Cache-Control ------------------------------------------------------------------------------


@pytest.fixture
def open_campaign(world):
    current = campaign("2017")
    report(current, world.school_a1)
    return current


def _personal_urls(world, current):
    return [
        reverse("home"),
        reverse("monitoring:campaigns"),
        reverse("monitoring:dashboard", args=[current.slug]),
        reverse("monitoring:report", args=[current.slug, world.school_a1.pk]),
        reverse("schools:list"),
        reverse("schools:school", args=[world.school_a1.pk]),
        reverse("schools:municipality", args=[world.mun_x.pk]),
        reverse("reports:export", args=[current.slug]),
        reverse("reports:analytics"),
        reverse("audit:journal"),
        reverse("audit:journal_export"),
    ]


def test_pages_for_signed_in_people_are_not_stored(world, client_for, open_campaign):
    client = client_for(world.methodist)
    for url in _personal_urls(world, open_campaign):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_refused_pages_are_not_stored_either(world, client_for, open_campaign):
    response = client_for(world.coordinator_b).get(
        reverse("monitoring:report", args=[open_campaign.slug, world.school_a1.pk])
    )
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_anonymous_pages_are_private(client, db):
    response = client.get(reverse("login"))
    assert "private" in response["Cache-Control"]


# --- Error pages --------------------------------------------------------------------------------


@pytest.fixture
def production_client(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_404_page_is_russian(production_client, world):
    production_client.force_login(world.methodist)
    response = production_client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Страница не найдена" in html
    assert '<html lang="ru">' in html
    assert "Not Found" not in html


def test_404_for_anonymous_is_russian(production_client, db):
    response = production_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_403_page_is_russian(production_client, world, open_campaign):
    production_client.force_login(world.specialist_x)
    response = production_client.get(reverse("audit:journal"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Доступ запрещён" in html
    assert "Forbidden" not in html


def test_400_page_is_russian(production_client, db):
    response = production_client.get("/", HTTP_HOST="bad host name")
    assert response.status_code == 400
    assert "Неверный запрос" in response.content.decode()


def test_csrf_failure_page_is_russian(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Форма устарела" in response.content.decode()


def test_500_page_is_russian_without_traceback(production_client, world):
    production_client.force_login(world.methodist)
    with mock.patch("rcro_portal.views.current_campaign", side_effect=RuntimeError("boom")):
        response = production_client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Ошибка на сервере" in html
    assert "Traceback" not in html and "boom" not in html


def test_database_outage_answers_russian_503(production_client, world):
    production_client.force_login(world.methodist)
    # The person is read from the database on every request (sessions may be in Redis).
    with mock.patch("django.contrib.auth.get_user", side_effect=OperationalError("connection refused")):
        response = production_client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 503
    assert "Сервис временно недоступен" in html
    assert response["Retry-After"] == "60"
    assert "connection refused" not in html


def test_database_outage_in_a_view_answers_503(production_client, world):
    production_client.force_login(world.methodist)
    with mock.patch("rcro_portal.views.current_campaign", side_effect=OperationalError("gone")):
        response = production_client.get(reverse("home"))
    assert response.status_code == 503
    assert "Сервис временно недоступен" in response.content.decode()


# --- Passwords ----------------------------------------------------------------------------------


def test_password_shorter_than_12_refused_in_russian(db):
    with pytest.raises(ValidationError) as error:
        validate_password("Zx9!qwe7Lm")
    assert "12" in " ".join(error.value.messages)
    assert "Введённый пароль слишком короткий" in " ".join(error.value.messages)


def test_common_password_refused(db):
    with pytest.raises(ValidationError) as error:
        validate_password("password1234")
    assert "слишком широко распространён" in " ".join(error.value.messages)


def test_password_similar_to_the_username_refused(world):
    user = world.specialist_x
    user.username = "konstantinopolsky"
    with pytest.raises(ValidationError) as error:
        validate_password("konstantinopolsky1", user=user)
    assert "похож" in " ".join(error.value.messages)


def test_long_unusual_password_accepted(world):
    validate_password("Тайга-кедр-Обь-2017!", user=world.specialist_x)


def test_password_change_form_refuses_short_password(world, client_for):
    response = client_for(world.methodist).post(
        reverse("password_change"),
        {"old_password": "secret-pass-123", "new_password1": "Qw7!short", "new_password2": "Qw7!short"},
    )
    assert response.status_code == 200
    assert "слишком короткий" in response.content.decode()


# --- Sessions -----------------------------------------------------------------------------------


def test_session_ends_after_idle_time(settings):
    from rcro_portal import settings as portal_settings

    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert 0 < portal_settings.SESSION_REFRESH_SECONDS <= 300


def test_every_request_extends_the_session(world, client, settings):
    client.force_login(world.methodist)
    response = client.get(reverse("schools:list"))
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_session_is_written_again_at_most_once_a_refresh_period(world, client, settings):
    import datetime

    import time_machine
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.SESSION_REFRESH_SECONDS = 60
    client.force_login(world.methodist)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert "sessionid" in client.get(reverse("schools:list")).cookies  # refreshed on the first request
    key = client.cookies["sessionid"].value
    first_expiry = Session.objects.get(session_key=key).expire_date
    soon = start + datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS - 5)
    with time_machine.travel(soon, tick=False):
        response = client.get(reverse("schools:list"))
    assert response.status_code == 200 and "sessionid" not in response.cookies
    assert Session.objects.get(session_key=key).expire_date == first_expiry
    later = start + datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 5)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("schools:list"))
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    assert Session.objects.get(session_key=key).expire_date > first_expiry


def test_idle_session_expires(world, client, settings):
    import datetime

    import time_machine
    from django.utils import timezone

    # Stored in the database here, so the clock can be moved; in Redis the same age is the key's TTL.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client.force_login(world.methodist)
    later = timezone.now() + datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("schools:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_active_session_survives_past_the_idle_time(world, client, settings):
    import datetime

    import time_machine
    from django.utils import timezone

    # Stored in the database here, so the clock can be moved; in Redis the same age is the key's TTL.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client.force_login(world.methodist)
    start = timezone.now()
    step = datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 5)
    for n in (1, 2):
        with time_machine.travel(start + n * step, tick=False):
            response = client.get(reverse("schools:list"))
        assert response.status_code == 200


# --- Lockout and client addresses ---------------------------------------------------------------


def test_lockout_counts_guesses_per_account_across_addresses(client, world, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": "coord_a", "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n + 1}"
        )
    response = client.post(
        reverse("login"), {"username": "coord_a", "password": "secret-pass-123"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 429


def test_forwarded_for_ignored_without_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert client_ip(request) == "198.51.100.7"


def test_forwarded_for_from_trusted_proxy_gives_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.1, 10.0.0.4"
    )
    # The client cannot choose: the first untrusted address from the right is the one the proxy saw.
    assert client_ip(request) == "203.0.113.1"


def test_forwarded_for_from_untrusted_sender_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.0.0.9")
    assert client_ip(request) == "198.51.100.7"


def test_spoofed_forwarded_for_does_not_escape_lockout(client, world, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "coord_b", "password": "wrong"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


# --- Health -------------------------------------------------------------------------------------


@pytest.fixture
def without_broker(settings):
    """Only the database is checked (the worker and Redis checks have their own test below)."""
    settings.REDIS_URL = ""


def test_health_ok_without_sign_in(client, db, without_broker):
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "Database" in response.content.decode()


def test_health_page_is_russian(client, db, without_broker):
    response = client.get(reverse("health"), HTTP_ACCEPT="text/html")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Сервис работает" in html and '<html lang="ru">' in html


def test_health_fails_when_the_database_is_down(client, db, without_broker):
    with mock.patch("health_check.checks.Database.run", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code in (500, 503)


def test_health_checks_cache_and_worker_only_with_a_broker(settings):
    from rcro_portal.health import health_checks

    settings.REDIS_URL = ""
    assert health_checks() == ["health_check.checks.Database"]
    settings.REDIS_URL = "redis://127.0.0.1:6379/11"
    names = [c if isinstance(c, str) else c[0] for c in health_checks()]
    assert "health_check.checks.Cache" in names
    assert "health_check.contrib.celery.Ping" in names


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_health_with_redis_and_a_running_worker(client, real_broker):
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    body = response.json()
    assert response.status_code == 200, body
    assert any("Cache" in name for name in body)
    assert any("Ping" in name for name in body)


def test_exported_file_is_not_stored(world, client_for, open_campaign):
    response = client_for(world.specialist_x).post(
        reverse("reports:export", args=[open_campaign.slug]), {"basis": "accepted"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]


def test_server_process_moves_what_it_loaded_out_of_the_collectors_sight():
    """wsgi.py (and asgi.py) freeze the objects loaded at start: a full garbage collection in a
    request then walks only what requests left."""
    import gc
    import importlib

    import rcro_portal.asgi
    import rcro_portal.wsgi

    for module in (rcro_portal.wsgi, rcro_portal.asgi):
        gc.unfreeze()
        assert gc.get_freeze_count() == 0
        try:
            importlib.reload(module)
            assert gc.get_freeze_count() > 10_000
        finally:
            gc.unfreeze()


def test_russian_dictionaries_are_loaded_when_the_portal_starts():
    """No request, export or справка waits for pymorphy3's dictionaries: the portal's app loads them."""
    from django.apps import apps

    from core import russian

    russian._analyzer.cache_clear()
    apps.get_app_config("rcro_portal").ready()
    assert russian._analyzer.cache_info().currsize == 1


def test_celery_worker_processes_freeze_what_they_loaded():
    import gc

    from celery.signals import worker_process_init

    import rcro_portal.celery  # noqa: F401 - connects the worker's start-up

    gc.unfreeze()
    try:
        worker_process_init.send(sender=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
