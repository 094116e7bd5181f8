"""The public verification of credit reports (HN 28): readable without signing in, under /verify/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ReportVerifyView.as_view(), name="report_verify"),
]
