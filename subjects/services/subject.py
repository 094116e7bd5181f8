"""Credit subjects and the persons related to them (R-CAT-8, R-REC-2)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from creditportal.audit import record_event, tracked_save
from creditportal.dates import check_event_date
from creditportal.locking import lock
from creditportal.masking import mask_identity
from creditportal.permissions import department_ids_for, scope_queryset

from ..choices import SubjectKind
from ..models import CreditSubject, RelatedPerson
from ..validators import validate_subject_identifier

SUBJECT_FIELDS = ("kind", "name", "id_type", "id_number", "ownership", "employer", "employer_kind", "address")


def _set_fields(subject: CreditSubject, data: dict) -> dict[str, list[str]]:
    """Set ``data`` (``id_number``: the whole identifier) on ``subject``; what changed, as [before, after], a
    person's number masked (issue 21: no identity number in event data)."""
    changed = {}
    for name in SUBJECT_FIELDS:
        if name not in data:
            continue
        before = subject.identifier if name == "id_number" and subject.id_digest else getattr(subject, name)
        if before == data[name]:
            continue
        if name == "id_number":
            subject.identifier = data[name]
            shown = [mask_identity(before), mask_identity(data[name])] if subject.is_person else [before, data[name]]
            changed[name] = [str(value) for value in shown]
        else:
            changed[name] = [str(before), str(data[name])]
            setattr(subject, name, data[name])
    return changed


@transaction.atomic
def subject_create(*, actor, department, reason: str, **fields) -> CreditSubject:
    """Register a credit subject in ``department`` (the actor must be able to add subjects there)."""
    if department.pk not in department_ids_for(actor, "subjects.add_creditsubject"):
        raise PermissionDenied(_("You cannot register subjects for this department."))
    data = {k: fields[k] for k in SUBJECT_FIELDS if k in fields}
    data["id_number"] = validate_subject_identifier(
        kind=data["kind"], id_type=data["id_type"], id_number=data["id_number"]
    )
    subject = CreditSubject(department=department)
    _set_fields(subject, data)
    tracked_save(subject, actor=actor, reason=reason)
    record_event(action="subjects.subject.created", actor=actor, target=subject, reason=reason)
    return subject


@transaction.atomic
def subject_update(
    *, subject: CreditSubject, actor, reason: str, expected_version: int | None = None, **fields
) -> CreditSubject:
    """Change a subject's details. The row is locked, and ``expected_version`` (the version the form was opened
    at) refuses an edit made on a page someone else has changed since, instead of silently overwriting their
    change (creditportal.locking)."""
    subject = lock(
        scope_queryset(actor, CreditSubject.objects.all(), "change"),
        subject.pk,
        expected_version=expected_version,
        message=_(
            "Someone else changed this subject after you opened the form. Nothing was saved: "
            "reload the page and make your change again."
        ),
    )
    data = {k: fields[k] for k in SUBJECT_FIELDS if k in fields}
    data["id_number"] = validate_subject_identifier(
        kind=data.get("kind", subject.kind),
        id_type=data.get("id_type", subject.id_type),
        id_number=data.get("id_number", subject.identifier),
    )
    changed = _set_fields(subject, data)
    if not changed:
        return subject
    tracked_save(subject, actor=actor, reason=reason)
    record_event(
        action="subjects.subject.changed", actor=actor, target=subject, reason=reason, data={"changed": changed}
    )
    return subject


@transaction.atomic
def related_person_add(
    *, organisation: CreditSubject, person: CreditSubject, role: str, actor, reason: str, since=None, now=None
) -> RelatedPerson:
    """Note a natural person with an organisation (R-REC-2; HN 25, HL 33, XJ 40).

    Scoped and permission-checked like every write: the actor changes subjects in the organisation's
    department, and sees the person; ``since`` is not in the future.
    """
    locked = (
        scope_queryset(actor, CreditSubject.objects.select_for_update(), "change").filter(pk=organisation.pk).first()
    )
    if locked is None or locked.department_id not in department_ids_for(actor, "subjects.change_creditsubject"):
        raise PermissionDenied(_("You cannot change this organisation's details."))
    organisation = locked
    if not scope_queryset(actor, CreditSubject.objects.filter(pk=person.pk), "view").exists():
        raise PermissionDenied(_("You cannot see this person."))
    if organisation.kind == SubjectKind.NATURAL_PERSON:
        raise ValidationError(_("Related persons are noted for organisations, not for natural persons."))
    if person.kind != SubjectKind.NATURAL_PERSON:
        raise ValidationError(_("A related person must be a natural person."))
    if since is not None:
        check_event_date(since, field="since", label=_("The date the person took the role"), now=now)
    if organisation.related_persons.filter(person=person, role=role, until__isnull=True).exists():
        raise ValidationError({"role": _("This person is already noted in this role.")})
    link = RelatedPerson(
        organisation=organisation, person=person, role=role, since=since, department=organisation.department
    )
    tracked_save(link, actor=actor, reason=reason)
    record_event(
        action="subjects.related_person.added",
        actor=actor,
        target=organisation,
        reason=reason,
        data={"person": person.pk, "role": role},
    )
    return link


@transaction.atomic
def related_person_register(
    *, organisation: CreditSubject, name: str, id_type: str, id_number: str, role: str, actor, reason: str, since=None
) -> RelatedPerson:
    """Note a person by their identifier: the registered natural person with that number, or a new one
    registered in the organisation's department (R-CAT-8 checks the number either way)."""
    number = validate_subject_identifier(kind=SubjectKind.NATURAL_PERSON, id_type=id_type, id_number=id_number)
    person = CreditSubject.objects.filter(id_type=id_type, id_digest=CreditSubject.digest_of(number)).first()
    if person is None:
        person = subject_create(
            actor=actor,
            department=organisation.department,
            reason=reason,
            kind=SubjectKind.NATURAL_PERSON,
            name=name,
            id_type=id_type,
            id_number=number,
        )
    return related_person_add(
        organisation=organisation, person=person, role=role, actor=actor, reason=reason, since=since
    )
