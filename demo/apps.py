from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo seed (``manage.py seed_demo``). It has no models; it depends on every app, none depends on it."""

    name = "demo"
    verbose_name = _("Demo data")
