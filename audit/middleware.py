"""Pages and files carrying personal data, and refused accesses, are written to the journal.

Which pages count is declared here by URL name, so the apps above need no change to be journalled:
pages showing staff contacts (Appendix 1 columns 6, 7, 22, 23, branch contacts, people), files
(exports, справки), imports; and for signed-in people every 403/404 answer of a portal page (a
refused access to a scoped object: outsiders get 404; unknown addresses are not journalled)."""

from .models import AccessEvent
from .services import record

Kind = AccessEvent.Kind

# URL name → (kind, object kind, the URL argument naming the object). GET answers 200 only.
JOURNALLED_VIEWS: dict[str, tuple[str, str, str]] = {
    "monitoring:report": (Kind.VIEW_CONTACTS, "school_report", "school_pk"),
    "monitoring:report_edit": (Kind.VIEW_CONTACTS, "school_report", "school_pk"),
    "schools:school": (Kind.VIEW_CONTACTS, "school", "pk"),
    "schools:municipality": (Kind.VIEW_CONTACTS, "municipality", "pk"),
    "projects:site": (Kind.VIEW_CONTACTS, "pilot_site", "site_pk"),
    "reports:export_job_download": (Kind.EXPORT, "export_job", "pk"),
    "reports:analytic_report_file": (Kind.DOWNLOAD, "analytic_report", "pk"),
    "reports:import_batch": (Kind.IMPORT, "import_batch", "pk"),
    "audit:journal_export": (Kind.EXPORT, "access_journal", ""),
    "people:list": (Kind.VIEW_CONTACTS, "people", ""),
    "people:person": (Kind.VIEW_CONTACTS, "user", "pk"),
    "programmes:applications": (Kind.VIEW_CONTACTS, "programme_school", "pk"),
    "vendors:requests-export": (Kind.EXPORT, "vendor_requests", ""),
}
# Written on a POST that succeeds (answer below 400).
JOURNALLED_POSTS: dict[str, tuple[str, str, str]] = {
    "reports:export": (Kind.EXPORT, "campaign", "slug"),
    "reports:import": (Kind.IMPORT, "campaign", "slug"),
    "reports:import_apply": (Kind.IMPORT, "import_batch", "pk"),
}


class AccessJournalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if not hasattr(user, "get_username"):  # an API key: its calls are journalled by the API
            return response
        match = getattr(request, "resolver_match", None)
        name = match.view_name if match is not None else ""
        kwargs = match.kwargs if match is not None else {}
        if response.status_code in (403, 404) and match is not None:
            record(
                kind=Kind.REFUSED,
                request=request,
                object_kind=name,
                object_id=_object_id(kwargs),
                detail=f"ответ {response.status_code}",
            )
            return response
        entry = None
        if request.method == "GET" and response.status_code == 200:
            entry = JOURNALLED_VIEWS.get(name)
        elif request.method == "POST" and response.status_code < 400:
            entry = JOURNALLED_POSTS.get(name)
        if entry is not None:
            kind, object_kind, argument = entry
            record(
                kind=kind,
                request=request,
                object_kind=object_kind,
                object_id=kwargs.get(argument, "") if argument else "",
                detail=_detail({**kwargs, **_posted_scope(request)}),
            )
        return response


def _object_id(kwargs) -> str:
    return ",".join(f"{key}={value}" for key, value in sorted(kwargs.items()))[:64]


def _posted_scope(request) -> dict:
    """What an export or import asked for (the municipality, the basis), when posted."""
    if request.method != "POST":
        return {}
    return {key: request.POST[key] for key in ("municipality", "basis") if request.POST.get(key)}


def _detail(kwargs) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted(kwargs.items()))
