from django.urls import path

from . import views

urlpatterns = [
    path("", views.PublicCatalogView.as_view(), name="catalog_public"),
]
