from django.urls import path, re_path

from . import discrepancy_views, views

app_name = "reports"

urlpatterns = [
    path("analytics/", views.analytics, name="analytics"),
    path("analytics/<int:pk>/", views.analytic_report, name="analytic_report"),
    path("analytics/<int:pk>/retry/", views.analytic_report_retry, name="analytic_report_retry"),
    path(
        "analytics/<int:pk>/paragraphs/<int:paragraph_pk>/",
        views.analytic_report_paragraph,
        name="analytic_report_paragraph",
    ),
    path("analytics/<int:pk>/signoff/", views.analytic_report_signoff, name="analytic_report_signoff"),
    path("analytics/<int:pk>/final/", views.analytic_report_finalise, name="analytic_report_finalise"),
    path("analytics/template/", views.analytic_template, name="analytic_template"),
    path("analytics/template/download/", views.analytic_template_download, name="analytic_template_download"),
    path("analytics/template/reset/", views.analytic_template_reset, name="analytic_template_reset"),
    re_path(
        r"^analytics/(?P<pk>[0-9]+)/(?P<kind>docx|xlsx|json)/$",
        views.analytic_report_file,
        name="analytic_report_file",
    ),
    path("<slug:slug>/export/", views.export, name="export"),
    path("<slug:slug>/vendors/", discrepancy_views.discrepancies, name="discrepancies"),
    path("<slug:slug>/import/", views.import_upload, name="import"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/retry/", views.export_job_retry, name="export_job_retry"),
    path("exports/<int:pk>/download/", views.export_job_download, name="export_job_download"),
    path("imports/<int:pk>/", views.import_batch, name="import_batch"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("imports/<int:pk>/retry/", views.import_job_retry, name="import_job_retry"),
]
