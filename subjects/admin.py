from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from creditportal.admin_base import AppendOnlyAdmin, ReadOnlyAdmin

from .models import (
    BasisDocument,
    BasisRevocation,
    Consent,
    CreditRecord,
    CreditReport,
    CreditSubject,
    InquiryAuthorisation,
    PublishedPenalty,
    RelatedPerson,
    ServiceConsent,
    SubjectNotification,
)


@admin.register(CreditSubject)
class CreditSubjectAdmin(ReadOnlyAdmin):
    """Read for support by the system administrator, who is none of a subject's authorised staff: natural persons'
    numbers and addresses are masked (R-DIS-4, ``creditportal.masking``), and the search takes a subject's number in
    the portal (``=id``), never an identity number (it would travel in the URL)."""

    list_display = ["name", "kind", "id_type", "masked_id_number", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["=id"]
    show_full_result_count = False
    exclude = ["id_number", "address"]
    readonly_fields = ["masked_id_number", "masked_address"]

    @admin.display(description=_("Identifier"))
    def masked_id_number(self, obj) -> str:
        return obj.masked_id_number

    @admin.display(description=_("Address"))
    def masked_address(self, obj) -> str:
        return obj.masked_address


@admin.register(RelatedPerson)
class RelatedPersonAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "person", "role", "since", "until"]
    raw_id_fields = ["organisation", "person"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["subject", "category", "purpose", "given_at", "revoked_at"]
    raw_id_fields = ["subject"]


@admin.register(BasisDocument)
class BasisDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "basis_type", "issuing_authority", "effective_on"]
    search_fields = ["number"]


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = ["subject", "catalog_item", "kind", "status", "determined_on", "disclosure_until"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["subject", "catalog_item", "basis_document"]
    show_full_result_count = False


@admin.register(BasisRevocation)
class BasisRevocationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "record", "ground", "legal_document", "received_on", "revoked_at", "department"]
    list_filter = ["ground"]
    raw_id_fields = ["record", "revoked_by"]


@admin.register(CreditReport)
class CreditReportAdmin(ReadOnlyAdmin):
    """Credit reports issued (HN 28): read here, issued and revoked through the subject's page."""

    list_display = ["subject", "verification_code", "as_of", "period_from", "period_to", "revoked_at"]
    search_fields = ["verification_code"]
    raw_id_fields = ["subject"]


@admin.register(InquiryAuthorisation)
class InquiryAuthorisationAdmin(ReadOnlyAdmin):
    """Subjects' written authorisations of third parties' inquiries (R-SEC-2): read here, registered and withdrawn
    through the subject's page."""

    list_display = ["subject", "requester", "purpose", "valid_from", "valid_until", "withdrawn_at"]
    raw_id_fields = ["subject"]


@admin.register(ServiceConsent)
class ServiceConsentAdmin(ReadOnlyAdmin):
    """Subjects' consents to electronic service (APL art. 61): read here, registered and withdrawn through the
    subject's page."""

    list_display = ["subject", "address", "consented_on", "withdrawn_at"]
    raw_id_fields = ["subject"]


@admin.register(SubjectNotification)
class SubjectNotificationAdmin(ReadOnlyAdmin):
    """What subjects were told by mail and when (issue 22): read only."""

    list_display = ["sent_at", "subject", "kind", "title", "address"]
    list_filter = ["kind"]
    raw_id_fields = ["subject"]


@admin.register(PublishedPenalty)
class PublishedPenaltyAdmin(AppendOnlyAdmin):
    """The published administrative penalties (R-NAT-2, SAMR-45; issue 22): each penalty's time on the public page and
    why it left; written by the record's acts and their end only (``subjects.publication``)."""

    list_display = ["subject_name", "identifier", "item_name", "department_name", "published_at", "withdrawn_at"]
    list_filter = ["withdrawal_cause", "info_class", "department"]
    search_fields = ["subject_name", "identifier"]
    raw_id_fields = ["record"]
