"""Context builder of the restoration notice (template in templates/restoration/pdf/). The notice speaks the
deployment's law: its own articles through the profile's ``cite``, no internal rule id (R-RES-4)."""

from __future__ import annotations

from django.utils import timezone

from creditportal.profiles import current_profile

from .choices import RestorationState


def notice_context(*, case, document) -> dict:
    """R-RES-4 (HN 32, HL 40, HB 30): the subject is told the outcome — granted: off the list, disclosure and
    sharing stopped, measures stopped, the information archived; not granted: the reasons."""
    application = case
    profile = current_profile()
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    designation = application.designation
    records = (
        list(designation.records.select_related("catalog_item", "basis_document"))
        if designation
        else [application.record]
    )
    subject = application.subject
    return {
        "application": application,
        "document": document,
        "department": application.department,
        "subject": subject,
        "related_persons": list(subject.related_persons.filter(until__isnull=True).select_related("person"))
        if not subject.is_person
        else [],
        "designation": designation,
        "records": records,
        "granted": application.state == RestorationState.GRANTED,
        "received_on": timezone.localtime(application.received_at).date(),
        "issued_on": issued.date(),
        "english": "en" in (document.languages or ""),
        "cite": {
            name: profile.cite(rule) if profile else ""
            for name, rule in (("restoration", "R-RES-1"), ("effects", "R-RES-4"), ("archive", "R-DIS-3"))
        },
    }
