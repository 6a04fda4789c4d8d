"""The review screens in the browser: confirmations, dashboards that fit, per-field comments."""

import pytest
from playwright.sync_api import expect

from monitoring.models import MunicipalityReview, SchoolReport
from tests.browser.conftest import axe_violations, login
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_submit_waits_for_confirmation(page, world):
    current = campaign("2017", participants=[world.school_a1, world.school_a2])
    r = report(current, world.school_a1)
    login(page, "coord_a")
    page.goto(page.base_url + f"/campaigns/{current.slug}/oo/{world.school_a1.pk}/")
    page.get_by_role("button", name="Отправить на проверку").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("будет отправлен на проверку")
    assert not axe_violations(page)
    dialog.get_by_role("button", name="Отмена").click()
    expect(dialog).to_be_hidden()
    assert SchoolReport.objects.get(pk=r.pk).status == "draft"
    page.get_by_role("button", name="Отправить на проверку").click()
    dialog.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Отчёт отправлен на проверку.")).to_be_visible()
    assert SchoolReport.objects.get(pk=r.pk).status == "submitted"


def test_handover_dialog_tells_numbers(page, world):
    current = campaign("2017", participants=[world.school_a1, world.school_a2])
    report(current, world.school_a1, status="approved")
    report(current, world.school_a2, status="approved")
    login(page, "spec_x")
    page.goto(page.base_url + f"/campaigns/{current.slug}/dashboard/{world.mun_x.pk}/")
    page.get_by_role("button", name="Передать в РЦРО").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Будут переданы в РЦРО 2 отчёта")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert MunicipalityReview.objects.filter(state="submitted").count() == 0
