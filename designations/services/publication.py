"""The publication ledger (issue 22; HL 23, HN 16, R-DIS-3, R-DIS-4): an entry is published when its designation is
listed and withdrawn, with the cause, when it leaves the list. Called by ``common._act``, the one place a
designation changes state, so no act can list or remove without the public list following in the same
transaction."""

from __future__ import annotations

from django.utils import timezone

from ..choices import DesignationState
from ..models import Designation, Publication


def publication_open(designation: Designation, *, at) -> Publication:
    """Publish ``designation`` (just listed): what the public will see, as it is now."""
    subject, standard = designation.subject, designation.standard
    measures = "；".join(designation.measures.order_by("pk").values_list("text", flat=True))
    return Publication.objects.create(
        designation=designation,
        department=designation.department,
        published_at=at,
        subject_name=subject.name,
        subject_is_person=subject.is_person,
        identifier=subject.masked_id_number,  # R-DIS-4: a person's number masked, an organisation's code whole
        department_name=designation.department.name,
        standard_title=standard.title,
        sector=standard.sector,
        decision_number=designation.decision_number,
        listed_from=designation.listed_from or timezone.localdate(at),  # set by the listing itself
        listed_until=designation.listed_until,
        measures=measures,
    )


def publication_close(designation: Designation, *, at) -> int:
    """Withdraw ``designation``'s open entry (it left the list), with its removal reason as the cause."""
    return Publication.objects.filter(designation=designation, withdrawn_at__isnull=True).update(
        withdrawn_at=at, withdrawal_cause=designation.removal_reason
    )


def publication_follow(designation: Designation, *, before: str, at) -> None:
    """After an act moved ``designation`` from state ``before``: publish it when it entered the list, withdraw it
    when it left."""
    listed = DesignationState.LISTED
    if before != listed and designation.state == listed:
        publication_open(designation, at=at)
    elif before == listed and designation.state != listed:
        publication_close(designation, at=at)
