"""End-to-end tests in Debian's Chromium driven by Playwright, against ``live_server``.

Locally they skip with a message when Chromium is missing; CI sets RCRO_REQUIRE_BROWSER=1 and a
missing browser is then an error. Screenshots of key screens go to test-artifacts/screenshots/.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# (arranging data) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("RCRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium не найден ({CHROMIUM}): установите пакет chromium (apt-get install -y chromium)."
        if os.environ.get("RCRO_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="ru-RU",
        timezone_id="Asia/Tomsk",
        accept_downloads=True,
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    # The Content-Security-Policy must not block anything the portal itself uses.
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert not refused, f"CSP blocked: {refused}"


@pytest.fixture
def shot(request):
    """Save a screenshot: ``shot(page, "coordinator-form")``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, full_page=False):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def login(page, username, password="secret-pass-123"):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("networkidle")


def logout(page):
    page.context.clear_cookies()


def axe_violations(page, impacts=("serious", "critical")):
    """Accessibility problems axe-core finds on the current page (only the serious ones)."""
    # From the portal's own static files: the Content-Security-Policy refuses inline scripts.
    page.add_script_tag(url=page.base_url + "/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in result["violations"]
        if v.get("impact") in impacts
    ]


@pytest.fixture(scope="session")
def _serialized_db_contents(django_db_setup):
    from django.db import connections

    return {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}


@pytest.fixture(autouse=True)
def _keep_serialized_db_contents(_serialized_db_contents):
    """Playwright's sync API switches execution contexts, and Django's per-context connection object
    can then be a fresh one without the serialized copy of the test database that
    ``serialized_rollback`` restores from. Put the copy back before the database is torn down."""
    yield
    from django.db import connections

    for alias, contents in _serialized_db_contents.items():
        if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents


def confirm(page):
    """Answer «Подтвердить» in the confirmation dialog of an irreversible step."""
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    dialog.locator("[data-confirm-ok]").click()
