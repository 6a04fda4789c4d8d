"""A municipality's introduction programme in a real browser: the specialist creates it with dated
targets, adds a stage and a target, deletes a target and changes the order; the school fills
readiness, registers an application and submits its progress report with a problem in the table;
the specialist returns it with a comment, then accepts it; the progress table shows the school
against its targets; a reporting date with reports and a school with data are not deleted."""

import pytest
from playwright.sync_api import expect

from programmes.models import Programme, ProgressReport
from tests.browser.conftest import axe_violations, confirm, login, logout

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_programme_report_returned_then_accepted(page, world, shot):
    # The specialist creates the programme: order, schools, reporting dates, dated targets.
    login(page, "spec_x")
    page.get_by_role("link", name="Программа внедрения").first.click()
    page.get_by_role("link", name="Новая программа").click()
    page.get_by_label("Номер приказа").fill("256")
    page.get_by_label("Дата приказа").fill("2025-03-26")
    page.get_by_label(world.school_a1.short_name).check()
    page.get_by_label(world.school_a2.short_name).check()
    page.get_by_label("Даты отчётов").fill("15.05.2025\n20.09.2025")
    page.get_by_label("Цель 1: к дате").fill("2025-05-15")
    page.get_by_label("Цель 2: к дате").fill("2025-09-20")
    page.get_by_role("button", name="Создать программу").click()
    expect(page.get_by_text("Программа создана.")).to_be_visible()
    expect(page.get_by_text("Активация родителей в системе: 30–40 % к 15.05.2025")).to_be_visible()
    expect(page.get_by_role("cell", name="Назначение ответственного лица", exact=True)).to_be_visible()
    programme = Programme.objects.get()

    # On the programme's page: a stage with its deadline, a target for teachers, one target deleted.
    page.locator("summary", has_text="Добавить этап").click()
    page.get_by_label("Этап", exact=True).select_option(label="Основной этап")
    page.get_by_label("Мероприятие").fill("Родительское собрание по электронному дневнику")
    page.get_by_label("Срок").fill("2025-04-20")
    page.get_by_role("button", name="Добавить этап").click()
    expect(page.get_by_text("Сохранено.")).to_be_visible()
    expect(page.get_by_role("row", name="Родительское собрание по электронному дневнику")).to_contain_text(
        "20.04.2025"
    )
    page.locator("summary", has_text="Добавить целевое значение").click()
    page.get_by_label("Показатель").select_option(label="Педагоги, работающие в системе")
    page.get_by_label("К дате").fill("2025-05-15")
    page.get_by_label("От, %").fill("70")
    page.get_by_label("До, %").fill("100")
    page.get_by_role("button", name="Добавить цель").click()
    expect(page.get_by_text("Педагоги, работающие в системе: 70–100 % к 15.05.2025")).to_be_visible()
    page.get_by_role(
        "button", name="Удалить целевое значение: Активация родителей в системе: 41–60 % к 20.09.2025"
    ).click()
    confirm(page)
    expect(page.get_by_text("Целевое значение удалено.")).to_be_visible()
    expect(page.get_by_text("41–60 % к 20.09.2025")).to_have_count(0)
    shot(page, "programme-detail", full_page=True)
    assert not axe_violations(page)

    # The order's number changes after the programme is created.
    page.get_by_role("link", name="Изменить приказ и участников").click()
    page.get_by_label("Номер приказа").fill("256-1")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Сохранено.")).to_be_visible()
    expect(page.get_by_text("приказ № 256-1 от 26.03.2025")).to_be_visible()
    logout(page)

    # The coordinator: readiness, one application, the report on 15.05.2025 submitted.
    login(page, "coord_a")
    page.get_by_role("link", name="Программа внедрения").click()
    expect(page.get_by_role("heading", name=world.school_a1.short_name)).to_be_visible()
    page.get_by_role("link", name="Готовность (условия)").click()
    page.get_by_role(
        "checkbox", name="Работа компьютерной сети Интернет (проводной и/или беспроводной)"
    ).check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Сохранено.")).to_be_visible()
    page.get_by_role("link", name=f"← {world.school_a1.short_name}").click()
    page.get_by_role("link", name="Журнал заявлений родителей").click()
    page.get_by_label("Регистрационный номер").fill("1")
    page.get_by_label("Дата регистрации").fill("2025-05-05")
    page.get_by_label("Класс", exact=True).fill("2а")
    page.get_by_label("Как сообщить логин").select_option("phone")
    page.get_by_label("Согласие на обработку персональных данных").check()
    page.get_by_role("button", name="Зарегистрировать").click()
    expect(page.get_by_text("Заявление зарегистрировано.")).to_be_visible()
    page.get_by_role("link", name=f"← {world.school_a1.short_name}").click()
    page.get_by_role("button", name="Заполнить отчёт на 15.05.2025").click()
    expect(page.get_by_text("В журнале заявлений на эту дату: 1")).to_be_visible()
    expect(page.get_by_label("8. Зарегистрировано заявлений родителей")).to_have_value("1")
    page.get_by_label("1. Ответственное лицо (ФИО, должность)").fill(
        "Иванова Мария Сергеевна, зам. директора"
    )
    page.get_by_label("2. Система").select_option(label="«Электронная школа» (ТЭШ)")
    page.get_by_label("13. Педагоги, работающие в системе, %").fill("80")
    page.get_by_label("14. Активация родителей, % от имеющих возможность").fill("25")
    page.get_by_label("Проблема 1", exact=True).fill("Не у всех родителей есть доступ к интернету")
    page.get_by_label("Решение 1", exact=True).fill("Частично: консультационный пункт в школе")
    shot(page, "programme-report-form")
    assert not axe_violations(page)
    page.get_by_role("button", name="Сохранить и отправить в МОУО").click()
    expect(page.get_by_text("Отчёт отправлен на проверку.")).to_be_visible()
    report = ProgressReport.objects.get()
    assert report.status == "submitted" and report.applications_registered == 1
    logout(page)

    # The specialist returns it with a comment.
    login(page, "spec_x")
    page.goto(page.base_url + f"/programmes/{programme.pk}/")
    page.get_by_role("link", name="на проверке").click()
    page.get_by_label("Комментарий для организации (обязательно)").fill("Пункт 14: укажите классы")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_text("Отчёт возвращён на доработку.")).to_be_visible()
    logout(page)

    # The coordinator sees the comment, corrects and submits again.
    login(page, "coord_a")
    page.goto(page.base_url + f"/programmes/report/{report.pk}/")
    expect(page.get_by_text("Пункт 14: укажите классы").first).to_be_visible()
    page.get_by_role("link", name="Редактировать").click()
    page.get_by_label("14. Классы (активация)").fill("1–4")
    expect(page.get_by_label("Проблема 1", exact=True)).to_have_value(
        "Не у всех родителей есть доступ к интернету"
    )
    page.get_by_label("Решение 1", exact=True).fill("Полностью: логины выданы на собраниях")
    page.get_by_role("button", name="Сохранить и отправить в МОУО").click()
    expect(page.get_by_text("Отчёт отправлен на проверку.")).to_be_visible()
    expect(page.locator("#problems-table")).to_contain_text("Полностью: логины выданы на собраниях")
    shot(page, "programme-report", full_page=True)
    logout(page)

    # The specialist accepts it; the progress table shows the school behind its 30–40 % target.
    login(page, "spec_x")
    page.goto(page.base_url + f"/programmes/report/{report.pk}/")
    page.get_by_role("button", name="Принять отчёт").click()
    expect(page.get_by_text("Отчёт принят.")).to_be_visible()
    page.goto(page.base_url + f"/programmes/{programme.pk}/progress/?as_of=2025-06-01")
    row = page.locator("#progress-table tbody tr", has_text=world.school_a1.short_name)
    expect(row).to_contain_text("25 %")
    expect(row).to_contain_text("цель 30–40 % к 15.05.2025")
    expect(row).to_contain_text("80 %")
    expect(row).to_contain_text("цель 70–100 % к 15.05.2025")
    expect(row).to_contain_text("отстаёт")
    other = page.locator("#progress-table tbody tr", has_text=world.school_a2.short_name)
    expect(other).to_contain_text("нет принятого")
    shot(page, "programme-progress")
    assert not axe_violations(page)

    # Nothing recorded is lost: the date with the accepted report and the school stay.
    page.goto(page.base_url + f"/programmes/{programme.pk}/")
    page.get_by_role("button", name="Удалить дату отчёта 15.05.2025").click()
    confirm(page)
    expect(
        page.get_by_text("Дату 15.05.2025 нельзя удалить: на неё уже есть 1 отчёт организаций")
    ).to_be_visible()
    page.get_by_role("link", name="Изменить приказ и участников").click()
    page.get_by_label(world.school_a1.short_name).uncheck()
    page.get_by_role("button", name="Сохранить").click()
    expect(
        page.get_by_text(f"Организацию «{world.school_a1.short_name}» нельзя исключить из программы")
    ).to_be_visible()
    expect(page.get_by_label("Номер приказа")).to_have_value("256-1")
    assert programme.participants.count() == 2 and programme.reporting_dates.count() == 2
