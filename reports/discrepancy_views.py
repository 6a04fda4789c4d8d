"""The discrepancy table: a campaign's schools against the vendors' figures (region or municipality)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.xlsx import xlsx_response
from monitoring.columns import COLUMN_OF_FIELD
from monitoring.selectors import campaign_get
from schools.models import Municipality

from .discrepancies import COMPARED, EXPORT_HEADER, discrepancy_rows, export_rows

MSG_NOT_FOR_COORDINATORS = "Таблица расхождений доступна специалистам МОУО и методистам РЦРО."


@login_required
def discrepancies(request, slug):
    if not (request.user.is_regional or request.user.municipality_id):
        raise PermissionDenied(MSG_NOT_FOR_COORDINATORS)
    campaign = campaign_get(user=request.user, slug=slug)
    municipality = None
    code = request.GET.get("municipality")
    if code and request.user.is_regional:
        municipality = Municipality.objects.filter(code=code).first()
    sort = request.GET.get("sort", "-max_pct")
    rows = discrepancy_rows(user=request.user, campaign=campaign, municipality=municipality, sort=sort)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"rashozhdeniya-{campaign.slug}.xlsx", "Расхождения", EXPORT_HEADER, export_rows(rows)
        )
    return render(
        request,
        "reports/discrepancies.html",
        {
            "campaign": campaign,
            "rows": rows,
            "sort": sort,
            "municipality": municipality,
            "municipalities": Municipality.objects.all() if request.user.is_regional else [],
            "columns": [COLUMN_OF_FIELD[field] for field, _ in COMPARED],
        },
    )
