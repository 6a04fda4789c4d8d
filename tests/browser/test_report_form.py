"""The coordinator's form in a real browser: opening it writes nothing, autosave, nothing typed
is lost without a connection, and the completeness bar."""

import re

import pytest
from playwright.sync_api import expect

from monitoring.models import ReportBranch, SchoolReport
from tests.browser.conftest import login, logout
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SAVED = re.compile(r"Сохранено в \d\d:\d\d|Черновик сохранён в \d\d:\d\d")


@pytest.fixture
def setup(world):
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    last = report(previous, world.school_a1, status="approved", coordinator_phone="")
    ReportBranch.objects.create(report=last, branch=world.branch_a1, system=last.system)
    return current


def edit(page, current, school):
    page.goto(page.base_url + f"/campaigns/{current.slug}/oo/{school.pk}/edit/")


def stored(current, school):
    return SchoolReport.objects.filter(campaign=current, school=school).first()


def test_opening_a_report_leaves_it_not_started(page, world, setup):
    login(page, "coord_a")
    page.goto(page.base_url + f"/campaigns/{setup.slug}/oo/{world.school_a1.pk}/")
    page.get_by_role("link", name="Заполнить отчёт").click()
    expect(page.locator("#id_responsible_name")).to_have_value("Петрова Анна Сергеевна")  # the prefill
    expect(page.locator("#autosave-status")).to_contain_text("будет создан при первом сохранении")
    page.locator("#id_classes_total").focus()  # looking around: focus, leave, no typing
    page.locator("#id_students_total").focus()
    page.wait_for_timeout(4000)  # longer than the autosave interval
    assert stored(setup, world.school_a1) is None

    logout(page)
    login(page, "spec_x")
    page.goto(page.base_url + f"/campaigns/{setup.slug}/dashboard/{world.mun_x.pk}/")
    row = page.get_by_role("row").filter(has_text=world.school_a1.short_name)
    expect(row).to_contain_text("не начат")


def test_typing_without_saving_survives_a_reload(page, world, setup):
    login(page, "coord_a")
    edit(page, setup, world.school_a1)
    page.locator("#id_classes_total").fill("23")  # no blur, no button
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=10000)
    page.reload()
    expect(page.locator("#id_classes_total")).to_have_value("23")
    report_obj = stored(setup, world.school_a1)
    assert report_obj.classes_total == 23
    assert report_obj.responsible_name == "Петрова Анна Сергеевна"  # the prefill is stored with it


def test_offline_input_is_kept_and_sent_when_back_online(page, world, setup):
    login(page, "coord_a")
    edit(page, setup, world.school_a1)
    page.context.set_offline(True)
    page.locator("#id_classes_total").fill("24")
    page.locator("#id_notes").fill("Связь пропадает")
    page.locator("#id_classes_total").focus()  # leaves the notes field: a save is tried
    notice = page.locator("#autosave-offline")
    expect(notice).to_contain_text("Нет связи: введённое сохранено в браузере", timeout=10000)
    kept = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('rcro-report:')).map(k => localStorage.getItem(k))"
    )
    assert len(kept) == 1 and "Связь пропадает" in kept[0]
    assert stored(setup, world.school_a1) is None
    expect(page.locator("#id_notes")).to_have_value("Связь пропадает")

    page.context.set_offline(False)
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=15000)
    expect(notice).to_be_hidden()
    report_obj = stored(setup, world.school_a1)
    assert (report_obj.classes_total, report_obj.notes) == (24, "Связь пропадает")
    assert (
        page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('rcro-report:')).length") == 0
    )


def test_input_typed_while_saves_fail_comes_back_after_reload(page, world, setup):
    login(page, "coord_a")
    edit(page, setup, world.school_a1)
    page.route("**/autosave/", lambda route: route.abort())  # the server cannot be reached
    page.locator("#id_classes_total").fill("26")
    page.locator("#id_notes").focus()
    expect(page.locator("#autosave-offline")).to_contain_text("Нет связи", timeout=10000)
    page.reload()
    expect(page.locator("#id_classes_total")).to_have_value("26")  # restored from the browser
    # Restored, then sent again; while the server is unreachable the notice says so.
    expect(page.locator("#autosave-offline")).to_contain_text(
        re.compile("восстановлено из браузера|Нет связи")
    )
    page.unroute("**/autosave/")
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=15000)
    assert stored(setup, world.school_a1).classes_total == 26


def test_autosave_conflict_keeps_what_was_typed(page, world, setup):
    login(page, "coord_a")
    edit(page, setup, world.school_a1)
    other = page.context.new_page()
    other.goto(page.url)
    other.locator("#id_classes_total").fill("21")
    other.get_by_role("button", name="Сохранить черновик").click()
    expect(other.get_by_text("Сохранено в").or_(other.get_by_text("Черновик сохранён")).first).to_be_visible()
    page.locator("#id_classes_total").fill("25")
    page.locator("#id_notes").focus()
    expect(page.locator("#autosave-error")).to_contain_text("Отчёт был изменён пользователем", timeout=10000)
    expect(page.locator("#id_classes_total")).to_have_value("25")
    kept = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('rcro-report:')).map(k => localStorage.getItem(k))"
    )
    assert any('"25"' in item for item in kept)
    assert stored(setup, world.school_a1).classes_total == 21


def test_completeness_bar_reaches_100(page, world, setup):
    login(page, "coord_a")
    edit(page, setup, world.school_a1)
    bar = page.locator("#progress")
    total = bar.get_attribute("aria-valuemax")
    assert int(bar.get_attribute("aria-valuenow")) == int(total) - 1  # the coordinator's phone
    page.locator("#id_coordinator_phone").fill("+7 (3822) 55-02-34")
    page.locator("#id_notes").focus()
    expect(bar).to_have_attribute("aria-valuenow", total, timeout=10000)
    expect(page.locator("#progress-bar")).to_have_attribute("style", re.compile(r"width: 100%"))
    page.reload()
    expect(bar).to_have_attribute("aria-valuenow", total)


def test_warning_banner_goes_when_every_warning_is_explained(page, world, setup):
    login(page, "coord_a")
    edit(page, setup, world.school_a1)
    page.locator("#id_teacher_workstations").fill("0")
    page.get_by_role("button", name="Сохранить черновик").click()
    banner = page.locator("#warning-summary")
    expect(banner).to_contain_text("Предупреждений без пояснения: 2")
    explanation = page.get_by_label("Пояснение для проверяющего")
    expect(explanation).to_have_count(1)  # one answer for both warnings on the value
    explanation.fill("Учителя работают с личных ноутбуков")
    expect(banner).to_be_hidden()
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=10000)
    page.reload()
    expect(banner).to_be_hidden()
    notes = stored(setup, world.school_a1).warning_notes
    assert set(notes) == {"change:teacher_workstations", "no_teacher_workstations"}


def test_save_button_without_connection_keeps_the_page(page, world, setup):
    login(page, "coord_a")
    edit(page, setup, world.school_a1)
    page.context.set_offline(True)
    page.locator("#id_classes_total").fill("27")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator("#autosave-offline")).to_contain_text("Нет связи")
    expect(page.locator("#id_classes_total")).to_have_value("27")  # still the form, not an error page
    page.context.set_offline(False)
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=15000)
    assert stored(setup, world.school_a1).classes_total == 27
