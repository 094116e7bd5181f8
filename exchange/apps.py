from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Batch imports from providing units (issue 23): credit records and the subjects they need, and the courts'
    judgment defaulters. Above the case apps: it calls their services, none reads it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exchange"
    verbose_name = _("Data exchange")

    def ready(self) -> None:
        from creditportal.audit import register_action_labels

        register_action_labels(
            {
                "exchange.import.queued": _("Record import received"),
                "exchange.import.finished": _("Record import finished"),
                "exchange.import.failed": _("Record import stopped"),
            }
        )
