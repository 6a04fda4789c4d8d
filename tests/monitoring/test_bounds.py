"""Dangerous input in the report form: a NUL character, a count beyond the documented range, an
endless text. A draft keeps readable input; nothing dangerous reaches the database, never a 500."""

import pytest
from django.db import connection

from core.bounds import COUNT_MAX, MSG_CONTROL_CHARS, MSG_COUNT_RANGE
from core.errors import ServiceError
from monitoring.models import SchoolReport
from monitoring.services import ReportInput, report_save
from tests.monitoring.test_views import edit_url, form_data, open_form

HUGE = str(2**31)


def _draft(client, url, report, **overrides):
    return client.post(url, form_data(report, action="draft", **overrides))


@pytest.mark.parametrize(
    "field,value,action",
    [
        ("responsible_name", "Иванов\x00 Иван", "draft"),
        ("responsible_name", "Иванов\x00 Иван", "save"),
        ("notes", "строка\x00", "draft"),
        ("coordinator_skype", "a\x07b", "draft"),
        ("classes_total", HUGE, "draft"),
        ("classes_total", HUGE, "save"),
        ("students_total", str(COUNT_MAX + 1), "draft"),
        ("teachers_total", "-" + HUGE, "draft"),
        ("other_modules_text", "x" * 40_000, "draft"),
        ("explain__some_warning", "пояснение\x00", "draft"),
        ("event-0-title", "Олимпиада\x00", "draft"),
        ("event-0-students", HUGE, "draft"),
    ],
)
def test_dangerous_input_is_refused_not_500(client_for, world, campaigns, field, value, action):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    before = SchoolReport.objects.get(pk=report.pk)
    extra = {"event-TOTAL_FORMS": 1, "event-INITIAL_FORMS": 0, "event-0-title": "Олимпиада"}
    response = client.post(
        edit_url(current, world.school_a1), form_data(report, action=action, **{**extra, field: value})
    )
    assert response.status_code in (200, 302, 422)
    report.refresh_from_db()
    stored = [str(getattr(report, name)) for name in ("responsible_name", "notes", "coordinator_skype")]
    assert not any("\x00" in s for s in stored)
    assert "\x00" not in str(report.raw_input) and "\x00" not in str(report.warning_notes)
    assert all(len(str(v)) <= 1000 for v in report.raw_input.values())
    for name in ("classes_total", "students_total", "teachers_total"):
        value_now = getattr(report, name)
        assert value_now is None or abs(value_now) <= COUNT_MAX
    assert not any("\x00" in e.title for e in report.events.all())
    assert not report.events.filter(students__gt=COUNT_MAX).exists()
    if action == "save":
        assert report.version == before.version  # refused whole
        assert response.status_code == 422


def test_huge_count_in_draft_is_kept_as_text_with_russian_message(client_for, world, campaigns):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    url = edit_url(current, world.school_a1)
    response = _draft(client, url, report, classes_total=HUGE)
    assert response.status_code in (200, 302)
    report.refresh_from_db()
    assert report.classes_total is None or report.classes_total <= COUNT_MAX
    assert report.raw_input["classes_total"] == HUGE
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_data(report, action="save", classes_total=HUGE))
    assert response.status_code == 422
    assert MSG_COUNT_RANGE.format(max=f"{COUNT_MAX:,}".replace(",", "\u00a0")) in response.content.decode()


def test_nul_in_text_gives_russian_message(client_for, world, campaigns):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    response = client.post(
        edit_url(current, world.school_a1), form_data(report, action="save", responsible_name="a\x00b")
    )
    assert response.status_code == 422
    assert MSG_CONTROL_CHARS in response.content.decode()


@pytest.mark.parametrize(
    "values",
    [
        {"classes_total": 2**31},
        {"classes_total": -(2**31)},
        {"notes": "a\x00"},
        {"responsible_name": "x" * 5000},
    ],
)
def test_service_guard_refuses_out_of_range(world, campaigns, values):
    """No door (form, import, script) can write what the database would choke on."""
    _, current, _ = campaigns
    from monitoring.services import report_start

    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    with pytest.raises(ServiceError):
        report_save(
            report_id=report.pk,
            user=world.coordinator_a,
            data=ReportInput(values=values),
            expected_version=None,
            draft=True,
        )
    report.refresh_from_db()
    assert report.classes_total is None or abs(report.classes_total) <= COUNT_MAX


def test_service_guard_refuses_nul_in_raw_input_and_events(world, campaigns):
    _, current, _ = campaigns
    from monitoring.services import report_start

    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    for data in (
        ReportInput(values={}, raw_input={"classes_total": "1\x00"}),
        ReportInput(values={}, explanations={"x": "\x00"}),
        ReportInput(values={}, events=[{"id": None, "title": "Т", "students": 2**31, "teachers": 0}]),
        ReportInput(values={}, branches={world.branch_a1.pk: {"responsible_name": "\x00"}}),
    ):
        with pytest.raises(ServiceError):
            report_save(
                report_id=report.pk, user=world.coordinator_a, data=data, expected_version=None, draft=True
            )


@pytest.mark.postgres
@pytest.mark.parametrize("field,value", [("responsible_name", "a\x00b"), ("classes_total", HUGE)])
def test_draft_on_postgresql_answers_without_500(client_for, world, campaigns, field, value):
    """PostgreSQL refuses NUL in text and integers ≥ 2^31 outright: the draft must not send them."""
    if connection.vendor != "postgresql":
        pytest.skip("нужен PostgreSQL: SQLite принимает и NUL, и большие числа")
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    response = _draft(client, edit_url(current, world.school_a1), report, **{field: value})
    assert response.status_code in (200, 302)
    report.refresh_from_db()
    assert "\x00" not in report.responsible_name
