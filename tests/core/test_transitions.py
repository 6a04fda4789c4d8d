"""The transition engine itself, on a small workflow declared here over the school report."""

import threading

import pytest
from django.db import connection

from core.errors import ServiceError
from core.transitions import (
    MSG_COMMENT_REQUIRED,
    MSG_NOT_ALLOWED,
    MSG_WRONG_STATE,
    Transition,
    TransitionRefused,
    Workflow,
    perform,
    refusal,
)
from monitoring.models import ReportStatus, SchoolReport, WorkflowEvent
from tests.factories import campaign
from tests.factories import report as make_report

NOTIFIED: list[int] = []
MSG_NOT_ON_FRIDAY = "Не сегодня."


def _lock(pk):
    return SchoolReport.objects.select_for_update(of=("self",)).select_related("school").get(pk=pk)


def _journal(report, transition, from_state, user, comment, snapshot):
    return WorkflowEvent.objects.create(
        campaign_id=report.campaign_id,
        report=report,
        action=transition.action,
        from_state=from_state,
        to_state=report.status,
        actor=user,
        comment=comment,
        snapshot=snapshot,
    )


def _methodist_only(user, report):
    return None if user.is_regional else MSG_NOT_ALLOWED


def _must_have_classes(report, **_):
    if not report.classes_total:
        raise ServiceError("Нет классов.")


TOY = Workflow(
    name="toy",
    model=SchoolReport,
    lock=_lock,
    journal=_journal,
    notify=NOTIFIED.append,
    snapshot=lambda report: {"classes_total": report.classes_total},
    transitions={
        "approve": Transition(
            name="approve",
            sources=(ReportStatus.SUBMITTED,),
            target=ReportStatus.APPROVED,
            permission=_methodist_only,
            validate=_must_have_classes,
            action=WorkflowEvent.Action.APPROVE,
            notify=True,
        ),
        "return": Transition(
            name="return",
            sources=(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
            target=ReportStatus.RETURNED,
            permission=_methodist_only,
            guard=lambda report: MSG_NOT_ON_FRIDAY if report.notes == "friday" else None,
            comment_required=True,
            action=WorkflowEvent.Action.RETURN,
            snapshot=True,
        ),
    },
)


@pytest.fixture(autouse=True)
def _clear_notified():
    NOTIFIED.clear()


def test_declaration_names_must_match():
    with pytest.raises(ValueError):
        Workflow(
            name="bad",
            model=SchoolReport,
            lock=_lock,
            journal=_journal,
            transitions={
                "a": Transition(name="b", sources=(), target="x", permission=_methodist_only),
            },
        )


def test_declaration_needs_notify_when_a_transition_notifies():
    with pytest.raises(ValueError):
        Workflow(
            name="bad",
            model=SchoolReport,
            lock=_lock,
            journal=_journal,
            transitions={
                "a": Transition(name="a", sources=(), target="x", permission=_methodist_only, notify=True),
            },
        )


@pytest.mark.django_db
def test_perform_changes_state_bumps_version_writes_journal_and_notifies_on_commit(
    world, django_capture_on_commit_callbacks
):
    r = make_report(campaign(), world.school_a1, status="submitted", notes="")
    version = r.version
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = perform(TOY, "approve", lookup={"pk": r.pk}, user=world.methodist)
        assert NOTIFIED == []  # not before the commit
    assert result.status == ReportStatus.APPROVED
    r.refresh_from_db()
    assert (r.status, r.version, r.updated_by) == (ReportStatus.APPROVED, version + 1, world.methodist)
    entry = WorkflowEvent.objects.get(report=r)
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
        "approve",
        "submitted",
        "approved",
        world.methodist,
    )
    assert entry.snapshot == {}
    assert len(callbacks) == 1
    callbacks[0]()
    assert [entry.pk] == NOTIFIED


@pytest.mark.django_db
def test_refusals_write_nothing(world):
    r = make_report(campaign(), world.school_a1, status="draft", notes="")
    with pytest.raises(TransitionRefused, match=MSG_NOT_ALLOWED):
        perform(TOY, "approve", lookup={"pk": r.pk}, user=world.specialist_x)
    with pytest.raises(TransitionRefused) as exc:
        perform(TOY, "approve", lookup={"pk": r.pk}, user=world.methodist)
    assert str(exc.value) == MSG_WRONG_STATE.format(state="черновик")
    assert refusal(TOY, "approve", user=world.methodist, obj=r) == MSG_WRONG_STATE.format(state="черновик")
    assert not WorkflowEvent.objects.exists()
    r.refresh_from_db()
    assert r.status == ReportStatus.DRAFT


@pytest.mark.django_db
def test_validation_error_is_raised_and_nothing_changes(world):
    r = make_report(
        campaign(),
        world.school_a1,
        status="submitted",
        classes_total=None,
        classes_edms=None,
        classes_ejournal=None,
        classes_other_modules=None,
    )
    with pytest.raises(ServiceError, match="Нет классов"):
        perform(TOY, "approve", lookup={"pk": r.pk}, user=world.methodist)
    r.refresh_from_db()
    assert r.status == ReportStatus.SUBMITTED
    assert not WorkflowEvent.objects.exists()


@pytest.mark.django_db
def test_comment_required_guard_and_snapshot(world):
    r = make_report(campaign(), world.school_a1, status="submitted", notes="")
    with pytest.raises(TransitionRefused, match=MSG_COMMENT_REQUIRED):
        perform(TOY, "return", lookup={"pk": r.pk}, user=world.methodist, comment="   ")
    SchoolReport.objects.filter(pk=r.pk).update(notes="friday")
    with pytest.raises(TransitionRefused, match=MSG_NOT_ON_FRIDAY):
        perform(TOY, "return", lookup={"pk": r.pk}, user=world.methodist, comment="Исправьте")
    SchoolReport.objects.filter(pk=r.pk).update(notes="")
    perform(TOY, "return", lookup={"pk": r.pk}, user=world.methodist, comment="  Исправьте графу 8 ")
    entry = WorkflowEvent.objects.get(report=r)
    assert entry.comment == "Исправьте графу 8"
    assert entry.snapshot == {"classes_total": r.classes_total}
    assert NOTIFIED == []  # «return» of this workflow does not notify


@pytest.mark.django_db
def test_inactive_user_is_refused(world):
    r = make_report(campaign(), world.school_a1, status="submitted", notes="")
    world.methodist.is_active = False
    assert refusal(TOY, "approve", user=world.methodist, obj=r) == MSG_NOT_ALLOWED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_double_transition_gives_one(world):
    if connection.vendor != "postgresql":
        pytest.skip("нужен PostgreSQL: проверяются настоящие параллельные транзакции")
    r = make_report(campaign(), world.school_a1, status="submitted", notes="")
    barrier = threading.Barrier(3)
    results = {}

    def approve(key):
        try:
            barrier.wait(5)
            results[key] = perform(TOY, "approve", lookup={"pk": r.pk}, user=world.methodist).status
        except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
            results[key] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    outcomes = sorted(type(v).__name__ if isinstance(v, Exception) else v for v in results.values())
    assert outcomes == ["TransitionRefused", "TransitionRefused", "approved"]
    assert WorkflowEvent.objects.filter(report=r, action="approve").count() == 1


def test_the_review_workflows_are_declared_on_the_engine():
    from monitoring.workflow import MUNICIPALITY_WORKFLOW, REPORT_WORKFLOW
    from projects.services import ASSIGNMENT_WORKFLOW

    declared = {
        w.name: {n: (tuple(t.sources) if not callable(t.sources) else "…", t.target, t.comment_required)
                 for n, t in w.transitions.items()}
        for w in (REPORT_WORKFLOW, MUNICIPALITY_WORKFLOW, ASSIGNMENT_WORKFLOW)
    }  # fmt: skip
    assert declared == {
        "school_report": {
            "submit": (("draft", "returned"), "submitted", False),
            "approve": (("submitted",), "approved", False),
            "return": (("submitted", "approved"), "returned", True),
        },
        "municipality": {
            "submit": (("collecting", "returned"), "submitted", False),
            "accept": ("…", "accepted", False),
            "return": (("submitted", "accepted"), "returned", True),
        },
        "assignment_report": {
            "submit": (("draft", "returned"), "submitted", False),
            "approve": (("submitted",), "approved", False),
            "return": (("submitted", "approved"), "returned", True),
        },
    }
