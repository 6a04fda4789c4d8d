from django.urls import path, re_path

from . import review_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<slug:slug>/", views.campaign_detail, name="campaign"),
    path("<slug:slug>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<slug:slug>/participants/", views.campaign_participants, name="participants"),
    re_path(r"^(?P<slug>[-\w]+)/(?P<action>open|close)/$", views.campaign_status, name="campaign_status"),
    path("<slug:slug>/oo/<int:school_pk>/", views.report_detail, name="report"),
    path("<slug:slug>/oo/<int:school_pk>/edit/", views.report_edit, name="report_edit"),
    path("<slug:slug>/oo/<int:school_pk>/autosave/", views.report_autosave, name="report_autosave"),
    path("<slug:slug>/oo/<int:school_pk>/submit/", review_views.report_submit, name="report_submit"),
    re_path(
        r"^(?P<slug>[-\w]+)/oo/(?P<school_pk>[0-9]+)/(?P<action>approve|return)/$",
        review_views.report_review,
        name="report_review",
    ),
    path("<slug:slug>/approve/", review_views.bulk_approve, name="bulk_approve"),
    path("<slug:slug>/dashboard/", review_views.region_dashboard, name="dashboard"),
    path(
        "<slug:slug>/dashboard/<int:municipality_pk>/",
        review_views.municipality_dashboard,
        name="municipality_dashboard",
    ),
    re_path(
        r"^(?P<slug>[-\w]+)/dashboard/(?P<municipality_pk>[0-9]+)/(?P<action>submit|accept|return)/$",
        review_views.municipality_action,
        name="municipality_action",
    ),
]
