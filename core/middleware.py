"""Caching of pages and files that may carry personal data."""

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
