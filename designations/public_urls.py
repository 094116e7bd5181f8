"""The public list's addresses (issue 22): readable without signing in, under /list/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.PublicListView.as_view(), name="public_list"),
    path("<int:pk>/", views.PublicEntryView.as_view(), name="public_entry"),
]
