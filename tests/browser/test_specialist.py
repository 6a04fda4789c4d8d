import io

import openpyxl
import pytest
from playwright.sync_api import expect

from monitoring import workflow
from monitoring.models import MunicipalityReview, SchoolReport
from monitoring.services import ReportInput, report_save, report_values
from tests.browser.conftest import axe_violations, confirm, login
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def setup(world):
    previous = campaign("2016", status="closed")
    current = campaign(
        "2017", previous=previous, participants=[world.school_a1, world.school_a2, world.school_b1]
    )
    report(previous, world.school_a1, status="approved")
    a1 = report(
        current,
        world.school_a1,
        teacher_workstations=0,
        warning_notes={
            "no_teacher_workstations": {"text": "Учителя работают с личных ноутбуков", "source": "form"},
            "change:teacher_workstations": {"text": "Старые компьютеры списаны", "source": "form"},
        },
    )
    workflow.report_submit(report_id=a1.pk, user=world.coordinator_a)
    a2 = report(current, world.school_a2, status="approved")
    return current, a1, a2


def test_specialist_reviews_and_hands_over(page, world, setup, shot):
    current, a1, a2 = setup
    login(page, "spec_x")
    page.goto(page.base_url + f"/campaigns/{current.slug}/dashboard/")
    expect(page.get_by_role("heading", name="Город Томск")).to_be_visible()
    shot(page, "specialist-dashboard")
    assert not axe_violations(page)
    page.get_by_role("link", name=world.school_a1.short_name).click()
    expect(page.get_by_text("Рабочих мест учителя 0")).to_be_visible()
    expect(page.get_by_text("Учителя работают с личных ноутбуков")).to_be_visible()
    page.get_by_label("Комментарий для организации (обязательно)").fill("Уточните число педагогов (графа 17)")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_text("Отчёт возвращён на доработку.")).to_be_visible()

    # The coordinator fixes the report and submits it again.
    fresh = SchoolReport.objects.get(pk=a1.pk)
    report_save(
        report_id=a1.pk,
        user=world.coordinator_a,
        data=ReportInput(values=report_values(fresh) | {"teachers_total": 41}),
        expected_version=fresh.version,
        draft=False,
    )
    workflow.report_submit(report_id=a1.pk, user=world.coordinator_a)

    page.reload()
    expect(page.get_by_text("Изменения с")).to_be_visible()
    expect(page.locator("#h-diff").locator("xpath=../..")).to_contain_text("Общее количество педагогов")
    shot(page, "specialist-diff")
    page.get_by_role("button", name="Принять отчёт").click()
    confirm(page)
    expect(page.get_by_text("Отчёт принят.")).to_be_visible()

    page.goto(page.base_url + f"/campaigns/{current.slug}/dashboard/{world.mun_x.pk}/")
    page.get_by_role("button", name="Передать в РЦРО").click()
    confirm(page)
    expect(page.get_by_text("Данные МОУО переданы в РЦРО.")).to_be_visible()
    assert MunicipalityReview.objects.get(campaign=current, municipality=world.mun_x).state == "submitted"

    page.goto(page.base_url + f"/tables/{current.slug}/export/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Скачать .xlsx").click()
    with open(info.value.path(), "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    ws = wb.worksheets[0]
    assert [ws.cell(4, c).value for c in range(1, 26)] == list(range(1, 26))
    names = [ws.cell(r, 3).value for r in range(5, ws.max_row + 1) if ws.cell(r, 3).value]
    assert any(world.school_a1.short_name in n for n in names)
    assert not any(n.startswith(world.school_b1.short_name) for n in names)


def test_hand_over_with_missing_schools(page, world, shot):
    current = campaign("2017", participants=[world.school_a1, world.school_a2])
    report(current, world.school_a1, status="approved")
    login(page, "spec_x")
    page.goto(page.base_url + f"/campaigns/{current.slug}/dashboard/{world.mun_x.pk}/")
    page.locator("#handover summary").click()
    page.get_by_label("Отметить все (1)").check()
    expect(page.get_by_label(world.school_a2.short_name)).to_be_checked()
    page.get_by_label("Причина").fill("Школа на капитальном ремонте")
    page.get_by_role("button", name="Передать в РЦРО").click()
    confirm(page)
    expect(page.get_by_text("Данные МОУО переданы в РЦРО.")).to_be_visible()
    review = MunicipalityReview.objects.get(campaign=current, municipality=world.mun_x)
    assert review.state == "submitted" and list(review.missing_schools.all()) == [world.school_a2]
