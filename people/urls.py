from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list_view, name="list"),
    path("invite/coordinators/", views.invite_coordinators, name="invite_coordinators"),
    path("invite/specialist/", views.invite_specialist, name="invite_specialist"),
    path("<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/school/", views.person_change_school, name="change_school"),
    path("<int:pk>/<str:action>/", views.person_action, name="action"),
]
