from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestorationConfig(AppConfig):
    name = "restoration"
    verbose_name = _("Credit restoration")

    def ready(self) -> None:
        # What the document renderer and the timeline need from this app (registries, not signals).
        from creditportal import audit, deadlines, documents, panels
        from creditportal.cases.registry import register_workflow
        from creditportal.choices import DocumentKind
        from designations.choices import RemovalReason
        from designations.holds import register_cause

        from . import pdf, selectors, views, workflow

        register_workflow("restoration.restorationapplication", workflow.RESTORATION)

        audit.register_action_labels(
            {
                **{f"restoration.application.{name}": t.label for name, t in workflow.RESTORATION.transitions.items()},
                "restoration.application.received": _("Restoration application received"),
                "restoration.application.routed": _("Restoration application routed to the deciding department"),
                "restoration.receivable.read": _("Restorable designations and records looked up"),
                "restoration.application.exported": _("Restoration applications exported"),
                "restoration.evidence.downloaded": _("Restoration proof downloaded"),
                "restoration.archive.read": _("Archived information read"),
                "creditportal.document.restoration_notice.issued": _("Restoration notice issued"),
                "creditportal.document.restoration_notice.served": _("Restoration notice served"),
                "creditportal.document.restoration_refusal.issued": _("Decision not to accept issued"),
                "creditportal.document.restoration_refusal.served": _("Decision not to accept served"),
            }
        )
        documents.register_template(
            "restoration.restorationapplication",
            DocumentKind.RESTORATION_NOTICE,
            "restoration/pdf/notice.html",
            pdf.document_context,
            requires=pdf.notice_requires,
        )
        documents.register_template(
            "restoration.restorationapplication",
            DocumentKind.RESTORATION_REFUSAL,
            "restoration/pdf/refusal.html",
            pdf.document_context,
            requires=pdf.refusal_requires,
        )
        # On a designation's page: the way to apply for its restoration (R-RES-1).
        panels.register(
            "designation_header",
            panels.Panel("restoration/panels/apply.html", views.designation_restore_panel),
        )
        panels.register(
            "subject_actions",
            panels.Panel("restoration/panels/apply.html", views.subject_restore_panel, order=50),
        )
        panels.register(
            "record_actions", panels.Panel("restoration/panels/apply.html", views.record_restore_panel, order=10)
        )
        # R-RES-4: the cause a "credit restored" removal names must exist.
        register_cause(RemovalReason.RESTORATION, selectors.granted_restoration_exists)
        # The restoration section of "My work" (creditportal), which lists every kind of case (issue 16).
        panels.register("my_work", panels.Panel("restoration/panels/my_work.html", views.my_work_panel, order=30))
        # The promised period's clock is copied onto the application (R-RES-5): a calendar change updates both.
        deadlines.register_due_date_copy("restoration.restorationapplication", "promised_by")
