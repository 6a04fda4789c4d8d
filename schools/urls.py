from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("mo/<int:pk>/", views.municipality_detail, name="municipality"),
    path("oo/<int:pk>/", views.school_detail, name="school"),
]
