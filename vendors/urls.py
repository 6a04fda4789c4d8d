from django.urls import path

from . import views

app_name = "vendors"

urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/export/", views.request_export, name="requests-export"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request-answer"),
    path("requests/<int:pk>/group/", views.request_group, name="request-group"),
]
