from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("summary/", views.summary, name="summary"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/add/<str:what>/", views.programme_add, name="add"),
    path("<int:pk>/remove/<str:what>/<int:item_pk>/", views.programme_remove, name="remove"),
    path("stage/<int:pk>/", views.stage_edit, name="stage_edit"),
    path("<int:pk>/readiness/", views.readiness_matrix, name="readiness_matrix"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("school/<int:pk>/", views.participant_detail, name="participant"),
    path("school/<int:pk>/readiness/", views.readiness_edit, name="readiness"),
    path("school/<int:pk>/applications/", views.applications, name="applications"),
    path("school/<int:pk>/applications/form.docx", views.application_form, name="application_form"),
    path("school/<int:pk>/reports/<int:date_pk>/start/", views.report_start, name="report_start"),
    path("report/<int:pk>/", views.report_detail, name="report"),
    path("report/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("report/<int:pk>/<str:action>/", views.report_transition, name="report_action"),
]
