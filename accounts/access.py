"""The one access layer: what part of the region a user may see.

Every selector that reads scoped data filters through :func:`school_q` (or its relatives), and
every view that takes an object id from the URL fetches it with :func:`get_in_scope_or_404`.
Objects outside the scope are reported as "not found", never as "forbidden", so that their
existence is not revealed.
"""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Role, User

M = TypeVar("M", bound=Model)

NOTHING = Q(pk__in=[])


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def school_q(user: User, path: str = "") -> Q:
    """Filter for a model reached from a ``School`` by ``path`` (``""`` for School itself)."""
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    role = user.effective_role
    p = _prefix(path)
    if role in (Role.METHODIST, Role.ADMIN):
        return Q()
    if role == Role.SPECIALIST and user.municipality_id:
        return Q(**{f"{p}municipality_id": user.municipality_id})
    if role == Role.COORDINATOR and user.school_id:
        return Q(**{f"{path}_id" if path else "pk": user.school_id})
    return NOTHING


def municipality_q(user: User, path: str = "") -> Q:
    """Filter for a model reached from a ``Municipality`` by ``path``.

    Coordinators have no municipality scope: their world is one school.
    """
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    role = user.effective_role
    if role in (Role.METHODIST, Role.ADMIN):
        return Q()
    if role == Role.SPECIALIST and user.municipality_id:
        return Q(**{f"{path}_id" if path else "pk": user.municipality_id})
    return NOTHING


def get_in_scope_or_404(queryset: QuerySet[M], **lookup) -> M:
    """Fetch one object from an already scoped queryset, or raise 404."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Объект не найден или недоступен.") from exc


def people_q(user) -> Q:
    """Filter for the accounts a user may see and manage on the people page.

    Methodists and administrators: everyone; a specialist: the coordinators of their
    municipality's schools; anyone else: nobody.
    """
    if not (user and user.is_authenticated and user.is_active):
        return NOTHING
    role = user.effective_role
    if role in (Role.METHODIST, Role.ADMIN):
        return Q()
    if role == Role.SPECIALIST and user.municipality_id:
        return Q(role=Role.COORDINATOR, school__municipality_id=user.municipality_id)
    return NOTHING


def can_manage_people(user) -> bool:
    """Whether the people page exists for this user at all (others get 403)."""
    return bool(user and user.is_authenticated and user.is_active) and user.effective_role in (
        Role.METHODIST,
        Role.ADMIN,
        Role.SPECIALIST,
    )


def can_invite(user, *, role: str, school=None, municipality=None) -> bool:
    """Who may invite whom: methodists invite coordinators anywhere and specialists; a specialist
    invites coordinators of their own municipality's schools only. Nobody invites methodists or
    administrators (the administrator creates those in the admin)."""
    if not can_manage_people(user):
        return False
    actor = user.effective_role
    if role == Role.COORDINATOR and school is not None and municipality is None:
        if actor in (Role.METHODIST, Role.ADMIN):
            return True
        return actor == Role.SPECIALIST and school.municipality_id == user.municipality_id
    if role == Role.SPECIALIST and municipality is not None and school is None:
        return actor in (Role.METHODIST, Role.ADMIN)
    return False


class PersonAction:
    RESEND = "resend"
    REVOKE = "revoke"
    DEACTIVATE = "deactivate"
    ACTIVATE = "activate"
    CHANGE_SCHOOL = "change_school"


def person_actions(*, user, person, open_invitation=None) -> frozenset[str]:
    """What ``user`` may do with the account ``person`` (already known to be in scope)."""
    if not can_manage_people(user) or person.pk == user.pk:
        return frozenset()
    if person.role not in (Role.COORDINATOR, Role.SPECIALIST) or person.is_superuser:
        return frozenset()
    if user.effective_role == Role.SPECIALIST and not (
        person.role == Role.COORDINATOR
        and person.school_id is not None
        and person.school.municipality_id == user.municipality_id
    ):
        return frozenset()
    actions = set()
    if person.is_active:
        actions.add(PersonAction.DEACTIVATE)
        if open_invitation is not None:
            actions |= {PersonAction.RESEND, PersonAction.REVOKE}
        if person.role == Role.COORDINATOR:
            actions.add(PersonAction.CHANGE_SCHOOL)
    else:
        actions.add(PersonAction.ACTIVATE)
    return frozenset(actions)
