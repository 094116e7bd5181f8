from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestorationConfig(AppConfig):
    name = "restoration"
    verbose_name = _("Credit restoration")

    def ready(self) -> None:
        # What the document renderer and the timeline need from this app (registries, not signals).
        from creditportal import audit, deadlines, documents, panels
        from creditportal.cases.registry import register_workflow

        from . import pdf, views, workflow

        register_workflow("restoration.restorationapplication", workflow.RESTORATION)

        audit.register_action_labels(
            {
                **{f"restoration.application.{name}": t.label for name, t in workflow.RESTORATION.transitions.items()},
                "restoration.application.received": _("Restoration application received"),
                "restoration.application.exported": _("Restoration applications exported"),
                "restoration.evidence.downloaded": _("Restoration proof downloaded"),
                "restoration.revocation.received": _("Revoked basis received"),
                "restoration.revocation.completed": _("Record revoked: basis revoked"),
                "restoration.correction.clock": _("Corrected by the provider"),
                "restoration.archive.read": _("Archived information read"),
                "creditportal.document.restoration_notice.issued": _("Restoration notice issued"),
                "creditportal.document.restoration_notice.served": _("Restoration notice served"),
            }
        )
        documents.register_template(
            "restoration.restorationapplication",
            "restoration_notice",
            "restoration/pdf/notice.html",
            pdf.notice_context,
        )
        # On a record's page: which legal document revoked its basis, on what ground, when (R-RES-6).
        panels.register(
            "record_detail",
            panels.Panel("restoration/panels/record_revocations.html", views.record_revocation_panel, order=10),
        )
        # The restoration section of "My work" (creditportal), which lists every kind of case (issue 16).
        panels.register("my_work", panels.Panel("restoration/panels/my_work.html", views.my_work_panel, order=30))
        # The promised period's clock is copied onto the application (R-RES-5): a calendar change updates both.
        deadlines.register_due_date_copy("restoration.restorationapplication", "promised_by")
