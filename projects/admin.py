from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin
from schools.admin import RegionalImportExportMixin
from schools.models import EdmsSystem, School

from .models import (
    AssignmentReport,
    AssignmentReportLog,
    Event,
    ExpectedResult,
    IndicatorActual,
    IndicatorTarget,
    PilotSite,
    PlanIndicator,
    Project,
    ProjectStage,
)


class PilotSiteResource(resources.ModelResource):
    """The registry as a table: schools by id (with name and municipality for reading), systems
    by code. Rows are validated like any other save (constraints included) before the preview."""

    school = Field(attribute="school", column_name="school", widget=ForeignKeyWidget(School, "pk"))
    school_name = Field(column_name="school_name", readonly=True)
    municipality = Field(column_name="municipality", readonly=True)
    system = Field(attribute="system", column_name="system", widget=ForeignKeyWidget(EdmsSystem, "code"))

    class Meta:
        model = PilotSite
        import_id_fields = ("id",)
        fields = (
            "id",
            "project",
            "school",
            "school_name",
            "municipality",
            "agreement_type",
            "agreement_number",
            "agreement_date",
            "basis_order",
            "system",
            "joined_on",
            "left_on",
            "leave_reason",
        )
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_school_name(self, site):
        return site.school.short_name

    def dehydrate_municipality(self, site):
        return site.school.municipality.name

    def get_queryset(self):
        return super().get_queryset().select_related("school__municipality", "system")


@admin.register(PilotSite)
class PilotSiteAdmin(RegionalImportExportMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [PilotSiteResource]
    skip_import_confirm = False  # always show the preview before anything is written
    list_display = ("school", "project", "agreement_type", "system", "joined_on", "left_on")
    list_filter = ("project", "agreement_type", "system", "school__municipality")
    search_fields = ("school__short_name", "agreement_number")
    list_select_related = ("school__municipality", "project", "system")
    autocomplete_fields = ("school",)
    date_hierarchy = "joined_on"


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "period_start", "period_end", "updated_at")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "kind", "level", "starts_on", "teachers", "students")
    list_filter = ("project", "kind", "level")
    search_fields = ("title",)
    autocomplete_fields = ("organiser_school",)


@admin.register(AssignmentReport)
class AssignmentReportAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("pilot_site", "academic_year", "status", "submitted_at", "updated_at")
    list_filter = ("academic_year", "status", "pilot_site__school__municipality")
    search_fields = ("pilot_site__school__short_name",)
    list_select_related = ("pilot_site__school",)


@admin.register(AssignmentReportLog)
class AssignmentReportLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "report", "action", "actor")
    list_filter = ("action",)
    list_select_related = ("report__pilot_site__school", "actor")


# --- The plan: stages, targets and actuals are kept on the «план и факт» page (through the services,
# which check the project's period); here they are read with their history. Indicators and the
# links of expected results to them are reference data the administrator may correct.


@admin.register(PlanIndicator)
class PlanIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("number", "name", "unit", "kind", "computed_key", "project")
    list_filter = ("project", "kind")
    search_fields = ("name",)


@admin.register(ExpectedResult)
class ExpectedResultAdmin(SimpleHistoryAdmin):
    list_display = ("number", "text", "project")
    list_filter = ("project",)
    filter_horizontal = ("indicators",)


@admin.register(ProjectStage)
class ProjectStageAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("number", "title", "starts_on", "ends_on", "is_done", "done_on", "project")
    list_filter = ("project", "is_done")


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("indicator", "year", "value", "updated_at")
    list_filter = ("year",)
    list_select_related = ("indicator",)


@admin.register(IndicatorActual)
class IndicatorActualAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("indicator", "year", "value", "source_note", "updated_by", "updated_at")
    list_filter = ("year",)
    list_select_related = ("indicator", "updated_by")
