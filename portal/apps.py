from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The subject's own portal (issue 22): a subject signs in bound to its identifier and sees its own information,
    documents and reports. Above every case app: it reads them, none reads it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Subject portal")

    def ready(self) -> None:
        from creditportal.audit import register_action_labels

        register_action_labels(
            {
                "portal.signin.code_sent": _("Portal sign-in code sent"),
                "portal.signin.signed_in": _("Signed in to the subject portal"),
                "portal.document.downloaded": _("Document downloaded by the subject"),
                "portal.acting_for": _("Legal representative acting for the organisation in the portal"),
                "portal.agent.acting_for": _("Authorised agent acting for the organisation in the portal"),
                "portal.agent.authorised": _("Agent authorised by the legal representative in the portal"),
                "portal.agent.withdrawn": _("Agent's authorisation withdrawn by the legal representative"),
            }
        )
