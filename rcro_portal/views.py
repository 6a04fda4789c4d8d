"""The home page: each role goes to its own start page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.models import Role
from monitoring.selectors import current_campaign


@login_required
def home(request):
    """Send each role to its own start page."""
    user = request.user
    role = user.effective_role
    if role == Role.COORDINATOR:
        campaign = current_campaign(user=user)
        if campaign is not None:
            return redirect("monitoring:report", slug=campaign.slug, school_pk=user.school_id)
        return redirect("schools:school", pk=user.school_id)
    if role == Role.SPECIALIST:
        campaign = current_campaign(user=user)
        if campaign is not None:
            return redirect(
                "monitoring:municipality_dashboard", slug=campaign.slug, municipality_pk=user.municipality_id
            )
        return redirect("schools:municipality", pk=user.municipality_id)
    if role in (Role.METHODIST, Role.ADMIN):
        campaign = current_campaign(user=user)
        if campaign is not None:
            return redirect("monitoring:dashboard", slug=campaign.slug)
        return redirect("schools:list")
    return render(request, "accounts/no_role.html", status=403)
