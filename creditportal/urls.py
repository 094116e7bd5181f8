"""Root URLconf. Every app view is listed in the permission matrix (tests/test_permission_matrix.py)."""

from django.contrib import admin
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import include, path, reverse_lazy

from . import accounts, views
from .health import HealthView, MetricsView


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes his own password (old one, then the new one twice, Django's validators); this ends the
    change a password set by the security administrator asks for (R-SEC-6; issue 21). Here, beside its URL, because
    the write is the service's and the page is Django's."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        user = accounts.user_password_change(user=form.user, raw_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)  # stays logged in here, logged out elsewhere
        return HttpResponseRedirect(self.get_success_url())


urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("healthz", HealthView.as_view(), name="healthz"),
    # Prometheus, for the monitoring only (localhost or PORTAL_METRICS_ALLOWED_IPS, optional bearer token).
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("documents/<int:pk>/pdf/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadline_list"),
    path("work/", views.MyWorkView.as_view(), name="my_work"),
    path("subjects/", include("subjects.urls")),
    path("catalog/", include("catalog.urls")),
    path("designations/", include("designations.urls")),
    path("objections/", include("objections.urls")),
    path("restoration/", include("restoration.urls")),
    path("admin/", admin.site.urls),
]
# Uploaded files (consents, basis documents, proofs) are never served as public media: only through
# scoped views, like every other piece of case data.
