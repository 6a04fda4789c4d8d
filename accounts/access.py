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
