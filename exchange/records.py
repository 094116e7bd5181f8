"""One batch of a record import: every row through the guards a record entered on a page passes, then written in
bulk with its history and timeline (issue 23).

A row is checked as ``subjects.services.records.record_create`` checks one record — the catalog guard (R-CAT-1,
R-CAT-3, R-CAT-4, R-CAT-5, R-REC-1), dates against today and the determination against its basis document (R-REC-1:
nothing determined in the future, nor before the document it rests on took effect), the published
disclosure rules (R-DIS-1, R-DIS-2, R-NAT-2), no re-entry of conduct whose record ended (R-DIS-3) — but set-based:
the batch's subjects, basis documents, consents, earlier records and provider keys are each read in one query, the
rows are checked against those in memory, and the accepted ones are inserted in bulk, each with its history row
(``creditportal.audit.insert_tracked``: COPY) and its timeline event (``creditportal.audit.record_events``). The guard functions themselves are the
record service's (``catalog.guard``, ``subjects.disclosure``): one guard, two ways in.

Idempotent by the provider's key: a row whose key the department already holds is "already imported" when it says
the same thing, and refused when it says something else (a correction is the record's own act, R-OBJ-6, R-REC-4,
with its reasons and its document — never a silent overwrite by a file).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog import guard
from catalog.models import CatalogItem
from catalog.selectors import catalog_published
from creditportal.audit import insert_tracked, record_events
from creditportal.permissions import department_ids_for, scope_queryset
from subjects.choices import PERSON_IDENTIFIER_TYPES, IdentifierType, RecordKind, SubjectKind
from subjects.disclosure import record_disclosure_period, unpublished_refusal
from subjects.models import BasisDocument, Consent, CreditRecord, CreditSubject
from subjects.publication import penalties_open
from subjects.services.records import (
    notice_before_sharing,
    record_documents_issue,
    refuse_determined_before_basis,
    refuse_unreachable,
    restoration_notice_with_penalty,
)
from subjects.validators import validate_identifier
from subjects.workflow import RECORD

from .reader import COLUMNS, column_label

#: What a file may say for yes and no in the simplified-procedure column.
_YES = {"是", "yes", "y", "true", "1", "t"}
_NO = {"否", "no", "n", "false", "0", "f", ""}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MAX = {"provider_key": 100, "subject_name": 200, "basis_number": 100, "basis_authority": 200, "summary": 4000}


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    # parsed values
    kind: str = ""
    id_type: str = ""
    identifier: str = ""
    digest: str = ""
    item: CatalogItem | None = None
    determined_on: datetime.date | None = None
    conduct_ended_on: datetime.date | None = None
    basis: dict | None = None
    subject: CreditSubject | None = None
    basis_document: BasisDocument | None = None

    def refuse(self, column: str, message: str) -> None:
        self.errors.append((column, message))


@dataclass
class BatchResult:
    written: list[CreditRecord] = field(default_factory=list)
    unchanged: int = 0
    subjects_created: int = 0
    #: designations drafted (a Judgment Defaulters List, R-DES-8)
    drafted: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


class Context:
    """What stays the same for a whole import: the actor, the department, the published catalog, and the answers
    that depend only on (item, date) — computed once per import, not once per row."""

    def __init__(self, *, actor, department, now: datetime.datetime):
        self.actor, self.department, self.now = actor, department, now
        self.today = timezone.localdate(now)
        version = catalog_published()
        self.items = (
            {item.code: item for item in CatalogItem.objects.filter(version=version).select_related("version")}
            if version
            else {}
        )
        self.kinds = _choice_lookup(SubjectKind.choices)
        self.id_types = _choice_lookup(IdentifierType.choices)
        self.basis_types = _choice_lookup(BasisDocument._meta.get_field("basis_type").choices or [])
        self.period = lru_cache(maxsize=20000)(self._period)
        self.unpublished = lru_cache(maxsize=20000)(self._unpublished)
        self._documents_due: dict[tuple, bool] = {}

    def _period(self, item_code: str, determined_on, conduct_ended_on):
        return record_disclosure_period(
            catalog_item=self.items[item_code], determined_on=determined_on, conduct_ended_on=conduct_ended_on
        )

    def _unpublished(self, item_code: str, determined_on):
        return unpublished_refusal(self.items[item_code], on=determined_on)

    def documents_due(self, record: CreditRecord) -> bool:
        key = (record.kind, record.catalog_item_id, record.determined_on)
        if key not in self._documents_due:
            self._documents_due[key] = notice_before_sharing(record.kind) or restoration_notice_with_penalty(record)
        return self._documents_due[key]

    def refusal(self) -> str | None:
        """Why the actor may not import into the department now (checked at every batch: a role withdrawn
        mid-file stops the import at the next batch)."""
        self.actor = type(self.actor).objects.get(pk=self.actor.pk)  # the roles as they are now, not cached
        if self.department.pk not in department_ids_for(self.actor, "subjects.add_creditrecord"):
            return _("You cannot enter credit records for this department.")
        return None


def _choice_lookup(choices) -> dict[str, str]:
    """A choice found by its code, its Chinese label or its English label (files are written by people)."""
    lookup = {}
    for code, label in choices:
        lookup[str(code).lower()] = code
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = code
    return lookup


def _date(row: Row, column: str, *, required: bool) -> datetime.date | None:
    text = row.values.get(column, "")
    if not text:
        if required:
            row.refuse(column, _("This column is required."))
        return None
    match = _DATE.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text))
    try:
        if not match:
            raise ValueError
        value = datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        row.refuse(column, _("“%(value)s” is not a date (write 2026-03-01).") % {"value": text[:40]})
        return None
    return value


def shape_columns(row: Row, columns, limits: dict[str, int]) -> bool:
    """The checks every kind of import makes of a row's cells: a row the reader could not read, the required columns,
    the lengths. False: the row could not be read, so nothing more is checked."""
    values = row.values
    if "__error__" in values:
        row.refuse("", values["__error__"])
        return False
    for column in columns:
        if column.required and not values.get(column.code):
            row.refuse(column.code, _("This column is required."))
    for code, limit in limits.items():
        if len(values.get(code, "")) > limit:
            row.refuse(code, _("At most %(n)s characters.") % {"n": limit})
    return True


def _shape(row: Row, ctx: Context) -> None:
    """Each value on its own: required, length, codes known, dates real and not later than today (R-REC-1)."""
    if not shape_columns(row, COLUMNS, _MAX):
        return
    values = row.values
    shape_subject(row, ctx)
    code = values.get("catalog_item", "")
    if code:
        row.item = ctx.items.get(code)
        if row.item is None:
            # R-CAT-1: only the published catalog's items
            row.refuse(
                "catalog_item",
                _("Item %(code)s is not in the published catalog: records are entered only against it (R-CAT-1).")
                % {"code": code[:32]},
            )
    row.determined_on = _date(row, "determined_on", required=True)
    row.conduct_ended_on = _date(row, "conduct_ended_on", required=False)
    effective_on = _date(row, "basis_effective_on", required=False)
    dated: tuple[tuple[str, datetime.date | None], ...] = (
        ("determined_on", row.determined_on),
        ("conduct_ended_on", row.conduct_ended_on),
        ("basis_effective_on", effective_on),
    )
    for date_column, value in dated:
        if value is not None and value > ctx.today:
            row.refuse(
                date_column,
                _("%(label)s cannot be later than today (%(today)s).")
                % {"label": column_label(date_column), "today": ctx.today.isoformat()},
            )
    if values.get("basis_number") or values.get("basis_authority"):
        basis_type = ctx.basis_types.get(values.get("basis_type", "").lower(), "")
        if not basis_type:
            row.refuse("basis_type", _("Not a basis document type."))
        for basis_column in ("basis_number", "basis_authority", "basis_effective_on"):
            if not values.get(basis_column):
                row.refuse(basis_column, _("A basis document needs its number, issuing authority and effective date."))
        simplified = values.get("simplified_procedure", "").strip().lower()
        if simplified not in _YES | _NO:
            row.refuse("simplified_procedure", _("Write 是 or 否."))
        row.basis = {
            "basis_type": basis_type,
            "number": values.get("basis_number", ""),
            "issuing_authority": values.get("basis_authority", ""),
            "effective_on": effective_on,
            "simplified_procedure": simplified in _YES,
        }
    mentioned = guard.prohibited_in_text(values.get("summary", ""))
    if mentioned:
        row.refuse(
            "summary",
            _(
                "The text mentions %(categories)s, which may never be collected (R-CAT-4). Remove it; nothing was stored."
            )
            % {"categories": ", ".join(mentioned)},
        )


def shape_subject(row: Row, ctx: Context) -> None:
    """The subject's columns: its kind, identifier type and identifier (R-CAT-8), read and checked."""
    values = row.values
    row.kind = ctx.kinds.get(values.get("subject_kind", "").lower(), "")
    if values.get("subject_kind") and not row.kind:
        row.refuse("subject_kind", _("Not a subject kind: write 自然人, 法人 or 非法人组织."))
    id_type = values.get("id_type", "")
    if id_type:
        row.id_type = ctx.id_types.get(id_type.lower(), "")
        if not row.id_type:
            row.refuse("id_type", _("Not an identifier type."))
    elif row.kind:
        row.id_type = IdentifierType.RESIDENT_ID if row.kind == SubjectKind.NATURAL_PERSON else IdentifierType.USCC
    if row.kind and row.id_type:
        person = row.kind == SubjectKind.NATURAL_PERSON
        if person and row.id_type not in PERSON_IDENTIFIER_TYPES:
            row.refuse(
                "id_type", _("A natural person is identified by an identity card number or another personal ID.")
            )
        elif not person and row.id_type != IdentifierType.USCC:
            row.refuse("id_type", _("An organisation is identified by its unified social credit code only (R-CAT-8)."))
        elif values.get("identifier"):
            try:
                row.identifier = validate_identifier(row.id_type, values["identifier"], today=ctx.today)
            except ValidationError as error:
                row.refuse("identifier", " ".join(error.messages))
            else:
                row.digest = CreditSubject.digest_of(row.identifier)


def process_batch(rows: list[tuple[int, dict[str, str]]], ctx: Context) -> BatchResult:
    """Check ``rows`` and write the accepted ones; the caller holds the transaction and the job's lock."""
    result = BatchResult()
    batch = [Row(number, values) for number, values in rows]
    for row in batch:
        _shape(row, ctx)
    live = [row for row in batch if not row.errors]
    _known_keys(live, ctx, result)
    live = [row for row in live if not row.errors and not getattr(row, "unchanged", False)]
    _subjects(live, ctx)
    live = [row for row in live if not row.errors]
    _basis_documents(live, ctx)
    live = [row for row in live if not row.errors]
    _law(live, ctx)
    live = [row for row in live if not row.errors]
    result.subjects_created = _write(live, ctx, result)
    result.errors = [(row.number, column, message) for row in batch for column, message in row.errors]
    return result


def _known_keys(rows: list[Row], ctx: Context, result: BatchResult) -> None:
    """The same file twice changes nothing: a key the department holds is already imported (or refused when the
    row now says something else); a key twice in one batch is refused the second time."""
    seen: set[str] = set()
    for row in rows:
        key = row.values["provider_key"]
        if key in seen:
            row.refuse("provider_key", _("This key appears earlier in the file; each record has its own key."))
        seen.add(key)
    # ``provider_key <> ''`` as the unique index's own condition, so that PostgreSQL may read it (it cannot prove a
    # list of more than 100 keys excludes ''); else it reads every record of the department once a batch.
    held = {
        r["provider_key"]: r
        for r in CreditRecord.objects.filter(department=ctx.department, provider_key__in=seen)
        .exclude(provider_key="")
        .values(
            "provider_key", "subject__id_digest", "catalog_item__code", "summary", "determined_on", "conduct_ended_on"
        )
    }
    for row in rows:
        record = held.get(row.values["provider_key"])
        if record is None or row.errors:
            continue
        same = (
            record["subject__id_digest"] == row.digest
            and record["catalog_item__code"] == row.values["catalog_item"]
            and record["summary"] == row.values["summary"]
            and record["determined_on"] == row.determined_on
            and record["conduct_ended_on"] == row.conduct_ended_on
        )
        if same:
            row.unchanged = True  # type: ignore[attr-defined]
            result.unchanged += 1
        else:
            row.refuse(
                "provider_key",
                _(
                    "The department already holds a record with this key that says something else: a record is "
                    "changed by its correction on its page (with the reason), not by importing it again."
                ),
            )


def _subjects(rows: list[Row], ctx: Context) -> None:
    """The subject of each row: registered (and within the actor's scope, under the same name) or registered now
    in the department (R-CAT-8: the identifier checked above)."""
    digests = {row.digest for row in rows}
    registered = {
        s.id_digest: s for s in scope_queryset(ctx.actor, CreditSubject.objects.filter(id_digest__in=digests), "view")
    }
    # An identifier is registered once on the platform (the subject's unique constraint): one registered outside the
    # actor's scope cannot be registered again. Only the fact is read, as the registration form's uniqueness check
    # reads it, never the subject.
    elsewhere = set(
        CreditSubject.objects.filter(id_digest__in=digests - registered.keys()).values_list("id_digest", flat=True)
    )
    new: dict[str, CreditSubject] = {}
    may_register = ctx.department.pk in department_ids_for(ctx.actor, "subjects.add_creditsubject")
    for row in rows:
        if row.digest in elsewhere:
            row.refuse("identifier", _("This subject is registered by another department and not shared with you."))
            continue
        subject = registered.get(row.digest) or new.get(row.digest)
        name = row.values["subject_name"]
        if subject is not None:
            if subject.name != name or subject.kind != row.kind:
                row.refuse(
                    "subject_name",
                    _(
                        "This identifier is registered under another name or kind: check the name, the kind and the "
                        "identifier (the registered subject is corrected on its own page)."
                    ),
                )
                continue
            row.subject = subject
            continue
        if not may_register:
            row.refuse("identifier", _("This subject is not registered, and you cannot register subjects here."))
            continue
        subject = CreditSubject(department=ctx.department, kind=row.kind, name=name, id_type=row.id_type)
        subject.identifier = row.identifier
        new[row.digest] = row.subject = subject


def _basis_documents(rows: list[Row], ctx: Context) -> None:
    """The basis document of each row: registered (any department's: a judgment is the same judgment) when its
    details agree, else refused as the record form refuses it; or registered now."""
    by_authority: dict[str, set[str]] = {}
    for row in rows:
        if row.basis:
            by_authority.setdefault(row.basis["issuing_authority"], set()).add(row.basis["number"])
    # By (authority, number), the documents' unique index: by the number alone PostgreSQL read every registered
    # document once a batch (the number is the index's second column; 1,000,000 documents: 100 ms a batch, growing).
    wanted = Q()
    for authority, numbers in by_authority.items():
        wanted |= Q(issuing_authority=authority, number__in=sorted(numbers))
    registered = (
        {(d.issuing_authority, d.number): d for d in BasisDocument.objects.filter(wanted).order_by("pk")}
        if by_authority
        else {}
    )
    new: dict[tuple[str, str], BasisDocument] = {}
    for row in rows:
        if not row.basis:
            continue
        key = (row.basis["issuing_authority"], row.basis["number"])
        document = registered.get(key) or new.get(key)
        if document is None:
            document = new[key] = BasisDocument(department=ctx.department, **row.basis)
        elif any(getattr(document, name) != row.basis[name] for name in ("basis_type", "effective_on")) or (
            document.simplified_procedure != row.basis["simplified_procedure"]
        ):
            row.refuse(
                "basis_number",
                _(
                    "Document %(number)s of %(authority)s is already registered with other details. Check the "
                    "number, or correct the registered document."
                )
                % {"number": document.number, "authority": document.issuing_authority},
            )
            continue
        row.basis_document = document


def _law(rows: list[Row], ctx: Context) -> None:
    """The catalog guard and the record rules, each against what the batch read in one query."""
    subject_ids = {row.subject.pk for row in rows if row.subject and row.subject.pk}
    consents = set(
        Consent.objects.filter(subject_id__in=subject_ids, given_at__lte=ctx.now, adverse_consequences_notified=True)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=ctx.now))
        .exclude(written_evidence="")
        .values_list("subject_id", "category")
    )
    basis_ids = {row.basis_document.pk for row in rows if row.basis_document and row.basis_document.pk}
    ended = set(
        CreditRecord.objects.filter(subject_id__in=subject_ids, basis_document_id__in=basis_ids)
        .exclude(status__in=sorted(RECORD.sources_of("archive")))
        .values_list("subject_id", "catalog_item__code", "basis_document_id")
    )
    for row in rows:
        item, subject, basis = row.item, row.subject, row.basis_document
        assert item is not None and subject is not None  # noqa: S101 — rows without them were refused above
        if item.prohibited_category:
            row.refuse(
                "catalog_item",
                _("“%(item)s” would hold %(category)s, which may never be collected, whatever the consent (R-CAT-4).")
                % {"item": item.name, "category": item.get_prohibited_category_display()},
            )
            continue
        if (
            item.consent_category
            and row.kind == SubjectKind.NATURAL_PERSON
            and (subject.pk, item.consent_category) not in consents
        ):
            row.refuse(
                "catalog_item",
                _(
                    "This information about a natural person is recorded only with the person's written consent, "
                    "given after notice of the adverse consequences and not revoked (R-CAT-5); none is on file."
                ),
            )
            continue
        if item.is_untrustworthy:
            if basis is None:
                row.refuse(
                    "basis_number",
                    _("Untrustworthy conduct is recorded only on a legally effective basis document (R-REC-1)."),
                )
                continue
            if basis.basis_type not in guard.ACCEPTED_BASIS_TYPES:
                row.refuse("basis_type", _("This kind of document cannot support a record (R-REC-1)."))
                continue
            if basis.simplified_procedure:
                row.refuse(
                    "simplified_procedure",
                    _("Administrative punishments made under the simplified procedure are not recorded (R-CAT-3)."),
                )
                continue
        try:
            refuse_determined_before_basis(row.determined_on, basis, now=ctx.now)
        except ValidationError as error:
            row.refuse("determined_on", " ".join(error.messages))
            continue
        if basis is not None and basis.pk and (subject.pk, item.code, basis.pk) in ended:
            row.refuse(
                "basis_number",
                _(
                    "A record of this subject on the same basis document has ended: the same conduct is not entered "
                    "again (R-DIS-3)."
                ),
            )
            continue
        refusal = ctx.unpublished(item.code, row.determined_on)
        if refusal:
            row.refuse("catalog_item", refusal)


def new_subjects(rows: list[Row]) -> list[CreditSubject]:
    """The subjects ``rows`` register (each once, however many rows name it)."""
    found: dict[int, CreditSubject] = {}
    for row in rows:
        if row.subject is not None and row.subject.pk is None:
            found[id(row.subject)] = row.subject
    return list(found.values())


def _write(rows: list[Row], ctx: Context, result: BatchResult) -> int:
    """Subjects, basis documents and records in bulk, each with its history row; one timeline event per row
    written; the documents and publications the record service would make. Returns the subjects registered."""
    actor, reason = ctx.actor, _("Batch import of credit records")
    subjects = new_subjects(rows)
    insert_tracked(subjects, actor=actor, reason=reason)
    documents_new = list(
        {
            id(row.basis_document): row.basis_document
            for row in rows
            if row.basis_document and not row.basis_document.pk
        }.values()
    )
    insert_tracked(documents_new, actor=actor, reason=reason)
    records = []
    for row in rows:
        assert row.item is not None and row.subject is not None and row.determined_on is not None  # noqa: S101
        start, until = ctx.period(row.item.code, row.determined_on, row.conduct_ended_on)
        records.append(
            CreditRecord(
                department=ctx.department,
                subject=row.subject,
                catalog_item=row.item,
                basis_document=row.basis_document,
                kind=RecordKind.UNTRUSTWORTHY if row.item.is_untrustworthy else RecordKind.TRUSTWORTHY,
                summary=row.values["summary"],
                determined_on=row.determined_on,
                conduct_ended_on=row.conduct_ended_on,
                disclosure_from=start,
                disclosure_until=until,
                recorded_by=actor,
                provider_key=row.values["provider_key"],
            )
        )
    insert_tracked(records, actor=actor, reason=reason)
    record_events(
        action="subjects.subject.created",
        actor=actor,
        department=ctx.department,
        model=CreditSubject,
        object_ids=[s.pk for s in subjects],
        reason=reason,
        at=ctx.now,
    )
    record_events(
        action="subjects.record.created",
        actor=actor,
        department=ctx.department,
        model=CreditRecord,
        object_ids=[r.pk for r in records],
        reason=reason,
        at=ctx.now,
        data=[
            {
                "catalog_item": r.catalog_item.code,
                "version": r.catalog_item.version.number,
                "provider_key": r.provider_key,
            }
            for r in records
        ],
    )
    for record in records:
        # R-REC-3 (HB 22) and R-NAT-4: the documents the record service issues with a record, per record (whether a
        # record needs one depends on its kind, item and date only: asked once per such triple)
        if ctx.documents_due(record):
            record_documents_issue(record, actor=actor, reason=reason, now=ctx.now)
    penalties_open([r.pk for r in records], at=ctx.now)
    result.written = records
    return len(subjects)


def department_reachable_refusal(ctx: Context) -> str | None:
    """R-REC-3: where untrustworthiness information comes with a written notice, the notice must say where to
    object: the department's address and contact are recorded (checked once per import, as the record form does)."""
    try:
        refuse_unreachable(ctx.department.pk)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def needs_reachable(ctx: Context) -> bool:
    return notice_before_sharing(RecordKind.UNTRUSTWORTHY)
