from django.urls import path

from . import views

urlpatterns = [
    path("", views.DesignationListView.as_view(), name="designation_list"),
    path("export/<str:fmt>/", views.DesignationExportView.as_view(), name="designation_export"),
    path("<int:pk>/", views.DesignationDetailView.as_view(), name="designation_detail"),
]
