from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CreditPortalConfig(AppConfig):
    default = True
    name = "creditportal"
    verbose_name = _("Credit portal")


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    """The Django admin, restricted to the three system roles (creditportal.admin_base.PortalAdminSite)."""

    default_site = "creditportal.admin_base.PortalAdminSite"
