"""Writes of the subjects app. A form validates shape; these validate the law (R-CAT-8, R-REC-2)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from creditportal.audit import record_event, tracked_save
from creditportal.permissions import department_ids_for, scope_queryset

from .choices import PERSON_IDENTIFIER_TYPES, IdentifierType, SubjectKind
from .models import CreditSubject, RelatedPerson
from .validators import validate_identifier

SUBJECT_FIELDS = ("kind", "name", "id_type", "id_number", "ownership", "address")


def _check_identifier(*, kind: str, id_type: str, id_number: str) -> str:
    """R-CAT-8 (HL 19): organisations by their unified social credit code only; persons by an ID number."""
    errors = {}
    if kind == SubjectKind.NATURAL_PERSON and id_type not in PERSON_IDENTIFIER_TYPES:
        errors["id_type"] = _("A natural person is identified by an identity card number or another personal ID.")
    if kind != SubjectKind.NATURAL_PERSON and id_type != IdentifierType.USCC:
        errors["id_type"] = _("An organisation is identified by its unified social credit code only (HL 19).")
    if errors:
        raise ValidationError(errors)
    try:
        return validate_identifier(id_type, id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None


@transaction.atomic
def subject_create(*, actor, department, reason: str, **fields) -> CreditSubject:
    """Register a credit subject in ``department`` (the actor must be able to add subjects there)."""
    if department.pk not in department_ids_for(actor, "subjects.add_creditsubject"):
        raise PermissionDenied(_("You cannot register subjects for this department."))
    data = {k: fields[k] for k in SUBJECT_FIELDS if k in fields}
    data["id_number"] = _check_identifier(kind=data["kind"], id_type=data["id_type"], id_number=data["id_number"])
    subject = CreditSubject(department=department, **data)
    tracked_save(subject, actor=actor, reason=reason)
    record_event(action="subjects.subject.created", actor=actor, target=subject, reason=reason)
    return subject


@transaction.atomic
def subject_update(*, subject: CreditSubject, actor, reason: str, **fields) -> CreditSubject:
    """Change a subject's details; the row is locked so two edits cannot interleave."""
    subject = scope_queryset(actor, CreditSubject.objects.select_for_update(), "change").get(pk=subject.pk)
    changed = {}
    for name in SUBJECT_FIELDS:
        if name in fields and getattr(subject, name) != fields[name]:
            changed[name] = [str(getattr(subject, name)), str(fields[name])]
            setattr(subject, name, fields[name])
    subject.id_number = _check_identifier(kind=subject.kind, id_type=subject.id_type, id_number=subject.id_number)
    if not changed:
        return subject
    tracked_save(subject, actor=actor, reason=reason)
    record_event(action="subjects.subject.changed", actor=actor, target=subject, reason=reason,
                 data={"changed": changed})
    return subject


@transaction.atomic
def related_person_add(*, organisation: CreditSubject, person: CreditSubject, role: str, actor, reason: str,
                       since=None) -> RelatedPerson:
    """Note a natural person with an organisation (R-REC-2; HN 25, HL 33, XJ 40)."""
    if organisation.kind == SubjectKind.NATURAL_PERSON:
        raise ValidationError(_("Related persons are noted for organisations, not for natural persons."))
    if person.kind != SubjectKind.NATURAL_PERSON:
        raise ValidationError(_("A related person must be a natural person."))
    link = RelatedPerson(organisation=organisation, person=person, role=role, since=since,
                         department=organisation.department)
    tracked_save(link, actor=actor, reason=reason)
    record_event(action="subjects.related_person.added", actor=actor, target=organisation, reason=reason,
                 data={"person": person.pk, "role": role})
    return link
