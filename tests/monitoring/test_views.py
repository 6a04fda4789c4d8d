import pytest
from django.core.management import call_command
from django.urls import reverse

from monitoring.models import Campaign, ReportEvent, SchoolReport
from monitoring.services import VALUE_FIELDS, report_start
from tests.factories import BranchFactory


def form_data(report, **overrides):
    """POST data as the edit page would send it for ``report``."""
    data = {"version": report.version}
    for name in VALUE_FIELDS:
        value = getattr(report, name)
        if name == "system":
            value = report.system_id
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    rows = list(report.branch_rows.all())
    data.update({"branch-TOTAL_FORMS": len(rows), "branch-INITIAL_FORMS": len(rows)})
    for i, row in enumerate(rows):
        data[f"branch-{i}-branch_id"] = row.branch_id
        data[f"branch-{i}-system"] = row.system_id or ""
        for name in ("responsible_name", "responsible_position", "responsible_phone", "responsible_email"):
            data[f"branch-{i}-{name}"] = getattr(row, name)
    events = list(report.events.all())
    data.update({"event-TOTAL_FORMS": len(events), "event-INITIAL_FORMS": len(events)})
    for i, event in enumerate(events):
        data.update(
            {
                f"event-{i}-id": event.pk,
                f"event-{i}-title": event.title,
                f"event-{i}-students": event.students,
                f"event-{i}-teachers": event.teachers,
            }
        )
    data.update(overrides)
    return data


def edit_url(campaign, school):
    return reverse("monitoring:report_edit", args=[campaign.slug, school.pk])


def detail_url(campaign, school):
    return reverse("monitoring:report", args=[campaign.slug, school.pk])


def open_form(client_for, world, current):
    """Coordinator A opens the edit page and the report is started (as its first save does);
    returns the client and the report."""
    client = client_for(world.coordinator_a)
    client.get(edit_url(current, world.school_a1))
    return client, report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)


# --- scope -----------------------------------------------------------------------------------

REPORT_VIEWERS = {
    "coordinator_a": {"school_a1"},
    "coordinator_b": {"school_b1"},
    "specialist_x": {"school_a1", "school_a2"},
    "specialist_y": {"school_b1", "school_b2"},
    "methodist": {"school_a1", "school_a2", "school_b1", "school_b2"},
    "nobody": set(),
}


@pytest.mark.parametrize("persona", REPORT_VIEWERS)
@pytest.mark.parametrize("school", ["school_a1", "school_a2", "school_b1", "school_b2"])
def test_report_page_scope(world, campaigns, client_for, persona, school):
    _, current, _ = campaigns
    response = client_for(getattr(world, persona)).get(detail_url(current, getattr(world, school)))
    assert response.status_code == (200 if school in REPORT_VIEWERS[persona] else 404)


@pytest.mark.parametrize(
    "persona,school,expected",
    [
        ("coordinator_a", "school_a1", 200),
        ("coordinator_a", "school_a2", 404),
        ("coordinator_a", "school_b1", 404),
        ("coordinator_b", "school_a1", 404),
        ("specialist_x", "school_a1", 403),  # may view, may not edit
        ("specialist_y", "school_a1", 404),
        ("methodist", "school_a1", 403),
        ("nobody", "school_a1", 404),
    ],
)
def test_report_edit_scope(world, campaigns, client_for, persona, school, expected):
    _, current, _ = campaigns
    client = client_for(getattr(world, persona))
    assert client.get(edit_url(current, getattr(world, school))).status_code == expected
    # An empty or forged POST is refused (400 for the owner: no version, no management form).
    assert client.post(edit_url(current, getattr(world, school)), {}).status_code == (
        400 if expected == 200 else expected
    )
    if expected != 200:
        assert not SchoolReport.objects.filter(campaign=current, school=getattr(world, school)).exists()


def test_specialist_sees_only_own_schools_in_campaign(world, campaigns, client_for):
    _, current, _ = campaigns
    html = (
        client_for(world.specialist_x)
        .get(reverse("monitoring:campaign", args=[current.slug]))
        .content.decode()
    )
    assert world.school_a1.short_name in html and world.school_a2.short_name in html
    assert world.school_b1.short_name not in html


def test_coordinator_campaign_page_goes_to_own_report(world, campaigns, client_for):
    _, current, _ = campaigns
    response = client_for(world.coordinator_a).get(reverse("monitoring:campaign", args=[current.slug]))
    assert response["Location"] == detail_url(current, world.school_a1)


def test_preparing_campaign_hidden_from_schools(world, client_for):
    from tests.factories import campaign

    campaign("2019", status="preparing")
    for persona in ("coordinator_a", "specialist_x"):
        client = client_for(getattr(world, persona))
        assert client.get(reverse("monitoring:campaign", args=["2019"])).status_code == 404
    assert client_for(world.methodist).get(reverse("monitoring:campaign", args=["2019"])).status_code == 200


@pytest.mark.parametrize("persona", ["coordinator_a", "specialist_x", "nobody"])
def test_only_methodists_manage_campaigns(world, campaigns, client_for, persona):
    _, current, _ = campaigns
    client = client_for(getattr(world, persona))
    assert client.get(reverse("monitoring:campaign_create")).status_code == 403
    assert client.post(reverse("monitoring:campaign_status", args=[current.slug, "close"])).status_code == 403
    assert client.get(reverse("monitoring:campaign_edit", args=[current.slug])).status_code == 403
    current.refresh_from_db()
    assert current.status == Campaign.Status.OPEN


def test_methodist_creates_opens_and_closes_campaign(world, campaigns, client_for):
    previous, current, _ = campaigns
    client = client_for(world.methodist)
    response = client.post(
        reverse("monitoring:campaign_create"),
        {
            "title": "Мониторинг 2018",
            "slug": "2018",
            "academic_year": "2018-2019",
            "as_of": "01.09.2018",
            "deadline": "2018-09-20",
            "previous": current.pk,
            "participant_municipalities": [world.mun_x.pk],
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="2018")
    assert campaign.previous == current
    assert set(campaign.participants.all()) == {world.school_a1, world.school_a2}
    client.post(reverse("monitoring:campaign_status", args=["2018", "open"]))
    campaign.refresh_from_db()
    assert campaign.status == "open"
    client.post(reverse("monitoring:campaign_status", args=["2018", "close"]))
    campaign.refresh_from_db()
    assert campaign.status == "closed"


def test_campaign_form_keeps_input_and_explains_errors(world, client_for):
    response = client_for(world.methodist).post(
        reverse("monitoring:campaign_create"),
        {
            "title": "Осенний мониторинг",
            "slug": "2018",
            "academic_year": "2018",
            "as_of": "01.09.2018",
            "deadline": "01.08.2018",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Осенний мониторинг" in html
    assert "Срок предоставления не может быть раньше" in html
    assert "Укажите учебный год в виде 2017-2018." in html
    assert not Campaign.objects.filter(slug="2018").exists()


# --- the form --------------------------------------------------------------------------------


def test_edit_page_shows_last_year_values_and_prefill(world, campaigns, client_for):
    _, current, last = campaigns
    response = client_for(world.coordinator_a).get(edit_url(current, world.school_a1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "В прошлом году" in html
    assert "из прошлого года" in html
    assert last.responsible_name in html
    assert "Сидорова Вера Павловна" in html  # the branch row, carried over
    assert "Заполнено" in html


def test_inconsistent_numbers_refused_with_messages_and_nothing_lost(world, campaigns, client_for):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    response = client.post(
        edit_url(current, world.school_a1),
        form_data(report, classes_total="1 0", classes_edms="15", students_total="abc", action="save"),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Значение графы 9 (15) больше значения графы 8 (10)." in html
    assert "Введите целое число" in html
    assert 'value="abc"' in html and 'value="15"' in html
    report.refresh_from_db()
    assert report.classes_edms == 20  # nothing written


def test_draft_keeps_invalid_input_across_visits(world, campaigns, client_for):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    response = client.post(
        edit_url(current, world.school_a1),
        form_data(report, classes_total="10", classes_edms="15", students_total="abc", action="draft"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.classes_total, report.classes_edms) == (10, 15)
    assert report.raw_input == {"students_total": "abc"}
    html = client.get(edit_url(current, world.school_a1)).content.decode()
    assert 'value="abc"' in html
    assert "Значение графы 9 (15) больше значения графы 8 (10)." in html


def test_numbers_with_spaces_accepted_and_saved(world, campaigns, client_for):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    response = client.post(
        edit_url(current, world.school_a1),
        form_data(
            report,
            students_total="1 234",
            students_edms="1\u00a0200",
            parents_edms="1 100",
            confirm_all="on",
            action="save",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report.refresh_from_db()
    assert report.students_total == 1234 and report.students_edms == 1200
    assert report.unconfirmed_fields == []
    page = client.get(detail_url(current, world.school_a1)).content.decode()
    assert "1\u00a0234" in page
    assert "История изменений" in page and "Общее количество обучающихся" in page


def test_system_change_without_note_refused(world, campaigns, client_for):
    from schools.models import EdmsSystem

    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    dnevnik = EdmsSystem.objects.get(code="dnevnik")
    response = client.post(
        edit_url(current, world.school_a1),
        form_data(report, system=dnevnik.pk, confirm_all="on", action="save"),
    )
    assert response.status_code == 422
    assert "укажите в примечании (графа 25) причину смены системы" in response.content.decode()
    report.refresh_from_db()
    assert report.system.code == "tesh"


def test_second_tab_gets_conflict_message(world, campaigns, client_for):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    tab1 = form_data(report, classes_total="21", action="draft")
    tab2 = form_data(report, classes_total="25", action="draft")
    assert client.post(edit_url(current, world.school_a1), tab1).status_code == 302
    response = client.post(edit_url(current, world.school_a1), tab2)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Отчёт был изменён пользователем" in html
    assert 'value="25"' in html  # what the second tab typed is still in the form
    report.refresh_from_db()
    assert report.classes_total == 21


def test_warning_explanation_saved_and_shown_to_reviewer(world, campaigns, client_for):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    response = client.post(
        edit_url(current, world.school_a1),
        form_data(
            report,
            teacher_workstations="0",
            action="draft",
            **{"explain__no_teacher_workstations": "Учителя работают с личных ноутбуков"},
        ),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.warning_notes["no_teacher_workstations"]["text"] == "Учителя работают с личных ноутбуков"
    html = client_for(world.specialist_x).get(detail_url(current, world.school_a1)).content.decode()
    assert "Рабочих мест учителя 0" in html
    assert "Учителя работают с личных ноутбуков" in html


def test_events_added_and_removed(world, campaigns, client_for):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    data = form_data(report, action="draft")
    data.update(
        {
            "event-TOTAL_FORMS": 2,
            "event-INITIAL_FORMS": 0,
            "event-0-title": "Проектная лаборатория",
            "event-0-students": "0",
            "event-0-teachers": "2",
            "event-1-title": "",
            "event-1-students": "",
            "event-1-teachers": "",
        }
    )
    assert client.post(edit_url(current, world.school_a1), data).status_code == 302
    event = ReportEvent.objects.get(report=report)
    assert (event.title, event.teachers) == ("Проектная лаборатория", 2)
    report.refresh_from_db()
    data = form_data(report, action="draft")
    data["event-0-DELETE"] = "on"
    assert client.post(edit_url(current, world.school_a1), data).status_code == 302
    assert not ReportEvent.objects.filter(report=report).exists()


def test_negative_event_count_rejected_but_report_kept(world, campaigns, client_for):
    _, current, _ = campaigns
    client, report = open_form(client_for, world, current)
    data = form_data(report, classes_total="22", action="draft")
    data.update(
        {
            "event-TOTAL_FORMS": 1,
            "event-INITIAL_FORMS": 0,
            "event-0-title": "Конкурс",
            "event-0-students": "-4",
            "event-0-teachers": "1",
        }
    )
    response = client.post(edit_url(current, world.school_a1), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="-4"' in html
    report.refresh_from_db()
    assert report.classes_total == 22
    # The page shown again carries the new version, so fixing the row and saving is not a conflict.
    assert f'name="version" value="{report.version}"' in html
    data.update({"version": report.version, "event-0-students": "4"})
    assert client.post(edit_url(current, world.school_a1), data).status_code == 302


def test_edit_page_query_count_constant(world, campaigns, client_for, django_assert_max_num_queries):
    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    client.get(edit_url(current, world.school_a1))

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(edit_url(current, world.school_a1)).status_code == 200
            assert client.get(detail_url(current, world.school_a1)).status_code == 200
        return len(ctx)

    small = count_queries()
    report = report_start(campaign=current, school=world.school_a1)
    small = count_queries()
    for i in range(6):
        BranchFactory(school=world.school_a1)
        ReportEvent.objects.create(report=report, title=f"Семинар {i}", students=i, teachers=1)
    report_start(campaign=current, school=world.school_a1)  # a save adds the rows of the new branches
    assert count_queries() == small


def test_create_campaign_command(world, capsys):
    call_command(
        "create_campaign",
        "--slug",
        "2017",
        "--title",
        "Мониторинг 2017",
        "--as-of",
        "2017-09-01",
        "--deadline",
        "2017-09-20",
        "--open",
    )
    call_command(
        "create_campaign",
        "--slug",
        "2018",
        "--title",
        "Мониторинг 2018",
        "--as-of",
        "2018-09-01",
        "--deadline",
        "2018-09-20",
        "--previous",
        "2017",
    )
    c2017, c2018 = Campaign.objects.get(slug="2017"), Campaign.objects.get(slug="2018")
    assert c2017.status == "open" and c2017.academic_year == "2017-2018"
    assert c2018.previous == c2017 and c2018.status == "preparing"
    assert c2017.participants.count() == 4
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="не найден"):
        call_command(
            "create_campaign",
            "--slug",
            "x",
            "--title",
            "x",
            "--as-of",
            "2018-09-01",
            "--deadline",
            "2018-09-20",
            "--previous",
            "nope",
        )


def test_draft_save_query_budget(world, campaigns, client_for):
    """A coordinator's save of the form (a draft) reads and writes in a fixed number of queries,
    whatever the number of branch rows; the version check and the history stay."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rcro_portal.bench_runs import _form_data

    _, current, _ = campaigns
    client = client_for(world.coordinator_a)
    report = report_start(campaign=current, school=world.school_a1)

    def save(note):
        report.refresh_from_db()
        data = _form_data(report) | {"notes": note}
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(edit_url(current, world.school_a1), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        LAST[:] = ["\n".join(q["sql"][:90] for q in ctx.captured_queries)]
        return len(ctx)

    small = save("первое")
    assert small <= SAVE_QUERY_BUDGET, LAST[0]
    for _ in range(6):
        BranchFactory(school=world.school_a1)
    report_start(campaign=current, school=world.school_a1)  # rows for the new branches
    assert save("второе") == small
    report.refresh_from_db()
    assert report.notes == "второе"
    assert report.history.count() >= 3  # every save is in the history
    stale = _form_data(report) | {"version": report.version - 1, "notes": "устаревшее"}
    assert client.post(edit_url(current, world.school_a1), stale).status_code == 409
    report.refresh_from_db()
    assert report.notes == "второе"  # a form built on an older version writes nothing


# Session, user, campaign, school with branches, the municipality's state (rights, lock), the
# report with its rows and events, the systems, then in the transaction: the report locked, the
# lock rule, last year's values, the registry, the vendor's figures, the update, its history,
# the branch rows, the events, and the session saved (22); the test's own transaction turns the
# save's and the session's transactions into savepoints (4 statements more).
SAVE_QUERY_BUDGET = 26
LAST = [""]
