"""Root URLconf. Every app view is listed in the permission matrix (tests/test_permission_matrix.py)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .health import HealthView, MetricsView

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("healthz", HealthView.as_view(), name="healthz"),
    # Prometheus, for the monitoring only (localhost or PORTAL_METRICS_ALLOWED_IPS, optional bearer token).
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("accounts/second-factor/setup/", views.SecondFactorSetupView.as_view(), name="second_factor_setup"),
    path("accounts/second-factor/", views.SecondFactorVerifyView.as_view(), name="second_factor_verify"),
    path("accounts/security-keys/", views.SecurityKeysView.as_view(), name="security_keys"),
    path("accounts/webauthn/", include("creditportal.webauthn")),
    path("accounts/roles/awaiting/", views.MembershipAwaitingView.as_view(), name="membership_awaiting"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("access/purpose/", views.AccessPurposeView.as_view(), name="access_purpose"),
    path("documents/<int:pk>/pdf/", views.DocumentDownloadView.as_view(), name="document_download"),
    path("documents/<int:pk>/recipient/", views.DocumentRecipientView.as_view(), name="document_recipient"),
    path("deadlines/", views.DeadlineListView.as_view(), name="deadline_list"),
    path("work/", views.MyWorkView.as_view(), name="my_work"),
    path("subjects/", include("subjects.urls")),
    path("catalog/", include("catalog.urls")),
    path("designations/", include("designations.urls")),
    # The list of seriously untrustworthy entities as the public reads it (issue 22; no sign-in)
    path("list/", include("designations.public_urls")),
    path("commitments/", include("restoration.public_urls")),
    # The administrative penalties of the general and serious classes, where the profile publishes them (SAMR-45)
    path("penalties/", include("subjects.penalty_urls")),
    # A document's signature and SHA-256 checked from the PDF in hand (issue 22; no sign-in)
    path("verify/document/", views.DocumentVerifyView.as_view(), name="document_verify"),
    # A credit report checked by its verification code (HN 28; no sign-in)
    path("verify/", include("subjects.public_urls")),
    # The subject's own portal (issue 22): signed in by its identifier and a code sent out of band
    path("my/", include("portal.urls")),
    path("objections/", include("objections.urls")),
    path("restoration/", include("restoration.urls")),
    path("exchange/", include("exchange.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
# Uploaded files (consents, basis documents, proofs) are never served as public media: only through
# scoped views, like every other piece of case data.
