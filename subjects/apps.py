from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "subjects"
    verbose_name = _("Credit subjects")

    def ready(self):
        # What a subject's and a record's timeline shows for each action code (creditportal.audit).
        from creditportal import audit, documents, panels, rules
        from creditportal.cases.registry import register_workflow
        from creditportal.choices import DocumentKind

        from . import pdf, views
        from .workflow import RECORD

        register_workflow("subjects.creditrecord", RECORD)
        # What ends when a record ends (subjects.endings): its published penalty leaves the public page, with the cause.
        from . import endings, publication

        endings.on_record_end("subjects.published_penalties", publication.penalties_follow_end)
        rules.register_preview(_records_preview)

        audit.register_action_labels(
            {
                **{f"subjects.record.{name}": t.label for name, t in RECORD.transitions.items()},
                "subjects.subject.created": _("Subject registered"),
                "subjects.subject.changed": _("Subject edited"),
                "subjects.subject.searched": _("Subjects searched"),
                "subjects.subject.exported": _("Subjects exported"),
                "subjects.identity.rotated": _("Identity number keys rotated"),
                "subjects.subject.viewed": _("Subject viewed"),
                "subjects.related_person.added": _("Related person added"),
                "subjects.record.created": _("Record entered"),
                "subjects.record.corrected": _("Record corrected"),
                "subjects.record.searched": _("Records searched"),
                "subjects.record.exported": _("Records exported"),
                "subjects.record.viewed": _("Record viewed"),
                "subjects.access.searched": _("Access log searched"),
                "subjects.access.exported": _("Access log exported"),
                "subjects.record.deletion_application.downloaded": _(
                    "The subject's written application for deletion downloaded"
                ),
                # A record's own acts kept the codes they were written with when restoration held them (issue 17).
                "restoration.revocation.received": _("Revoked basis received"),
                "restoration.revocation.completed": _("Record revoked: basis revoked"),
                "restoration.correction.clock": _("Corrected by the provider"),
                "creditportal.document.sharing_notice.issued": _("Written notice before sharing issued"),
                "creditportal.document.sharing_notice.served": _("Written notice before sharing served"),
                "subjects.credit_report.revoked": _("Credit report revoked"),
                "subjects.service_consent.registered": _("Consent to electronic service registered"),
                "subjects.service_consent.withdrawn": _("Consent to electronic service withdrawn"),
                "subjects.service_consent.downloaded": _("Signed confirmation of electronic service downloaded"),
                "subjects.document.sent_electronically": _("Document sent to the subject's electronic address"),
                "subjects.inquiry.authorisation_registered": _("Inquiry authorisation registered"),
                "subjects.inquiry.authorisation_downloaded": _("Signed inquiry authorisation downloaded"),
                "subjects.inquiry.authorised": _("Inquiry by a third party under the subject's authorisation"),
            }
        )
        # R-REC-3 (HB 22): the written notice to the subject before its information is delivered.
        documents.register_template(
            "subjects.creditrecord",
            DocumentKind.SHARING_NOTICE,
            "subjects/pdf/sharing_notice.html",
            pdf.sharing_notice_context,
            requires=pdf.sharing_notice_requires,
        )
        # R-NAT-4 (两书同达): the notice on credit restoration served with a penalty decision.
        documents.register_template(
            "subjects.creditrecord",
            DocumentKind.RESTORATION_INFO,
            "subjects/pdf/restoration_info.html",
            pdf.restoration_info_context,
            requires=pdf.restoration_info_requires,
        )
        # APL art. 61: electronic service only with the subject's consent and signed confirmation.
        from .services.service_consent import electronic_service_deliver, electronic_service_refusal

        documents.register_service_guard(electronic_service_refusal)
        documents.register_service_delivery(electronic_service_deliver)
        # a document served on paper is told to a consenting subject by mail (issue 22)
        from .services.notifications import service_recorded

        documents.register_service_recorded(service_recorded)
        # HN 28 (R-SEC-1): a subject's credit report, checked by its verification code.
        documents.register_template(
            "subjects.creditreport",
            DocumentKind.CREDIT_REPORT,
            "subjects/pdf/credit_report.html",
            pdf.credit_report_context,
            requires=pdf.credit_report_requires,
        )
        # On a record's page: which legal document revoked its basis, on what ground, when (R-RES-6).
        panels.register(
            "record_detail",
            panels.Panel("subjects/panels/record_revocations.html", views.record_revocation_panel, order=10),
        )


def _records_preview(candidate):
    """R-NAT-6: the displayed records whose disclosure end a draft rule set would change."""
    from django.utils.translation import gettext

    from .disclosure import records_changed_by

    for record, old, new in records_changed_by(candidate):
        label = f"{record.subject.name} · {record.catalog_item.name}"
        yield gettext("Credit record"), record.pk, label, old, new
