"""Absolute links for e-mails: every link a person receives starts with ``PORTAL_BASE_URL``."""

from urllib.parse import urlsplit

from django.conf import settings


def portal_url(path: str = "/") -> str:
    """``/accounts/login/`` → ``https://monitoring.example/accounts/login/``."""
    return settings.PORTAL_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def portal_domain_and_protocol() -> tuple[str, str]:
    """The host (with port) and the scheme of ``PORTAL_BASE_URL``, for Django's e-mail forms."""
    parts = urlsplit(settings.PORTAL_BASE_URL)
    return parts.netloc, parts.scheme or "https"
