"""Context of the response letter (templates/objections/pdf/response_letter.html): R-OBJ-6, R-OBJ-3, R-OBJ-7.

The letter tells the applicant the outcome and its reasons (or the competent unit the objection was referred
to), what was corrected or deleted, and the remedies; it cites the deployment's own articles (``profile.cite``)
and carries no internal rule id.
"""

from __future__ import annotations

from django.utils import timezone

from creditportal.audit import timeline
from creditportal.choices import DocumentKind
from creditportal.documents import documents_of
from creditportal.profiles import current_profile
from designations.choices import DesignationState, Leniency
from designations.pdf import address, clause

from .choices import ObjectionKind, ObjectionOutcome, ObjectionTarget, RecordRemedy


def _correction(objection) -> dict | None:
    """What the correction changed (the record's own event written by subjects.services.record_correct)."""
    if objection.record_id is None or objection.record_remedy != RecordRemedy.CORRECT:
        return None
    event = timeline(objection.record).filter(action="subjects.record.corrected").order_by("-at").first()
    return event.data if event else None


def _designations_fell(objection) -> list[dict]:
    """The designations withdrawn or removed from the list because the record they rested on fell (R-OBJ-6)."""
    event = timeline(objection).filter(action="objections.objection.designations_fell").order_by("-at").first()
    return list(event.data.get("designations", [])) if event else []


def _answered(objection) -> dict:
    """What an objection to a designation answers: the decision in force when it was received (its number, date and
    title), else the prior notice of the designation still pending."""
    designation = objection.designation
    if designation is None:
        return {}
    issued = documents_of(designation).filter(issued_at__lte=objection.received_at)
    decision = issued.filter(kind=DocumentKind.DECISION).order_by("-issued_at", "-pk").first()
    notice = issued.filter(kind=DocumentKind.NOTICE).order_by("-issued_at", "-pk").first()
    waived = designation.leniency == Leniency.MINOR_CORRECTED
    return {
        "decision": decision,
        "decision_on": timezone.localdate(decision.issued_at) if decision and decision.issued_at else None,
        "decision_title": "不予列入严重失信主体名单决定书" if waived else "列入严重失信主体名单决定书",
        "decision_title_en": "Decision not to designate onto the list of seriously untrustworthy entities"
        if waived
        else "Decision on designation onto the list of seriously untrustworthy entities",
        "notice": notice,
    }


def _cites(objection, profile) -> dict:
    """The articles the letter cites, each printed once. An objection to a designation is answered under the
    designation rule (R-DES-2: HL 35), or, where the regulation has no article of its own for it, under the article
    that gave the subject the right to object in the designation procedure (R-DES-1: HN 21) — never under the
    article on objections to records (HN 30)."""

    def cite(rule: str) -> str:
        return profile.cite(rule) if profile else ""

    designation = cite("R-DES-2") or cite("R-DES-1")
    if objection.kind == ObjectionKind.COMPLAINT:
        opening, outcome = cite("R-OBJ-7"), ""
    elif objection.target == ObjectionTarget.DESIGNATION:
        opening, outcome = designation, designation
    else:
        opening, outcome = cite("R-OBJ-1"), cite("R-OBJ-6")
    return {
        "opening": opening,
        "outcome": "" if outcome == opening else outcome,  # not the same article twice
        "answer": cite("R-OBJ-3"),
        "designation": designation,
    }


def response_letter_context(*, case, document) -> dict:
    objection = case
    profile = current_profile()
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    department = objection.department
    remedies = dict(profile.remedies or {}) if profile else {}
    return {
        "objection": objection,
        "document": document,
        "department": department,
        "subject": objection.subject,
        "issued_on": issued.date(),
        "english": "en" in (document.languages or ""),
        "complaint": objection.kind == ObjectionKind.COMPLAINT,
        "about_record": objection.target == ObjectionTarget.RECORD,
        "about_designation": objection.target == ObjectionTarget.DESIGNATION,
        "about_identity": objection.target == ObjectionTarget.IDENTITY,
        "sustained": objection.outcome == ObjectionOutcome.SUSTAINED,
        "deleted": objection.record_remedy == RecordRemedy.WITHDRAW,
        "correction": _correction(objection),
        "referred": bool(objection.referred_to),
        "remedies": remedies,
        "reconsideration_body": department.government
        if remedies.get("reconsideration_body") == "same_level_government"
        else (department.parent.name if department.parent else department.government),
        "cite": _cites(objection, profile),
        "you": address(objection.subject),
        "reasons": clause(objection.reasons),
        "answered": _answered(objection),
        "sharing_due": objection.record.sharing_due if objection.record_id else None,
        "designations_fell": _designations_fell(objection),
        # an adopted objection to a designation took it off the list, or withdrew it before it was in force
        "designation_removed": bool(objection.designation and objection.designation.state == DesignationState.REMOVED),
    }
