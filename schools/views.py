from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors


@login_required
def organisation_list(request):
    """Organisations the user may see, with their branches, searchable by name."""
    search = request.GET.get("q", "").strip()
    schools = selectors.school_list(user=request.user, search=search)
    page = Paginator(schools, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/organisation_list.html",
        {
            "page": page,
            "search": search,
            "municipalities": selectors.municipality_list(user=request.user),
        },
    )


@login_required
def municipality_detail(request, pk):
    municipality = selectors.municipality_get(user=request.user, pk=pk)
    schools = selectors.school_list(user=request.user, municipality=municipality)
    return render(
        request,
        "schools/municipality_detail.html",
        {"municipality": municipality, "schools": schools},
    )


@login_required
def school_detail(request, pk):
    school = selectors.school_get(user=request.user, pk=pk)
    return render(request, "schools/school_detail.html", {"school": school})
