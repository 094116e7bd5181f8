"""Context builders for the designation's documents (templates in templates/designations/pdf/).

Official documents speak the deployment's law: they cite its own regulation's articles (the profile's
``cite``), state its remedies from the profile's data (bodies and time limits), and carry no internal rule
id. English appears only where the English parallel text was chosen when the document was issued.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from creditportal.profiles import current_profile

from .choices import Leniency, MeasureStatus, StatementKind
from .selectors import report_recipient


def _common(designation, document) -> dict:
    subject = designation.subject
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    profile = current_profile()
    return {
        "designation": designation,
        "document": document,
        "department": designation.department,
        "subject": subject,
        "related_persons": list(subject.related_persons.filter(until__isnull=True).select_related("person"))
        if not subject.is_person
        else [],
        "records": list(designation.records.select_related("basis_document", "catalog_item")),
        "standard": designation.standard,
        "issued_on": issued.date(),
        "english": "en" in (document.languages or ""),
        "profile": profile,
        # The deployment's own articles, by what they ground (never an internal rule id in a document).
        "cite": {
            name: profile.cite(rule) if profile else ""
            for name, rule in (
                ("notice", "R-DES-1"),
                ("decision", "R-DES-5"),
                ("related", "R-REC-2"),
                ("objection", "R-OBJ-1"),
                ("restoration", "R-RES-1"),
                ("remedies", "remedies"),
            )
        },
    }


def notice_context(*, case, document) -> dict:
    """R-DES-1: facts, reasons, basis, proposed measures and the subject's rights, with the period and where to
    send a statement."""
    context = _common(case, document)
    context["measures"] = [
        link.measure
        for link in case.designation_measures.exclude(status=MeasureStatus.DROPPED).select_related("measure")
    ]
    return context


def procedure_summary(designation) -> dict:
    """What the subject actually did in the procedure, for the decision (R-DES-1, R-DES-3, R-DES-5)."""
    statements = list(designation.statements.order_by("received_on", "pk"))
    waiver = next((s for s in statements if s.kind == StatementKind.WAIVER), None)
    said = [s for s in statements if s.kind != StatementKind.WAIVER]
    return {
        "statements": said,
        "waiver": waiver,
        "silent": not said and waiver is None,
        "hearings": list(designation.hearings.filter(held_at__isnull=False).order_by("held_at")),
    }


def listing_end(designation) -> datetime.date | None:
    """The last listed day when known (after service); the day before the same date N months later."""
    if designation.listed_until:
        return designation.listed_until
    return None


def decision_context(*, case, document) -> dict:
    """R-DES-5: reasons and basis, measures and their warning, one listing period, removal, remedies."""
    context = _common(case, document)
    links = list(case.designation_measures.exclude(status=MeasureStatus.DROPPED).select_related("measure"))
    profile = context["profile"]
    remedies = dict(profile.remedies or {}) if profile else {}
    department = case.department
    context.update(
        measures=[link.measure for link in links],
        waived=case.leniency == Leniency.MINOR_CORRECTED,
        emergency=case.leniency == Leniency.EMERGENCY,
        listing_months=case.proposed_listing_months,
        listed_until=listing_end(case),
        supersedes=getattr(document, "supersedes", None),
        procedure=procedure_summary(case),
        remedies=remedies,
        reconsideration_body=department.government
        if remedies.get("reconsideration_body") == "same_level_government"
        else (department.parent.name if department.parent else department.government),
    )
    return context


def report_context(*, case, document) -> dict:
    """R-DES-9: the letter to the authority above or to the audit organ."""
    context = _common(case, document)
    context.update(
        recipient=report_recipient(document),
        superior=case.department.parent,
        listed_until=case.listed_until
        or (case.listed_from and case.listed_from + relativedelta(months=case.proposed_listing_months)),
    )
    return context
