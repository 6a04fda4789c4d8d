"""Writing the access journal. Nothing here changes or removes an entry."""

import logging

from accounts.client_ip import client_ip

from .models import AccessEvent

logger = logging.getLogger(__name__)

SCOPE_REGION = "область"


def user_scope(user) -> tuple[str, int | None]:
    """The scope a person sees: «область», a municipality or an organisation (with municipality id)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "", None
    if user.is_regional:
        return SCOPE_REGION, None
    if user.is_specialist and user.municipality_id:
        return f"МОУО #{user.municipality_id}", user.municipality_id
    if user.is_coordinator and user.school_id:
        return f"ОО #{user.school_id}", None
    return "", None


def record(
    *,
    kind: str,
    request=None,
    user=None,
    username: str = "",
    object_kind: str = "",
    object_id="",
    scope: str | None = None,
    municipality_id: int | None = None,
    detail: str = "",
) -> AccessEvent:
    """Append one entry. ``request`` gives the address, path and (unless given) the person."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    own_scope, own_municipality = user_scope(user)
    return AccessEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(user.get_username() if user is not None else username)[:150],
        ip_address=client_ip(request) if request is not None else None,
        path=(request.get_full_path() if request is not None else "")[:500],
        object_kind=object_kind[:40],
        object_id=str(object_id or "")[:64],
        scope=(own_scope if scope is None else scope)[:200],
        municipality_id=own_municipality if municipality_id is None else municipality_id,
        detail=detail,
    )
