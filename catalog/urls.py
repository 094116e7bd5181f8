from django.urls import path

from . import views

urlpatterns = [
    path("", views.PublicCatalogView.as_view(), name="catalog_public"),
    path("manage/", views.CatalogManageView.as_view(), name="catalog_manage"),
    path("versions/new/", views.VersionCreateView.as_view(), name="catalog_version_create"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="catalog_version_detail"),
    path("versions/<int:pk>/act/<str:act>/", views.PublishedListActView.as_view(), name="catalog_version_act"),
    path("versions/<int:pk>/items/new/", views.ItemFormView.as_view(), name="catalog_item_create"),
    path("versions/<int:pk>/items/<int:item_pk>/edit/", views.ItemFormView.as_view(), name="catalog_item_update"),
    path("versions/<int:pk>/import/", views.ImportView.as_view(), name="catalog_version_import"),
    path("versions/<int:pk>/export/<str:fmt>/", views.VersionExportView.as_view(), name="catalog_version_export"),
    path("imports/<int:pk>/", views.ImportJobView.as_view(), name="catalog_import_job"),
    path("import-template/<str:fmt>/", views.ImportTemplateView.as_view(), name="catalog_import_template"),
    path("versions/<int:pk>/diff/", views.VersionDiffView.as_view(), name="catalog_version_diff"),
    path("measures/new/", views.MeasureListCreateView.as_view(), name="measure_list_create"),
    path("measures/<int:pk>/", views.MeasureListDetailView.as_view(), name="measure_list_detail"),
    path("measures/<int:pk>/act/<str:act>/", views.MeasureListActView.as_view(), name="measure_list_act"),
    path("measures/<int:pk>/new/", views.MeasureCreateView.as_view(), name="measure_create"),
    path("measures/<int:pk>/import/", views.MeasureImportView.as_view(), name="measure_list_import"),
    path("measures/<int:pk>/export/<str:fmt>/", views.MeasureListExportView.as_view(), name="measure_list_export"),
    path("standards/new/", views.StandardFormView.as_view(), name="standard_create"),
    path("standards/import/", views.StandardImportView.as_view(), name="standard_import"),
    path("standards/export/<str:fmt>/", views.StandardsExportView.as_view(), name="standard_export"),
    path("standards/<int:pk>/", views.StandardDetailView.as_view(), name="standard_detail"),
    path("standards/<int:pk>/edit/", views.StandardFormView.as_view(), name="standard_update"),
    path("standards/<int:pk>/act/<str:act>/", views.StandardActView.as_view(), name="standard_act"),
]
