"""Forms of the subjects app: shape and a clear message per field; the law is checked by the service."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.choices import Sector
from catalog.models import CatalogItem
from creditportal.forms import DATE, LongTextField, ModelFieldsForm, ReasonMixin, ServiceForm
from creditportal.models import Department
from creditportal.permissions import department_ids_for
from creditportal.uploads import DocumentField

from .choices import PERSON_IDENTIFIER_TYPES, BasisType, IdentifierType, Ownership, RelatedRole, RevocationGround
from .models import CreditSubject
from .validators import validate_subject_identifier


class SubjectForm(ModelFieldsForm):
    """Shape and a clear message per field (the identifier checked as the service will); the service saves."""

    model = CreditSubject
    model_fields = ["kind", "name", "id_type", "id_number", "ownership", "employer", "employer_kind", "address"]
    help_texts = {
        # lazy text, which fields_for_model takes (translated when shown); ModelFieldsForm.help_texts says str
        "id_number": _(  # type: ignore[dict-item]  # lazy text, see above
            "Resident identity card: 18 characters, the last may be X. Unified social credit code: 18 characters."
        ),
        "employer_kind": _(  # type: ignore[dict-item]  # lazy text, see above
            "Natural persons only: the kind of the unit they work for, when it is a state organ, state-owned "
            "enterprise or public institution (R-DES-9). An organisation's own kind is its ownership."
        ),
    }
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=500,
        help_text=_("Kept in the subject's history with your name (R-SEC-4)."),
        widget=forms.TextInput(),
    )

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    instance: CreditSubject

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer_kind"].required = False  # most people work for no state organ: left out means none
        if self.instance.pk:
            del self.fields["department"]
            self.fields["expected_version"].initial = self.instance.row_version
            # the whole number, which the edit form's users (the subject's authorised staff) see (issue 21)
            self.initial["id_number"] = self.instance.identifier
        else:
            department = self.fields["department"]
            assert isinstance(department, forms.ModelChoiceField)  # noqa: S101 — declared above
            allowed = department_ids_for(user, "subjects.add_creditsubject")
            department.queryset = Department.objects.filter(pk__in=allowed).order_by("code")
            if len(allowed) == 1:
                department.initial = next(iter(allowed))
            self.fields["reason"].initial = _("Registered")

    def clean_employer_kind(self) -> str:
        return self.cleaned_data.get("employer_kind") or Ownership.PRIVATE

    def clean(self) -> dict[str, Any]:
        super().clean()  # returns the cleaned data, typed as optional for overrides that return nothing
        cleaned = self.cleaned_data
        kind, id_type, id_number = (cleaned.get(k) for k in ("kind", "id_type", "id_number"))
        if kind and id_type and id_number:
            try:
                cleaned["id_number"] = validate_subject_identifier(kind=kind, id_type=id_type, id_number=id_number)
            except forms.ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return cleaned


class CatalogItemChoiceField(forms.ModelChoiceField):
    """Each item by its code and name."""

    def label_from_instance(self, obj: CatalogItem) -> str:
        return f"{obj.code} · {obj.name}"


class RecordForm(forms.Form):
    """A credit record and its basis document. The guard in the service decides what is lawful."""

    catalog_item = CatalogItemChoiceField(
        label=_("Catalog item"),
        queryset=None,
        error_messages={
            "invalid_choice": _(
                "This item is not in the published catalog: records are entered only "
                "against the published catalog (R-CAT-1)."
            )
        },
    )
    summary = LongTextField(label=_("Summary of the conduct"), rows=3)
    determined_on = forms.DateField(label=_("Determination date"), widget=forms.DateInput(attrs={"type": "date"}))
    conduct_ended_on = forms.DateField(
        label=_("Conduct ended on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for ongoing conduct: disclosure counts from this date (R-DIS-1)."),
    )
    basis_type = forms.ChoiceField(
        label=_("Basis document type"), choices=[("", "—"), *BasisType.choices], required=False
    )
    basis_number = forms.CharField(label=_("Basis document number"), max_length=100, required=False)
    basis_issuer = forms.CharField(label=_("Issuing authority"), max_length=200, required=False)
    basis_effective_on = forms.DateField(
        label=_("Effective on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    simplified_procedure = forms.BooleanField(label=_("Made under the simplified procedure"), required=False)
    basis_file = DocumentField(label=_("Basis document file"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, initial=_("Recorded on the basis document"))
    department = forms.ModelChoiceField(
        label=_("Recording department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, user, subject, **kwargs):
        super().__init__(*args, **kwargs)
        from catalog.selectors import catalog_items, catalog_published

        allowed = department_ids_for(user, "subjects.add_creditrecord")
        if len(allowed) > 1:
            department = self.fields["department"]
            assert isinstance(department, forms.ModelChoiceField)  # noqa: S101 — declared above
            department.queryset = Department.objects.filter(pk__in=allowed).order_by("code")
            department.required = True
            department.initial = subject.department_id if subject.department_id in allowed else None
        else:
            del self.fields["department"]

        version = catalog_published()
        catalog_item = self.fields["catalog_item"]
        assert isinstance(catalog_item, forms.ModelChoiceField)  # noqa: S101 — declared above
        catalog_item.queryset = catalog_items(version=version) if version else CatalogItem.objects.none()

    def clean(self) -> dict[str, Any]:
        super().clean()  # returns the cleaned data, typed as optional for overrides that return nothing
        cleaned = self.cleaned_data
        given = [cleaned.get(k) for k in ("basis_type", "basis_number", "basis_issuer", "basis_effective_on")]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("A basis document needs its type, number, issuing authority and effective date.")
            )
        return cleaned

    def basis(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("basis_number"):
            return None
        return {
            "basis_type": data["basis_type"],
            "number": data["basis_number"],
            "issuing_authority": data["basis_issuer"],
            "effective_on": data["basis_effective_on"],
            "simplified_procedure": data["simplified_procedure"],
            "file": data.get("basis_file"),
        }

    def recording_department(self):
        return self.cleaned_data.get("department")


class RelatedPersonForm(forms.Form):
    """A person noted with an organisation (R-REC-2), by their identifier: linked when registered, else registered."""

    role = forms.ChoiceField(label=_("Role"), choices=RelatedRole.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    id_type = forms.ChoiceField(
        label=_("Identifier type"),
        choices=[(v, label) for v, label in IdentifierType.choices if v in PERSON_IDENTIFIER_TYPES],
    )
    id_number = forms.CharField(label=_("Identifier"), max_length=32)  # the subject's column (a longer one: 500)
    since = forms.DateField(
        label=_("In the role since"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=_("Kept in the history with your name."))


class RecordActForm(ReasonMixin):
    """An act on a record that needs only the reason (revoke it, R-RES-6; hide or show it, R-REC-5)."""


class DeletionOnRequestForm(ReasonMixin):
    """R-REC-5 (HB 31): the subject's written application to delete its trustworthiness information, and the day it
    was received. The upload field checks the file (PDF, JPEG or PNG by its content, within the size limit); that
    both are given, and the date, is the law the service checks, so the page and a direct call refuse alike."""

    application = DocumentField(
        label=_("The subject's written application"),
        required=False,
        help_text=_("A scan or PDF of the application the subject signed; it is kept with the record."),
    )
    application_received_on = forms.DateField(label=_("Written application received on"), widget=DATE, required=False)


class RevocationForm(ReasonMixin):
    """R-RES-6: the effective legal document that revoked, annulled or changed the record's basis."""

    ground = forms.ChoiceField(label=_("What happened to the basis"), choices=RevocationGround.choices)
    legal_document = forms.CharField(
        label=_("Effective legal document"),
        max_length=300,
        help_text=_("Its number and the authority or court that made it."),
    )
    effective_on = forms.DateField(label=_("Took effect on"), widget=DATE)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)


class ProviderCorrectionForm(ReasonMixin):
    """R-REC-4: the provider corrects its own error."""

    discovered_on = forms.DateField(label=_("Error discovered on"), widget=DATE)
    summary = LongTextField(label=_("Summary"), rows=3)
    determined_on = forms.DateField(label=_("Determination date"), widget=DATE)
    conduct_ended_on = forms.DateField(label=_("Conduct ended on"), widget=DATE, required=False)


class SharingNoticeServiceForm(ServiceForm):
    """R-REC-3 (HB 22): how the written notice before sharing reached the subject."""


class CreditReportForm(forms.Form):
    """HN 28 (R-SEC-1): the period and sectors of a subject's credit report; the service checks the dates against
    today and the free reports of the year."""

    period_from = forms.DateField(label=_("Period from"), widget=DATE)
    period_to = forms.DateField(label=_("Period to"), widget=DATE)
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every sector."),
    )
    authorisation: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Issued to"),
        queryset=None,
        required=False,
        empty_label=_("The subject itself, at its request"),
        help_text=_("A third party only under the subject's written authorisation, registered below on its page."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, initial=_("At the subject's request"))

    def __init__(self, *args, subject, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["authorisation"])
        field.queryset = subject.inquiry_authorisations.filter(withdrawn_at__isnull=True)


class CreditReportRevokeForm(forms.Form):
    """A credit report issued in error is revoked with the reason its public verification shows."""

    reason = forms.CharField(
        label=_("Why the report is revoked"),
        max_length=500,
        help_text=_("Shown on the report's public verification, and kept in the history with your name."),
    )


class InquiryAuthorisationForm(forms.Form):
    """R-SEC-2: the subject's written authorisation of a third party's inquiry, as signed."""

    requester = forms.CharField(label=_("Authorised inquirer"), max_length=200)
    requester_code = forms.CharField(label=_("Inquirer's unified social credit code"), max_length=32, required=False)
    purpose = forms.CharField(label=_("Agreed use"), max_length=300, help_text=_("As the authorisation states it."))
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Valid until"), widget=DATE, help_text=_("An authorisation is never for good.")
    )
    document = DocumentField(
        label=_("The signed authorisation"), help_text=_("A scan or PDF of the authorisation the subject signed.")
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=500, initial=_("Written authorisation received"))


class InquiryAuthorisationWithdrawForm(forms.Form):
    """The subject withdraws its authorisation (R-SEC-2), in writing or in person: why, for the history."""

    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        max_length=500,
        help_text=_("Kept in the history with your name."),
        initial=_("The subject withdrew it in writing"),
    )


class ServiceConsentForm(forms.Form):
    """APL art. 61: the subject's consent to electronic service and the confirmation it signed."""

    address = forms.EmailField(
        label=_("Electronic address"),
        max_length=254,
        help_text=_("Where documents are served, as the confirmation states it."),
    )
    consented_on = forms.DateField(label=_("Consented on"), widget=DATE)
    confirmation = DocumentField(
        label=_("The signed confirmation"), help_text=_("A scan or PDF of the confirmation the subject signed.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, initial=_("Signed confirmation received"))


class ConsentWithdrawForm(forms.Form):
    """The subject withdraws its consent to electronic service: why, for the history."""

    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        max_length=500,
        help_text=_("Kept in the history with your name."),
        initial=_("The subject withdrew it in writing"),
    )
