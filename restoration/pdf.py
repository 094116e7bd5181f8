"""Context builder of the restoration application's documents (templates in templates/restoration/pdf/): the
notice of the outcome (``notice.html``, kind ``restoration_notice``) and the decision not to accept the application
(``refusal.html``, kind ``restoration_refusal``). They speak the deployment's law: its own
articles through the profile's ``cite``, no internal rule id, and the remedies from the profile's data (R-RES-4;
issue 19: every adverse act states its reasons and remedies)."""

from __future__ import annotations

from django.utils import timezone

from creditportal.profiles import current_profile

from .choices import RestorationState


def reconsideration_body(department, remedies: dict) -> str:
    """Where to apply for administrative reconsideration, as the designation decision names it (R-DES-5): the
    people's government at the deciding department's level, else the department above (or the government)."""
    if remedies.get("reconsideration_body") == "same_level_government":
        return department.government
    return department.parent.name if department.parent else department.government


def _cite(profile, *rules: str) -> str:
    """The deployment's first article among ``rules`` ("" when its regulation has none)."""
    for rule in rules:
        cited = profile.cite(rule) if profile else ""
        if cited:
            return cited
    return ""


def document_context(*, case, document) -> dict:
    """R-RES-4 (HN 32, HL 40, HB 30): the subject is told the outcome — granted: off the list, disclosure and
    sharing stopped, measures stopped, the information archived; not granted: a decision with the reasons, the
    article and the remedies. An application refused at acceptance (R-RES-1) gets the decision not to accept, with
    the same elements. A natural person is addressed as 你, an organisation as 你单位."""
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
    department = application.department
    remedies = dict(profile.remedies or {}) if profile else {}
    return {
        "application": application,
        "document": document,
        "department": department,
        "subject": subject,
        "you": "你" if subject.is_person else "你单位",
        "related_persons": list(subject.related_persons.filter(until__isnull=True).select_related("person"))
        if not subject.is_person
        else [],
        "designation": designation,
        "records": records,
        "granted": application.state == RestorationState.GRANTED,
        "received_on": timezone.localtime(application.received_at).date(),
        "issued_on": issued.date(),
        "english": "en" in (document.languages or ""),
        "remedies": remedies,
        "reconsideration_body": reconsideration_body(department, remedies),
        "cite": {
            "restoration": _cite(profile, "R-RES-1"),
            "effects": _cite(profile, "R-RES-4"),
            # what a refusal rests on: the restoration article, or (HB) the one on its grounds
            "basis": _cite(profile, "R-RES-1", "R-RES-3"),
            "remedies": _cite(profile, "remedies"),
        },
    }
