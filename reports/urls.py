from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<slug:slug>/export/", views.export, name="export"),
    path("<slug:slug>/import/", views.import_upload, name="import"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_job_download, name="export_job_download"),
    path("imports/<int:pk>/", views.import_batch, name="import_batch"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
]
