"""Context builder of the record's document (template in templates/subjects/pdf/): the written notice to the subject
before its untrustworthiness information is delivered to the aggregating unit (R-REC-3, HB 22). Like every official
document it speaks the deployment's law: its own articles through the profile's ``cite``, never an internal rule id.
"""

from __future__ import annotations

from django.utils import timezone

from creditportal.profiles import current_profile


def sharing_notice_context(*, case, document) -> dict:
    """R-REC-3 (HB 22): what is recorded about the subject (the catalog item, the summary, the basis document, the
    determination, the disclosure period), that it will be delivered to the provincial aggregating unit, the article
    that requires the notice, and the subject's right to object in writing to errors or omissions (R-OBJ-1) with
    where to send the objection. A natural person is addressed as 你, an organisation as 你单位."""
    record = case
    profile = current_profile()
    subject = record.subject
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    return {
        "record": record,
        "document": document,
        "department": record.department,
        "subject": subject,
        "basis": record.basis_document,
        "you": "你" if subject.is_person else "你单位",
        "issued_on": issued.date(),
        "cite": {
            "notice": profile.cite("R-REC-3") if profile else "",
            "objection": profile.cite("R-OBJ-1") if profile else "",
        },
    }
