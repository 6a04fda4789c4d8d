"""What a user may do with a school report or with a municipality's data in a campaign.

One answer, derived from the workflow declarations in :mod:`monitoring.workflow`, for the views
(403 when the user has no right at all; outsiders never get this far — selectors give them 404),
the templates (``actions.allowed.<name>`` decides which buttons are shown) and the services (which
re-check the same declarations under the row lock).
"""

from accounts.models import User
from core.transitions import MSG_NOT_ALLOWED, Actions, workflow_actions

from .models import Campaign, MunicipalityReview, SchoolReport
from .selectors import municipality_state
from .services import report_edit_refusal
from .workflow import MUNICIPALITY_WORKFLOW, REPORT_WORKFLOW, reviews_municipality

MSG_FILL_FIRST = "Сначала заполните отчёт."
MSG_NOT_STARTED = "Отчёт ещё не начат."


def report_actions(
    *, user: User, report: SchoolReport | None, campaign: Campaign | None = None, school=None
) -> Actions:
    """``submit``, ``approve``, ``return`` and ``edit`` of the school's report.

    A report not started yet (``report`` None) is judged as a new draft of ``school`` in
    ``campaign``: its coordinator may fill it (``edit``) while the campaign is open.
    """
    subject = report if report is not None else SchoolReport(campaign=campaign, school=school)
    own = (
        None
        if user.is_active and user.is_coordinator and user.school_id == subject.school_id
        else MSG_NOT_ALLOWED
    )
    # The municipality's state, which every guard asks, is read once for all of them (a report read
    # with its lock has it from that statement).
    if not subject.locked_for_update:
        subject.municipality_state_read = municipality_state(
            subject.campaign_id, subject.school.municipality_id
        )
    actions = workflow_actions(
        REPORT_WORKFLOW,
        user=user,
        obj=subject,
        extra={"edit": (own, report_edit_refusal(subject) if own is None else None)},
    )
    if report is None:
        refusals = dict(actions.refusals)
        for name in ("submit", "approve", "return"):
            if name not in actions.forbidden:
                refusals[name] = MSG_FILL_FIRST if name == "submit" else MSG_NOT_STARTED
        actions = Actions(refusals=refusals, forbidden=actions.forbidden)
    return actions


def municipality_actions(*, user: User, review: MunicipalityReview) -> Actions:
    """``submit`` (hand over to the region), ``accept``, ``return`` of the municipality's data, and
    ``bulk_approve`` (approve several of its schools' reports at once)."""
    reviewer = None if reviews_municipality(user, review.municipality) else MSG_NOT_ALLOWED
    return workflow_actions(
        MUNICIPALITY_WORKFLOW, user=user, obj=review, extra={"bulk_approve": (reviewer, None)}
    )
