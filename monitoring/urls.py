from django.urls import path, re_path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<slug:slug>/", views.campaign_detail, name="campaign"),
    path("<slug:slug>/edit/", views.campaign_edit, name="campaign_edit"),
    re_path(r"^(?P<slug>[-\w]+)/(?P<action>open|close)/$", views.campaign_status, name="campaign_status"),
    path("<slug:slug>/oo/<int:school_pk>/", views.report_detail, name="report"),
    path("<slug:slug>/oo/<int:school_pk>/edit/", views.report_edit, name="report_edit"),
]
