"""Progress against the dated targets, the Excel export, the region's summary, reminders and demo."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from programmes import selectors, services
from programmes.models import Programme, ProgressReminder, ProgressReport
from programmes.tasks import send_progress_reminders

from .conftest import D1, D2, D3, fill

pytestmark = pytest.mark.django_db


def _accepted(entry, date, world, system, **values):
    report = services.progress_report_start(
        participant_id=entry.pk, reporting_date_id=date.pk, user=world.coordinator_a
    )
    fill(report, world.coordinator_a, system, **values)
    services.progress_report_submit(report_id=report.pk, user=world.coordinator_a)
    return services.progress_report_approve(report_id=report.pk, user=world.specialist_x)


def test_targets_vs_latest_accepted_values(programme, entry_a1, entry_a2, dates, world, system):
    _accepted(entry_a1, dates[0], world, system, parents_activated_pct=20)
    _accepted(entry_a1, dates[1], world, system, parents_activated_pct=45)
    # Before the first target is due nobody is behind.
    early = selectors.progress_table(user=world.specialist_x, programme=programme, as_of=D1)
    assert not early.behind
    assert early.rows[0].cells[0].next_target.min_percent == 30
    # On D2 the 30–40 % target is due: a1 has 45 (fine), a2 has no accepted report (behind).
    table = selectors.progress_table(user=world.specialist_x, programme=programme, as_of=D2)
    by_school = {row.participant.school_id: row for row in table.rows}
    a1, a2 = by_school[world.school_a1.pk], by_school[world.school_a2.pk]
    assert a1.cells[0].value == 45 and a1.cells[0].target.min_percent == 30 and not a1.behind
    assert a2.cells[0].value is None and a2.behind
    assert [row.participant.school_id for row in table.behind] == [world.school_a2.pk]
    assert table.total[0].value == 45
    # On D3 the 41–60 % target applies to the same accepted value.
    later = selectors.progress_table(user=world.specialist_x, programme=programme, as_of=D3)
    a1_later = next(row for row in later.rows if row.participant.school_id == world.school_a1.pk)
    assert a1_later.cells[0].target.min_percent == 41 and not a1_later.behind


def test_value_below_the_due_target_is_behind(client_for, programme, entry_a1, dates, world, system):
    _accepted(entry_a1, dates[1], world, system, parents_activated_pct=25)
    table = selectors.progress_table(user=world.specialist_x, programme=programme, as_of=D2)
    row = next(r for r in table.rows if r.participant.pk == entry_a1.pk)
    assert row.behind and row.cells[0].behind
    page = client_for(world.specialist_x).get(
        reverse("programmes:progress", args=[programme.pk]), {"as_of": D2.isoformat()}
    )
    body = page.content.decode()
    assert '<td class="table-danger">25 % <span class="small fw-semibold">ниже цели</span>' in body


def test_coordinator_sees_only_own_row(programme, world):
    table = selectors.progress_table(user=world.coordinator_a, programme=programme, as_of=D2)
    assert [row.participant.school_id for row in table.rows] == [world.school_a1.pk]


def test_excel_export_of_the_progress_table(client_for, programme, entry_a1, dates, world, system):
    _accepted(entry_a1, dates[1], world, system, parents_activated_pct=45)
    response = client_for(world.specialist_x).get(
        reverse("programmes:progress", args=[programme.pk]), {"as_of": "2012-09-20", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Организация"
    names = [r[0] for r in rows[1:]]
    assert world.school_a1.short_name in names and world.school_a2.short_name in names
    a1 = next(r for r in rows if r[0] == world.school_a1.short_name)
    assert a1[2] == 45 and a1[3] == "30–40 % к 20.09.2012" and a1[-1] == "нет"
    a2 = next(r for r in rows if r[0] == world.school_a2.short_name)
    assert a2[-1] == "да"
    # Another municipality's specialist cannot export it.
    assert (
        client_for(world.specialist_y)
        .get(reverse("programmes:progress", args=[programme.pk]), {"format": "xlsx"})
        .status_code
        == 404
    )


def test_region_summary(programme, entry_a1, dates, world, system):
    _accepted(entry_a1, dates[0], world, system, parents_activated_pct=20)
    rows = selectors.region_summary(user=world.methodist, as_of=D1 + datetime.timedelta(days=1))
    assert len(rows) == 1
    row = rows[0]
    assert row.schools == 2 and row.states == {"approved": 1} and row.missing == 1
    assert row.parents_activated == 20
    assert selectors.region_summary(user=world.specialist_y, as_of=D1) == []


def test_reminders_for_late_reports(programme, entry_a1, dates, world, system, mailoutbox, time_machine):
    time_machine.move_to(datetime.datetime(2012, 5, 20, 10, 0, tzinfo=datetime.UTC))
    from tests.factories import UserFactory

    UserFactory(username="coord_a2", role="coordinator", school=world.school_a2)
    _accepted(entry_a1, dates[0], world, system, parents_activated_pct=20)
    assert send_progress_reminders() == 1
    assert len(mailoutbox) == 1 and "coord_a2@test.example" in mailoutbox[0].to
    assert ProgressReminder.objects.count() == 1
    # Not again within a week.
    assert send_progress_reminders() == 0
    time_machine.move_to(datetime.datetime(2012, 5, 28, 10, 0, tzinfo=datetime.UTC))
    assert send_progress_reminders() == 1


def test_reminder_task_has_time_limits():
    assert send_progress_reminders.soft_time_limit and send_progress_reminders.time_limit


def test_demo_seeding_is_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Programme.objects.count() == 1
    programme = Programme.objects.get()
    states = set(
        ProgressReport.objects.filter(participant__programme=programme).values_list("status", flat=True)
    )
    assert states == {"draft", "submitted", "approved", "returned"}
    assert programme.reporting_dates.count() >= 3 and programme.targets.exists() and programme.stages.exists()
