from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    """The change feed to the national platform (issue 23): every change to what is published or shared, in commit
    order, through an outbox read below the oldest running transaction. Above the case apps: it reads their
    ledgers, none reads it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "feed"
    verbose_name = _("Change feed")

    def ready(self) -> None:
        from creditportal import audit

        audit.register_action_labels(
            {
                "feed.snapshot.written": _("Change feed snapshot written"),
                "feed.package.written": _("Change feed package written"),
                "feed.entries.pruned": _("Change feed entries pruned"),
            }
        )
