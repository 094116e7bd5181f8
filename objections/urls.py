from django.urls import path

from . import views

urlpatterns = [
    path("", views.ObjectionListView.as_view(), name="objection_list"),
    path("export/<str:fmt>/", views.ObjectionExportView.as_view(), name="objection_export"),
    path("<int:pk>/", views.ObjectionDetailView.as_view(), name="objection_detail"),
]
