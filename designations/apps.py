from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignationsConfig(AppConfig):
    name = "designations"
    verbose_name = _("Designations")

    def ready(self) -> None:
        # What the deadline sweep and the document renderer call for this app (registries, not signals).
        from creditportal import deadlines, documents

        from . import pdf, services

        deadlines.register_expiry("designations.designation", "R-DES-1", services.statement_period_expired)
        deadlines.register_expiry("designations.designation", "R-DIS-1", services.listing_expired)
        documents.register_template("designations.designation", "notice", "designations/pdf/notice.html",
                                    pdf.notice_context)
        documents.register_template("designations.designation", "decision", "designations/pdf/decision.html",
                                    pdf.decision_context)
        documents.register_template("designations.designation", "report_to_authority",
                                    "designations/pdf/report.html", pdf.report_context)
