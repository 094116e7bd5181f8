"""Context builders for the designation's documents (templates in templates/designations/pdf/)."""
from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from creditportal.models import JurisdictionProfile

from .choices import Leniency, MeasureStatus


def _common(designation, document) -> dict:
    subject = designation.subject
    issued = timezone.localtime(document.issued_at) if document.issued_at else timezone.localtime()
    profile = JurisdictionProfile.objects.filter(code=designation.standard.jurisdiction).first()
    return {
        "designation": designation,
        "document": document,
        "department": designation.department,
        "subject": subject,
        "related_persons": list(subject.related_persons.filter(until__isnull=True).select_related("person"))
        if not subject.is_person else [],
        "records": list(designation.records.select_related("basis_document", "catalog_item")),
        "standard": designation.standard,
        "issued_on": issued.date(),
        "english": "en" in (document.languages or ""),
        "profile": profile,
        "superior": designation.department.parent,
    }


def notice_context(*, case, document) -> dict:
    """R-DES-1: facts, reasons, basis, proposed measures and the subject's rights, with the period."""
    context = _common(case, document)
    context["measures"] = [link.measure for link in case.designation_measures.exclude(status=MeasureStatus.DROPPED)
                           .select_related("measure")]
    return context


def decision_context(*, case, document) -> dict:
    """R-DES-5: reasons and basis, measures and their warning, period, removal, remedies."""
    context = _common(case, document)
    links = list(case.designation_measures.exclude(status=MeasureStatus.DROPPED).select_related("measure"))
    context.update(
        measures=[link.measure for link in links],
        waived=case.leniency == Leniency.MINOR_CORRECTED,
        emergency=case.leniency == Leniency.EMERGENCY,
        listing_months=case.proposed_listing_months,
        supersedes=getattr(document, "supersedes", None),
    )
    return context


def report_context(*, case, document) -> dict:
    """R-DES-9: the letter to the authority above or to the audit organ."""
    from .services import report_recipient

    context = _common(case, document)
    context.update(recipient=report_recipient(document),
                   listed_until=case.listed_until or (case.listed_from and case.listed_from
                                                      + relativedelta(months=case.proposed_listing_months)))
    return context
