from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import Invitation, Notification, User
from .services import user_apply_role


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "municipality", "school", "is_active")
    list_filter = ("role", "is_active", "municipality")
    list_select_related = ("municipality", "school")
    search_fields = ("username", "last_name", "first_name", "email")
    autocomplete_fields = ("school",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            "Роль и организация",
            {"fields": ("role", "municipality", "school", "middle_name", "position", "phone")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Роль и организация", {"fields": ("role", "municipality", "school")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user_apply_role(user=obj)


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Invitations change only through the people page and the invite_coordinators command."""

    list_display = (
        "email",
        "role",
        "school",
        "municipality",
        "created_at",
        "expires_at",
        "sent_count",
        "accepted_at",
        "revoked_at",
    )
    list_filter = ("role", "municipality")
    list_select_related = ("school", "municipality")
    search_fields = ("email", "school__short_name")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "text", "created_at", "read_at")
    list_select_related = ("user",)
    search_fields = ("text", "user__username", "user__last_name")
    readonly_fields = ("user", "text", "link", "created_at", "read_at")
