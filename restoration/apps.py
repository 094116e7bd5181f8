from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestorationConfig(AppConfig):
    name = "restoration"
    verbose_name = _("Credit restoration")
