from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The JSON API for providing units and the national platform (issue 23), under /api/v1/: the same selectors,
    scope and guards as the pages. The top of the stack: nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from creditportal import audit

        audit.register_action_labels(
            {
                "api.credential.issued": _("API key issued"),
                "api.credential.revoked": _("API key revoked"),
            }
        )
