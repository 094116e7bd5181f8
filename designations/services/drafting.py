"""Drafting a designation, and drafting one from a people's court list (R-CAT-6, R-CAT-7, R-DES-8, R-DES-10)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import guard
from catalog.choices import CatalogCategory, PublicationStatus
from catalog.models import CatalogItem
from creditportal.audit import record_event, tracked_save
from creditportal.models import Department
from creditportal.permissions import acting_department_id
from creditportal.workflow import TransitionRefused
from subjects.services import record_create

from ..choices import DesignationSource, Leniency, MeasureStatus
from ..models import Designation, DesignationMeasure
from ..periods import months_available, standard_months
from ..workflow import CASEWORK, EDITABLE_AFTER_NOTICE, ENDED, category_refusal, leniency_refusal, record_refusal
from .common import (
    DRAFT_FIELDS,
    _check,
    _lock,
    profile,
)


def _check_texts(**texts: str) -> None:
    """R-CAT-4: the designation's own facts and reasons never carry prohibited data (they are printed in the
    notice and the decision). The subject's own statements and objections are not filtered: refusing them
    would refuse the subject a hearing."""
    errors = {}
    for name, text in texts.items():
        found = guard.prohibited_in_text(text or "")
        if found:
            errors[name] = _("This text mentions %(categories)s, which may never be collected (R-CAT-4).") % {
                "categories": ", ".join(found)
            }
    if errors:
        raise ValidationError(errors)


def _check_draft(
    *, subject, standard, records, measures, proposed_listing_months: int, leniency: str, designation=None
) -> None:
    """R-CAT-6/R-CAT-7 through the guard; records are the subject's own, active, untrustworthy, with a basis,
    and ground no other designation that still stands (one conduct, one designation); a leniency ground the
    deployment's law provides (R-DES-7)."""
    refusal = category_refusal(standard)
    if refusal:
        raise ValidationError({"standard": refusal})
    refusal = leniency_refusal(leniency)
    if refusal:
        raise ValidationError({"leniency": refusal})
    guard.check_designation(standard=standard, measures=measures)
    today = timezone.localdate()
    for record in records:
        if record.subject_id != subject.pk:
            raise ValidationError(_("Record #%(id)s is about another subject.") % {"id": record.pk})
        refusal = record_refusal(record, today=today)
        if refusal:
            raise ValidationError({"records": refusal})
    standing = Designation.objects.exclude(state__in=ENDED)
    if designation is not None:
        standing = standing.exclude(pk=designation.pk)
    taken = (
        Designation.records.through.objects.filter(
            creditrecord_id__in=[r.pk for r in records], designation__in=standing
        )
        .order_by("creditrecord_id")
        .values_list("creditrecord_id", flat=True)
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "records": _(
                    "Record #%(id)s already grounds a designation that still stands: the "
                    "same conduct is not designated twice."
                )
                % {"id": taken}
            }
        )
    _check_listing_months(records, proposed_listing_months, today=today, standard=standard)
    longest = max((m.max_duration_months or 0 for m in measures), default=0)
    if measures and longest and proposed_listing_months > longest and all(m.max_duration_months for m in measures):
        raise ValidationError(
            {
                "proposed_listing_months": _(
                    "No proposed measure may last %(months)d months; the longest allows %(max)d (R-CAT-7)."
                )
                % {"months": proposed_listing_months, "max": longest}
            }
        )


def _check_listing_months(records, months: int, *, today, standard) -> None:
    """R-DIS-1, R-DES-5 (issue 19): a listing never runs past the disclosure period of the information it rests on,
    nor past the period in its standard's removal conditions. The proposal is at least a month, at most the
    profile's maximum where the regulation sets one, at most the standard's period, and no longer than the records'
    periods leave from today (service comes later still, so the decision's cap holds too: ``designations.periods``)."""
    if months < 1:
        raise ValidationError({"proposed_listing_months": _("The listing period is at least 1 month.")})
    law = profile()
    limit = law.disclosure_max_months if law else None
    if limit and months > limit:
        raise ValidationError(
            {"proposed_listing_months": _("The listing period is 1 to %(max)d months (R-DIS-1).") % {"max": limit}}
        )
    most = standard_months(standard)
    if most and months > most:
        raise ValidationError(
            {
                "proposed_listing_months": _(
                    "The removal conditions of the standard %(title)s remove a listing after %(max)d months: the "
                    "listing period is at most %(max)d months (R-DES-5)."
                )
                % {"title": f"《{standard.title}》", "max": most}
            }
        )
    available, cap = months_available(records, today=today)
    if cap is not None and available is not None and months > available:
        raise ValidationError(
            {
                "proposed_listing_months": _(
                    "A listing never runs past the information it rests on: %(why)s falls on %(date)s, so a "
                    "listing starting today can last at most %(available)d months (R-DIS-1)."
                )
                % {"why": cap.explanation, "date": cap.ends_on.isoformat(), "available": available}
            }
        )


def _label(name: str) -> str:
    """The verbose name of one of the designation's own fields, for a refusal."""
    field = Designation._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def _set_records(designation: Designation, records, *, actor, reason: str) -> dict:
    """The records relied on (a many-to-many): a change is part of the history. The designation gets a history
    row whose reason names the records added and removed, with who and when; the timeline event carries them."""
    before = set(designation.records.values_list("pk", flat=True))
    after = {r.pk for r in records}
    if before == after:
        return {}
    designation.records.set(records)
    changes = {"added": sorted(after - before), "removed": sorted(before - after)}
    note = _("Records relied on: %(records)s (added %(added)s; removed %(removed)s)") % {
        "records": ", ".join(f"#{pk}" for pk in sorted(after)) or "—",
        "added": ", ".join(f"#{pk}" for pk in changes["added"]) or "—",
        "removed": ", ".join(f"#{pk}" for pk in changes["removed"]) or "—",
    }
    tracked_save(designation, actor=actor, reason=f"{reason} · {note}", validate=False)
    return changes


def _set_measures(designation: Designation, measures, *, actor, reason: str) -> None:
    """Proposed measures: a measure taken out of the proposal is marked dropped, never deleted."""
    wanted = {m.pk for m in measures}
    links = {link.measure_id: link for link in designation.designation_measures.all()}
    for measure_id, link in links.items():
        status = MeasureStatus.PROPOSED if measure_id in wanted else MeasureStatus.DROPPED
        if link.status != status:
            link.status = status
            tracked_save(link, actor=actor, reason=reason)
    for measure in measures:
        if measure.pk not in links:
            tracked_save(DesignationMeasure(designation=designation, measure=measure), actor=actor, reason=reason)


@transaction.atomic
def designation_create(
    *,
    actor,
    subject,
    department: Department | None = None,
    standard,
    records,
    measures,
    facts: str,
    proposed_listing_months: int,
    reason: str,
    reasons: str = "",
    leniency: str = Leniency.NONE,
    leniency_reasons: str = "",
    proportionality_statement: str = "",
    statement_period_wd: int | None = None,
    source: str = DesignationSource.ORDINARY,
    court_list_reference: str = "",
) -> Designation:
    """Draft a designation on a published standard (R-CAT-6, R-DES-10). The deciding department is ``department``
    or, when not given, the one the actor works in for this subject (never a guess)."""
    department = Department.objects.get(
        pk=acting_department_id(
            actor,
            CASEWORK,
            subject_department_id=subject.department_id,
            chosen_id=department.pk if department is not None else None,
        )
    )
    records, measures = list(records), list(measures)
    _check_texts(
        facts=facts,
        reasons=reasons,
        leniency_reasons=leniency_reasons,
        proportionality_statement=proportionality_statement,
    )
    _check_draft(
        subject=subject,
        standard=standard,
        records=records,
        measures=measures,
        proposed_listing_months=proposed_listing_months,
        leniency=leniency,
    )
    current_profile = profile()
    designation = Designation(
        department=department,
        subject=subject,
        standard=standard,
        facts=facts,
        reasons=reasons,
        proposed_listing_months=proposed_listing_months,
        leniency=leniency,
        leniency_reasons=leniency_reasons,
        proportionality_statement=proportionality_statement,
        caseworker=actor,
        source=source,
        court_list_reference=court_list_reference,
        statement_period_wd=statement_period_wd or (current_profile and current_profile.statement_period_wd) or None,
    )
    tracked_save(designation, actor=actor, reason=reason)
    changes = _set_records(designation, records, actor=actor, reason=reason)
    _set_measures(designation, measures, actor=actor, reason=reason)
    record_event(
        action="designations.designation.created",
        actor=actor,
        target=designation,
        reason=reason,
        data={"standard": standard.code, "source": source, "records": changes},
    )
    return designation


@transaction.atomic
def designation_update(
    *, designation: Designation, actor, reason: str, expected_version=None, records=None, measures=None, **fields
) -> Designation:
    """Edit the draft (before the notice) or, under review, the reasons and proposals (never after approval)."""
    designation = _lock(designation, expected_version)
    _check(designation, "edit", actor=actor)
    notified = designation.notice_document() is not None
    # After the notice the subject has been told the facts, reasons and proposals (R-DES-1): only changes in
    # the subject's favour are allowed — fewer measures, a shorter period — and the reasoning on
    # proportionality and leniency. Anything else needs a withdrawal and a fresh notice.
    editable = DRAFT_FIELDS if not notified else EDITABLE_AFTER_NOTICE
    for name, value in fields.items():
        if name not in DRAFT_FIELDS or getattr(designation, name) == value:
            continue
        if name not in editable:
            raise TransitionRefused(
                _(
                    "“%(field)s” was stated in the prior notice and cannot change now: withdraw "
                    "the designation and notify again (R-DES-1)."
                )
                % {"field": _label(name)}
            )
        if notified and name == "proposed_listing_months" and value > designation.proposed_listing_months:
            raise TransitionRefused(_("After the notice the listing period can only be shortened (R-DES-1)."))
        setattr(designation, name, value)
    records = list(records) if records is not None and not notified else None
    current = [link.measure for link in designation.proposed_measures()]
    measures = list(measures) if measures is not None else current
    if notified and {m.pk for m in measures} - {m.pk for m in current}:
        raise TransitionRefused(_("After the notice no measure can be added, only dropped (R-DES-1)."))
    _check_texts(
        **{
            name: getattr(designation, name)
            for name in ("facts", "reasons", "leniency_reasons", "proportionality_statement")
        }
    )
    _check_draft(
        subject=designation.subject,
        standard=designation.standard,
        records=records if records is not None else list(designation.records.all()),
        measures=measures,
        proposed_listing_months=designation.proposed_listing_months,
        leniency=designation.leniency,
        designation=designation,
    )
    tracked_save(designation, actor=actor, reason=reason)
    changes = _set_records(designation, records, actor=actor, reason=reason) if records is not None else {}
    _set_measures(designation, measures, actor=actor, reason=reason)
    record_event(
        action="designations.designation.changed",
        actor=actor,
        target=designation,
        reason=reason,
        data={"records": changes} if changes else {},
    )
    return designation


@transaction.atomic
def designation_create_from_court_list(
    *,
    actor,
    subject,
    department: Department | None = None,
    standard,
    measures,
    list_reference: str,
    court: str,
    judgment_number: str,
    judgment_effective_on: datetime.date,
    facts: str,
    proposed_listing_months: int,
    reason: str,
) -> Designation:
    """R-DES-8 (HL 28): a subject on a people's court Judgment Defaulters List is designated, on the court's
    document. The court document is recorded first, through the lawful-data guard, then the designation is
    drafted and follows the same due process."""
    if not list_reference.strip():
        raise ValidationError({"list_reference": _("Give the Judgment Defaulters List entry.")})
    item = CatalogItem.objects.filter(
        version__jurisdiction=settings.CREDIT_JURISDICTION,
        version__status=PublicationStatus.PUBLISHED,
        category=CatalogCategory.NON_PERFORMANCE,
        is_untrustworthy=True,
    ).first()
    if item is None:
        raise ValidationError(
            _(
                "The published catalog has no item for refusing to perform effective legal "
                "documents; it is needed to record the court's list entry (R-CAT-1, R-DES-8)."
            )
        )
    record = record_create(
        actor=actor,
        subject=subject,
        department=department,
        catalog_item=item,
        determined_on=judgment_effective_on,
        reason=reason,
        summary=_("Listed by %(court)s on the Judgment Defaulters List (%(ref)s).")
        % {"court": court, "ref": list_reference},
        basis={
            "basis_type": "judgment",
            "number": judgment_number,
            "issuing_authority": court,
            "effective_on": judgment_effective_on,
        },
    )
    return designation_create(
        actor=actor,
        department=department,
        subject=subject,
        standard=standard,
        records=[record],
        measures=measures,
        facts=facts,
        proposed_listing_months=proposed_listing_months,
        reason=reason,
        source=DesignationSource.JUDGMENT_DEFAULTER,
        court_list_reference=list_reference,
    )
