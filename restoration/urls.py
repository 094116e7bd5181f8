from django.urls import path

from . import views

urlpatterns = [
    path("", views.RestorationListView.as_view(), name="restoration_list"),
    path("export/<str:fmt>/", views.RestorationExportView.as_view(), name="restoration_export"),
    path("<int:pk>/", views.RestorationDetailView.as_view(), name="restoration_detail"),
]
