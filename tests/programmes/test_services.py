import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ServiceError
from core.transitions import MSG_COMMENT_REQUIRED, TransitionRefused
from programmes import services
from programmes.models import (
    Indicator,
    ParentApplication,
    Programme,
    ProgressReport,
    ProgressReportLog,
    ReadinessMark,
    Stage,
)
from programmes.reference import CONDITIONS, STAGES

from .conftest import D1, D2, D3, fill

pytestmark = pytest.mark.django_db


def _create(world, **overrides):
    kwargs = dict(
        municipality=world.mun_x,
        title="Программа",
        order_number="1",
        order_date=datetime.date(2012, 3, 26),
        school_ids=[world.school_a1.pk],
        user=world.specialist_x,
    )
    kwargs.update(overrides)
    return services.programme_create(**kwargs)


def test_programme_prefills_stages_of_the_order(programme):
    assert programme.stages.count() == len(STAGES)
    phases = list(programme.stages.values_list("phase", flat=True).distinct())
    assert set(phases) == {"preparatory", "main", "functioning"}
    assert programme.targets.count() == 2
    assert programme.reporting_dates.count() == 3
    assert programme.history.count() == 1


def test_methodist_creates_for_any_municipality(world):
    programme = _create(
        world, municipality=world.mun_y, school_ids=[world.school_b1.pk], user=world.methodist
    )
    assert programme.municipality == world.mun_y


@pytest.mark.parametrize("who", ["specialist_y", "coordinator_a", "nobody"])
def test_others_cannot_create(world, who):
    with pytest.raises(TransitionRefused):
        _create(world, user=getattr(world, who))
    assert not Programme.objects.exists()


def test_school_of_another_municipality_is_refused_and_nothing_written(world):
    with pytest.raises(ServiceError) as exc:
        _create(world, school_ids=[world.school_a1.pk, world.school_b1.pk])
    assert str(exc.value) == services.MSG_SCHOOL_OUTSIDE.format(
        school=world.school_b1, municipality=world.mun_x
    )
    assert not Programme.objects.exists() and not Stage.objects.exists()


def test_bad_target_range_refuses_the_whole_programme(world):
    with pytest.raises(ServiceError) as exc:
        _create(world, targets=[(Indicator.PARENTS_ACTIVATED, D2, 60, 40)])
    assert str(exc.value) == services.MSG_TARGET_RANGE
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    "name,size,message",
    [
        ("order.exe", 10, services.MSG_FILE_TYPE),
        ("order.pdf", services.ORDER_FILE_MAX_BYTES + 1, services.MSG_FILE_SIZE),
    ],
)
def test_order_file_type_and_size(world, name, size, message):
    upload = SimpleUploadedFile(name, b"x" * 10)
    upload.size = size
    with pytest.raises(ServiceError) as exc:
        _create(world, order_file=upload)
    assert str(exc.value) == message


def test_order_file_is_kept(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    programme = _create(world, order_file=SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4"))
    assert programme.order_file.name.endswith(".pdf")


def test_duplicate_reporting_date_and_target(programme, world):
    with pytest.raises(ServiceError) as exc:
        services.reporting_date_add(programme_id=programme.pk, on_date=D1, user=world.specialist_x)
    assert str(exc.value) == services.MSG_DATE_DUPLICATE.format(date="15.05.2012")
    with pytest.raises(ServiceError):
        services.target_add(
            programme_id=programme.pk,
            indicator=Indicator.PARENTS_ACTIVATED,
            due_on=D2,
            min_percent=30,
            max_percent=40,
            user=world.specialist_x,
        )


def test_stage_add_and_update_with_history(programme, world):
    stage = services.stage_add(
        programme_id=programme.pk,
        phase="main",
        title="Семинар",
        content="",
        due_on=D2,
        user=world.specialist_x,
    )
    services.stage_update(
        stage_id=stage.pk, title="Семинар для родителей", content="x", due_on=D3, user=world.methodist
    )
    stage.refresh_from_db()
    assert stage.title == "Семинар для родителей" and stage.history.count() == 2
    with pytest.raises(TransitionRefused):
        services.stage_add(programme_id=programme.pk, phase="main", title="x", user=world.specialist_y)


def test_readiness_by_own_coordinator_only(entry_a1, entry_a2, world):
    marks = {c.code: (i % 2 == 0, "примечание" if i % 2 else "") for i, c in enumerate(CONDITIONS)}
    services.readiness_save(participant_id=entry_a1.pk, marks=marks, user=world.coordinator_a)
    assert ReadinessMark.objects.filter(participant=entry_a1).count() == len(CONDITIONS)
    assert ReadinessMark.objects.filter(participant=entry_a1, met=True).count() == (len(CONDITIONS) + 1) // 2
    with pytest.raises(TransitionRefused):
        services.readiness_save(participant_id=entry_a2.pk, marks=marks, user=world.coordinator_a)
    with pytest.raises(TransitionRefused):
        services.readiness_save(participant_id=entry_a1.pk, marks=marks, user=world.specialist_x)


def _register(entry, user, number, day, grade="1а"):
    return services.application_register(
        participant_id=entry.pk,
        user=user,
        reg_number=number,
        reg_date=day,
        class_name=grade,
        delivery=ParentApplication.Delivery.PHONE,
        consent=True,
    )


def test_register_applications_and_duplicates(entry_a1, world):
    _register(entry_a1, world.coordinator_a, "1", D1)
    with pytest.raises(ServiceError) as exc:
        _register(entry_a1, world.coordinator_a, "1", D1)
    assert str(exc.value) == services.MSG_APPLICATION_DUPLICATE.format(number="1")
    with pytest.raises(ServiceError) as exc:
        _register(entry_a1, world.coordinator_a, "", D1)
    assert str(exc.value) == services.MSG_APPLICATION_NUMBER
    with pytest.raises(TransitionRefused):
        _register(entry_a1, world.specialist_x, "2", D1)
    assert ParentApplication.objects.count() == 1
    assert ParentApplication.objects.get().history.count() == 1


def test_register_counts_feed_the_report(entry_a1, dates, world):
    _register(entry_a1, world.coordinator_a, "1", D1 - datetime.timedelta(days=3), "2б")
    _register(entry_a1, world.coordinator_a, "2", D1, "1а")
    _register(entry_a1, world.coordinator_a, "3", D1 + datetime.timedelta(days=1), "10а")
    first = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    assert first.applications_registered == 2
    assert first.applications_classes == "1а, 2б"
    second = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[1].pk, user=world.coordinator_a
    )
    assert second.applications_registered == 3
    assert second.applications_classes == "1а, 2б, 10а"


def test_report_starts_from_the_previous_one(entry_a1, dates, world, system):
    first = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    fill(
        first,
        world.coordinator_a,
        system,
        plan_approval="Приказ № 5 от 10.04.2012",
        parents_activated_pct=12,
        site_link=True,
    )
    second = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[1].pk, user=world.coordinator_a
    )
    assert second.pk != first.pk
    assert second.plan_approval == "Приказ № 5 от 10.04.2012"
    assert second.parents_activated_pct == 12
    assert second.site_link is True
    assert second.system == system
    assert second.status == "draft"
    # Starting again returns the same report.
    again = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[1].pk, user=world.coordinator_a
    )
    assert again.pk == second.pk


def test_only_own_coordinator_starts_and_saves(entry_a1, dates, world, system):
    with pytest.raises(TransitionRefused):
        services.progress_report_start(
            participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_b
        )
    report = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    with pytest.raises(TransitionRefused):
        fill(report, world.specialist_x, system)


def test_save_rejects_bad_percent_and_stale_version(entry_a1, dates, world, system):
    report = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    with pytest.raises(ServiceError):
        fill(report, world.coordinator_a, system, parents_activated_pct=140)
    report.refresh_from_db()
    assert report.parents_activated_pct is None
    services.progress_report_save(
        report_id=report.pk, user=world.coordinator_a, values={"additional_info": "a"}, expected_version=0
    )
    with pytest.raises(services.ProgressReportConflict):
        services.progress_report_save(
            report_id=report.pk, user=world.coordinator_a, values={"additional_info": "b"}, expected_version=0
        )
    report.refresh_from_db()
    assert report.additional_info == "a"


# --- The workflow on the engine ---------------------------------------------------------------------


def _submitted(entry, date, world, system):
    report = services.progress_report_start(
        participant_id=entry.pk, reporting_date_id=date.pk, user=world.coordinator_a
    )
    fill(report, world.coordinator_a, system, parents_activated_pct=35)
    return services.progress_report_submit(report_id=report.pk, user=world.coordinator_a)


def test_submit_needs_the_first_two_points(entry_a1, dates, world):
    report = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    with pytest.raises(services.ProgressReportInvalid) as exc:
        services.progress_report_submit(report_id=report.pk, user=world.coordinator_a)
    assert str(exc.value) == services.MSG_REPORT_EMPTY
    report.refresh_from_db()
    assert report.status == "draft"


def test_submit_return_with_comment_resubmit_accept(
    entry_a1, dates, world, system, django_capture_on_commit_callbacks, mailoutbox
):
    report = _submitted(entry_a1, dates[0], world, system)
    assert report.status == "submitted" and report.submitted_at is not None
    with pytest.raises(TransitionRefused) as exc:
        services.progress_report_return(report_id=report.pk, user=world.specialist_x, comment="  ")
    assert str(exc.value) == MSG_COMMENT_REQUIRED
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_return(
            report_id=report.pk, user=world.specialist_x, comment="Уточните пункт 14"
        )
    report.refresh_from_db()
    assert report.status == "returned" and report.return_comment == "Уточните пункт 14"
    assert "возвращён" in mailoutbox[-1].subject and world.coordinator_a.email in mailoutbox[-1].to
    fill(report, world.coordinator_a, system, parents_activated_classes="1–4")
    services.progress_report_submit(report_id=report.pk, user=world.coordinator_a)
    services.progress_report_approve(report_id=report.pk, user=world.specialist_x)
    report.refresh_from_db()
    assert report.status == "approved" and report.return_comment == ""
    actions = list(
        ProgressReportLog.objects.filter(report=report).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["start", "submit", "return", "submit", "approve"]


@pytest.mark.parametrize("who", ["coordinator_a", "specialist_y", "coordinator_b"])
def test_wrong_role_cannot_approve_or_return(entry_a1, dates, world, system, who):
    report = _submitted(entry_a1, dates[0], world, system)
    with pytest.raises(TransitionRefused):
        services.progress_report_approve(report_id=report.pk, user=getattr(world, who))
    with pytest.raises(TransitionRefused):
        services.progress_report_return(report_id=report.pk, user=getattr(world, who), comment="x")
    report.refresh_from_db()
    assert report.status == "submitted"


def test_methodist_reviews_too_and_specialist_cannot_submit(entry_a1, dates, world, system):
    report = services.progress_report_start(
        participant_id=entry_a1.pk, reporting_date_id=dates[0].pk, user=world.coordinator_a
    )
    fill(report, world.coordinator_a, system)
    with pytest.raises(TransitionRefused):
        services.progress_report_submit(report_id=report.pk, user=world.specialist_x)
    services.progress_report_submit(report_id=report.pk, user=world.coordinator_a)
    services.progress_report_approve(report_id=report.pk, user=world.methodist)
    assert ProgressReport.objects.get(pk=report.pk).status == "approved"


def test_submitted_report_is_locked(entry_a1, dates, world, system):
    report = _submitted(entry_a1, dates[0], world, system)
    with pytest.raises(TransitionRefused):
        fill(report, world.coordinator_a, system, additional_info="поздно")


def test_actions_answer_what_each_may_do(entry_a1, dates, world, system):
    report = _submitted(entry_a1, dates[0], world, system)
    coordinator = services.progress_report_actions(user=world.coordinator_a, report=report)
    specialist = services.progress_report_actions(user=world.specialist_x, report=report)
    outsider = services.progress_report_actions(user=world.specialist_y, report=report)
    assert coordinator.allowed == {"submit": False, "approve": False, "return": False, "edit": False}
    assert coordinator.has_right("edit") and not coordinator.has_right("approve")
    assert specialist.allowed["approve"] and specialist.allowed["return"] and not specialist.has_right("edit")
    assert not any(outsider.allowed.values())


def test_progress_workflow_is_declared_on_the_engine():
    from core.transitions import Workflow

    assert isinstance(services.PROGRESS_WORKFLOW, Workflow)
    assert services.PROGRESS_WORKFLOW["return"].comment_required
    assert issubclass(ProgressReportLog, __import__("core.models", fromlist=["TransitionLog"]).TransitionLog)
