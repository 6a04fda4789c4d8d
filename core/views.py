"""Error pages: Russian, without the database, never a traceback."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Seconds a client (or the load balancer) should wait before asking again during an outage.
RETRY_AFTER_SECONDS = 60


def service_unavailable() -> HttpResponse:
    """«Сервис временно недоступен» (503) with ``Retry-After``."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: called while the exception is being handled, wherever it was raised (a view
    or a middleware, such as the session's when the database is down). A database that cannot be
    reached answers 503; anything else the Russian 500 page. Neither needs the database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.error("database unavailable: %s", error)
        return service_unavailable()
    response = HttpResponseServerError(loader.render_to_string(template_name))
    add_never_cache_headers(response)
    return response
