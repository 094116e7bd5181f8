"""Reads of the objections app (issue 17): what its pages show, each through the one scoping helper. The services
keep the reads they act on (``answer_deadline``, ``response_letter``, ``open_pause``, ``guard_context``)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils import timezone

from creditportal import deadlines
from creditportal.audit import routed_receipt as audit_routed_receipt
from creditportal.audit import timeline
from creditportal.models import AuditEvent
from creditportal.permissions import department_ids_for, scope_queryset
from designations.models import Designation
from subjects.models import CreditRecord
from subjects.workflow import RECORD

from .choices import ObjectionKind
from .models import Objection
from .workflow import ANSWER_RULES, APPROVE, CASEWORK, OBJECTION


def objectable_records(*, user, subject) -> QuerySet[CreditRecord]:
    """A subject's records one can object to: information still shown (or hidden at the subject's request) —
    the states a record can still be corrected in; withdrawn and revoked records are not shown, archived ones are
    never in scope."""
    return scope_queryset(
        user, CreditRecord.objects.filter(subject=subject, status__in=sorted(RECORD.sources_of("correct")))
    ).select_related("catalog_item")


def subject_designations(*, user, subject) -> QuerySet[Designation]:
    return scope_queryset(user, Designation.objects.filter(subject=subject))


def objections_of(*, user, **target) -> QuerySet[Objection]:
    """The objections to one target (``record=``, ``subject=`` or ``designation=``) the user may see."""
    return scope_queryset(user, Objection.objects.filter(**target))


#: The timeline event of a complaint received in one department and routed to the credit authority (R-OBJ-7).
ROUTED = "objections.objection.routed"


def routing_of(objection: Objection) -> AuditEvent | None:
    """How a complaint came to the department that answers it (R-OBJ-7): its routing event (who received it, in
    which department, when, and where it went), or None when it was received where it is answered."""
    if objection.kind != ObjectionKind.COMPLAINT:
        return None
    return timeline(objection).filter(action=ROUTED).order_by("pk").first()


def routed_receipt(*, user, pk) -> dict | None:
    """What the caseworker who received a complaint that went to the credit authority is told on the receive page
    (R-OBJ-7): its number, the department that now handles and answers it and the due date it was given
    (``creditportal.audit.routed_receipt``: told only to that caseworker)."""
    receipt = audit_routed_receipt(user=user, model=Objection, pk=pk, action=ROUTED)
    if receipt is None:
        return None
    return {**receipt, "government": receipt["data"].get("government", ""), "due": receipt["data"].get("due", "")}


def answer_clock(*, objection: Objection, clocks: list[deadlines.Explanation]) -> deadlines.Explanation | None:
    """The answer clock of an objection still to be answered (open, or decided and its letter not yet served),
    for the page's header: the answering department's own running or paused clock of the answer rules."""
    if objection.state not in OBJECTION.sources_of("withdraw", "serve_answer"):
        return None
    for explanation in clocks:
        deadline = explanation.deadline
        if (
            deadline.department_id == objection.department_id
            and deadline.rule_id in ANSWER_RULES
            and deadline.is_running
        ):
            return explanation
    return None


def work(*, user) -> dict | None:
    """The objections in "My work" (issue 16), each list one bounded query, the answer due first (overdue on top):
    the objections and complaints the user's departments answer, still open or waiting for the response letter's
    service; the requests of other units to help verify (R-OBJ-3, HL 39); and, for the person responsible, the
    extensions the caseworkers requested (R-OBJ-3, HN 30). None when the user works on no objections."""
    casework = department_ids_for(user, CASEWORK)
    approving = department_ids_for(user, APPROVE)
    if not casework and not approving:
        return None
    objections = Objection.objects.select_related("subject", "department").order_by(
        F("due_date").asc(nulls_last=True), "pk"
    )
    to_answer = objections.filter(
        department_id__in=casework, state__in=OBJECTION.sources_of("withdraw", "serve_answer")
    )
    to_assist = objections.filter(
        assisting_department_id__in=casework, state__in=OBJECTION.sources_of("reply_assistance")
    )
    extensions = objections.filter(
        department_id__in=approving, extension_requested_at__isnull=False, state__in=OBJECTION.sources_of("extend")
    ).select_related("extension_requested_by")
    return {
        "today": timezone.localdate(),
        "to_answer": list(to_answer[:50]),
        "to_assist": list(to_assist[:50]),
        "extensions": list(extensions[:50]),
    }
