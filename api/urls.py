"""The JSON API, version 1 (issue 23): /api/v1/…, its OpenAPI 3 schema and its documentation page (Swagger UI,
served from this server's static files: drf-spectacular-sidecar, no CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("v1/subjects/", views.SubjectLookupView.as_view(), name="api_subject_list"),
    path("v1/subjects/<int:pk>/", views.SubjectDetailView.as_view(), name="api_subject_detail"),
    path("v1/records/", views.RecordListView.as_view(), name="api_record_list"),
    path("v1/records/<int:pk>/", views.RecordDetailView.as_view(), name="api_record_detail"),
    path("v1/imports/", views.RecordImportCreateView.as_view(), name="api_import_create"),
    path("v1/imports/<int:pk>/", views.RecordImportDetailView.as_view(), name="api_import_detail"),
    path("v1/feed/", views.FeedView.as_view(), name="api_feed"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "v1/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="api/swagger_ui.html"),
        name="api_docs",
    ),
]
