"""Credit subjects, their related persons and consents, and their credit records (a subject's credit file)."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from catalog.choices import ConsentCategory, InfoClass
from creditportal.models.base import DepartmentOwned, TrackedQuerySet
from creditportal.models.publication import PublicationLedger

from .choices import (
    ArchiveReason,
    BasisType,
    IdentifierType,
    Ownership,
    PenaltyWithdrawal,
    RecordKind,
    RecordStatus,
    RelatedRole,
    RevocationGround,
    SharingFlag,
    SubjectKind,
)


def objection_label_text(since) -> str:
    """The label as lists and exports show it (R-OBJ-2): "Under objection since 2026-09-25", or ""."""
    if since is None:
        return ""
    from django.utils import timezone
    from django.utils.translation import gettext

    return gettext("Under objection since %(date)s") % {"date": timezone.localtime(since).date().isoformat()}


def objection_label_field():
    """R-OBJ-2: when the target was labelled "under objection" (null: it is not). Set and cleared only by the
    objection's services, through the target app's own service; lists filter on it."""
    return models.DateTimeField(_("under objection since"), null=True, blank=True, db_index=True)


class CreditSubject(DepartmentOwned):
    """A natural person, legal person or unincorporated organisation (R-CAT-8; HL 19).

    ``department`` is the department that registered the subject: it owns the file for scoping.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=200)
    id_type = models.CharField(_("identifier type"), max_length=32, choices=IdentifierType.choices)
    #: The identifier as shown (issue 21, R-DIS-4): an organisation's code whole, a natural person's number masked.
    #: The whole number is ``identifier`` (sealed in ``id_sealed``, looked up by ``id_digest``; creditportal.identity).
    id_number = models.CharField(_("identifier"), max_length=32)
    #: A natural person's whole number, encrypted (PIPL art. 51); empty for an organisation. Kept by the live row
    #: only: the history copies the masked number and the digest (``history_excluded_fields``).
    id_sealed = models.TextField(_("identifier (encrypted)"), blank=True, default="", editable=False)
    #: The keyed hash of the whole identifier: exact search and uniqueness without decrypting.
    id_digest = models.CharField(_("identifier digest"), max_length=64, default="", editable=False)
    ownership = models.CharField(
        _("ownership"),
        max_length=32,
        choices=Ownership.choices,
        default=Ownership.PRIVATE,
        help_text=_(
            "State organs, state-owned enterprises and public institutions are reported upward "
            "when designated (R-DES-9)."
        ),
    )
    #: R-DES-9 (HL 32): a natural person on the staff of a state organ, state-owned enterprise or public institution;
    #: when designated, the unit, the discipline-inspection organ and the personnel department are told.
    employer = models.CharField(
        _("employer (state organ, state-owned enterprise or public institution)"),
        max_length=200,
        blank=True,
        help_text=_("A natural person on such a unit's staff: the unit's full name (R-DES-9)."),
    )
    employer_kind = models.CharField(
        _("employer's kind"),
        max_length=32,
        choices=Ownership.choices,
        default=Ownership.PRIVATE,
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    #: An objection to the subject's identifying data (R-OBJ-1) labels the subject itself.
    under_objection_since = objection_label_field()

    history_excluded_fields: ClassVar[tuple[str, ...]] = ("id_sealed",)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("credit subject")
        verbose_name_plural = _("credit subjects")
        constraints = [
            # the digest first: the same index serves the exact-identifier search (type is rarely known).
            models.UniqueConstraint(
                fields=["id_digest", "id_type"],
                name="subject_unique_identifier",
                violation_error_message=_("A subject with this identifier is already registered."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="natural_person") | ~models.Q(id_type="uscc"),
                name="subject_person_has_no_uscc",
                violation_error_message=_("A natural person is not identified by a unified social credit code."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="natural_person") | models.Q(id_type="uscc"),
                name="subject_organisation_has_uscc",
                violation_error_message=_("An organisation is identified by its unified social credit code."),
            ),
        ]
        indexes = [
            # Scoped list pages: department filter + newest first, then by name.
            models.Index(fields=["department", "-id"], name="subject_dept_id_idx"),
            models.Index(fields=["department", "name"], name="subject_dept_name_idx"),
            models.Index(fields=["kind", "department"], name="subject_kind_dept_idx"),
            models.Index(Upper("name"), name="subject_name_upper_idx"),
            # An organisation's code is also searched by its beginning (``LIKE '9146%'``): served by a pattern index
            # whatever the database's collation. A person's number is found by its digest only.
            models.Index(fields=["id_number"], name="subject_id_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        """Wherever a subject is named without a policy at hand (choices, the admin, logs): a person's number masked
        (R-DIS-4)."""
        return f"{self.name} ({self.masked_id_number})"

    @property
    def identifier(self) -> str:
        """The whole identifier: an organisation's code, a natural person's number decrypted (only where the masking
        policy shows it whole: the ``identity`` tag, the subject's own documents, the edit form)."""
        clear = getattr(self, "_identifier", None)
        if clear is None:
            from creditportal.identity import open_sealed

            clear = open_sealed(self.id_sealed) if self.is_person and self.id_sealed else self.id_number
            self._identifier = clear
        return clear

    @identifier.setter
    def identifier(self, value: str) -> None:
        self._identifier = value
        self._identifier_changed = True
        self._seal_identifier()

    def _seal_identifier(self) -> None:
        from creditportal.identity import digest, seal
        from creditportal.masking import mask_identity

        clear = self._identifier
        self.id_digest = digest(clear)
        if self.is_person:
            self.id_sealed, self.id_number = seal(clear), mask_identity(clear)
        else:
            self.id_sealed, self.id_number = "", clear

    def save(self, *args, **kwargs) -> None:
        """Seals the identifier set since the last save (its kind may have changed since); a subject made with a
        whole ``id_number`` and no digest (a factory, a fixture) is sealed from it."""
        if not self.id_digest and not getattr(self, "_identifier_changed", False):
            self.identifier = self.id_number
        elif getattr(self, "_identifier_changed", False):
            self._seal_identifier()
        self._identifier_changed = False
        super().save(*args, **kwargs)

    @classmethod
    def digest_of(cls, identifier: str) -> str:
        from creditportal.identity import digest

        return digest(identifier)

    @property
    def objection_label(self) -> str:
        return objection_label_text(self.under_objection_since)

    @property
    def is_person(self) -> bool:
        return self.kind == SubjectKind.NATURAL_PERSON

    @property
    def is_public_staff(self) -> bool:
        """R-DES-9: a natural person on the staff of a state organ, state-owned enterprise or public institution."""
        return self.is_person and self.employer_kind != Ownership.PRIVATE and bool(self.employer)

    def clean(self) -> None:
        super().clean()
        if self.is_person:
            if self.ownership != Ownership.PRIVATE:
                raise ValidationError(
                    {"ownership": _("A natural person has no ownership: record the unit they work for instead.")}
                )
            if (self.employer_kind != Ownership.PRIVATE) != bool(self.employer.strip()):
                raise ValidationError(
                    {
                        "employer": _(
                            "Name the state organ, state-owned enterprise or public institution the person works for, "
                            "and its kind, or neither (R-DES-9)."
                        )
                    }
                )
        elif self.employer or self.employer_kind != Ownership.PRIVATE:
            raise ValidationError(
                {"employer": _("Only a natural person has an employer; an organisation has an ownership.")}
            )

    @property
    def masked_id_number(self) -> str:
        """Desensitised identifier for display (R-DIS-4; HL 23): persons' numbers are stored masked (``id_number``)."""
        return self.id_number

    @property
    def masked_address(self) -> str:
        """R-DIS-4: a natural person's address, the city and district only; an organisation's whole."""
        from creditportal.masking import mask_address

        return mask_address(self.address) if self.is_person else self.address


class RelatedPerson(DepartmentOwned):
    """A natural person noted with an organisation (R-REC-2; HN 25, HL 33, XJ 40)."""

    organisation = models.ForeignKey(
        CreditSubject,
        on_delete=models.PROTECT,
        related_name="related_persons",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        CreditSubject,
        on_delete=models.PROTECT,
        related_name="roles_in_organisations",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=32, choices=RelatedRole.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("related person")
        verbose_name_plural = _("related persons")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "role"],
                condition=models.Q(until__isnull=True),
                name="relatedperson_unique_current",
            ),
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("person")),
                name="relatedperson_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person.name}"


class Consent(DepartmentOwned):
    """A natural person's written consent to collect data of one R-CAT-5 category for a named use."""

    subject = models.ForeignKey(
        CreditSubject,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("subject"),
    )
    category = models.CharField(_("category"), max_length=32, choices=ConsentCategory.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    scope = models.TextField(_("scope"))
    adverse_consequences_notified = models.BooleanField(
        _("notified of adverse consequences"),
        default=False,
        help_text=_("R-CAT-5 requires notice of the adverse consequences before consent."),
    )
    written_evidence = models.FileField(_("written evidence"), upload_to="consents/%Y/")
    given_at = models.DateTimeField(_("given at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["subject", "category"], name="consent_subject_cat_idx")]

    def __str__(self) -> str:
        return f"{self.subject.name}: {self.get_category_display()}"


class BasisDocument(DepartmentOwned):
    """The legally effective document a record stands on (R-REC-1; HN 24, HL 27, XJ 37)."""

    basis_type = models.CharField(_("document type"), max_length=32, choices=BasisType.choices)
    number = models.CharField(_("document number"), max_length=100)
    issuing_authority = models.CharField(_("issuing authority"), max_length=200)
    effective_on = models.DateField(_("effective on"))
    simplified_procedure = models.BooleanField(
        _("simplified procedure"),
        default=False,
        help_text=_("Administrative punishments under the simplified procedure are not recorded (R-CAT-3)."),
    )
    file = models.FileField(_("document file"), upload_to="basis/%Y/", blank=True)

    class Meta:
        verbose_name = _("basis document")
        verbose_name_plural = _("basis documents")
        constraints = [
            models.UniqueConstraint(fields=["issuing_authority", "number"], name="basis_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issuing_authority})"


class CreditRecordQuerySet(TrackedQuerySet):
    def on_display(self):
        """Records a caseworker's page, list or export may show: everything but archived information, which is
        never displayed again (R-DIS-3, R-RES-4); ``creditportal.permissions.scope_queryset`` applies it."""
        return self.exclude(status=RecordStatus.ARCHIVED)

    def disclosed(self):
        """Records that may be disclosed or inquired into now: active ones (not suspended (R-OBJ-5), hidden
        (R-REC-5), withdrawn, revoked or archived)."""
        return self.filter(status=RecordStatus.ACTIVE)


class CreditRecord(DepartmentOwned):
    """One piece of credit information about a subject, entered against a catalog item (R-CAT-1).

    ``department`` is the recording department. The record keeps pointing at the catalog item version
    it was entered under, even after that version is superseded.
    """

    subject = models.ForeignKey(
        CreditSubject,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("subject"),
    )
    catalog_item = models.ForeignKey(
        "catalog.CatalogItem",
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("catalog item"),
    )
    basis_document = models.ForeignKey(
        BasisDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("basis document"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RecordKind.choices)
    status = models.CharField(_("status"), max_length=32, choices=RecordStatus.choices, default=RecordStatus.ACTIVE)
    summary = models.TextField(_("summary"))
    determined_on = models.DateField(_("determination date"))
    conduct_ended_on = models.DateField(
        _("conduct ended on"),
        null=True,
        blank=True,
        help_text=_("For ongoing conduct: disclosure is counted from the date it ends (R-DIS-1)."),
    )
    disclosure_from = models.DateField(_("disclosed from"), null=True, blank=True)
    disclosure_until = models.DateField(_("disclosed until"), null=True, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    under_objection_since = objection_label_field()
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archive_reason = models.CharField(_("archived because"), max_length=16, choices=ArchiveReason.choices, blank=True)
    sharing_flag = models.CharField(
        _("shared copies"), max_length=16, choices=SharingFlag.choices, default=SharingFlag.NONE, blank=True
    )
    sharing_due = models.DateField(
        _("shared copies to be changed by"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("R-OBJ-6, R-REC-4, R-DIS-3: the sharing platform's copies are changed or withdrawn by then."),
    )
    #: R-REC-5 (HB 31): trustworthiness information is deleted and archived only on the subject's written application,
    #: kept here with the record (and so in its history) with the day it was received.
    deletion_application = models.FileField(
        _("written application for deletion"), upload_to="records/deletion_applications/%Y/", blank=True
    )
    deletion_application_received_on = models.DateField(
        _("written application for deletion received on"), null=True, blank=True
    )
    #: The providing unit's own key for the record (issue 23): a batch import is idempotent by it — the same file
    #: sent twice finds its records and writes nothing. Unique within the recording department; empty when entered
    #: on a page.
    provider_key = models.CharField(_("provider's record key"), max_length=100, blank=True, default="")
    sharing_notice_served_on = models.DateField(
        _("written notice before sharing served on"),
        null=True,
        blank=True,
        help_text=_(
            "R-REC-3: where the profile requires it, the untrustworthiness information is delivered to the "
            "aggregating unit only after the subject was told in writing."
        ),
    )

    # A ClassVar, as django-stubs declares the base class's manager.
    objects: ClassVar = CreditRecordQuerySet.as_manager()
    #: ``scope_queryset`` hides these rows from every case page, list and export (R-DIS-3); auditors read them
    #: only through the logged archive view.
    hidden_from_casework = models.Q(status=RecordStatus.ARCHIVED)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="untrustworthy") | models.Q(basis_document__isnull=False),
                name="record_untrustworthy_has_basis",
                violation_error_message=_("Untrustworthy conduct is recorded only on an effective basis document."),
            ),
            models.UniqueConstraint(
                fields=["department", "provider_key"],
                condition=~models.Q(provider_key=""),
                name="record_unique_provider_key",
                violation_error_message=_("This department already holds a record with this provider's key."),
            ),
            models.CheckConstraint(
                condition=models.Q(disclosure_until__isnull=True)
                | models.Q(disclosure_from__isnull=True)
                | models.Q(disclosure_until__gte=models.F("disclosure_from")),
                name="record_disclosure_ordered",
                violation_error_message=_("Disclosure cannot end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "-id"], name="record_dept_id_idx"),
            # The casework lists' page (issue 23): the department's records newest first, the archived left out as
            # ``hidden_from_casework`` leaves them (a deep page walks no archived row).
            models.Index(
                fields=["department", "-id"],
                name="record_dept_casework_idx",
                condition=~models.Q(status=RecordStatus.ARCHIVED),
            ),
            models.Index(fields=["subject", "status"], name="record_subject_status_idx"),
            models.Index(fields=["status", "disclosure_until"], name="record_expiry_sweep_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject.name}: {self.catalog_item.name}"

    @property
    def objection_label(self) -> str:
        return objection_label_text(self.under_objection_since)

    def sharing_notice(self):
        """The written notice to the subject before its untrustworthiness information is delivered to the
        aggregating unit (R-REC-3), the latest not superseded, or None (none is issued where the profile does not
        require it)."""
        from creditportal.choices import DocumentKind
        from creditportal.documents import documents_of

        return documents_of(self).filter(kind=DocumentKind.SHARING_NOTICE, superseded_by__isnull=True).last()

    def restoration_info(self):
        """R-NAT-4 (两书同达): the notice on credit restoration issued with an administrative penalty entered as
        untrustworthiness information under the national rules, or None."""
        from creditportal.choices import DocumentKind
        from creditportal.documents import documents_of

        return documents_of(self).filter(kind=DocumentKind.RESTORATION_INFO, superseded_by__isnull=True).last()

    def sharing_notice_pending(self) -> bool:
        """R-REC-3: a written notice was issued and its service is not recorded yet: until it is, the information
        is not delivered and grounds no designation."""
        return self.sharing_notice_served_on is None and self.sharing_notice() is not None


class BasisRevocation(DepartmentOwned):
    """The effective legal document that revoked, annulled or changed a record's basis, as registered, and when
    the record was revoked for it (R-RES-6; HN 31, HL 38): the record's page says why it was revoked."""

    record = models.ForeignKey(
        CreditRecord,
        on_delete=models.PROTECT,
        related_name="basis_revocations",
        verbose_name=_("credit record"),
    )
    ground = models.CharField(_("what happened to the basis"), max_length=16, choices=RevocationGround.choices)
    legal_document = models.CharField(_("effective legal document"), max_length=300)
    effective_on = models.DateField(_("took effect on"))
    received_on = models.DateField(_("received on"))
    revoked_at = models.DateTimeField(_("record revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)

    history_db_table = "restoration_historicalbasisrevocation"

    class Meta:
        ordering = ["-received_on", "-id"]
        # Kept where restoration created it (issue 17 moved the model here, not its rows).
        db_table = "restoration_basisrevocation"
        verbose_name = _("revoked basis")
        verbose_name_plural = _("revoked bases")

    def __str__(self) -> str:
        return f"{self.legal_document} ({self.get_ground_display()})"


class InquiryAuthorisation(DepartmentOwned):
    """A subject's written authorisation for a third party to inquire into its non-public information (R-SEC-2; HN 16,
    HB 19, XJ 42): who may inquire, for which use, from and until when (never for good: NDRC 14), with the signed
    authorisation on file and the day it was received. The subject may withdraw it; a withdrawn or lapsed
    authorisation allows no inquiry. Each inquiry under it is a credit report issued to the third party
    (``CreditReport.authorisation``), registered (R-SEC-3)."""

    subject = models.ForeignKey(
        CreditSubject, on_delete=models.PROTECT, related_name="inquiry_authorisations", verbose_name=_("subject")
    )
    requester = models.CharField(_("authorised inquirer"), max_length=200)
    requester_code = models.CharField(
        _("inquirer's code or number"), max_length=32, blank=True, help_text=_("Its unified social credit code.")
    )
    purpose = models.CharField(_("agreed use"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    document = models.FileField(_("written authorisation"), upload_to="subjects/authorisations/%Y/")
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    received_on = models.DateField(_("received on"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("inquiry authorisation")
        verbose_name_plural = _("inquiry authorisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_until")),
                name="authorisation_period_ordered",
                violation_error_message=_("The authorisation ends before it begins."),
            )
        ]

    def __str__(self) -> str:
        return _("%(requester)s, for %(purpose)s, until %(until)s") % {
            "requester": self.requester,
            "purpose": self.purpose,
            "until": self.valid_until.isoformat(),
        }


class ServiceConsent(DepartmentOwned):
    """A subject's consent to electronic service, with the confirmation it signed (Administrative Punishment Law art.
    61: documents are served electronically only where the party agrees and signs a confirmation): the address
    documents go to, the day it consented, the signed confirmation on file and the day it was received. Withdrawn,
    it allows no electronic service from that moment; paper service stays for every subject."""

    subject = models.ForeignKey(
        CreditSubject, on_delete=models.PROTECT, related_name="service_consents", verbose_name=_("subject")
    )
    address = models.EmailField(_("electronic address"))
    consented_on = models.DateField(_("consented on"))
    confirmation = models.FileField(_("signed confirmation"), upload_to="subjects/service_consents/%Y/")
    confirmation_name = models.CharField(_("file name"), max_length=255, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        ordering = ["-consented_on", "-id"]
        verbose_name = _("consent to electronic service")
        verbose_name_plural = _("consents to electronic service")

    def __str__(self) -> str:
        return _("%(address)s, from %(date)s") % {"address": self.address, "date": self.consented_on.isoformat()}


class CreditReport(DepartmentOwned):
    """A credit report of a subject (HN 28; R-SEC-1): its information of the period and sectors asked for, as it stood
    at ``as_of``, issued as a PDF (``IssuedDocument`` of kind credit report, whose case this is) that anyone holding it
    can check by its verification code on the public verification page: valid, superseded by a corrected report, or
    revoked with its reason. Free; a natural person's reports in a year counted against the profile's
    ``free_reports_per_year``."""

    subject = models.ForeignKey(
        CreditSubject, on_delete=models.PROTECT, related_name="credit_reports", verbose_name=_("subject")
    )
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    #: Catalog sectors the report covers (empty: all).
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    as_of = models.DateTimeField(_("as of"))
    #: What anyone checks the report by (printed with its QR code): random, never derived from the subject.
    verification_code = models.CharField(_("verification code"), max_length=24, unique=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revocation_reason = models.TextField(_("reason for the revocation"), blank=True)
    #: R-SEC-2: a report issued to a third party, under the subject's written authorisation (None: to the subject).
    authorisation = models.ForeignKey(
        InquiryAuthorisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("inquiry authorisation"),
    )

    class Meta:
        ordering = ["-as_of", "-id"]
        verbose_name = _("credit report")
        verbose_name_plural = _("credit reports")
        indexes = [models.Index(fields=["subject", "-as_of"], name="creditreport_subject_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_from__lte=models.F("period_to")),
                name="creditreport_period_ordered",
                violation_error_message=_("The period ends before it begins."),
            )
        ]

    def __str__(self) -> str:
        return _("Credit report of %(name)s (%(code)s)") % {"name": self.subject.name, "code": self.verification_code}


class SubjectNotification(models.Model):
    """A message sent to a subject's consented electronic address (issue 22): a document served on paper, a clock
    running for the subject, a filing received. Sent once per ``key``; the record that it was sent, not a record of
    the case (the act it tells of has its own history)."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("document served")
        DEADLINE = "deadline", _("time limit running out")
        RECEIVED = "received", _("filing received")

    subject = models.ForeignKey(
        CreditSubject, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("subject")
    )
    key = models.CharField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    address = models.EmailField(_("sent to"))
    title = models.CharField(_("title"), max_length=300)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("notification to a subject")
        verbose_name_plural = _("notifications to subjects")
        indexes = [models.Index(fields=["subject", "-sent_at"], name="notification_subject_idx")]

    def __str__(self) -> str:
        return self.title


class PublishedPenalty(PublicationLedger):
    """The publication ledger of administrative penalties (issue 22; R-NAT-2, SAMR-45, R-DIS-3, R-DIS-4): one row per
    time an untrustworthiness record of an administrative penalty of the general or serious class stood on the public
    penalties page, holding what the public saw (a snapshot taken when it was published: the subject's name, its
    identifier as the masking policy shows it, the department, the catalog item, the summary with any identity
    number in it masked, the class, the decision's number and dates), when it was published and when and why it was
    withdrawn. Written only by ``subjects.publication``: opened when the record is on display and the jurisdiction
    profile publishes penalties, closed with the cause when the record ends (``subjects.endings``) or is suspended;
    never changed otherwise, never deleted. The page is the open rows; "as of" a moment, the rows open then."""

    record = models.ForeignKey(
        CreditRecord, on_delete=models.PROTECT, related_name="publications", verbose_name=_("credit record")
    )
    department = models.ForeignKey(
        "creditportal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    withdrawal_cause = models.CharField(
        _("publication withdrawn because"), max_length=32, choices=PenaltyWithdrawal.choices, blank=True
    )
    subject_name = models.CharField(_("name"), max_length=200)
    subject_is_person = models.BooleanField(_("natural person"), default=False)
    #: An organisation's code whole; a natural person's number masked (R-DIS-4): never a whole number.
    identifier = models.CharField(_("identifier"), max_length=32)
    department_name = models.CharField(_("department"), max_length=200)
    item_name = models.CharField(_("catalog item"), max_length=200)
    #: The record's summary as published, every resident identity number in it masked (R-DIS-4).
    summary = models.TextField(_("summary"))
    info_class = models.CharField(_("class of untrustworthiness information"), max_length=16, choices=InfoClass.choices)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    determined_on = models.DateField(_("determination date"))
    disclosed_until = models.DateField(_("disclosed until"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("published administrative penalty")
        verbose_name_plural = _("published administrative penalties")
        indexes = [
            # the page as it stands: the open rows, newest first
            models.Index(
                fields=["-published_at", "-id"],
                name="penalty_open_idx",
                condition=models.Q(withdrawn_at__isnull=True),
            ),
            models.Index(fields=["published_at", "withdrawn_at"], name="penalty_period_idx"),
            models.Index(fields=["identifier"], name="penalty_identifier_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["department", "-published_at"], name="penalty_dept_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(withdrawn_at__isnull=True), name="penalty_one_open_per_record"
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(withdrawn_at__gte=models.F("published_at")),
                name="penalty_withdrawn_after_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.identifier}): {self.item_name}"

    @property
    def under_objection_since(self):
        """R-OBJ-2: the record's label, as it stands (the page shows it while an objection is labelled)."""
        return self.record.under_objection_since
