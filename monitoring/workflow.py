"""Review workflow: school report (draft → submitted → approved / returned) and municipality
(collecting → submitted to region → accepted / returned).

Each transition runs in one transaction: the row is locked, its state checked, changed, and an
audit entry written. A second click or a concurrent request finds the state already changed and
is refused, so there is exactly one transition and one audit entry.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from accounts.models import Role

from .comments import report_comments_add, report_comments_resolve
from .models import (
    Campaign,
    MunicipalityReview,
    MunicipalityState,
    ReportStatus,
    SchoolReport,
    WorkflowEvent,
)
from .rules import check_report
from .services import (
    ReportInvalid,
    ServiceError,
    branch_values,
    municipality_state,
    registry_pilot_status,
    report_edit_refusal,
    report_values,
)

MSG_COMMENT_REQUIRED = "Укажите причину возврата: комментарий обязателен."
MSG_NOT_ALLOWED = "У вас нет права на это действие."
MSG_WRONG_STATE = "Действие невозможно: отчёт в состоянии «{state}»."
MSG_MUN_WRONG_STATE = "Действие невозможно: МОУО в состоянии «{state}»."
MSG_CAMPAIGN_CLOSED = "Мониторинг закрыт: изменения невозможны."
MSG_MISSING_REASON = (
    "Не все отчёты приняты ({count}): перечислите организации без принятого отчёта и укажите причину."
)
MSG_MISSING_LIST = "Список организаций без принятого отчёта не совпадает с фактическим: {names}."


class TransitionRefused(ServiceError):
    pass


@dataclass
class BulkResult:
    approved: list[SchoolReport]
    refused: list[tuple[SchoolReport, str]]


def _locked_report(report_id: int) -> SchoolReport:
    return (
        SchoolReport.objects.select_for_update(of=("self",))
        .select_related("campaign", "school__municipality")
        .get(pk=report_id)
    )


def _previous_values(report: SchoolReport) -> dict | None:
    if not report.campaign.previous_id:
        return None
    previous = SchoolReport.objects.filter(
        campaign_id=report.campaign.previous_id, school=report.school
    ).first()
    return report_values(previous)


def report_snapshot(report: SchoolReport) -> dict:
    """The report's values as JSON-friendly data, kept with submissions and returns for diffs."""
    values = report_values(report)
    values["system"] = report.system.name if report.system_id else None
    values["branches"] = {
        str(row.branch_id): {
            "name": row.branch.name,
            "system": row.system.name if row.system_id else None,
            "responsible_name": row.responsible_name,
            "responsible_position": row.responsible_position,
            "responsible_phone": row.responsible_phone,
            "responsible_email": row.responsible_email,
        }
        for row in report.branch_rows.select_related("branch", "system")
    }
    values["events"] = [
        f"{e.title}: обучающихся {e.students}, педагогов {e.teachers}" for e in report.events.all()
    ]
    return values


def full_check(report: SchoolReport):
    """The check a report must pass to be submitted or approved."""
    return check_report(
        report_values(report),
        previous=_previous_values(report),
        branches=branch_values(report),
        for_submission=True,
        unconfirmed=report.unconfirmed_fields,
        explanations=report.warning_notes,
        registry_pilot_site=registry_pilot_status(report.school_id, report.campaign.as_of),
    )


def _log(report, action, from_state, actor, comment="", snapshot=None):
    return WorkflowEvent.objects.create(
        campaign_id=report.campaign_id,
        report=report,
        municipality_id=report.school.municipality_id,
        action=action,
        from_state=from_state,
        to_state=report.status,
        actor=actor,
        comment=comment,
        snapshot=snapshot or {},
    )


def _notify(event: WorkflowEvent) -> None:
    from .tasks import send_workflow_notification

    transaction.on_commit(lambda: send_workflow_notification.delay(event.pk))


def can_review(user, school) -> bool:
    """Municipal specialists review their schools; methodists review the regional state schools."""
    if not user.is_active:
        return False
    if school.municipality.is_regional:
        return user.is_regional
    return user.effective_role == Role.SPECIALIST and user.municipality_id == school.municipality_id


def _set_status(report, status, actor):
    report.status = status
    report.version += 1
    report.updated_by = actor
    report._history_user = actor
    fields = ["status", "version", "updated_by", "updated_at"]
    if status == ReportStatus.SUBMITTED:
        report.submitted_at = timezone.now()
        fields.append("submitted_at")
    report.save(update_fields=fields)


@transaction.atomic
def report_submit(*, report_id: int, user) -> SchoolReport:
    report = _locked_report(report_id)
    if not (user.is_coordinator and user.school_id == report.school_id):
        raise TransitionRefused(MSG_NOT_ALLOWED)
    refusal = report_edit_refusal(report)
    if refusal:
        raise TransitionRefused(refusal)
    result = full_check(report)
    if result.errors:
        raise ReportInvalid(result)
    from_state = report.status
    _set_status(report, ReportStatus.SUBMITTED, user)
    report_comments_resolve(report=report, user=user)
    _log(report, WorkflowEvent.Action.SUBMIT, from_state, user, snapshot=report_snapshot(report))
    return report


def review_refusal(report) -> str | None:
    """Why a reviewer cannot act on the report now (campaign closed, municipality handed over)."""
    if report.campaign.status == Campaign.Status.CLOSED:
        return MSG_CAMPAIGN_CLOSED
    state = municipality_state(report.campaign_id, report.school.municipality_id)
    if state in (MunicipalityState.SUBMITTED, MunicipalityState.ACCEPTED):
        return MSG_MUN_WRONG_STATE.format(state=MunicipalityState(state).label)
    return None


def _review_guard(report, user, allowed_states):
    if not can_review(user, report.school):
        raise TransitionRefused(MSG_NOT_ALLOWED)
    refusal = review_refusal(report)
    if refusal:
        raise TransitionRefused(refusal)
    if report.status not in allowed_states:
        raise TransitionRefused(MSG_WRONG_STATE.format(state=report.get_status_display()))


@transaction.atomic
def report_approve(*, report_id: int, user) -> SchoolReport:
    report = _locked_report(report_id)
    _review_guard(report, user, (ReportStatus.SUBMITTED,))
    result = full_check(report)
    if result.errors:
        raise ReportInvalid(result)
    from_state = report.status
    _set_status(report, ReportStatus.APPROVED, user)
    _notify(_log(report, WorkflowEvent.Action.APPROVE, from_state, user))
    return report


@transaction.atomic
def report_return(*, report_id: int, user, comment: str, field_comments=()) -> SchoolReport:
    comment = (comment or "").strip()
    if not comment:
        raise TransitionRefused(MSG_COMMENT_REQUIRED)
    report = _locked_report(report_id)
    _review_guard(report, user, (ReportStatus.SUBMITTED, ReportStatus.APPROVED))
    from_state = report.status
    _set_status(report, ReportStatus.RETURNED, user)
    report_comments_add(report=report, user=user, items=field_comments)
    _notify(_log(report, WorkflowEvent.Action.RETURN, from_state, user, comment, report_snapshot(report)))
    return report


def reports_approve_bulk(*, report_ids, user) -> BulkResult:
    """Approve several reports; each one is checked and committed on its own."""
    result = BulkResult([], [])
    for report_id in report_ids:
        try:
            result.approved.append(report_approve(report_id=report_id, user=user))
        except (TransitionRefused, ReportInvalid) as exc:
            report = SchoolReport.objects.select_related("school").get(pk=report_id)
            result.refused.append((report, str(exc)))
    return result


# --- Municipality ---------------------------------------------------------------------------------


def _locked_review(campaign, municipality) -> MunicipalityReview:
    MunicipalityReview.objects.get_or_create(campaign=campaign, municipality=municipality)
    return MunicipalityReview.objects.select_for_update().get(campaign=campaign, municipality=municipality)


def _log_municipality(review, action, from_state, actor, comment=""):
    return WorkflowEvent.objects.create(
        campaign_id=review.campaign_id,
        municipality_id=review.municipality_id,
        action=action,
        from_state=from_state,
        to_state=review.state,
        actor=actor,
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


@transaction.atomic
def municipality_submit(
    *, campaign: Campaign, municipality, user, missing_ids=(), reason: str = ""
) -> MunicipalityReview:
    if not (user.is_specialist and user.municipality_id == municipality.pk):
        raise TransitionRefused(MSG_NOT_ALLOWED)
    if campaign.status == Campaign.Status.CLOSED:
        raise TransitionRefused(MSG_CAMPAIGN_CLOSED)
    review = _locked_review(campaign, municipality)
    if review.state not in (MunicipalityState.COLLECTING, MunicipalityState.RETURNED):
        raise TransitionRefused(MSG_MUN_WRONG_STATE.format(state=review.get_state_display()))
    missing = list(schools_without_approved_report(campaign, municipality))
    reason = (reason or "").strip()
    if missing:
        if not reason:
            raise TransitionRefused(MSG_MISSING_REASON.format(count=len(missing)))
        if {s.pk for s in missing} != {int(i) for i in missing_ids}:
            raise TransitionRefused(MSG_MISSING_LIST.format(names=", ".join(s.short_name for s in missing)))
    from_state = review.state
    review.state = MunicipalityState.SUBMITTED
    review.submitted_at = timezone.now()
    review.missing_reason = reason if missing else ""
    review.save()
    review.missing_schools.set(missing)
    _notify(_log_municipality(review, WorkflowEvent.Action.MUNICIPALITY_SUBMIT, from_state, user, reason))
    return review


@transaction.atomic
def municipality_accept(*, campaign: Campaign, municipality, user) -> MunicipalityReview:
    if not user.is_regional:
        raise TransitionRefused(MSG_NOT_ALLOWED)
    review = _locked_review(campaign, municipality)
    allowed = [MunicipalityState.SUBMITTED]
    if municipality.is_regional:  # regional state schools are reviewed by methodists directly
        allowed += [MunicipalityState.COLLECTING, MunicipalityState.RETURNED]
    if review.state not in allowed:
        raise TransitionRefused(MSG_MUN_WRONG_STATE.format(state=review.get_state_display()))
    from_state = review.state
    review.state = MunicipalityState.ACCEPTED
    review.comment = ""
    review.save()
    _notify(_log_municipality(review, WorkflowEvent.Action.MUNICIPALITY_ACCEPT, from_state, user))
    return review


@transaction.atomic
def municipality_return(
    *, campaign: Campaign, municipality, user, comment: str, reopen_school_ids=()
) -> MunicipalityReview:
    """Return a municipality's data; the chosen schools' reports go back to their coordinators."""
    comment = (comment or "").strip()
    if not comment:
        raise TransitionRefused(MSG_COMMENT_REQUIRED)
    if not user.is_regional:
        raise TransitionRefused(MSG_NOT_ALLOWED)
    review = _locked_review(campaign, municipality)
    if review.state not in (MunicipalityState.SUBMITTED, MunicipalityState.ACCEPTED):
        raise TransitionRefused(MSG_MUN_WRONG_STATE.format(state=review.get_state_display()))
    from_state = review.state
    review.state = MunicipalityState.RETURNED
    review.comment = comment
    review.save()
    _notify(_log_municipality(review, WorkflowEvent.Action.MUNICIPALITY_RETURN, from_state, user, comment))
    reports = (
        SchoolReport.objects.select_for_update(of=("self",))
        .select_related("campaign", "school__municipality")
        .filter(campaign=campaign, school__municipality=municipality, school_id__in=list(reopen_school_ids))
        .exclude(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
    )
    for report in reports:
        from_report_state = report.status
        _set_status(report, ReportStatus.RETURNED, user)
        _notify(
            _log(
                report, WorkflowEvent.Action.RETURN, from_report_state, user, comment, report_snapshot(report)
            )
        )
    return review


# --- What changed since the last submission or return ---------------------------------------------


@dataclass
class DiffLine:
    label: str
    old: str
    new: str


def _show(name, value):
    from .presenters import display

    if name == "system":
        return value or "—"
    shown = display({name: value}, name)
    return shown if shown is not None else "—"


def snapshot_diff(old: dict, new: dict) -> list[DiffLine]:
    """Differences between two report snapshots, labelled in Russian."""
    from .services import VALUE_FIELDS

    lines = []
    for name in VALUE_FIELDS:
        if old.get(name) != new.get(name):
            label = (
                "Система" if name == "system" else capfirst(SchoolReport._meta.get_field(name).verbose_name)
            )
            lines.append(DiffLine(label, _show(name, old.get(name)), _show(name, new.get(name))))
    old_branches, new_branches = old.get("branches", {}), new.get("branches", {})
    for key in sorted(set(old_branches) | set(new_branches)):
        before, after = old_branches.get(key, {}), new_branches.get(key, {})
        name = after.get("name") or before.get("name")
        for field_name, label in (
            ("system", "система"),
            ("responsible_name", "ответственный"),
            ("responsible_position", "должность"),
            ("responsible_phone", "телефон"),
            ("responsible_email", "e-mail"),
        ):
            if before.get(field_name) != after.get(field_name):
                lines.append(
                    DiffLine(
                        f"Филиал «{name}»: {label}",
                        before.get(field_name) or "—",
                        after.get(field_name) or "—",
                    )
                )
    if old.get("events", []) != new.get("events", []):
        lines.append(
            DiffLine(
                "Мероприятия",
                "; ".join(old.get("events", [])) or "—",
                "; ".join(new.get("events", [])) or "—",
            )
        )
    return lines


def changes_since_last_review(report: SchoolReport) -> tuple[WorkflowEvent | None, list[DiffLine]]:
    """What changed since the reviewer last saw the report: since the previous return or submission.

    For a submitted report the current submission is compared with the one before it (or with
    the report as it was returned); for a report being edited, the current values are compared with
    the last submission or return. Returns (the event compared against, lines) or (None, []).
    """
    events = list(
        report.workflow_events.filter(action__in=[WorkflowEvent.Action.SUBMIT, WorkflowEvent.Action.RETURN])
        .select_related("actor")
        .order_by("-created_at", "-pk")[:2]
    )
    if report.status == ReportStatus.SUBMITTED and events and events[0].action == WorkflowEvent.Action.SUBMIT:
        if len(events) < 2:
            return None, []
        current, base = events[0].snapshot, events[1]
    else:
        if not events:
            return None, []
        current, base = report_snapshot(report), events[0]
    return base, snapshot_diff(base.snapshot, current)


# --- Reports loaded from a municipality's table --------------------------------------------------


@transaction.atomic
def report_hand_in_imported(*, report_id: int, user, note: str) -> SchoolReport:
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
        from_state = report.status
        _set_status(report, ReportStatus.SUBMITTED, user)
        _log(report, WorkflowEvent.Action.SUBMIT, from_state, user, note, report_snapshot(report))
    # The region loads consolidated tables of any municipality, so a methodist counts as a reviewer here.
    if (user.is_regional or can_review(user, report.school)) and not review_refusal(report):
        _set_status(report, ReportStatus.APPROVED, user)
        _log(report, WorkflowEvent.Action.APPROVE, ReportStatus.SUBMITTED, user, note)
    return report
