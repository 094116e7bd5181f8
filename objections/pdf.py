"""Context of the response letter (templates/objections/pdf/response_letter.html): R-OBJ-6, R-OBJ-3, R-OBJ-7.

The letter tells the applicant the outcome and its reasons (or the competent unit the objection was referred
to), what was corrected or deleted, and the remedies; it cites the deployment's own articles (``profile.cite``)
and carries no internal rule id.
"""

from __future__ import annotations

from django.utils import timezone

from creditportal.audit import timeline
from creditportal.profiles import current_profile
from designations.choices import DesignationState

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
        "cite": {
            name: profile.cite(rule) if profile else ""
            for name, rule in (
                ("objection", "R-OBJ-1"),
                ("answer", "R-OBJ-3"),
                ("outcome", "R-OBJ-6"),
                ("complaint", "R-OBJ-7"),
                ("designation", "R-DES-2"),
            )
        },
        "sharing_due": objection.record.sharing_due if objection.record_id else None,
        "designations_fell": _designations_fell(objection),
        # an adopted objection to a designation took it off the list, or withdrew it before it was in force
        "designation_removed": bool(objection.designation and objection.designation.state == DesignationState.REMOVED),
    }
