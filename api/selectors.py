"""What a key sees."""

from django.db.models import OuterRef, QuerySet, Subquery

from monitoring.models import SchoolReport
from schools.models import EdmsVendor, School

from .models import ApiCall, ApiKey


def vendor_schools(*, vendor: EdmsVendor) -> QuerySet[School]:
    """The vendor's schools: those whose latest report names one of the vendor's systems."""
    latest_vendor = Subquery(
        SchoolReport.objects.filter(school=OuterRef("pk"), system__isnull=False)
        .order_by("-campaign__as_of")
        .values("system__vendor_id")[:1]
    )
    return School.objects.annotate(report_vendor=latest_vendor).filter(report_vendor=vendor.pk)


def api_keys() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("vendor").order_by("revoked", "kind", "name")


def recent_calls(limit: int = 100) -> QuerySet[ApiCall]:
    return ApiCall.objects.order_by("-at", "-pk")[:limit]
