"""The coordinator's form: opening it writes nothing, the first save creates the report, autosave,
error counts that agree, the completeness bar, explanations and large changes."""

import re

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import ReportBranch, ReportEvent, SchoolReport
from monitoring.presenters import required_progress
from monitoring.rules import MSG_NOT_A_NUMBER, REQUIRED_ALWAYS, REQUIRED_WHEN_USED
from monitoring.services import VALUE_FIELDS, report_start
from monitoring.views import MSG_STALE_FORM
from tests.monitoring.test_views import detail_url, edit_url, form_data


def autosave_url(campaign, school):
    return reverse("monitoring:report_autosave", args=[campaign.slug, school.pk])


def prefilled_data(campaign, school, **overrides):
    """POST data as the edit page of a report not started yet sends it (its prefill, version 1)."""
    report, rows = services.report_prefilled(campaign=campaign, school=school)
    data = {"version": report.version}
    for name in VALUE_FIELDS:
        value = report.system_id if name == "system" else getattr(report, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data.update({"branch-TOTAL_FORMS": len(rows), "branch-INITIAL_FORMS": len(rows)})
    for i, row in enumerate(rows):
        data[f"branch-{i}-branch_id"] = row.branch_id
        data[f"branch-{i}-system"] = row.system_id or ""
        for name in services.BRANCH_FIELDS[1:]:
            data[f"branch-{i}-{name}"] = getattr(row, name)
    data.update({"event-TOTAL_FORMS": 0, "event-INITIAL_FORMS": 0})
    data.update(overrides)
    return data


# --- opening the form changes nothing -------------------------------------------------------------


def test_opening_the_form_creates_no_report_and_no_history(world, campaigns, client_for):
    _, current, last = campaigns
    client = client_for(world.coordinator_a)
    response = client.get(edit_url(current, world.school_a1))
    html = response.content.decode()
    assert response.status_code == 200
    assert last.responsible_name in html  # the prefill is shown
    assert "Сидорова Вера Павловна" in html  # the branch row too
    assert "не начат" in html
    assert not SchoolReport.objects.filter(campaign=current).exists()
    assert not SchoolReport.history.filter(campaign_id=current.pk).exists()
    assert not ReportBranch.history.filter(report__campaign=current).exists()
    # The report page still says «не начат».
    assert "не начат" in client.get(detail_url(current, world.school_a1)).content.decode()


def test_first_save_creates_the_report_with_its_prefill_and_the_input(world, campaigns, client_for):
    _, current, last = campaigns
    client = client_for(world.coordinator_a)
    client.get(edit_url(current, world.school_a1))
    response = client.post(
        edit_url(current, world.school_a1),
        prefilled_data(current, world.school_a1, classes_total="22", action="draft"),
    )
    assert response.status_code == 302
    report = SchoolReport.objects.get(campaign=current, school=world.school_a1)
    assert report.classes_total == 22
    assert report.responsible_name == last.responsible_name
    assert report.system_id == last.system_id
    assert "classes_total" not in report.unconfirmed_fields  # changed by the user
    assert "students_total" in report.unconfirmed_fields  # still last year's
    assert report.branch_rows.get().responsible_name == "Сидорова Вера Павловна"
    assert report.history.filter(history_user=world.coordinator_a).exists()


def test_second_tab_on_a_not_started_report_gets_conflict(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    tab = prefilled_data(current, world.school_a1, classes_total="21", action="draft")
    other = prefilled_data(current, world.school_a1, classes_total="25", action="draft")
    assert client.post(edit_url(current, world.school_a1), tab).status_code == 302
    response = client.post(edit_url(current, world.school_a1), other)
    assert response.status_code == 409
    assert SchoolReport.objects.get(campaign=current).classes_total == 21


# --- autosave -------------------------------------------------------------------------------------


def test_autosave_creates_and_saves_the_draft(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    response = client.post(
        autosave_url(current, world.school_a1),
        prefilled_data(current, world.school_a1, classes_total="22", students_total="пятьсот"),
    )
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] and data["version"] == 2
    assert re.fullmatch(
        r"Черновик сохранён в \d\d:\d\d\. Есть ошибки \(1\): исправьте их до отправки\.", data["message"]
    )
    assert data["errors"] == 1
    report = SchoolReport.objects.get(campaign=current)
    assert report.classes_total == 22
    assert report.raw_input == {"students_total": "пятьсот"}  # kept as a draft keeps it

    again = client.post(
        autosave_url(current, world.school_a1),
        prefilled_data(current, world.school_a1, version=2, classes_total="23", students_total="500"),
    ).json()
    assert again["ok"] and again["version"] == 3 and again["errors"] == 0
    assert re.fullmatch(r"Сохранено в \d\d:\d\d", again["message"])


def test_autosave_conflict_writes_nothing_and_says_so(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    first = client.post(autosave_url(current, world.school_a1), form_data(report, classes_total="21"))
    assert first.status_code == 200
    response = client.post(autosave_url(current, world.school_a1), form_data(report, classes_total="25"))
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] and body["message"].startswith("Отчёт был изменён пользователем")
    report.refresh_from_db()
    assert report.classes_total == 21


def test_autosave_refused_when_locked_or_malformed(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    assert client.post(autosave_url(current, world.school_a1), {}).json() == {
        "ok": False,
        "message": MSG_STALE_FORM,
    }
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    SchoolReport.objects.filter(pk=report.pk).update(status="submitted")
    response = client.post(autosave_url(current, world.school_a1), form_data(report))
    assert response.status_code == 423
    assert "нельзя изменить" in response.json()["message"]


@pytest.mark.parametrize(("persona", "expected"), [("coordinator_b", 404), ("specialist_x", 403)])
def test_autosave_only_for_the_schools_coordinator(world, campaigns, client_for, persona, expected):
    _, current, _ = campaigns
    response = client_for(getattr(world, persona)).post(
        autosave_url(current, world.school_a1), prefilled_data(current, world.school_a1)
    )
    assert response.status_code == expected
    assert not SchoolReport.objects.filter(campaign=current).exists()


def test_autosave_get_not_allowed(world, campaigns, client_for):
    _, current, _ = campaigns
    assert client_for(world.coordinator_a).get(autosave_url(current, world.school_a1)).status_code == 405


def test_autosave_of_huge_number_is_kept_as_text_not_a_crash(world, campaigns, client_for):
    _, current, _ = campaigns
    response = client_for(world.coordinator_a).post(
        autosave_url(current, world.school_a1),
        prefilled_data(current, world.school_a1, students_total="99999999999999999999"),
    )
    assert response.status_code == 200
    assert SchoolReport.objects.get(campaign=current).raw_input == {"students_total": "99999999999999999999"}


def test_autosave_returns_event_ids_so_rows_are_not_added_twice(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    data = prefilled_data(
        current,
        world.school_a1,
        **{
            "event-TOTAL_FORMS": 2,
            "event-0-title": "Семинар",
            "event-0-students": "1",
            "event-0-teachers": "2",
        },
    )
    first = client.post(autosave_url(current, world.school_a1), data).json()
    event = ReportEvent.objects.get()
    assert first["event_ids"] == {"event-0-id": event.pk}
    data.update({"version": first["version"], "event-0-id": event.pk, "event-0-teachers": "3"})
    assert client.post(autosave_url(current, world.school_a1), data).json()["ok"]
    assert list(ReportEvent.objects.values_list("pk", "teachers")) == [(event.pk, 3)]


def test_autosave_answer_matches_what_is_stored_after_events_are_removed_changed_and_added(
    world, campaigns, client_for
):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    events = {
        "event-TOTAL_FORMS": 3,
        **{
            f"event-{i}-{k}": v
            for i in range(3)
            for k, v in (("title", f"Семинар {i}"), ("students", i), ("teachers", 1))
        },
    }
    data = prefilled_data(current, world.school_a1, **events)
    first = client.post(autosave_url(current, world.school_a1), data).json()
    ids = [first["event_ids"][f"event-{i}-id"] for i in range(3)]
    # The first one removed, the second changed, the third kept, a fourth added.
    data = prefilled_data(
        current,
        world.school_a1,
        **{
            "version": first["version"],
            "event-TOTAL_FORMS": 4,
            **{f"event-{i}-id": pk for i, pk in enumerate(ids)},
            "event-0-title": "Семинар 0",
            "event-0-DELETE": "on",
            "event-1-title": "Семинар 1, изменён",
            "event-1-students": "7",
            "event-2-title": "Семинар 2",
            "event-2-students": "2",
            "event-3-title": "Вебинар",
            "event-3-students": "4",
        },
    )
    second = client.post(autosave_url(current, world.school_a1), data).json()
    report = SchoolReport.objects.get(campaign=current, school=world.school_a1)
    stored = list(report.events.values_list("pk", "title"))
    assert [title for _, title in stored] == ["Семинар 1, изменён", "Семинар 2", "Вебинар"]
    assert second["event_ids"] == {
        "event-1-id": stored[0][0],
        "event-2-id": stored[1][0],
        "event-3-id": stored[2][0],
    }
    assert (second["filled"], second["total"]) == required_progress(
        services.report_values(report), [row.system_id for row in report.branch_rows.all()]
    )


# --- error counts agree ---------------------------------------------------------------------------


def test_error_counts_agree_on_the_form_and_for_the_reviewer(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    response = client.post(
        edit_url(current, world.school_a1),
        prefilled_data(
            current,
            world.school_a1,
            classes_total="10",
            classes_edms="15",
            classes_ejournal="9",
            students_total="пятьсот",
            responsible_email="нет",
            action="draft",
        ),
        follow=True,
    )
    html = response.content.decode()
    assert "Есть ошибки (3)" in html  # the message after saving
    assert "Ошибки в отчёте (3)" in html  # the summary
    summary = html[html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))]
    assert summary.count("<li>") == 3
    assert f"Графа 15: {MSG_NOT_A_NUMBER}" in summary  # names its column like the others
    assert "Графа 9: " in summary and "Графа 7: " in summary
    badges = [int(n) for n in re.findall(r'href="#sec-[a-z]+">[^<(]+\((\d+)\)', html)]
    assert sum(badges) == 3
    assert html.count(MSG_NOT_A_NUMBER) == 2  # in the summary and once beside the field

    reviewer = client_for(world.specialist_x).get(detail_url(current, world.school_a1)).content.decode()
    assert "Ошибки (3)" in reviewer
    assert f"Графа 15: {MSG_NOT_A_NUMBER}" in reviewer
    assert "пятьсот" in reviewer  # the value the coordinator typed, not an older number


def test_branch_errors_count_in_the_branch_section(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    client.post(
        edit_url(current, world.school_a1),
        prefilled_data(
            current, world.school_a1, **{"branch-0-responsible_phone": "звоните", "action": "draft"}
        ),
    )
    html = client.get(edit_url(current, world.school_a1)).content.decode()
    assert "Ошибки в отчёте (1)" in html
    assert re.search(r'href="#sec-branches">[^<(]+\(1\)', html)


# --- completeness ---------------------------------------------------------------------------------


def test_completeness_counts_required_fields_only(world, campaigns):
    _, current, last = campaigns
    values = services.report_values(last)
    total = len(REQUIRED_ALWAYS) + len(REQUIRED_WHEN_USED)
    assert required_progress(values, []) == (total, total)
    assert required_progress(values, [None]) == (total, total + 1)
    assert required_progress({**values, "notes": "", "coordinator_skype": ""}, []) == (total, total)
    assert required_progress({**values, "classes_total": None}, [last.system_id]) == (total, total + 1)
    assert required_progress(None, []) == (0, total)


def test_completeness_bar_reaches_100_when_required_fields_filled(world, campaigns, client_for):
    _, current, last = campaigns
    client = client_for(world.coordinator_a)
    client.post(
        edit_url(current, world.school_a1),
        prefilled_data(current, world.school_a1, **{"branch-0-system": last.system_id, "action": "draft"}),
    )
    page = client.get(edit_url(current, world.school_a1)).content.decode()
    filled = re.search(r'aria-valuenow="(\d+)" aria-valuemin="0" aria-valuemax="(\d+)"', page)
    assert filled.group(1) == filled.group(2)
    assert 'class="progress-bar w-pct-100"' in page


# --- warnings -------------------------------------------------------------------------------------


def test_one_explanation_answers_every_warning_on_a_value(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    client.post(
        edit_url(current, world.school_a1),
        prefilled_data(current, world.school_a1, teacher_workstations="0", action="draft"),
    )
    html = client.get(edit_url(current, world.school_a1)).content.decode()
    name = "explain__change:teacher_workstations|no_teacher_workstations"
    assert html.count('name="explain__') == 1 and f'name="{name}"' in html
    assert 'Предупреждений без пояснения: <span id="unexplained-count">2</span>' in html
    assert 'class="alert alert-warning" role="status" id="warning-summary"' in html
    report = SchoolReport.objects.get(campaign=current)
    data = form_data(report, action="draft", **{name: "Учителя работают с личных ноутбуков"})
    assert client.post(edit_url(current, world.school_a1), data).status_code == 302
    report.refresh_from_db()
    assert {code: note["text"] for code, note in report.warning_notes.items()} == {
        "change:teacher_workstations": "Учителя работают с личных ноутбуков",
        "no_teacher_workstations": "Учителя работают с личных ноутбуков",
    }
    html = client.get(edit_url(current, world.school_a1)).content.decode()
    assert 'class="alert alert-warning d-none" role="status" id="warning-summary"' in html
    assert 'value="Учителя работают с личных ноутбуков"' in html


def test_large_change_is_shown_as_check_not_green(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    client.post(
        edit_url(current, world.school_a1),
        prefilled_data(current, world.school_a1, classes_total="40", classes_edms="21", action="draft"),
    )
    html = client.get(edit_url(current, world.school_a1)).content.decode()
    row = html[html.index('id="prev-classes_total"') :]
    row = row[: row.index("</div>")]
    assert "delta-large" in row and "проверьте" in row and "delta-up" not in row
    small = html[html.index('id="prev-classes_edms"') :]
    small = small[: small.index("</div>")]
    assert "delta-up" in small and "проверьте" not in small


def test_autosave_of_garbage_is_a_draft_not_a_crash(world, campaigns, client_for):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    data = prefilled_data(
        current,
        world.school_a1,
        system="999999",
        entry_frequency="x",
        paper_journal="7",
        classes_total="-5",
        responsible_name="Я" * 500,
        **{
            "branch-0-system": "zzz",
            "event-TOTAL_FORMS": 1,
            "event-0-title": "",
            "event-0-students": "много",
        },
    )
    response = client.post(autosave_url(current, world.school_a1), data)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["errors"] >= 5
    report = SchoolReport.objects.get(campaign=current)
    assert report.classes_total == -5
    assert set(report.raw_input) == {"system", "entry_frequency", "paper_journal", "responsible_name"}
    assert client.get(edit_url(current, world.school_a1)).status_code == 200
    assert client_for(world.specialist_x).get(detail_url(current, world.school_a1)).status_code == 200
