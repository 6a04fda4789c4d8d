from django.contrib import admin
from django.urls import include, path

from projects.urls import urlpatterns as project_urlpatterns
from rcro_portal import journal_views
from rcro_portal.health import HealthView
from rcro_portal.views import home
from reports.plan_views import plan, plan_index
from reports.reconciliation_views import reconciliation

admin.site.site_header = "Мониторинг СЭД — администрирование"
admin.site.site_title = "Мониторинг СЭД"
admin.site.index_title = "Справочники и пользователи"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("orgs/", include("schools.urls")),
    path("campaigns/", include("monitoring.urls")),
    # The reconciliation of the pilot-site registry with a campaign reads both apps, so it lives in
    # reports and joins the project's pages here, under the same path and name.
    path(
        "project/",
        include(
            (
                [
                    *project_urlpatterns,
                    path("<int:pk>/reconciliation/", reconciliation, name="reconciliation"),
                    path("plan/", plan_index, name="plan_index"),
                    path("<int:pk>/plan/", plan, name="plan"),
                ],
                "projects",
            )
        ),
    ),
    path("tables/", include("reports.urls")),
    path("people/", include("people.urls")),
    path("programmes/", include("programmes.urls")),
    path("api/", include("api.urls")),
    path("vendors/", include("vendors.urls")),
    path(
        "journal/",
        include(
            (
                [
                    path("", journal_views.journal, name="journal"),
                    path("export/", journal_views.journal_export, name="journal_export"),
                ],
                "audit",
            )
        ),
    ),
    # For the load balancer: no sign-in, no personal data.
    path("health/", HealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
]
# Generated files are never served from MEDIA_URL: every download goes through a view that
# checks who is asking.

handler500 = "core.views.server_error"
