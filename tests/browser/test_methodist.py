import pytest
from docx import Document
from playwright.sync_api import expect

from monitoring import workflow
from monitoring.models import Campaign, MunicipalityReview
from tests.browser.conftest import axe_violations, confirm, login
from tests.factories import campaign, report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def setup(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    previous = campaign("2016", status="closed")
    current = campaign("2017", previous=previous)
    for school in (world.school_a1, world.school_a2):
        report(previous, school, status="approved")
        report(current, school, status="approved")
    workflow.municipality_submit(
        campaign=current, municipality=world.mun_x, user=world.specialist_x, missing_ids=[], reason=""
    )
    return current


def test_methodist_cycle(page, world, setup, shot):
    login(page, "meth")
    page.get_by_role("link", name="Мониторинги").first.click()
    page.get_by_role("link", name="Создать мониторинг").click()
    page.get_by_label("Название").fill("Мониторинг использования СЭД по состоянию на 01.09.2018")
    page.get_by_label("Код").fill("2018")
    page.get_by_label("Учебный год").fill("2018-2019")
    page.get_by_label("По состоянию на").fill("2018-09-01")
    page.get_by_label("Срок предоставления").fill("2018-09-20")
    page.get_by_label("Предыдущий мониторинг").select_option(label=setup.title)
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("создан")).to_be_visible()
    page.get_by_role("button", name="Открыть сбор данных").click()
    expect(page.get_by_text("идёт сбор").first).to_be_visible()
    assert Campaign.objects.get(slug="2018").status == "open"

    page.goto(page.base_url + f"/campaigns/{setup.slug}/dashboard/")
    expect(page.get_by_role("heading", name="Сводка по области")).to_be_visible()
    expect(page.locator("#dashboard tfoot")).to_contain_text("Итого")
    shot(page, "methodist-dashboard")
    assert not axe_violations(page)
    page.get_by_role("link", name="Город Томск").click()
    page.get_by_role("button", name="Принять данные МОУО").click()
    confirm(page)
    expect(page.get_by_text("приняты")).to_be_visible()
    assert MunicipalityReview.objects.get(campaign=setup, municipality=world.mun_x).state == "accepted"

    page.goto(page.base_url + "/tables/analytics/")
    page.get_by_label("Мониторинг").select_option(label=setup.title)
    page.get_by_role("button", name="Сформировать справку").click()
    expect(page.get_by_role("link", name="Скачать DOCX")).to_be_visible(timeout=60000)
    expect(page.get_by_role("heading", name="Результаты мониторинга использования СЭД")).to_be_visible()
    shot(page, "methodist-analytics", full_page=False)
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать DOCX").click()
    text = "\n".join(p.text for p in Document(info.value.path()).paragraphs)
    assert "Аналитическая справка" in text and "100,0%" in text
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать XLSX").click()
    import openpyxl

    with open(info.value.path(), "rb") as fh:
        wb = openpyxl.load_workbook(fh)
    assert "Сводка" in wb.sheetnames


def test_login_page_is_accessible(page, db, shot):
    page.goto(page.base_url + "/accounts/login/")
    expect(page.get_by_role("heading", name="Вход в систему мониторинга")).to_be_visible()
    shot(page, "login")
    assert not axe_violations(page)


def test_methodist_manages_a_pilot_site(page, world, shot):
    from projects.models import PilotSite, Project

    project = Project.objects.get()
    login(page, "meth")
    page.goto(page.base_url + f"/project/{project.pk}/sites/")
    page.get_by_role("link", name="Добавить ПВП").click()
    page.get_by_label("Организация").select_option(label=f"{world.school_a1.short_name} (Город Томск)")
    page.get_by_label("Вид соглашения").select_option(label="трёхстороннее (РЦРО — разработчик — ОО)")
    page.get_by_label("Система при вступлении в сеть").select_option(label="«Электронная школа» (ТЭШ)")
    page.get_by_label("Дата вступления в сеть").fill("2015-05-22")
    page.get_by_label("Основание включения в сеть").fill("Распоряжение № 360-р от 22.05.2015")
    page.get_by_role("button", name="Включить в сеть").click()
    site = PilotSite.objects.get(school=world.school_a1)
    page.goto(page.base_url + f"/project/{project.pk}/sites/")
    expect(page.get_by_role("link", name=world.school_a1.short_name)).to_be_visible()
    shot(page, "methodist-pilot-sites")
    assert not axe_violations(page)
    page.goto(page.base_url + f"/project/{project.pk}/sites/{site.pk}/end/")
    page.get_by_label("Дата выхода из сети").fill("2016-12-01")
    page.get_by_label("Причина").fill("Перешла на систему «Дневник.ру»")
    page.get_by_role("button", name="Прекратить соглашение").click()
    site.refresh_from_db()
    assert site.left_on.isoformat() == "2016-12-01" and "Дневник.ру" in site.leave_reason


@pytest.mark.parametrize("persona", ["meth", "coord_a"])
def test_main_pages_have_no_serious_accessibility_problems(page, world, setup, persona):
    from projects.models import Project

    project = Project.objects.get()
    pages = {
        "meth": [
            "/campaigns/",
            f"/campaigns/{setup.slug}/",
            f"/campaigns/{setup.slug}/oo/{world.school_a1.pk}/",
            f"/tables/{setup.slug}/export/",
            f"/tables/{setup.slug}/import/",
            "/tables/analytics/",
            f"/project/{project.pk}/",
            f"/project/{project.pk}/sites/",
            f"/project/{project.pk}/network/",
            f"/project/{project.pk}/reconciliation/",
            "/orgs/",
        ],
        "coord_a": [f"/campaigns/{setup.slug}/oo/{world.school_a1.pk}/", "/project/assignments/my/"],
    }[persona]
    login(page, persona)
    problems = {}
    for url in pages:
        page.goto(page.base_url + url)
        found = axe_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
