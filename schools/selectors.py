"""Reads of organisations, always through the user's scope."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.access import get_in_scope_or_404, municipality_q, school_q
from accounts.models import User

from .models import Branch, EdmsSystem, Municipality, School


def municipality_list(*, user: User) -> QuerySet[Municipality]:
    """Municipalities the user may open, with counts of active schools and branches."""
    return (
        Municipality.objects.filter(municipality_q(user))
        .annotate(
            school_count=Count("schools", filter=Q(schools__is_active=True), distinct=True),
            branch_count=Count(
                "schools__branches",
                filter=Q(schools__is_active=True, schools__branches__is_active=True),
                distinct=True,
            ),
        )
        .order_by("sort_order", "name")
    )


def municipality_get(*, user: User, pk) -> Municipality:
    return get_in_scope_or_404(municipality_list(user=user), pk=pk)


def school_list(
    *, user: User, municipality: Municipality | None = None, search: str = "", active_only=True
) -> QuerySet[School]:
    """Schools the user may see, with municipality and active branches loaded."""
    qs = School.objects.filter(school_q(user)).select_related("municipality")
    if active_only:
        qs = qs.filter(is_active=True)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    search = " ".join(search.split())
    if search:
        qs = qs.filter(Q(short_name__icontains=search) | Q(full_name__icontains=search))
    return qs.prefetch_related(
        Prefetch("branches", queryset=Branch.objects.filter(is_active=True).order_by("name"))
    ).order_by("municipality__sort_order", "short_name")


def school_get(*, user: User, pk) -> School:
    return get_in_scope_or_404(school_list(user=user, active_only=False), pk=pk)


def system_choices() -> QuerySet[EdmsSystem]:
    return EdmsSystem.objects.filter(is_active=True).select_related("vendor").order_by("sort_order")
