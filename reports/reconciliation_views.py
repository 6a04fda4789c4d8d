"""The reconciliation page of the regional project (methodists): the registry against a campaign."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from monitoring import selectors as monitoring_selectors
from projects import selectors as project_selectors
from projects.views import require_regional

from . import reconciliation as recon


@login_required
def reconciliation(request, pk):
    require_regional(request.user)
    project = project_selectors.project_get(pk=pk)
    campaigns = monitoring_selectors.campaign_list(user=request.user).order_by("-as_of", "-pk")
    slug = request.GET.get("campaign", "")
    campaign = monitoring_selectors.campaign_get(user=request.user, slug=slug) if slug else None
    rows = recon.reconciliation(project, campaign) if campaign else []
    return render(
        request,
        "projects/reconciliation.html",
        {
            "project": project,
            "campaigns": campaigns,
            "campaign": campaign,
            "rows": rows,
            "counts": recon.reconciliation_counts(rows),
        },
    )
