"""Issuing and revoking API keys."""

from django.db import transaction

from accounts.models import User
from core.errors import ServiceError
from schools.models import EdmsVendor

from .models import ApiKey

MSG_ONLY_METHODISTS = "Ключи API выдают и отзывают только методисты РЦРО."
MSG_KEY_NAME = "Укажите название ключа."
MSG_VENDOR_REQUIRED = "Для ключа разработчика выберите разработчика."


@transaction.atomic
def api_key_issue(
    *, kind: str, name: str, vendor: EdmsVendor | None = None, user: User | None = None
) -> tuple[ApiKey, str]:
    """Issue a key; returns the key row and the key itself (shown once, only its hash is kept).
    ``user`` None: issued from the command line."""
    if user is not None and not user.is_regional:
        raise ServiceError(MSG_ONLY_METHODISTS)
    if not name.strip():
        raise ServiceError(MSG_KEY_NAME)
    if kind == ApiKey.Kind.VENDOR and vendor is None:
        raise ServiceError(MSG_VENDOR_REQUIRED)
    key, raw = ApiKey.objects.create_key(
        name=name.strip()[:50], kind=kind, vendor=vendor if kind == ApiKey.Kind.VENDOR else None
    )
    assert isinstance(key, ApiKey)
    return key, raw


@transaction.atomic
def api_key_revoke(*, key_id: str, user: User) -> ApiKey:
    if not user.is_regional:
        raise ServiceError(MSG_ONLY_METHODISTS)
    key = ApiKey.objects.select_for_update().get(pk=key_id)
    key.revoked = True
    key.save(update_fields=["revoked"])
    return key
