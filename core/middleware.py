"""Caching of pages and files that may carry personal data; the session's idle timeout."""

import time

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control


class NoStoreMiddleware:
    """Pages and files seen by a signed-in person may carry personal data (staff contacts, people,
    exports, справки): nobody may keep them — neither the browser's cache nor a proxy. Everything
    else is at most ``private``. Static files are served before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        elif "Cache-Control" not in response:
            patch_cache_control(response, private=True)
        return response


class SessionRefreshMiddleware:
    """The idle timeout without a session write on every request: a signed-in session is saved
    again (its expiry moved SESSION_IDLE_MINUTES ahead) when it was last refreshed more than
    SESSION_REFRESH_SECONDS ago, so a session ends between SESSION_IDLE_MINUTES and that much
    more after the last request. Requests that change the session save it anyway."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty() or getattr(response, "status_code", 200) >= 500:
            return response
        now = int(time.time())
        last = session.get(self.KEY)
        if session.modified or not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response
