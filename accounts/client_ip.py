"""The client's address, taken from a proxy's ``X-Forwarded-For`` only when the proxy is trusted."""

import ipaddress

from django.conf import settings


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    for entry in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request) -> str | None:
    """``REMOTE_ADDR``, unless it is one of ``TRUSTED_PROXIES``: then the nearest address in
    ``X-Forwarded-For`` that is not a trusted proxy (the one the proxy itself saw). A header sent
    by anyone else is ignored, so a client cannot choose the address it is counted under."""
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not _trusted(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if _trusted(address):
            continue
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            return remote
    return remote
