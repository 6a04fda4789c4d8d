"""Review workflows declared on the transition engine (:mod:`core.transitions`): the school
report (draft → submitted → approved / returned) and the municipality (collecting → submitted to
region → accepted / returned).

Each transition runs in one transaction: the row is locked, its state checked, changed, and an
audit entry written. A second click or a concurrent request finds the state already changed and
is refused, so there is exactly one transition and one audit entry.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.transitions import (  # noqa: F401 - the engine's messages stay importable from here for views and tests
    MSG_COMMENT_REQUIRED,
    MSG_NOT_ALLOWED,
    MSG_WRONG_STATE,
    Transition,
    TransitionRefused,
    Workflow,
    apply_transition,
    perform,
    stage_transition,
    stamp_submitted,
)

from .checks import check_saved_report
from .comments import report_comments_add, report_comments_resolve
from .models import (
    Campaign,
    MunicipalityReview,
    MunicipalityState,
    ReportStatus,
    SchoolReport,
    WorkflowEvent,
)
from .selectors import (
    report_municipality_state,
    report_snapshot,
)
from .services import (
    ReportInvalid,
    report_edit_refusal,
)
from .tasks import send_workflow_notification

MSG_MUN_WRONG_STATE = "Действие невозможно: МОУО в состоянии «{state}»."
MSG_CAMPAIGN_CLOSED = "Мониторинг закрыт: изменения невозможны."
MSG_MISSING_REASON = (
    "Не все отчёты приняты ({count}): перечислите организации без принятого отчёта и укажите причину."
)
MSG_MISSING_LIST = "Список организаций без принятого отчёта не совпадает с фактическим: {names}."


@dataclass
class BulkResult:
    approved: list[SchoolReport]
    refused: list[tuple[SchoolReport, str]]


def _locked_report(pk: int) -> SchoolReport:
    return (
        SchoolReport.objects.select_for_update(of=("self",))
        .select_related("campaign", "school__municipality")
        .get(pk=pk)
    )


def full_check(report: SchoolReport):
    """The check a report must pass to be submitted or approved."""
    return check_saved_report(report, for_submission=True)


def reviews_municipality(user: User, municipality) -> bool:
    """Municipal specialists review their schools; methodists review the regional state schools."""
    if not user.is_active:
        return False
    if municipality.is_regional:
        return user.is_regional
    return user.effective_role == Role.SPECIALIST and user.municipality_id == municipality.pk


def can_review(user: User, school) -> bool:
    """Whether the user reviews the school's reports (see :func:`reviews_municipality`)."""
    return reviews_municipality(user, school.municipality)


def review_refusal(report: SchoolReport, *, state: str | None = None) -> str | None:
    """Why a reviewer cannot act on the report now (campaign closed, municipality handed over).
    ``state``: the municipality's state when it was read ahead (many reports)."""
    if report.campaign.status == Campaign.Status.CLOSED:
        return MSG_CAMPAIGN_CLOSED
    if state is None:
        state = report_municipality_state(report)
    if state in (MunicipalityState.SUBMITTED, MunicipalityState.ACCEPTED):
        return MSG_MUN_WRONG_STATE.format(state=MunicipalityState(state).label)
    return None


# --- School report: the declaration ---------------------------------------------------------------


def _report_journal(report: SchoolReport, transition: Transition, from_state, user: User, comment, snapshot):
    return WorkflowEvent.objects.create(
        campaign_id=report.campaign_id,
        report=report,
        municipality_id=report.school.municipality_id,
        action=transition.action,
        from_state=from_state,
        to_state=report.status,
        actor=user,
        comment=comment,
        snapshot=snapshot or {},
    )


def _send_workflow_notification(event_id: int) -> None:
    send_workflow_notification.delay(event_id)


def _own_coordinator(user: User, report: SchoolReport) -> str | None:
    return None if user.is_coordinator and user.school_id == report.school_id else MSG_NOT_ALLOWED


def _reviewer(user: User, report: SchoolReport) -> str | None:
    return None if can_review(user, report.school) else MSG_NOT_ALLOWED


def _passes_full_check(report: SchoolReport, **_) -> None:
    result = full_check(report)
    if result.errors:
        raise ReportInvalid(result)


def _resolve_field_comments(report: SchoolReport, *, user: User, **_) -> None:
    """A resubmitted report answers the reviewer's remarks on its fields."""
    report_comments_resolve(report=report, user=user)


def _add_field_comments(report: SchoolReport, *, user: User, field_comments=(), **_) -> None:
    """The reviewer's remarks on single fields travel with the return."""
    if not field_comments:
        return
    event = report.workflow_events.order_by("-pk").first()
    report_comments_add(report=report, user=user, items=field_comments, event=event)


REPORT_WORKFLOW = Workflow(
    name="school_report",
    model=SchoolReport,
    lock=_locked_report,
    journal=_report_journal,
    notify=_send_workflow_notification,
    snapshot=report_snapshot,
    transitions={
        "submit": Transition(
            name="submit",
            sources=(ReportStatus.DRAFT, ReportStatus.RETURNED),
            target=ReportStatus.SUBMITTED,
            permission=_own_coordinator,
            guard=report_edit_refusal,
            validate=_passes_full_check,
            apply=stamp_submitted,
            after=_resolve_field_comments,
            action=WorkflowEvent.Action.SUBMIT,
            snapshot=True,
        ),
        "approve": Transition(
            name="approve",
            sources=(ReportStatus.SUBMITTED,),
            target=ReportStatus.APPROVED,
            permission=_reviewer,
            guard=review_refusal,
            validate=_passes_full_check,
            action=WorkflowEvent.Action.APPROVE,
            notify=True,
        ),
        "return": Transition(
            name="return",
            sources=(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
            target=ReportStatus.RETURNED,
            permission=_reviewer,
            guard=review_refusal,
            comment_required=True,
            after=_add_field_comments,
            action=WorkflowEvent.Action.RETURN,
            snapshot=True,
            notify=True,
        ),
    },
)


def report_submit(*, report_id: int, user: User) -> SchoolReport:
    return perform(REPORT_WORKFLOW, "submit", lookup={"pk": report_id}, user=user)


def report_approve(*, report_id: int, user: User) -> SchoolReport:
    return perform(REPORT_WORKFLOW, "approve", lookup={"pk": report_id}, user=user)


def report_return(*, report_id: int, user: User, comment: str, field_comments=()) -> SchoolReport:
    return perform(
        REPORT_WORKFLOW,
        "return",
        lookup={"pk": report_id},
        user=user,
        comment=comment,
        field_comments=field_comments,
    )


def reports_approve_bulk(*, report_ids, user: User) -> BulkResult:
    """Approve several reports; each one is checked and committed on its own."""
    result = BulkResult([], [])
    for report_id in report_ids:
        try:
            result.approved.append(report_approve(report_id=report_id, user=user))
        except (TransitionRefused, ReportInvalid) as exc:
            report = SchoolReport.objects.select_related("school").get(pk=report_id)
            result.refused.append((report, str(exc)))
    return result


# --- Municipality: the declaration ----------------------------------------------------------------


def _locked_review(campaign: Campaign, municipality) -> MunicipalityReview:
    MunicipalityReview.objects.get_or_create(campaign=campaign, municipality=municipality)
    return (
        MunicipalityReview.objects.select_for_update(of=("self",))
        .select_related("campaign", "municipality")
        .get(campaign=campaign, municipality=municipality)
    )


def _municipality_journal(
    review: MunicipalityReview, transition: Transition, from_state, user: User, comment, _
):
    return WorkflowEvent.objects.create(
        campaign_id=review.campaign_id,
        municipality_id=review.municipality_id,
        action=transition.action,
        from_state=from_state,
        to_state=review.state,
        actor=user,
        comment=comment,
    )


def schools_without_approved_report(campaign, municipality):
    return (
        campaign.participants.filter(municipality=municipality)
        .exclude(
            pk__in=SchoolReport.objects.filter(campaign=campaign, status=ReportStatus.APPROVED).values(
                "school_id"
            )
        )
        .order_by("short_name")
    )


def _own_specialist(user: User, review: MunicipalityReview) -> str | None:
    return None if user.is_specialist and user.municipality_id == review.municipality_id else MSG_NOT_ALLOWED


def _methodist(user: User, _review) -> str | None:
    return None if user.is_regional else MSG_NOT_ALLOWED


def _campaign_not_closed(review: MunicipalityReview) -> str | None:
    return MSG_CAMPAIGN_CLOSED if review.campaign.status == Campaign.Status.CLOSED else None


def _missing_explained(review: MunicipalityReview, *, comment: str, missing_ids=(), **_) -> None:
    missing = list(schools_without_approved_report(review.campaign, review.municipality))
    if missing:
        if not comment:
            raise TransitionRefused(MSG_MISSING_REASON.format(count=len(missing)))
        if {s.pk for s in missing} != {int(i) for i in missing_ids}:
            raise TransitionRefused(MSG_MISSING_LIST.format(names=", ".join(s.short_name for s in missing)))


def _hand_over(review: MunicipalityReview, *, comment: str, **_) -> list[str]:
    review._missing = list(schools_without_approved_report(review.campaign, review.municipality))
    review.submitted_at = timezone.now()
    review.missing_reason = comment if review._missing else ""
    return ["submitted_at", "missing_reason"]


def _record_missing(review: MunicipalityReview, **_) -> None:
    review.missing_schools.set(review._missing)


def _accept_sources(review: MunicipalityReview) -> tuple[str, ...]:
    if review.municipality.is_regional:  # regional state schools are reviewed by methodists directly
        return (MunicipalityState.SUBMITTED, MunicipalityState.COLLECTING, MunicipalityState.RETURNED)
    return (MunicipalityState.SUBMITTED,)


def _clear_comment(review: MunicipalityReview, **_) -> list[str]:
    review.comment = ""
    return ["comment"]


def _keep_comment(review: MunicipalityReview, *, comment: str, **_) -> list[str]:
    review.comment = comment
    return ["comment"]


def _reopen_reports(
    review: MunicipalityReview, *, user: User, comment: str, reopen_school_ids=(), **_
) -> None:
    """The chosen schools' reports go back to their coordinators with the same comment."""
    reports = (
        SchoolReport.objects.select_for_update(of=("self",))
        .select_related("campaign", "school__municipality")
        .filter(
            campaign_id=review.campaign_id,
            school__municipality_id=review.municipality_id,
            school_id__in=list(reopen_school_ids),
        )
        .exclude(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
    )
    for report in reports:
        apply_transition(REPORT_WORKFLOW, "return", obj=report, user=user, comment=comment)


MUNICIPALITY_WORKFLOW = Workflow(
    name="municipality",
    model=MunicipalityReview,
    lock=_locked_review,
    journal=_municipality_journal,
    notify=_send_workflow_notification,
    state_field="state",
    version_field=None,
    updated_by_field=None,
    wrong_state=MSG_MUN_WRONG_STATE,
    transitions={
        "submit": Transition(
            name="submit",
            sources=(MunicipalityState.COLLECTING, MunicipalityState.RETURNED),
            target=MunicipalityState.SUBMITTED,
            permission=_own_specialist,
            guard=_campaign_not_closed,
            validate=_missing_explained,
            apply=_hand_over,
            after=_record_missing,
            action=WorkflowEvent.Action.MUNICIPALITY_SUBMIT,
            notify=True,
        ),
        "accept": Transition(
            name="accept",
            sources=_accept_sources,
            target=MunicipalityState.ACCEPTED,
            permission=_methodist,
            apply=_clear_comment,
            action=WorkflowEvent.Action.MUNICIPALITY_ACCEPT,
            notify=True,
        ),
        "return": Transition(
            name="return",
            sources=(MunicipalityState.SUBMITTED, MunicipalityState.ACCEPTED),
            target=MunicipalityState.RETURNED,
            permission=_methodist,
            comment_required=True,
            apply=_keep_comment,
            after=_reopen_reports,
            action=WorkflowEvent.Action.MUNICIPALITY_RETURN,
            notify=True,
        ),
    },
)


def municipality_submit(
    *, campaign: Campaign, municipality, user: User, missing_ids=(), reason: str = ""
) -> MunicipalityReview:
    return perform(
        MUNICIPALITY_WORKFLOW,
        "submit",
        lookup={"campaign": campaign, "municipality": municipality},
        user=user,
        comment=reason,
        missing_ids=missing_ids,
    )


def municipality_accept(*, campaign: Campaign, municipality, user: User) -> MunicipalityReview:
    return perform(
        MUNICIPALITY_WORKFLOW,
        "accept",
        lookup={"campaign": campaign, "municipality": municipality},
        user=user,
    )


def municipality_return(
    *, campaign: Campaign, municipality, user: User, comment: str, reopen_school_ids=()
) -> MunicipalityReview:
    """Return a municipality's data; the chosen schools' reports go back to their coordinators."""
    return perform(
        MUNICIPALITY_WORKFLOW,
        "return",
        lookup={"campaign": campaign, "municipality": municipality},
        user=user,
        comment=comment,
        reopen_school_ids=reopen_school_ids,
    )


# --- Reports loaded from a municipality's table --------------------------------------------------


@transaction.atomic
def report_hand_in_imported(*, report_id: int, user: User, note: str) -> SchoolReport:
    """A report loaded from a table is handed in as the school's data: submitted, and approved at
    once when the person who loaded it is its reviewer (the specialist of its municipality, or a
    methodist). A report that does not pass the submission check stays a draft.

    Raises :class:`ReportInvalid` with the reasons when it stays a draft.
    """
    report = _locked_report(report_id)
    result = full_check(report)
    if result.errors:
        raise ReportInvalid(result)
    if report.status != ReportStatus.SUBMITTED:
        apply_transition(REPORT_WORKFLOW, "submit", obj=report, user=user, comment=note)
    # The region loads consolidated tables of any municipality, so a methodist counts as a reviewer here.
    if (user.is_regional or can_review(user, report.school)) and not review_refusal(report):
        apply_transition(REPORT_WORKFLOW, "approve", obj=report, user=user, comment=note, notify=False)
    return report


def report_record_import(*, report_id: int, user: User, from_state: str, comment: str) -> WorkflowEvent:
    """The journal entry «загружен из таблицы» of a report written by an import."""
    report = SchoolReport.objects.select_related("school").get(pk=report_id)
    return WorkflowEvent.objects.create(
        campaign_id=report.campaign_id,
        report=report,
        municipality_id=report.school.municipality_id,
        action=WorkflowEvent.Action.IMPORT,
        from_state=from_state,
        to_state=report.status,
        actor=user,
        comment=comment,
    )


def reports_load_imported(
    *,
    campaign: Campaign,
    items,
    user: User,
    notes: dict[int, str],
    comments: dict[int, str],
    past: bool = False,
    write: bool = True,
) -> None:
    """Many reports of a loaded table at once, as :func:`monitoring.services.report_save` (a full
    save), :func:`report_hand_in_imported` and :func:`report_record_import` would leave them one
    by one, in a number of queries that does not grow with the table (reads by batches, writes by
    batches, each written row with its history record).

    ``items`` are :class:`monitoring.services.ImportedReport`; ``notes`` and ``comments`` give, by
    school id, the journal comment of the hand-in and of the import entry. Items that cannot be
    written get their ``error``; when any has one, nothing is written (the caller rolls back).
    An item whose report does not pass the submission check stays a draft: its ``hand_in_errors``
    holds the check's result. ``past``: a campaign not collecting, whose reports are loaded as
    accepted (:func:`monitoring.services.report_load_accepted`), without a hand-in. Without
    ``write`` everything is decided (errors, outcomes) but nothing is written: a preview.
    """
    from .comments import reports_comments_resolve
    from .services import (
        ImportedReport,
        reports_stage_accepted,
        reports_stage_imported,
        reports_write_imported,
        reviews_accept_loaded,
    )

    batch: list[ImportedReport] = list(items)
    stage = reports_stage_accepted if past else reports_stage_imported
    stage(campaign=campaign, items=batch, user=user)
    if any(item.error is not None for item in batch):
        return
    if past:
        for item in batch:
            item.journal = [
                (WorkflowEvent.Action.IMPORT, "", item.report.status, comments.get(item.school.pk, ""), {})
            ]
        if not write:
            return
        reports_write_imported(campaign=campaign, items=batch, user=user)
        reviews_accept_loaded(campaign=campaign, municipality_ids={i.school.municipality_id for i in batch})
        _journal_imported(campaign, batch, user)
        return
    submitted: list[SchoolReport] = []
    for item in batch:
        report = item.report
        report.school = item.school
        entries = []
        result = check_saved_report(
            report, for_submission=True, comparison=item.comparison, branch_rows=item.rows
        )
        if result.errors:
            item.hand_in_errors = result
        else:
            note = notes.get(item.school.pk, "")
            if report.status != ReportStatus.SUBMITTED:
                from_state = report.status
                stage_transition(REPORT_WORKFLOW, "submit", obj=report, user=user, comment=note)
                snapshot = report_snapshot(report, branch_rows=item.rows, events=item.events)
                entries.append((WorkflowEvent.Action.SUBMIT, from_state, report.status, note, snapshot))
                if item.existing is not None:
                    submitted.append(report)
            if (user.is_regional or can_review(user, item.school)) and not review_refusal(
                report, state=item.state
            ):
                from_state = report.status
                stage_transition(REPORT_WORKFLOW, "approve", obj=report, user=user, comment=note)
                entries.append((WorkflowEvent.Action.APPROVE, from_state, report.status, note, {}))
        entries.append(
            (
                WorkflowEvent.Action.IMPORT,
                item.from_state,
                report.status,
                comments.get(item.school.pk, ""),
                {},
            )
        )
        item.journal = entries
    if not write:
        return
    reports_write_imported(campaign=campaign, items=batch, user=user)
    _journal_imported(campaign, batch, user)
    reports_comments_resolve(report_ids=[r.pk for r in submitted], user=user)


def _journal_imported(campaign: Campaign, batch, user: User) -> None:
    journal: list[WorkflowEvent] = []
    for item in batch:
        for action, from_state, to_state, comment, snapshot in item.journal:
            journal.append(
                WorkflowEvent(
                    campaign_id=campaign.pk,
                    report=item.report,
                    municipality_id=item.school.municipality_id,
                    action=action,
                    from_state=from_state,
                    to_state=to_state,
                    actor=user,
                    comment=comment,
                    snapshot=snapshot,
                )
            )
    WorkflowEvent.objects.bulk_create(journal, batch_size=1000)
