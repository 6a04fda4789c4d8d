from django.contrib import admin
from django.urls import include, path

from accounts.views import home

admin.site.site_header = "Мониторинг СЭД — администрирование"
admin.site.site_title = "Мониторинг СЭД"
admin.site.index_title = "Справочники и пользователи"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("orgs/", include("schools.urls")),
    path("campaigns/", include("monitoring.urls")),
    path("project/", include("projects.urls")),
    path("tables/", include("reports.urls")),
    path("people/", include("people.urls")),
    path("admin/", admin.site.urls),
]
# Generated files are never served from MEDIA_URL: every download goes through a view that
# checks who is asking.
