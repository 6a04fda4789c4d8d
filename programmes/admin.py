from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import ParentApplication, Programme, ProgressReport


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("title", "municipality", "order_number", "order_date")
    list_select_related = ("municipality",)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("participant", "reporting_date", "status")
    list_select_related = ("participant__school", "reporting_date")
    readonly_fields = ("status", "version")


@admin.register(ParentApplication)
class ParentApplicationAdmin(ReadOnlyAdmin):
    list_display = ("participant", "reg_number", "reg_date", "class_name", "delivery", "consent")
    list_select_related = ("participant__school",)
