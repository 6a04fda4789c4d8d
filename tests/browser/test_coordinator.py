import pytest
from playwright.sync_api import expect

from monitoring.models import ReportBranch, SchoolReport
from tests.browser.conftest import axe_violations, confirm, login
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def setup(world):
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    last = report(previous, world.school_a1, status="approved")
    ReportBranch.objects.create(
        report=last, branch=world.branch_a1, system=last.system, responsible_name="Сидорова Вера Павловна"
    )
    return current


def test_coordinator_fills_saves_and_submits(page, world, setup, shot):
    login(page, "coord_a")
    expect(page.get_by_role("heading", name=world.school_a1.short_name)).to_be_visible()
    page.get_by_role("link", name="Заполнить отчёт").click()
    expect(page.get_by_text("В прошлом году").first).to_be_visible()
    expect(page.locator("#prev-classes_total")).to_contain_text("20")
    shot(page, "coordinator-form")
    assert not axe_violations(page)

    # Inconsistent numbers: refused with a Russian message next to the field, nothing lost.
    page.locator("#id_classes_total").fill("22")
    page.locator("#id_classes_edms").fill("25")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.locator("#row-classes_edms .invalid-feedback")).to_contain_text(
        "Значение графы 9 (25) больше значения графы 8 (22)."
    )
    expect(page.locator("#id_classes_edms")).to_have_value("25")
    expect(page.locator("#error-summary")).to_be_visible()
    shot(page, "coordinator-errors")

    # Fix, confirm last year's values, fill the branch row and an event, explain a warning.
    page.locator("#id_classes_edms").fill("21")
    page.locator("#id_classes_ejournal").fill("21")
    page.locator("#id_teacher_workstations").fill("0")
    page.get_by_label("Подтвердить все значения, перенесённые из прошлого года").check()
    page.locator("#id_event-0-title").fill("Проектная лаборатория")
    page.locator("#id_event-0-students").fill("0")
    page.locator("#id_event-0-teachers").fill("2")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("Рабочих мест учителя 0")).to_be_visible()
    explanations = page.get_by_label("Пояснение для проверяющего")
    expect(explanations).to_have_count(1)  # one for both: no workstations, and the drop against last year
    for i in range(explanations.count()):
        explanations.nth(i).fill("Учителя работают с личных ноутбуков")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_text("Сохранено в")).to_be_visible()

    # Come back: everything is kept.
    page.reload()
    expect(page.locator("#id_classes_total")).to_have_value("22")
    expect(page.locator("#id_event-0-title")).to_have_value("Проектная лаборатория")
    report_obj = SchoolReport.objects.get(campaign=setup, school=world.school_a1)
    assert report_obj.unconfirmed_fields == [] and report_obj.warning_notes

    page.get_by_role("link", name="← к просмотру отчёта").click()
    expect(page.get_by_role("heading", name="История изменений")).to_be_visible()
    expect(page.locator("#h-history + div, #h-history ~ .table-responsive").first).to_contain_text(
        "Общее количество классов"
    )
    page.get_by_role("button", name="Отправить на проверку").click()
    confirm(page)
    expect(page.get_by_text("Отчёт отправлен на проверку.")).to_be_visible()
    expect(page.locator(".badge-state-submitted").first).to_contain_text("на проверке")
    shot(page, "coordinator-submitted")
    assert SchoolReport.objects.get(pk=report_obj.pk).status == "submitted"


def test_second_tab_gets_conflict_message(page, world, setup):
    login(page, "coord_a")
    page.goto(page.base_url + f"/campaigns/{setup.slug}/oo/{world.school_a1.pk}/edit/")
    other = page.context.new_page()
    other.goto(page.url)
    other.locator("#id_classes_total").fill("21")
    other.get_by_role("button", name="Сохранить черновик").click()
    expect(other.get_by_text("Черновик сохранён").or_(other.get_by_text("Сохранено в")).first).to_be_visible()
    page.locator("#id_classes_total").fill("25")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("Отчёт был изменён пользователем")).to_be_visible()
    expect(page.locator("#id_classes_total")).to_have_value("25")


def test_mobile_layout(browser, live_server, world, setup, shot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU", is_mobile=True)
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "coord_a")
    page.goto(page.base_url + f"/campaigns/{setup.slug}/oo/{world.school_a1.pk}/edit/")
    expect(page.locator("#id_classes_total")).to_have_attribute("inputmode", "numeric")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the form is wider than a phone screen: {width}px"
    shot(page, "coordinator-phone")
    context.close()
