"""The published administrative penalties' address (issue 22; R-NAT-2, SAMR-45): readable without signing in."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.PublicPenaltyListView.as_view(), name="public_penalties"),
]
