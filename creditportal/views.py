"""Base views: login, logout, dashboard."""
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .selectors import dashboard_counts, user_memberships


class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    """Log out by POST (Django 5 refuses a GET logout, so a link cannot log anyone out)."""


class DashboardView(LoginRequiredMixin, TemplateView):
    """What a user sees first: their departments, roles and the counts of each department's cases."""

    template_name = "creditportal/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["memberships"] = user_memberships(user=user)
        context["department_counts"] = dashboard_counts(user=user)
        return context
