"""The report on the technical assignment: who may do what, in which state, with an audit log."""

import pytest

from projects import services
from projects.models import AssignmentReport, AssignmentReportLog
from tests.factories import UserFactory
from tests.projects.conftest import make_report

YEAR = "2016-2017"


@pytest.fixture
def report_a1(world, sites):
    return services.assignment_report_start(
        project=sites[0].project, academic_year=YEAR, user=world.coordinator_a
    )


def _status(report):
    return AssignmentReport.objects.get(pk=report.pk).status


def _save(report, user, version=None, **values):
    version = AssignmentReport.objects.get(pk=report.pk).version if version is None else version
    return services.assignment_report_save(
        report_id=report.pk, user=user, values=values, expected_version=version
    )


def test_start_only_for_the_coordinator_of_an_active_site(world, project, sites, report_a1):
    assert (report_a1.status, report_a1.pilot_site, report_a1.academic_year) == ("draft", sites[0], YEAR)
    again = services.assignment_report_start(project=project, academic_year=YEAR, user=world.coordinator_a)
    assert again.pk == report_a1.pk
    assert list(report_a1.log.values_list("action", flat=True)) == ["start"]

    not_a_site = UserFactory(role="coordinator", school=world.school_a2)
    with pytest.raises(services.TransitionRefused) as exc:
        services.assignment_report_start(project=project, academic_year=YEAR, user=not_a_site)
    assert str(exc.value) == services.MSG_NOT_A_PILOT_SITE
    for persona in ("methodist", "specialist_x", "nobody"):
        with pytest.raises(services.TransitionRefused):
            services.assignment_report_start(
                project=project, academic_year=YEAR, user=getattr(world, persona)
            )
    with pytest.raises(services.ServiceError, match="2016-2017"):
        services.assignment_report_start(project=project, academic_year="2016-2018", user=world.coordinator_a)


def test_save_checks_version_author_and_state(world, report_a1):
    saved = _save(report_a1, world.coordinator_a, ext_events_count=2, ext_events_participants=31)
    assert saved.version == report_a1.version + 1
    assert saved.history.latest().history_user == world.coordinator_a
    with pytest.raises(services.AssignmentReportConflict, match="Ваши изменения не сохранены"):
        _save(report_a1, world.coordinator_a, version=report_a1.version, ext_events_count=5)
    for persona in ("coordinator_b", "specialist_x", "methodist"):
        with pytest.raises(services.TransitionRefused):
            _save(report_a1, getattr(world, persona), ext_events_count=9)
    assert AssignmentReport.objects.get(pk=report_a1.pk).ext_events_count == 2
    services.assignment_report_submit(report_id=report_a1.pk, user=world.coordinator_a)
    with pytest.raises(services.TransitionRefused) as exc:
        _save(report_a1, world.coordinator_a, ext_events_count=9)
    assert str(exc.value) == services.MSG_REPORT_LOCKED.format(state="на проверке")


@pytest.mark.parametrize(
    "persona", ["coordinator_b", "specialist_x", "specialist_y", "methodist", "admin", "nobody"]
)
def test_only_own_coordinator_submits(world, report_a1, persona):
    with pytest.raises(services.TransitionRefused):
        services.assignment_report_submit(report_id=report_a1.pk, user=getattr(world, persona))
    assert _status(report_a1) == "draft"


def test_inconsistent_report_cannot_be_submitted(world, report_a1):
    _save(report_a1, world.coordinator_a, organised_contests_participants=40, best_practices_published=True)
    with pytest.raises(services.AssignmentReportInvalid) as exc:
        services.assignment_report_submit(report_id=report_a1.pk, user=world.coordinator_a)
    assert len(exc.value.errors) == 2
    assert services.MSG_LINKS_REQUIRED in exc.value.errors
    assert _status(report_a1) == "draft"


@pytest.mark.parametrize("persona", ["coordinator_a", "coordinator_b", "specialist_x", "nobody"])
def test_only_methodists_review(world, report_a1, persona):
    services.assignment_report_submit(report_id=report_a1.pk, user=world.coordinator_a)
    user = getattr(world, persona)
    with pytest.raises(services.TransitionRefused):
        services.assignment_report_approve(report_id=report_a1.pk, user=user)
    with pytest.raises(services.TransitionRefused):
        services.assignment_report_return(report_id=report_a1.pk, user=user, comment="нет")
    assert _status(report_a1) == "submitted"


def test_full_cycle_with_return_comment(world, report_a1):
    services.assignment_report_submit(report_id=report_a1.pk, user=world.coordinator_a)
    with pytest.raises(services.TransitionRefused) as exc:
        services.assignment_report_return(report_id=report_a1.pk, user=world.methodist, comment="  ")
    assert str(exc.value) == services.MSG_COMMENT_REQUIRED
    assert not AssignmentReportLog.objects.filter(action="return").exists()

    services.assignment_report_return(
        report_id=report_a1.pk, user=world.methodist, comment="Уточните число консультаций родителей."
    )
    returned = AssignmentReport.objects.get(pk=report_a1.pk)
    assert (returned.status, returned.return_comment) == (
        "returned",
        "Уточните число консультаций родителей.",
    )
    _save(report_a1, world.coordinator_a, consultations_parents=12)
    services.assignment_report_submit(report_id=report_a1.pk, user=world.coordinator_a)
    with pytest.raises(services.TransitionRefused):
        services.assignment_report_submit(report_id=report_a1.pk, user=world.coordinator_a)
    services.assignment_report_approve(report_id=report_a1.pk, user=world.methodist)
    with pytest.raises(services.TransitionRefused):
        services.assignment_report_approve(report_id=report_a1.pk, user=world.methodist)
    approved = AssignmentReport.objects.get(pk=report_a1.pk)
    assert (approved.status, approved.return_comment) == ("approved", "")
    assert approved.submitted_at is not None
    log = list(
        report_a1.log.order_by("pk").values_list("action", "from_state", "to_state", "actor__username")
    )
    assert log == [
        ("start", "", "draft", "coord_a"),
        ("submit", "draft", "submitted", "coord_a"),
        ("return", "submitted", "returned", "meth"),
        ("submit", "returned", "submitted", "coord_a"),
        ("approve", "submitted", "approved", "meth"),
    ]
    # An approved report can still be sent back; a draft cannot be reviewed at all.
    services.assignment_report_return(report_id=report_a1.pk, user=world.methodist, comment="Ещё раз.")
    assert _status(report_a1) == "returned"


def test_draft_cannot_be_reviewed(world, sites):
    draft = make_report(sites[1])
    with pytest.raises(services.TransitionRefused, match="черновик"):
        services.assignment_report_approve(report_id=draft.pk, user=world.methodist)
    with pytest.raises(services.TransitionRefused, match="черновик"):
        services.assignment_report_return(report_id=draft.pk, user=world.methodist, comment="Рано.")


def test_coordinator_is_emailed_on_return_and_approval(
    world, report_a1, mailoutbox, django_capture_on_commit_callbacks
):
    services.assignment_report_submit(report_id=report_a1.pk, user=world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_report_return(
            report_id=report_a1.pk, user=world.methodist, comment="Добавьте ссылки на практики."
        )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [world.coordinator_a.email]
    assert (
        "возвращён на доработку" in mailoutbox[0].subject
        and "Добавьте ссылки на практики." in mailoutbox[0].body
    )
    services.assignment_report_submit(report_id=report_a1.pk, user=world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_report_approve(report_id=report_a1.pk, user=world.methodist)
    assert len(mailoutbox) == 2 and "принят" in mailoutbox[1].subject
    # The same messages are in the coordinator's «Уведомления».
    from accounts.models import Notification

    notes = list(Notification.objects.filter(user=world.coordinator_a).order_by("pk"))
    assert [n.text.split("\n")[0] for n in notes] == [m.subject for m in mailoutbox]
    assert "Добавьте ссылки на практики." in notes[0].text
