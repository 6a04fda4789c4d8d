"""The journal of API calls. Every call is recorded with the key's name; a common access journal
can take this over by replacing :func:`record_call`."""

import logging

from django.utils import timezone

from .models import ApiCall, ApiKey

logger = logging.getLogger("rcro.api")


def record_call(*, key: ApiKey | None, method: str, path: str, status: int) -> ApiCall:
    name = key.name if key is not None else ""
    logger.info("api %s %s %s key=%s", method, path, status, name or "-")
    return ApiCall.objects.create(
        at=timezone.now(), key=key, key_name=name, method=method, path=path[:300], status=status
    )
