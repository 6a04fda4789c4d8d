import pytest

from monitoring import services
from monitoring.models import ReportBranch, SchoolReport
from monitoring.services import ReportInput, report_save, report_start, report_values
from schools.models import EdmsSystem


def _input(report, **changes):
    values = report_values(report)
    values.update(changes)
    return ReportInput(values=values)


def test_report_starts_prefilled_from_last_year(world, campaigns):
    previous, current, last = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    assert report.system == last.system
    assert report.responsible_name == last.responsible_name
    assert report.coordinator_email == last.coordinator_email
    assert report.classes_total == last.classes_total
    assert "classes_total" in report.unconfirmed_fields
    assert "students_total" in report.unconfirmed_fields
    assert "responsible_name" not in report.unconfirmed_fields
    row = report.branch_rows.get()
    assert row.branch == world.branch_a1
    assert row.responsible_name == "Сидорова Вера Павловна"
    assert row.system == last.system
    # Starting again changes nothing.
    again = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    assert again.pk == report.pk
    assert again.branch_rows.count() == 1


def test_report_without_previous_starts_empty_with_branch_rows(world, campaigns):
    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_b1, user=world.coordinator_b)
    assert report.system is None and report.classes_total is None
    assert report.unconfirmed_fields == []
    assert list(report.branch_rows.values_list("branch", flat=True)) == [world.branch_b1.pk]


def test_draft_with_invalid_data_is_kept(world, campaigns):
    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    data = _input(report, classes_edms=99, classes_total=10, responsible_email="not-an-email")
    data.raw_input = {"students_total": "пятьсот"}
    saved, result = report_save(
        report_id=report.pk, user=world.coordinator_a, data=data, expected_version=report.version, draft=True
    )
    saved.refresh_from_db()
    assert saved.classes_edms == 99
    assert saved.responsible_email == "not-an-email"
    assert saved.raw_input == {"students_total": "пятьсот"}
    # Text that is not a number counts as an error like any other, with its column.
    assert {f.code for f in result.errors} == {"part_gt_whole", "email", "not_a_number"}
    assert [f.column for f in result.errors if f.code == "not_a_number"] == [15]


def test_full_save_with_errors_writes_nothing(world, campaigns):
    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    before = report_values(SchoolReport.objects.get(pk=report.pk))
    with pytest.raises(services.ReportInvalid) as exc:
        report_save(
            report_id=report.pk,
            user=world.coordinator_a,
            data=_input(report, classes_edms=99, classes_total=10),
            expected_version=report.version,
            draft=False,
        )
    assert exc.value.result.errors_for("classes_edms")
    assert report_values(SchoolReport.objects.get(pk=report.pk)) == before
    assert SchoolReport.objects.get(pk=report.pk).version == report.version


def test_system_change_without_note_refused_then_accepted(world, campaigns):
    previous, current, last = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    dnevnik = EdmsSystem.objects.get(code="dnevnik")
    with pytest.raises(services.ReportInvalid):
        report_save(
            report_id=report.pk,
            user=world.coordinator_a,
            data=_input(report, system=dnevnik),
            expected_version=report.version,
            draft=False,
        )
    saved, _ = report_save(
        report_id=report.pk,
        user=world.coordinator_a,
        data=_input(report, system=dnevnik, notes="Перешли на Дневник.ру с 01.01.2017"),
        expected_version=report.version,
        draft=False,
    )
    assert saved.system == dnevnik


def test_version_conflict(world, campaigns):
    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    stale = report.version
    report_save(
        report_id=report.pk,
        user=world.coordinator_a,
        data=_input(report, classes_total=21),
        expected_version=stale,
        draft=True,
    )
    with pytest.raises(services.ReportConflict) as exc:
        report_save(
            report_id=report.pk,
            user=world.coordinator_a,
            data=_input(report, classes_total=25),
            expected_version=stale,
            draft=True,
        )
    assert world.coordinator_a.get_full_name() in str(exc.value)
    assert "обновите страницу" in str(exc.value)
    assert SchoolReport.objects.get(pk=report.pk).classes_total == 21


def test_unconfirmed_cleared_when_touched_or_confirmed(world, campaigns):
    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    data = _input(report, classes_total=report.classes_total + 1)
    data.confirmed = {"students_total"}
    saved, _ = report_save(
        report_id=report.pk, user=world.coordinator_a, data=data, expected_version=report.version, draft=True
    )
    assert "classes_total" not in saved.unconfirmed_fields
    assert "students_total" not in saved.unconfirmed_fields
    assert "teachers_total" in saved.unconfirmed_fields


def test_history_records_who_and_what(world, campaigns):
    from monitoring.history import report_history

    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    data = _input(report, classes_total=report.classes_total + 2)
    data.branches = {
        world.branch_a1.pk: {
            "system": None,
            "responsible_name": "Новая Ответственная",
            "responsible_position": "",
            "responsible_phone": "",
            "responsible_email": "",
        }
    }
    data.events = [
        {"id": None, "title": "Семинар «Новые возможности электронной школы»", "students": 0, "teachers": 3}
    ]
    report_save(
        report_id=report.pk, user=world.coordinator_a, data=data, expected_version=report.version, draft=True
    )
    entries = report_history(SchoolReport.objects.get(pk=report.pk))
    changes = [(e.who, e.what, c.label, c.old, c.new) for e in entries for c in e.changes]
    who = world.coordinator_a.get_full_name()
    assert (who, "Отчёт: изменено", "Общее количество классов", "20", "22") in changes
    assert any(c[1].startswith("Филиал") and c[4] == "Новая Ответственная" for c in changes)
    assert any(e.what.startswith("Мероприятие «Семинар") and e.who == who for e in entries)


def test_locked_report_refused(world, campaigns):
    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    SchoolReport.objects.filter(pk=report.pk).update(status="approved")
    with pytest.raises(services.ReportLocked):
        report_save(
            report_id=report.pk,
            user=world.coordinator_a,
            data=_input(report),
            expected_version=report.version,
            draft=True,
        )
    current.status = "closed"
    current.save()
    SchoolReport.objects.filter(pk=report.pk).update(status="draft")
    with pytest.raises(services.ReportLocked):
        report_save(
            report_id=report.pk,
            user=world.coordinator_a,
            data=_input(report),
            expected_version=report.version,
            draft=True,
        )


def test_database_holds_rules_for_submitted_reports(world, campaigns):
    from django.db import IntegrityError, transaction

    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    # A draft may hold an inconsistent value...
    SchoolReport.objects.filter(pk=report.pk).update(classes_edms=999)
    # ...a submitted report may not.
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolReport.objects.filter(pk=report.pk).update(status="submitted")
    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolReport.objects.filter(pk=report.pk).update(status="approved", classes_edms=5, students_edms=-1)


def test_campaign_open_close(world):
    import datetime

    from monitoring.models import Campaign

    campaign = services.campaign_create(
        slug="2018",
        title="Мониторинг 2018",
        academic_year="2018-2019",
        as_of=datetime.date(2018, 9, 1),
        deadline=datetime.date(2018, 9, 20),
        user=world.methodist,
    )
    assert campaign.status == Campaign.Status.PREPARING
    assert set(campaign.participants.all()) == {
        world.school_a1,
        world.school_a2,
        world.school_b1,
        world.school_b2,
    }
    services.campaign_open(campaign=campaign, user=world.methodist)
    assert campaign.status == Campaign.Status.OPEN and campaign.opened_at
    with pytest.raises(services.ServiceError):
        services.campaign_open(campaign=campaign, user=world.methodist)
    services.campaign_close(campaign=campaign, user=world.methodist)
    assert campaign.status == Campaign.Status.CLOSED


def test_branch_rows_unique(world, campaigns):
    from django.db import IntegrityError, transaction

    _, current, _ = campaigns
    report = report_start(campaign=current, school=world.school_a1, user=world.coordinator_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportBranch.objects.create(report=report, branch=world.branch_a1)
