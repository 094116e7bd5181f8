"""What the API reads and writes (issue 23). Every field says what it is, in the product's language: the schema
(``/api/v1/schema/``) is the providing units' documentation. Natural persons' identifiers go out masked (R-DIS-4):
a client that looks a subject up already holds the number it asked with."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from creditportal.choices import AccessPurpose
from subjects.choices import BasisType, IdentifierType, RecordKind, RecordStatus, SubjectKind
from subjects.models import CreditRecord, CreditSubject


class SubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("The subject's number in this system."))
    kind = serializers.ChoiceField(choices=SubjectKind.choices, read_only=True, help_text=_("Kind of subject."))
    name = serializers.CharField(read_only=True, help_text=_("Name of the person or organisation."))
    id_type = serializers.ChoiceField(
        choices=IdentifierType.choices, read_only=True, help_text=_("Type of the identifier.")
    )
    identifier = serializers.CharField(
        source="masked_id_number",
        read_only=True,
        help_text=_("The identifier: an organisation's code whole, a natural person's number masked."),
    )
    department = serializers.CharField(
        source="department.code", read_only=True, help_text=_("Code of the department that holds the subject.")
    )
    under_objection = serializers.SerializerMethodField(
        help_text=_("Whether the subject's identifying data is under objection (labelled until decided).")
    )
    updated_at = serializers.DateTimeField(read_only=True, help_text=_("When the subject was last changed."))

    def get_under_objection(self, subject: CreditSubject) -> bool:
        return subject.under_objection_since is not None


class BasisSerializer(serializers.Serializer):
    basis_type = serializers.ChoiceField(
        choices=BasisType.choices, help_text=_("Type of the legally effective basis document.")
    )
    number = serializers.CharField(max_length=100, help_text=_("The basis document's number."))
    issuing_authority = serializers.CharField(max_length=200, help_text=_("Who issued the basis document."))
    effective_on = serializers.DateField(help_text=_("The day the basis document took effect."))
    simplified_procedure = serializers.BooleanField(
        default=False,
        help_text=_(
            "Whether the punishment was made under the simplified procedure (such punishments are not entered)."
        ),
    )


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("The record's number in this system."))
    subject = serializers.IntegerField(source="subject_id", read_only=True, help_text=_("The subject's number."))
    department = serializers.CharField(
        source="department.code", read_only=True, help_text=_("Code of the department that recorded it.")
    )
    catalog_item = serializers.CharField(
        source="catalog_item.code", read_only=True, help_text=_("Code of the catalog item it was entered under.")
    )
    catalog_version = serializers.IntegerField(
        source="catalog_item.version.number", read_only=True, help_text=_("Number of that catalog version.")
    )
    kind = serializers.ChoiceField(choices=RecordKind.choices, read_only=True, help_text=_("Kind of information."))
    status = serializers.ChoiceField(
        choices=RecordStatus.choices, read_only=True, help_text=_("Where the record stands.")
    )
    summary = serializers.CharField(read_only=True, help_text=_("Summary of the conduct."))
    determined_on = serializers.DateField(read_only=True, help_text=_("Date of determination."))
    conduct_ended_on = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The day ongoing conduct ended, if it was ongoing.")
    )
    disclosure_from = serializers.DateField(read_only=True, allow_null=True, help_text=_("Disclosed from."))
    disclosure_until = serializers.DateField(read_only=True, allow_null=True, help_text=_("Disclosed until."))
    under_objection = serializers.SerializerMethodField(
        help_text=_("Whether the record is under objection (labelled until decided).")
    )
    basis = BasisSerializer(source="basis_document", read_only=True, allow_null=True)
    provider_key = serializers.CharField(
        read_only=True, help_text=_("The providing unit's own key for the record (empty when entered on a page).")
    )
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When the record was entered."))
    updated_at = serializers.DateTimeField(read_only=True, help_text=_("When the record was last changed."))

    def get_under_objection(self, record: CreditRecord) -> bool:
        return record.under_objection_since is not None


class RecordCreateSerializer(serializers.Serializer):
    """A credit record sent by its providing unit: the shape is checked here, the law by the service (the
    lawful-data guard, R-CAT-1 to R-CAT-5, R-REC-1), as on the record form."""

    subject = serializers.IntegerField(min_value=1, help_text=_("The subject's number (look it up by its identifier)."))
    catalog_item = serializers.CharField(
        max_length=64, help_text=_("Code of the item of the published catalog the record is entered under.")
    )
    summary = serializers.CharField(max_length=settings.PORTAL_TEXT_MAX_CHARS, help_text=_("Summary of the conduct."))
    determined_on = serializers.DateField(help_text=_("Date of determination."))
    conduct_ended_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Only for ongoing conduct: the day it ended (disclosure counts from it)."),
    )
    basis = BasisSerializer(
        required=False,
        allow_null=True,
        help_text=_("The legally effective basis document (required for untrustworthiness information)."),
    )
    provider_key = serializers.CharField(
        max_length=100,
        required=False,
        default="",
        allow_blank=True,
        help_text=_(
            "The providing unit's own key for the record: a record with a key the department holds is refused."
        ),
    )
    reason = serializers.CharField(
        max_length=500,
        required=False,
        default="",
        help_text=_("Why the record is entered; kept in its history (default: received from the providing unit)."),
    )


class PurposeHeaderSerializer(serializers.Serializer):
    """The purpose a request states for reading a subject's non-public information (R-SEC-2)."""

    purpose = serializers.ChoiceField(choices=AccessPurpose.choices)
    text = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FeedEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The entry's number (increasing in the feed's order)."))
    key = serializers.CharField(help_text=_("What changed: its kind and number, e.g. record:12."))
    kind = serializers.CharField(help_text=_("Kind of what changed."))
    operation = serializers.CharField(help_text=_("New, changed or withdrawn."))
    cause = serializers.CharField(allow_null=True, help_text=_("Why it was withdrawn (corrected, restored, …)."))
    department = serializers.CharField(allow_null=True, help_text=_("Code of the department it belongs to."))
    payload = serializers.JSONField(
        allow_null=True, help_text=_("What is now published or shared (none if withdrawn).")
    )
    written_at = serializers.DateTimeField(help_text=_("When the change was committed."))


class FeedPageSerializer(serializers.Serializer):
    entries = FeedEntrySerializer(many=True, help_text=_("The changes, in order, each once."))
    cursor = serializers.CharField(help_text=_("Pass it back as ?cursor= to read what follows."))
    more = serializers.BooleanField(help_text=_("More changes can be read at once (ask again without waiting)."))


class FeedQuery(serializers.Serializer):
    cursor = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("The cursor of the last page read (none: from the start)."),
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=1000, default=500, help_text=_("The most changes one page holds.")
    )


class CitedTextField(serializers.CharField):
    """A refusal as people read it: its rule ids replaced by the deployment's articles
    (``creditportal.citations.for_people``), as on the pages."""

    def to_representation(self, value) -> str:
        from creditportal.citations import for_people

        return for_people(super().to_representation(value))


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("The row of the file (the header is row 1)."))
    column = serializers.CharField(help_text=_("The column, if the error is in one."))
    message = CitedTextField(help_text=_("Why the row was refused."))


class RecordImportSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The import's number."))
    department = serializers.CharField(source="department.code", help_text=_("Code of the importing department."))
    file_name = serializers.CharField(help_text=_("The file's name as sent."))
    format = serializers.CharField(help_text=_("The format read from the file: csv, xlsx or jsonl."))
    status = serializers.CharField(help_text=_("Queued, running, done or failed."))
    percent = serializers.IntegerField(help_text=_("How much of the file was read, in per cent."))
    rows_done = serializers.IntegerField(help_text=_("Rows read."))
    rows_written = serializers.IntegerField(help_text=_("Records written."))
    rows_unchanged = serializers.IntegerField(help_text=_("Records imported before (same provider's key): unchanged."))
    rows_refused = serializers.IntegerField(help_text=_("Rows refused (each listed with its reason)."))
    subjects_created = serializers.IntegerField(help_text=_("Subjects registered for the records."))
    created_at = serializers.DateTimeField(help_text=_("When the file was received."))
    finished_at = serializers.DateTimeField(allow_null=True, help_text=_("When the import ended."))
    failure = serializers.CharField(help_text=_("Why the import stopped, if it did."))


class RecordImportDetailSerializer(RecordImportSerializer):
    refused_rows = ImportErrorSerializer(
        source="errors_shown", many=True, help_text=_("The first refused rows, in file order (at most 1000).")
    )


class ImportQuery(serializers.Serializer):
    name = serializers.CharField(
        max_length=255, help_text=_("The file's name (records.csv, records.xlsx, records.jsonl); its content decides.")
    )
    reason = serializers.CharField(max_length=500, help_text=_("Why the file is imported; kept in its history."))
