from django.urls import path

from . import views

urlpatterns = [
    path("imports/", views.RecordImportListView.as_view(), name="record_import_list"),
    path("imports/new/", views.RecordImportCreateView.as_view(), name="record_import_create"),
    path("imports/template.csv", views.RecordImportTemplateView.as_view(), name="record_import_template"),
    path("defaulters/new/", views.DefaulterImportCreateView.as_view(), name="defaulter_import_create"),
    path("defaulters/template.csv", views.DefaulterImportTemplateView.as_view(), name="defaulter_import_template"),
    path("imports/<int:pk>/", views.RecordImportDetailView.as_view(), name="record_import_detail"),
    path("imports/<int:pk>/errors.csv", views.RecordImportErrorsView.as_view(), name="record_import_errors"),
]
