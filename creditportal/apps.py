from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CreditPortalConfig(AppConfig):
    default = True
    name = "creditportal"
    verbose_name = _("Credit portal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit, ledger

        # Every audit event and history table, those of later migrations too, copies its rows into the ledger.
        post_migrate.connect(ledger.attach, sender=self, dispatch_uid="creditportal.ledger.attach")
        # A sign-in is a session's first activity (the idle limit counts from it).
        from django.contrib.auth.signals import user_logged_in

        from .middleware import signed_in

        user_logged_in.connect(signed_in, dispatch_uid="creditportal.middleware.signed_in")

        # What the deadline sweep writes on a case's timeline (creditportal/monitoring.py).
        audit.register_action_labels(
            {
                "creditportal.deadline.reminded": _("Deadline reminder sent"),
                "creditportal.deadline.escalated": _("Missed deadline reported to supervisors"),
                "creditportal.deadline.expired": _("Deadline ran out: the system acted"),
                "creditportal.document.downloaded": _("Document downloaded"),
                "creditportal.document.recipient_set": _("Document's recipient decided"),
                "creditportal.access.purged": _("Inquiry records past their keeping period purged"),
                "creditportal.document.credit_report.issued": _("Credit report issued"),
                "creditportal.document.credit_report.served": _("Credit report served"),
                "creditportal.document.restoration_info.issued": _("Notice on credit restoration issued"),
                "creditportal.document.restoration_info.served": _("Notice on credit restoration served"),
                "creditportal.ruleset.saved": _("Rule set drafted or changed"),
                "creditportal.ruleset.published": _("Rule set published"),
                "creditportal.document.removal_notice.issued": _("Notice of removal from the list issued"),
                "creditportal.document.removal_notice.served": _("Notice of removal from the list served"),
                "creditportal.document.sharing_notice.issued": _("Notice before sharing issued"),
                "creditportal.document.sharing_notice.served": _("Notice before sharing served"),
                "creditportal.user.system_role_changed": _("System role changed"),
                "creditportal.membership.added": _("Role in a department given"),
                "creditportal.membership.changed": _("Role in a department changed"),
                "creditportal.demo.seeded": _("Demonstration data loaded"),
                "creditportal.second_factor.set_up": _("Second factor set up"),
                "creditportal.second_factor.refused": _("Second-factor code refused"),
                "creditportal.second_factor.recovery_code_used": _("Signed in with a recovery code"),
                "creditportal.second_factor.security_key_added": _("Security key registered"),
                "creditportal.second_factor.security_key_used": _("Signed in with a security key"),
                "creditportal.second_factor.security_key_removed": _("Security key removed"),
                "creditportal.identity.sealed": _("Identity numbers encrypted at rest"),
            }
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    """The Django admin, restricted to the three system roles (creditportal.admin_base.PortalAdminSite)."""

    default_site = "creditportal.admin_base.PortalAdminSite"
