"""The one transition engine of every review workflow.

A workflow is declared once (:class:`Workflow`): its model, how a row is locked, its states, the
allowed transitions and, per transition, who may perform it (a callable that returns the refusal
reason), whether a comment is required, what is checked before the change, what else the
transition writes, what the journal records and whether a notification is sent.

:func:`perform` runs a transition: one transaction, the row locked with ``select_for_update``,
the checks, the state change (with a version bump where the model keeps one), the journal entry,
and the notification enqueued with ``transaction.on_commit``. A second click or a concurrent
request finds the state already changed and is refused, so there is one transition and one entry.

:func:`refusal` answers "may this user do this now?" from the same declaration without writing,
for the pages that decide which buttons to show.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from .errors import ServiceError

if TYPE_CHECKING:
    from accounts.models import User

# --- Messages (tests import them) -------------------------------------------------------------
MSG_NOT_ALLOWED = "У вас нет права на это действие."
MSG_COMMENT_REQUIRED = "Укажите причину возврата: комментарий обязателен."
MSG_WRONG_STATE = "Действие невозможно: отчёт в состоянии «{state}»."


class TransitionRefused(ServiceError):
    """The transition is not allowed for this user, in this state, or without a comment."""


Refusal = Callable[["User", Any], str | None]
"""Decides for (user, object): None when allowed, otherwise the Russian reason."""


@dataclass(frozen=True)
class Transition:
    """One allowed move of a workflow.

    ``sources``: the states it starts from (or a callable of the object returning them);
    ``permission``: role and scope — returns the refusal reason or None;
    ``guard``: refusals that do not depend on the user (campaign closed, data handed over), checked
    after the permission and before the state;
    ``validate``: raises a :class:`ServiceError` when the object's data do not allow the move;
    ``apply``: writes what else changes (returns the names of the changed fields);
    ``after``: runs after the journal entry, inside the same transaction;
    ``snapshot``: whether the journal keeps the workflow's snapshot of the object;
    ``notify``: whether the workflow's notification is enqueued on commit.
    """

    name: str
    target: str
    sources: tuple[str, ...] | Callable[[Any], Iterable[str]]
    permission: Refusal
    action: str = ""
    comment_required: bool = False
    guard: Callable[[Any], str | None] | None = None
    validate: Callable[..., None] | None = None
    apply: Callable[..., Iterable[str]] | None = None
    after: Callable[..., None] | None = None
    snapshot: bool = False
    notify: bool = False

    def source_states(self, obj) -> tuple[str, ...]:
        return tuple(self.sources(obj) if callable(self.sources) else self.sources)


@dataclass(frozen=True)
class Workflow:
    """The declaration of one review workflow.

    ``lock(**lookup)`` returns the row locked for update; ``journal(obj, transition, from_state,
    user, comment, snapshot)`` writes and returns the journal entry; ``notify(entry_id)`` enqueues
    the notification (called on commit); ``snapshot(obj)`` the JSON-friendly values kept with
    the entry; ``wrong_state`` the refusal for a transition from another state (``{state}``: the
    state's label).
    """

    name: str
    model: type[models.Model]
    lock: Callable[..., Any]
    journal: Callable[..., Any]
    transitions: dict[str, Transition] = field(default_factory=dict)
    state_field: str = "status"
    version_field: str | None = "version"
    updated_by_field: str | None = "updated_by"
    touched_fields: tuple[str, ...] = ("updated_at",)
    notify: Callable[[int], Any] | None = None
    snapshot: Callable[[Any], dict] | None = None
    wrong_state: str = MSG_WRONG_STATE

    def __post_init__(self):
        for name, item in self.transitions.items():
            if item.name != name:
                raise ValueError(f"Transition declared as {name!r} is named {item.name!r}")
            if item.notify and self.notify is None:
                raise ValueError(
                    f"Transition {name!r} notifies, but the workflow {self.name!r} has no notify"
                )
            if item.snapshot and self.snapshot is None:
                raise ValueError(f"Transition {name!r} keeps a snapshot, but {self.name!r} has none")

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def state_label(self, obj) -> str:
        return getattr(obj, f"get_{self.state_field}_display")()


def stamp_submitted(obj, **_) -> list[str]:
    """``apply`` of a submission: the time it was submitted (``submitted_at``)."""
    from django.utils import timezone

    obj.submitted_at = timezone.now()
    return ["submitted_at"]


def _clear_return_comment(obj, **_) -> list[str]:
    obj.return_comment = ""
    return ["return_comment"]


def _keep_return_comment(obj, *, comment: str, **_) -> list[str]:
    obj.return_comment = comment
    return ["return_comment"]


def review_cycle(
    *,
    submitter: Refusal,
    reviewer: Refusal,
    validate: Callable[..., None] | None,
    actions: Any,
) -> dict[str, Transition]:
    """The submit / approve / return transitions of a report that keeps its ``submitted_at`` and
    the reviewer's ``return_comment`` (``actions``: the journal's choices with SUBMIT, APPROVE and
    RETURN). The coordinator submits a draft or returned report; the reviewer approves a submitted
    one or returns a submitted or approved one with a comment; approval and return notify."""
    from .models import ReportStatus

    return {
        "submit": Transition(
            name="submit",
            sources=(ReportStatus.DRAFT, ReportStatus.RETURNED),
            target=ReportStatus.SUBMITTED,
            permission=submitter,
            validate=validate,
            apply=stamp_submitted,
            action=actions.SUBMIT,
        ),
        "approve": Transition(
            name="approve",
            sources=(ReportStatus.SUBMITTED,),
            target=ReportStatus.APPROVED,
            permission=reviewer,
            apply=_clear_return_comment,
            action=actions.APPROVE,
            notify=True,
        ),
        "return": Transition(
            name="return",
            sources=(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
            target=ReportStatus.RETURNED,
            permission=reviewer,
            comment_required=True,
            apply=_keep_return_comment,
            action=actions.RETURN,
            notify=True,
        ),
    }


def permission_refusal(workflow: Workflow, name: str, *, user: User, obj) -> str | None:
    """The role-and-scope part of :func:`refusal`: why the user has no right to the transition."""
    if user is None or not user.is_active:
        return MSG_NOT_ALLOWED
    return workflow[name].permission(user, obj)


def refusal(workflow: Workflow, name: str, *, user: User, obj) -> str | None:
    """Why ``user`` may not perform the transition on ``obj`` now, or None when they may.

    The order is the one users see: the right first, then the surroundings, then the state.
    Data checks (``validate``) and the comment are left to :func:`perform`.
    """
    item = workflow[name]
    reason = permission_refusal(workflow, name, user=user, obj=obj)
    if reason:
        return reason
    if item.guard is not None:
        reason = item.guard(obj)
        if reason:
            return reason
    if workflow.state_of(obj) not in item.source_states(obj):
        return workflow.wrong_state.format(state=workflow.state_label(obj))
    return None


@dataclass(frozen=True)
class Actions:
    """What a user may do with one object now: per action, None (allowed) or the Russian reason.

    ``forbidden`` names the actions the user has no right to at all (role or scope): views answer
    those with 403; the others are refused with the reason as a message. Templates use
    ``actions.allowed.<name>`` to decide which buttons to show.
    """

    refusals: dict[str, str | None]
    forbidden: frozenset[str] = frozenset()

    @property
    def allowed(self) -> dict[str, bool]:
        return {name: reason is None for name, reason in self.refusals.items()}

    def may(self, name: str) -> bool:
        return self.refusals.get(name, MSG_NOT_ALLOWED) is None

    def reason(self, name: str) -> str | None:
        return self.refusals.get(name, MSG_NOT_ALLOWED)

    def has_right(self, name: str) -> bool:
        return name in self.refusals and name not in self.forbidden

    def require_right(self, name: str, message: str | None = None) -> None:
        """403 (``PermissionDenied``) when the user has no right to the action at all."""
        if not self.has_right(name):
            raise PermissionDenied(message or self.reason(name))


def workflow_actions(
    workflow: Workflow, *, user: User, obj, extra: dict[str, tuple[str | None, str | None]] | None = None
) -> Actions:
    """:class:`Actions` of every transition of the workflow for ``user`` and ``obj``, from the
    declaration. ``extra`` adds actions that are not transitions (such as «edit»):
    name → (the permission refusal, the full refusal)."""
    refusals: dict[str, str | None] = {}
    forbidden = set()
    for name in workflow.transitions:
        if permission_refusal(workflow, name, user=user, obj=obj):
            forbidden.add(name)
        refusals[name] = refusal(workflow, name, user=user, obj=obj)
    for name, (permission, full) in (extra or {}).items():
        if permission:
            forbidden.add(name)
        refusals[name] = permission or full
    return Actions(refusals=refusals, forbidden=frozenset(forbidden))


def stage_transition(
    workflow: Workflow, name: str, *, obj, user: User, comment: str = "", **context
) -> list[str]:
    """The in-memory part of :func:`apply_transition`: the state, the version bump, who changed it
    and the transition's own ``apply``; returns the changed fields. Nothing is saved: for many
    objects written at once by the caller, which also writes their journal entries."""
    item = workflow[name]
    setattr(obj, workflow.state_field, item.target)
    fields = [workflow.state_field]
    if workflow.version_field:
        setattr(obj, workflow.version_field, getattr(obj, workflow.version_field) + 1)
        fields.append(workflow.version_field)
    if workflow.updated_by_field:
        setattr(obj, workflow.updated_by_field, user)
        fields.append(workflow.updated_by_field)
    if item.apply is not None:
        fields.extend(item.apply(obj, user=user, comment=comment, **context) or ())
    fields.extend(workflow.touched_fields)
    return list(dict.fromkeys(fields))


def apply_transition(
    workflow: Workflow, name: str, *, obj, user: User, comment: str = "", notify: bool = True, **context
):
    """Change the state, write the journal entry and enqueue the notification, without checks.

    For a transition that is part of another one already checked (a municipality's return sends
    chosen school reports back; an imported table is handed in). Must run inside a transaction,
    with ``obj`` locked. ``notify=False`` records the transition without a notification.
    """
    item = workflow[name]
    from_state = workflow.state_of(obj)
    fields = stage_transition(workflow, name, obj=obj, user=user, comment=comment, **context)
    obj._history_user = user
    obj.save(update_fields=fields)
    snapshot = workflow.snapshot(obj) if item.snapshot and workflow.snapshot is not None else {}
    entry = workflow.journal(obj, item, from_state, user, comment, snapshot)
    send = workflow.notify
    if item.notify and notify and send is not None:
        entry_id = entry.pk
        transaction.on_commit(lambda: send(entry_id))
    if item.after is not None:
        item.after(obj, user=user, comment=comment, **context)
    return obj


def perform(workflow: Workflow, name: str, *, user: User, comment: str = "", lookup: dict, **context):
    """Perform one transition in one transaction and return the changed object.

    ``lookup`` finds the row (passed to the workflow's ``lock``); ``context`` goes to the
    transition's ``validate``, ``apply`` and ``after``. Raises :class:`TransitionRefused` (or the
    error ``validate`` raises) and writes nothing when refused.
    """
    item = workflow[name]
    comment = (comment or "").strip()
    with transaction.atomic():
        if item.comment_required and not comment:
            raise TransitionRefused(MSG_COMMENT_REQUIRED)
        obj = workflow.lock(**lookup)
        reason = refusal(workflow, name, user=user, obj=obj)
        if reason:
            raise TransitionRefused(reason)
        if item.validate is not None:
            item.validate(obj, user=user, comment=comment, **context)
        return apply_transition(workflow, name, obj=obj, user=user, comment=comment, **context)
