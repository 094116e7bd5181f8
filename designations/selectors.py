"""Reads of the designations app, always scoped."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from creditportal import deadlines
from creditportal.audit import timeline
from creditportal.choices import DeadlineStatus
from creditportal.models import Deadline
from creditportal.permissions import department_ids_for, scope_queryset
from creditportal.profiles import current_profile
from creditportal.workflow import Transition

from .models import Designation
from .policies import provincial_authorities
from .workflow import DESIGNATION


def designation_queryset(*, user, action: str = "view") -> QuerySet[Designation]:
    return scope_queryset(user, Designation.objects.select_related(
        "subject", "standard", "department", "caseworker", "approver", "provincial_reviewer"), action)


@dataclass
class Act:
    transition: Transition
    refusal: str | None  # None: the act can be taken now

    @property
    def name(self) -> str:
        return self.transition.name


def designation_acts(*, user, designation: Designation) -> list[Act]:
    """The acts this user's role allows, each with the reason it cannot be taken now (or None)."""
    context = {"today": timezone.localdate(), "profile": current_profile()}
    acts = []
    for name, transition in DESIGNATION.transitions.items():
        if transition.internal or transition.target is None or not DESIGNATION.permitted(designation, name, user):
            continue
        if designation.state not in transition.sources:
            continue
        acts.append(Act(transition, DESIGNATION.can(designation, name, actor=user, **context)))
    return acts


def designation_deadlines(*, designation: Designation) -> list[deadlines.Explanation]:
    return [deadlines.deadline_explain(deadline=d) for d in deadlines.deadlines_of(designation).order_by("pk")]


def provisional_warnings(*, designation: Designation) -> list[str]:
    """Why each running clock of the case is provisional (its year's holiday schedule not loaded)."""
    running = deadlines.deadlines_of(designation).filter(status=DeadlineStatus.OPEN, provisional=True).order_by("pk")
    return [deadlines.provisional_refusal(deadline) for deadline in running]


def designation_timeline(*, designation: Designation):
    return timeline(designation)[:200]


def work_queue(*, user) -> dict[str, QuerySet]:
    """A caseworker's queue: drafts, cases returned or under review, and the clocks running out."""
    mine = designation_queryset(user=user, action="change").filter(caseworker=user)
    content_type = ContentType.objects.get_for_model(Designation)
    soon = timezone.localdate() + timezone.timedelta(days=7)
    due_ids = scope_queryset(user, Deadline.objects.filter(content_type=content_type, status=DeadlineStatus.OPEN,
                                                           due_date__lte=soon))
    return {
        "drafts": mine.filter(state__in=DESIGNATION.sources_of("issue_notice")).order_by("-pk")[:50],
        # waiting for one of the caseworker's acts
        "in_progress": mine.filter(state__in=DESIGNATION.sources_of(
            "serve_notice", "close_statements", "submit", "issue_decision", "serve_decision"))
        .order_by("-updated_at")[:50],
        "deadlines": due_ids.order_by("due_date")[:50],
        # Provisional due dates (their year's holiday schedule not loaded) whenever they fall: the caseworker
        # must know such a date cannot close a period yet.
        "provisional": scope_queryset(user, Deadline.objects.filter(
            content_type=content_type, status=DeadlineStatus.OPEN, provisional=True)).order_by("due_date")[:50],
    }


def approval_queue(*, user) -> QuerySet[Designation]:
    """Awaiting approval in the departments where the user approves, never their own cases (four eyes)."""
    return (designation_queryset(user=user).filter(
        state__in=DESIGNATION.sources_of("approve"),
        department_id__in=department_ids_for(user, "designations.approve_designation"))
            .exclude(caseworker=user).select_related("subject", "standard", "department", "caseworker")
            .order_by("updated_at"))


def reexamination_queue(*, user) -> QuerySet[Designation]:
    """R-DES-4: approved below provincial level, shared with this provincial approver, not yet re-examined."""
    if not provincial_authorities(user):
        return Designation.objects.none()
    return (designation_queryset(user=user).filter(state__in=DESIGNATION.sources_of("reexamine"),
                                                   provincial_reviewer__isnull=True)
            .exclude(department__level="province").order_by("approved_at"))


def report_recipient(document) -> str:
    """Which of the two R-DES-9 letters this is (the first goes to the authority above, the second to audit)."""
    from creditportal.documents import documents_of

    first = documents_of(document.case).filter(kind="report_to_authority").first()
    return "superior" if first and first.pk == document.pk else "audit"


def subject_designations(*, user, subject, limit: int = 20) -> list[Designation]:
    """A subject's designations the user may see (the panel on the subject's page)."""
    return list(designation_queryset(user=user).filter(subject=subject).order_by("-pk")[:limit])


def subject_panel(*, request, obj, bound: dict) -> dict:
    return {"designations": subject_designations(user=request.user, subject=obj)}
