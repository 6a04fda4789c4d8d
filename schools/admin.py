from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Branch, EdmsSystem, EdmsVendor, Municipality, MunicipalityAlias, School


class RegionalImportExportMixin:
    """Import and export of reference lists are for regional methodists and administrators."""

    def has_import_permission(self, request, *args, **kwargs):
        return request.user.is_regional and super().has_import_permission(request, *args, **kwargs)

    def has_export_permission(self, request, *args, **kwargs):
        return request.user.is_regional and super().has_export_permission(request, *args, **kwargs)


class MunicipalityResource(resources.ModelResource):
    class Meta:
        model = Municipality
        import_id_fields = ("code",)
        fields = ("code", "name", "kind", "sort_order")


class SchoolResource(resources.ModelResource):
    class Meta:
        model = School
        fields = (
            "id",
            "municipality",
            "short_name",
            "full_name",
            "address",
            "is_active",
            "external_code",
            "closed_on",
            "close_reason",
            "merged_into",
        )


class BranchResource(resources.ModelResource):
    class Meta:
        model = Branch
        fields = ("id", "school", "name", "address", "is_active")


class EdmsSystemResource(resources.ModelResource):
    class Meta:
        model = EdmsSystem
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "short_name",
            "vendor",
            "installation",
            "aliases",
            "is_used",
            "is_active",
            "sort_order",
        )


class MunicipalityAliasInline(admin.TabularInline):
    model = MunicipalityAlias
    extra = 1


@admin.register(Municipality)
class MunicipalityAdmin(RegionalImportExportMixin, ImportExportModelAdmin):
    resource_classes = [MunicipalityResource]
    inlines = [MunicipalityAliasInline]
    list_display = ("name", "code", "kind", "sort_order")
    list_filter = ("kind",)
    search_fields = ("name", "code")


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0


@admin.register(School)
class SchoolAdmin(RegionalImportExportMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [SchoolResource]
    list_display = ("short_name", "municipality", "address", "is_active", "closed_on", "close_reason")
    list_filter = ("municipality", "is_active", "close_reason")
    autocomplete_fields = ("merged_into",)
    search_fields = ("short_name", "full_name", "address")
    list_select_related = ("municipality",)
    inlines = [BranchInline]


@admin.register(Branch)
class BranchAdmin(RegionalImportExportMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [BranchResource]
    list_display = ("name", "school", "address", "is_active")
    list_filter = ("school__municipality", "is_active")
    search_fields = ("name", "school__short_name")
    list_select_related = ("school",)
    autocomplete_fields = ("school",)


@admin.register(EdmsVendor)
class EdmsVendorAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "sort_order")


@admin.register(EdmsSystem)
class EdmsSystemAdmin(RegionalImportExportMixin, ImportExportModelAdmin):
    resource_classes = [EdmsSystemResource]
    list_display = ("name", "short_name", "vendor", "installation", "is_used", "is_active", "sort_order")
    list_select_related = ("vendor",)


@admin.register(MunicipalityAlias)
class MunicipalityAliasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "municipality")
    list_filter = ("municipality",)
    search_fields = ("name",)
