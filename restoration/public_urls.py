"""The published credit commitments' address (R-NAT-3; issue 22): readable without signing in."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.PublicCommitmentListView.as_view(), name="public_commitments"),
]
