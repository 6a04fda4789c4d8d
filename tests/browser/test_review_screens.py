"""The review screens in the browser: confirmations, dashboards that fit, per-field comments."""

import pytest
from playwright.sync_api import expect

from monitoring.models import MunicipalityReview, SchoolReport
from tests.browser.conftest import axe_violations, login
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_submit_waits_for_confirmation(page, world, shot):
    current = campaign("2017", participants=[world.school_a1, world.school_a2])
    r = report(current, world.school_a1)
    login(page, "coord_a")
    page.goto(page.base_url + f"/campaigns/{current.slug}/oo/{world.school_a1.pk}/")
    page.get_by_role("button", name="Отправить на проверку").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("будет отправлен на проверку")
    shot(page, "coordinator-confirm-submit")
    assert not axe_violations(page)
    dialog.get_by_role("button", name="Отмена").click()
    expect(dialog).to_be_hidden()
    assert SchoolReport.objects.get(pk=r.pk).status == "draft"
    page.get_by_role("button", name="Отправить на проверку").click()
    dialog.get_by_role("button", name="Отправить на проверку").click()
    expect(page.get_by_text("Отчёт отправлен на проверку.")).to_be_visible()
    assert SchoolReport.objects.get(pk=r.pk).status == "submitted"
    history = page.locator("#h-history").locator("xpath=..").inner_text()
    assert "на проверке" in history
    for code in ("draft", "submitted", "approved", "returned"):
        assert code not in history


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


def test_field_comment_appears_beside_its_field_for_the_coordinator(page, world, shot):
    current = campaign("2017", participants=[world.school_a1])
    r = report(current, world.school_a1, status="submitted")
    login(page, "spec_x")
    page.goto(page.base_url + f"/campaigns/{current.slug}/oo/{world.school_a1.pk}/")
    row = page.locator("#row-teachers_total + dd")
    row.get_by_text("Замечание к полю").click()
    row.get_by_label("Замечание: Общее количество педагогов").fill("Сверьте с штатным расписанием")
    page.get_by_label("Комментарий для организации (обязательно)").fill("Есть замечания к полям")
    shot(page, "specialist-field-comment")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_text("Отчёт возвращён на доработку.")).to_be_visible()
    assert SchoolReport.objects.get(pk=r.pk).status == "returned"

    page.context.clear_cookies()
    login(page, "coord_a")
    page.goto(page.base_url + f"/campaigns/{current.slug}/oo/{world.school_a1.pk}/edit/")
    expect(page.locator("#open-comments")).to_contain_text("Графа 17")
    expect(page.locator("#row-teachers_total")).to_contain_text("Сверьте с штатным расписанием")
    shot(page, "coordinator-field-comments")
    page.locator("#open-comments").get_by_role("link", name="Графа 17: Общее количество педагогов").click()
    expect(page.locator("#row-teachers_total .field-comment")).to_be_in_viewport()


def test_dashboards_fit_1366_without_horizontal_scroll(browser, live_server, world, shot):
    from schools.models import Municipality
    from tests.factories import SchoolFactory

    for municipality in Municipality.objects.all():
        SchoolFactory(
            municipality=municipality,
            short_name=f"МБОУ «Средняя общеобразовательная школа № 38» ({municipality.code})",
        )
    current = campaign("2017")
    report(current, world.school_a1, status="submitted")
    report(current, world.school_a2, status="approved")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ru-RU")
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "meth")
    for path in (
        f"/campaigns/{current.slug}/dashboard/",
        f"/campaigns/{current.slug}/dashboard/{world.mun_x.pk}/",
    ):
        page.goto(page.base_url + path)
        fits = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
            " ...Array.from(document.querySelectorAll('.table-responsive'), e => e.scrollWidth - e.clientWidth)]"
        )
        assert fits[0] <= fits[1], f"{path}: the page scrolls sideways ({fits[0]} > {fits[1]})"
        assert all(extra <= 0 for extra in fits[2:]), f"{path}: the table scrolls sideways by {fits[2:]}"
    page.goto(page.base_url + f"/campaigns/{current.slug}/dashboard/")
    expect(page.locator("#dashboard thead")).to_contain_text("Состояние МОУО")
    expect(page.locator("#dashboard tbody tr").first.locator("td").last).to_be_in_viewport()
    shot(page, "methodist-dashboard-1366")
    assert not axe_violations(page)
    context.close()
