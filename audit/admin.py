from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "username", "ip_address", "kind", "object_kind", "object_id", "scope")
    list_filter = ("kind",)
    search_fields = ("username", "path")
    date_hierarchy = "created_at"

    def get_actions(self, request):
        return {}
