"""anonymise_personal_data: contacts of old campaigns are replaced, also in history; idempotent."""

import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from audit.models import AccessEvent
from monitoring.models import ReportBranch, SchoolReport, WorkflowEvent
from monitoring.retention import REMOVED
from tests.factories import campaign, report


@pytest.fixture
def old_and_new(world):
    old = campaign("2010", status="closed")
    new = campaign("2017", previous=old)
    old_report = report(old, world.school_a1, coordinator_skype="coord.skype")
    old_report.responsible_phone = "+7 (3822) 00-00-01"
    old_report.save()  # a second history row
    ReportBranch.objects.create(
        report=old_report,
        branch=world.branch_a1,
        responsible_name="Сидорова Вера Павловна",
        responsible_phone="+7 (3822) 55-03-45",
        responsible_email="branch@example.org",
    )
    WorkflowEvent.objects.create(
        campaign=old,
        report=old_report,
        municipality_id=world.mun_x.pk,
        action=WorkflowEvent.Action.SUBMIT,
        from_state="draft",
        to_state="submitted",
        snapshot={
            "responsible_name": "Петрова Анна Сергеевна",
            "classes_total": 20,
            "branches": {"1": {"name": "Филиал", "responsible_name": "Сидорова Вера Павловна"}},
        },
    )
    new_report = report(new, world.school_a1)
    return old_report, new_report


def _run(*args):
    out = io.StringIO()
    with time_machine.travel("2018-03-01 10:00 +07:00", tick=False):
        call_command("anonymise_personal_data", *args, stdout=out)
    return out.getvalue()


def test_old_campaign_contacts_are_replaced(old_and_new):
    old_report, new_report = old_and_new
    output = _run("--older-than-years", "5")
    old_report.refresh_from_db()
    assert old_report.responsible_name == REMOVED
    assert old_report.coordinator_name == REMOVED
    assert old_report.responsible_phone == ""
    assert old_report.responsible_email == ""
    assert old_report.coordinator_email == ""
    assert old_report.coordinator_skype == ""
    assert old_report.classes_total == 20  # counts stay
    branch = old_report.branch_rows.get()
    assert (branch.responsible_name, branch.responsible_phone, branch.responsible_email) == (REMOVED, "", "")
    for row in SchoolReport.history.filter(id=old_report.pk):
        assert row.responsible_name == REMOVED and row.responsible_phone == ""
    for row in ReportBranch.history.filter(report_id=old_report.pk):
        assert row.responsible_name == REMOVED
    snapshot = WorkflowEvent.objects.get(report=old_report).snapshot
    assert snapshot["responsible_name"] == REMOVED
    assert snapshot["branches"]["1"]["responsible_name"] == REMOVED
    assert snapshot["classes_total"] == 20
    # The recent campaign is untouched.
    new_report.refresh_from_db()
    assert new_report.responsible_name == "Петрова Анна Сергеевна"
    assert "Обезличено: отчётов 1" in output
    entry = AccessEvent.objects.get(kind=AccessEvent.Kind.ANONYMISE)
    assert "отчётов 1" in entry.detail
    assert entry.object_id == "2010"


def test_dry_run_changes_nothing(old_and_new):
    old_report, _ = old_and_new
    output = _run("--older-than-years", "5", "--dry-run")
    old_report.refresh_from_db()
    assert old_report.responsible_name == "Петрова Анна Сергеевна"
    assert "Будет обезличено: отчётов 1, строк филиалов 1" in output
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.ANONYMISE).exists()


def test_second_run_changes_nothing(old_and_new):
    _run("--older-than-years", "5")
    output = _run("--older-than-years", "5")
    assert "отчётов 0, строк филиалов 0, записей истории 0, записей журнала проверки 0" in output


def test_history_of_recent_campaign_untouched(old_and_new):
    _, new_report = old_and_new
    _run("--older-than-years", "5")
    assert all(r.responsible_name != REMOVED for r in SchoolReport.history.filter(id=new_report.pk))


def test_years_must_be_positive(db):
    with pytest.raises(CommandError):
        call_command("anonymise_personal_data", "--older-than-years", "0")
