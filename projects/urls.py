from django.urls import path, re_path

from . import assignment_views, plan_views, views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/sites/", views.site_list, name="sites"),
    path("<int:pk>/sites/add/", views.site_add, name="site_add"),
    path("<int:pk>/sites/<int:site_pk>/", views.site_detail, name="site"),
    path("<int:pk>/sites/<int:site_pk>/end/", views.site_end, name="site_end"),
    path("<int:pk>/network/", views.network, name="network"),
    # «<int:pk>/reconciliation/» (name «reconciliation») is added by rcro_portal.urls: the page reads
    # the monitoring reports, which this app does not import.
    # «<int:pk>/plan/» (name «plan») is added by rcro_portal.urls as well: the page reads the monitoring.
    path("<int:pk>/plan/stages/add/", plan_views.stage_add, name="plan_stage_add"),
    path("<int:pk>/plan/stages/<int:stage_pk>/", plan_views.stage_edit, name="plan_stage"),
    path("<int:pk>/plan/indicators/<int:indicator_pk>/", plan_views.indicator_edit, name="plan_indicator"),
    path("<int:pk>/events/", views.event_list, name="events"),
    path("<int:pk>/events/add/", views.event_add, name="event_add"),
    path("<int:pk>/events/<int:event_pk>/", views.event_edit, name="event_edit"),
    path("<int:pk>/assignments/", assignment_views.report_list, name="assignments"),
    path("assignments/my/", assignment_views.my_reports, name="my_assignments"),
    path("assignments/start/", assignment_views.start, name="assignment_start"),
    path("assignments/<int:report_pk>/", assignment_views.report_detail, name="assignment"),
    path("assignments/<int:report_pk>/edit/", assignment_views.report_edit, name="assignment_edit"),
    path("assignments/<int:report_pk>/submit/", assignment_views.report_submit, name="assignment_submit"),
    re_path(
        r"^assignments/(?P<report_pk>[0-9]+)/(?P<action>approve|return)/$",
        assignment_views.report_review,
        name="assignment_review",
    ),
]
