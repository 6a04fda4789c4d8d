from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import Campaign, MunicipalityReview, SchoolReport, WorkflowEvent


@admin.register(SchoolReport)
class SchoolReportAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("school", "campaign", "status", "system", "updated_at")
    list_filter = ("campaign", "status", "school__municipality")
    search_fields = ("school__short_name",)
    list_select_related = ("school", "campaign", "system")


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "campaign", "action", "report", "municipality", "actor")
    list_filter = ("campaign", "action")
    list_select_related = ("campaign", "report__school", "municipality", "actor")


@admin.register(MunicipalityReview)
class MunicipalityReviewAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "municipality", "state", "submitted_at")
    list_filter = ("campaign", "state")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("title", "slug", "status", "as_of", "deadline")
