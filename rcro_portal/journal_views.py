"""The access journal page: it filters by municipality, so it lives above the reference data."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from audit.forms import JournalFilterForm
from audit.selectors import access_events, require_journal_reader
from core.xlsx import xlsx_response
from schools.models import Municipality

EXPORT_LIMIT = 100_000
HEADER = [
    "Время",
    "Пользователь",
    "IP-адрес",
    "Действие",
    "Объект",
    "id объекта",
    "Охват",
    "Адрес",
    "Подробности",
]


def _filtered(request):
    require_journal_reader(request.user)
    choices = list(Municipality.objects.order_by("sort_order", "name").values_list("pk", "name"))
    form = JournalFilterForm(request.GET or None, municipality_choices=choices)
    return form, access_events(user=request.user, **form.filters())


@login_required
def journal(request):
    form, events = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/journal.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def journal_export(request):
    _, events = _filtered(request)
    rows = [
        [
            timezone.localtime(e.created_at).strftime("%d.%m.%Y %H:%M:%S"),
            e.username,
            e.ip_address or "",
            e.get_kind_display(),
            e.object_kind,
            e.object_id,
            e.scope,
            e.path,
            e.detail,
        ]
        for e in events[:EXPORT_LIMIT]
    ]
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    return xlsx_response(f"access-journal-{stamp}.xlsx", "Журнал доступа", HEADER, rows)
