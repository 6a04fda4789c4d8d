from django.urls import path

# Path parameters are taken as any text so that a malformed one gets the API's JSON 404, not a page.
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import pages, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/vendor/counts/", views.VendorCountsView.as_view(), name="vendor-counts"),
    path("v1/vendor/requests/", views.VendorRequestsView.as_view(), name="vendor-requests"),
    path(
        "v1/vendor/requests/<str:pk>/answer/", views.VendorRequestAnswerView.as_view(), name="vendor-answer"
    ),
    path("v1/department/campaigns/", views.DepartmentCampaignsView.as_view(), name="department-campaigns"),
    path(
        "v1/department/campaigns/<str:slug>/figures/",
        views.DepartmentFiguresView.as_view(),
        name="department-figures",
    ),
    path("keys/", pages.key_list, name="keys"),
    path("keys/<str:pk>/revoke/", pages.key_revoke, name="key-revoke"),
]
