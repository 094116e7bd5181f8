"""Issued documents (notices, decisions, letters): numbering, rendering after commit, service, supersession.

Numbers come from a per-department, per-kind, per-year sequence locked in the issuing transaction: a
number is consumed only if the document is issued, so numbers are never reused and never skipped. An
issued document never changes: a correction is a new document that supersedes it.
"""

from __future__ import annotations

import datetime
import hashlib
import html as html_module
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from . import pdf, signing
from .audit import record_event, tracked_save
from .choices import ServiceMethod
from .dates import check_event_date
from .models import DocumentSequence, IssuedDocument, ServiceRecord

logger = logging.getLogger(__name__)

#: Kinds numbered from the department's own sequence for that kind, and the mark that tells the kinds apart
#: in the number (R-DES-5: the decision carries its number; the prior notice its own: 琼信用告〔2026〕3号; an
#: objection's response letter 琼信用复〔2026〕1号, R-OBJ-6; a restoration notice 琼信用修〔2026〕1号, R-RES-4).
NUMBERED_KINDS = {
    "decision": "",
    "notice": "告",
    "response_letter": "复",
    "restoration_notice": "修",
    "restoration_refusal": "修不受",
    "removal_notice": "移",
    "sharing_notice": "享告",
    "restoration_info": "修告",
}


@dataclass(frozen=True)
class Required:
    """One element a document of its kind must state (issue 19): what it is, for the refusal that names it, and
    the words that state it (``present=False``: words it must not contain, e.g. the title of the other outcome)."""

    element: str
    text: str
    present: bool = True


@dataclass(frozen=True)
class DocumentTemplate:
    template: str
    build_context: Callable  # fn(*, case, document) -> dict
    requires: Callable | None = None  # fn(context) -> Iterable[Required], declared beside the template
    #: Whether the kind goes to the subject (a decision, a notice, a report) or to another unit (a report to the
    #: authority above, a letter to the discipline organ): what serving it to the subject asks (its consent to
    #: electronic service) applies only to the first.
    to_subject: bool = True


_TEMPLATES: dict[tuple[str, str], DocumentTemplate] = {}


def register_template(
    model_label: str,
    kind: str,
    template: str,
    build_context: Callable,
    requires: Callable | None = None,
    *,
    to_subject: bool = True,
) -> None:
    """The template of a kind of document, its context builder, what every document of the kind must state
    (checked before it is issued, on the text the template writes, and again on the text of the rendered PDF), and
    whether it goes to the subject or to another unit."""
    _TEMPLATES[(model_label.lower(), kind)] = DocumentTemplate(template, build_context, requires, to_subject)


def goes_to_subject(document: IssuedDocument) -> bool:
    """Whether ``document`` is served on its subject: as a caseworker decided for this one document, with a reason
    (``document_recipient_set``), else as its kind declares."""
    if document.to_subject_override is not None:
        return document.to_subject_override
    return _spec(document).to_subject


@transaction.atomic
def document_recipient_set(*, document: IssuedDocument, to_subject: bool, actor, reason: str) -> IssuedDocument:
    """Decide for this one document, with the reason, whether it goes to the subject, against what its kind declares
    (issue 22): a report to another unit that the subject must also receive, or a letter that stays internal. Decided
    before it is served: a service already recorded was made as the document then stood. Going back to the kind's
    declaration is the same act with the kind's value."""
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.services.exists():
        raise ValidationError(
            _("%(document)s has already been served: who receives it can no longer change.") % {"document": document}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this document goes to another recipient than its kind's.")})
    declared = _spec(document).to_subject
    document.to_subject_override = None if to_subject == declared else to_subject
    document.to_subject_reason = "" if to_subject == declared else reason
    tracked_save(document, actor=actor, reason=reason)
    record_event(
        action="creditportal.document.recipient_set",
        actor=actor,
        target=document.case,
        department=document.department,
        reason=reason,
        data={"document": document.pk, "to_subject": to_subject},
    )
    return document


def _spec(document: IssuedDocument) -> DocumentTemplate:
    return _TEMPLATES[(document.content_type.app_label + "." + document.content_type.model, document.kind)]


def _compact(text: str) -> str:
    """Text without the spaces and line breaks layout puts into Chinese sentences."""
    return re.sub(r"\s+", "", text or "")


#: A parallel English element of a document template (``<p class="en">``, ``<span class="en">``, ``<div class="en">``):
#: they are not nested in one another, so the shortest match to the same closing tag is the whole element.
_ENGLISH = re.compile(r'<(p|span|div)\b[^>]*\bclass="(?:[^"]*\s)?en(?:\s[^"]*)?"[^>]*>.*?</\1>', re.DOTALL)


def chinese_text(html: str) -> str:
    """The text of a document's Chinese version: its parallel English elements left out. The Chinese text is the
    official one, so what a document must state is looked for there, and an English translation alone never
    satisfies a check (issue 19)."""
    return html_module.unescape(strip_tags(_ENGLISH.sub("", html)))


def missing_elements(spec: DocumentTemplate, context: dict, text: str) -> list[str]:
    """The required elements ``text`` does not state (or states wrongly), in the order they are declared."""
    if spec.requires is None:
        return []
    compact = _compact(text)
    missing = [
        required.element
        for required in spec.requires(context)
        if required.text and ((_compact(required.text) in compact) != required.present)
    ]
    return list(dict.fromkeys(missing))  # an element named once, however many of its words are missing


def _missing_refusal(document: IssuedDocument, missing: list[str]) -> str:
    return _(
        "%(document)s would not state %(missing)s: it is not issued. Complete the case, or tell the system "
        "administrator if the template is at fault."
    ) % {
        "document": document.get_kind_display(),
        "missing": _("; ").join(missing),
    }


def pdf_text(content: bytes) -> str:
    """The text of a PDF, as a reader copies it."""
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def format_number(*, prefix: str, year: int, sequence: int) -> str:
    """``琼信用〔2026〕12号`` (the official form: prefix, year in hexagonal brackets, number, 号)."""
    return f"{prefix}〔{year}〕{sequence}号"


def next_number(*, department, kind: str, year: int, actor=None, reason: str = "") -> int:
    """Lock and advance the sequence inside the caller's transaction (rolled back with it). Its history rows name
    the person and the reason of the document that took the number (R-SEC-4)."""
    for _attempt in range(3):
        sequence = (
            DocumentSequence.objects.select_for_update().filter(department=department, kind=kind, year=year).first()
        )
        if sequence is None:
            try:
                with transaction.atomic():
                    created = DocumentSequence(department=department, kind=kind, year=year)
                    created._history_user, created._change_reason = actor, reason  # type: ignore[attr-defined]
                    created.save()
            except IntegrityError:
                pass  # another transaction created it first; lock theirs
            continue
        sequence.last_number += 1
        sequence._history_user, sequence._change_reason = actor, reason  # type: ignore[attr-defined]
        sequence.save(update_fields=["last_number", "updated_at"])
        return sequence.last_number
    raise RuntimeError("Could not lock the document sequence.")


def document_issue(
    *,
    case,
    kind: str,
    department,
    actor,
    reason: str,
    languages: str = "zh-hans",
    now=None,
    supersedes: IssuedDocument | None = None,
) -> IssuedDocument:
    """Create the document row (numbered where the kind is) and render its PDF after commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_issue runs inside the issuing service's transaction.")
    now = now or timezone.now()
    year = timezone.localtime(now).year
    document = IssuedDocument(
        department=department,
        kind=kind,
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        languages=languages,
        issued_at=now,
        issued_by=actor,
        year=year,
    )
    if kind in NUMBERED_KINDS:
        document.sequence = next_number(department=department, kind=kind, year=year, actor=actor, reason=reason)
        document.number = format_number(
            prefix=(department.document_prefix or department.code) + NUMBERED_KINDS[kind],
            year=year,
            sequence=document.sequence,
        )
    tracked_save(document, actor=actor, reason=reason)
    if supersedes is not None:
        supersedes = IssuedDocument.objects.select_for_update().get(pk=supersedes.pk)
        if supersedes.superseded_by_id:
            raise ValidationError(_("This document has already been superseded."))
        supersedes.superseded_by = document
        tracked_save(supersedes, actor=actor, reason=reason, validate=False)
    _check_before_issue(document, case)
    record_event(
        action=f"creditportal.document.{kind}.issued",
        actor=actor,
        target=case,
        department=department,
        reason=reason,
        data={"document": document.pk, "number": document.number},
    )

    # The row is the outbox: a document without a PDF is pending work. It is dispatched after commit; if the
    # broker is down the act still succeeds, and the sweep (documents_render_pending) queues it again later.
    transaction.on_commit(lambda: dispatch_render(document.pk))
    return document


def _check_before_issue(document: IssuedDocument, case) -> None:
    """Issue 19: before a document is issued, the text its template writes for this case is checked for every
    element its kind requires; a missing one refuses the issue (the caller's transaction rolls back: no number is
    taken, nothing changes) with a message naming it. The rendered PDF is checked again (``document_render``)."""
    key = (document.content_type.app_label + "." + document.content_type.model, document.kind)
    spec = _TEMPLATES.get(key)
    if spec is None or spec.requires is None:
        return
    context = spec.build_context(case=case, document=document)
    with translation.override("zh-hans"):
        html = render_to_string(spec.template, context)
    missing = missing_elements(spec, context, chinese_text(html))
    if missing:
        raise ValidationError(_missing_refusal(document, missing), code="document_incomplete")


def dispatch_render(document_id: int) -> bool:
    """Queue the rendering of one document; never fails the caller and never makes it wait on the broker (issue
    16: one connection attempt, no retries); the sweep retries what did not go out."""
    from .celery import publish_at_once
    from .tasks import document_render_task

    try:
        publish_at_once(document_render_task, args=[document_id])
    except Exception:  # the broker is unreachable: the document stays pending, the sweep re-queues it
        logger.warning(
            "Document %s could not be queued for rendering; the sweep will retry", document_id, exc_info=True
        )
        return False
    return True


def pending_documents(*, older_than: datetime.timedelta = datetime.timedelta(0), now=None):
    """Issued documents still without their PDF, issued at least ``older_than`` ago (oldest first)."""
    now = now or timezone.now()
    return IssuedDocument.objects.filter(sha256="", issued_at__lte=now - older_than).order_by("issued_at", "pk")


def documents_render_pending(*, older_than: datetime.timedelta, now=None, limit: int = 500) -> int:
    """The sweep Celery beat runs: queue again every document still pending after ``older_than``.

    Rendering is idempotent (a rendered document is never rendered again), so a document queued twice is
    rendered once.
    """
    queued = 0
    for document_id in pending_documents(older_than=older_than, now=now).values_list("pk", flat=True)[:limit]:
        queued += dispatch_render(document_id)
    return queued


def document_render(*, document: IssuedDocument) -> IssuedDocument:
    """Render and store the PDF with its SHA-256, once. A rendered document is never rendered again."""
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if document.sha256:
            return document
        spec = _spec(document)
        context = spec.build_context(case=document.case, document=document)
        content = pdf.render_pdf(template=spec.template, context=context)
        # What the subject will read is checked as well: an element lost between the template and the PDF (a font,
        # a layout) makes the document unservable, with the element named (``ready_refusal``).
        document.missing_elements = "; ".join(missing_elements(spec, context, pdf_text(content)))
        # The department's electronic signature over the whole file (issue 22); the SHA-256 is the signed file's.
        with translation.override("zh-hans"):
            signed = signing.signer().sign(content, department=document.department, reason=str(document))
        document.signed = signed is not None
        content = signed or content
        document.sha256 = hashlib.sha256(content).hexdigest()
        name = f"{document.kind}-{document.number or document.pk}.pdf".replace("〔", "-").replace("〕", "-")
        # A worker killed after storing the file and before committing left it behind: it was never issued (the
        # document has no SHA-256), so it is replaced, never kept beside a suffixed copy.
        path = document.file.field.generate_filename(document, name)
        if document.file.storage.exists(path):
            document.file.storage.delete(path)
        document.file.save(name, ContentFile(content), save=False)
        tracked_save(document, actor=document.issued_by, reason=_("PDF rendered"), validate=False)
    return document


def stored_pdf(document: IssuedDocument) -> bytes | None:
    """The PDF as the storage holds it, or None when there is none or the storage lost it (logged: a lost file is
    the operator's to restore, and the document is not served meanwhile)."""
    if not document.file:
        return None
    try:
        document.file.open("rb")
    except OSError:
        logger.error("documents: the PDF of document %s (%s) is missing from the storage", document.pk, document.file)
        return None
    try:
        return document.file.read()
    finally:
        document.file.close()


def document_verify(*, document: IssuedDocument) -> bool:
    """True when the stored PDF still has the SHA-256 recorded when it was issued."""
    return _as_issued(document, stored_pdf(document))


def _as_issued(document: IssuedDocument, content: bytes | None) -> bool:
    return content is not None and hashlib.sha256(content).hexdigest() == document.sha256


def signature_check(document: IssuedDocument) -> signing.SignatureCheck:
    """The department's signature on the stored PDF, validated now (issue 22)."""
    content = stored_pdf(document)
    if content is None:
        return signing.SignatureCheck(signed=False)
    return signing.signer().check(content)


def signature_refusal(document: IssuedDocument) -> str | None:
    """Why ``document`` cannot be served electronically for want of a valid signature of its department, or None:
    what reaches the subject's account carries the department's signature, checked at the moment of service."""
    check = signature_check(document)
    if check.valid:
        return None
    if not check.signed:
        return _(
            "%(document)s carries no electronic signature of %(department)s (the department has no signing "
            "certificate): serve it on paper, or ask the system administrator to install the certificate and issue "
            "the document again."
        ) % {"document": document, "department": document.department}
    return _(
        "The electronic signature of %(document)s does not validate: do not serve it; tell the system administrator."
    ) % {"document": document}


def ready_refusal(document: IssuedDocument | None) -> str | None:
    """Why ``document`` cannot be served yet, or None: it is served only once its PDF exists and its SHA-256
    still verifies (what the subject receives is exactly what was issued)."""
    if document is None:
        return _("The document has not been issued.")
    if not document.sha256 or not document.file:
        return _("The PDF of %(document)s is still being prepared; it can be served once it exists.") % {
            "document": document
        }
    if document.missing_elements:
        return _(
            "The PDF of %(document)s does not state %(missing)s: do not serve it; tell the system administrator."
        ) % {"document": document, "missing": document.missing_elements}
    content = stored_pdf(document)
    if content is None:
        return _(
            "The PDF of %(document)s is missing from the document storage: do not serve it; tell the system "
            "administrator."
        ) % {"document": document}
    if not _as_issued(document, content):
        return _(
            "The stored PDF of %(document)s does not match the one issued (its SHA-256 differs): do not "
            "serve it; tell the system administrator."
        ) % {"document": document}
    return None


#: fn(document, *, method, served_on) -> refusal or None: what an app above this one checks before any service is
#: recorded (subjects: electronic service only with the subject's consent and signed confirmation).
_SERVICE_GUARDS: list = []


def register_service_guard(fn) -> None:
    _SERVICE_GUARDS.append(fn)


#: fn(document, record) -> None, run before a service record is saved: what an app does to serve (subjects: an
#: electronic service sends the document to the subject's consented address, and the record names that address).
_SERVICE_DELIVERIES: list = []


def register_service_delivery(fn) -> None:
    _SERVICE_DELIVERIES.append(fn)


#: fn(document, record) -> None, run once a service record is saved (in its transaction: schedule what must wait for
#: the commit with ``transaction.on_commit``): subjects tells a consenting subject of a document served on paper.
_SERVICE_RECORDED: list = []


def register_service_recorded(fn) -> None:
    _SERVICE_RECORDED.append(fn)


@transaction.atomic
def service_record_add(
    *, document: IssuedDocument, method: str, served_on, recipient: str, actor, reason: str, proof=None, now=None
) -> ServiceRecord:
    """Record how a document reached its recipient (R-DES-5: the service is recorded; HN 21).

    Only a rendered, verified document is served; the date of service is not in the future and not before
    the document was issued; the registered service guards hold (electronic service only with the subject's
    consent in force that day).
    """
    refusal = ready_refusal(document)
    if refusal:
        raise ValidationError(refusal, code="document_not_ready")
    for guard in _SERVICE_GUARDS:
        refusal = guard(document, method=method, served_on=served_on)
        if refusal:
            raise ValidationError({"method": refusal}, code="service_refused")
    check_event_date(
        served_on,
        field="served_on",
        label=_("The date of service"),
        now=now,
        not_before=document.issued_at,
        cause=_("the day the document was issued"),
    )
    record = ServiceRecord(
        document=document,
        department=document.department,
        method=method,
        served_on=served_on,
        deemed_served_on=served_on,
        recipient=recipient,
        recorded_by=actor,
    )
    if proof:
        record.proof = proof
    for deliver in _SERVICE_DELIVERIES:
        deliver(document, record)
    tracked_save(record, actor=actor, reason=reason)
    for recorded in _SERVICE_RECORDED:
        recorded(document, record)
    record_event(
        action=f"creditportal.document.{document.kind}.served",
        actor=actor,
        target=document.case,
        department=document.department,
        reason=reason,
        data={"document": document.pk, "method": method, "served_on": served_on.isoformat()},
    )
    return record


@transaction.atomic
def document_downloaded_by_subject(*, document: IssuedDocument, now=None) -> int:
    """The subject opened ``document`` in its portal: its electronic services not yet opened record the moment, apart
    from their date of service, which stays the day the message arrived (issue 22). The first moment stays; the
    history names no staff member (the subject acted). Returns how many services it marked."""
    now = now or timezone.now()
    services = list(
        ServiceRecord.objects.select_for_update().filter(
            document=document, method=ServiceMethod.ELECTRONIC, first_downloaded_at__isnull=True
        )
    )
    for service in services:
        service.first_downloaded_at = now
        tracked_save(service, actor=None, reason=_("Opened by the subject in its portal"), validate=False)
    return len(services)


def documents_of(case):
    return (
        IssuedDocument.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)
        .prefetch_related("services")
        .order_by("issued_at", "pk")
    )
