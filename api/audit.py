"""The journal of API calls: every call is recorded with the key's name, in the API's own table and
in the portal's access journal."""

import logging

from django.utils import timezone

from audit.models import AccessEvent
from audit.services import record

from .models import ApiCall, ApiKey

logger = logging.getLogger("rcro.api")


def record_call(*, key: ApiKey | None, method: str, path: str, status: int) -> ApiCall:
    name = key.name if key is not None else ""
    logger.info("api %s %s %s key=%s", method, path, status, name or "-")
    record(
        kind=AccessEvent.Kind.API_CALL,
        username=f"ключ «{name}»" if name else "без ключа",
        object_kind="api",
        object_id=path,
        scope=key.get_kind_display() if key is not None else "",
        detail=f"{method} {path} — ответ {status}",
    )
    return ApiCall.objects.create(
        at=timezone.now(), key=key, key_name=name, method=method, path=path[:300], status=status
    )
