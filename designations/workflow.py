"""The designation's due process as one declared state machine (R-DES-1 to R-DES-7).

draft → pending notice → notified (statement and defence period running) → under review → awaiting
approval → approved → decision issued → served → listed → removed; withdrawn and rejected end a case early.
Each transition names who may take it (``ACT_PERMISSION``) and the guards that must hold, each returning a
reason a person can read. Only ``DESIGNATION.apply`` assigns ``Designation.state``.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from creditportal.workflow import Transition, Workflow

from .choices import DesignationState as S
from .choices import Leniency

#: Who may take each act: the caseworker's permission or the supervisor's, in the deciding department.
CASEWORK, APPROVAL, PROVINCE = "designations.change_designation", "designations.approve_designation", "province"


def _has_records(designation, **_c) -> str | None:
    if not designation.records.exists():
        return _("A designation relies on at least one credit record with its basis document (R-REC-1).")
    return None


def _notice_period_set(designation, **_c) -> str | None:
    if not designation.statement_period_wd:
        return _("Set the statement and defence period (working days) the notice gives the subject (R-DES-1).")
    return None


def _notice_issued(designation, **_c) -> str | None:
    if not designation.notice_document():
        return _("The prior notice has not been issued yet.")
    return None


def _statement_period_over(designation, *, today, **_c) -> str | None:
    """The subject keeps the whole period to state and defend, unless they waive it in writing."""
    deadline = designation.statement_deadline()
    if deadline is None or designation.statements.filter(kind="waiver").exists():
        return None
    if today <= deadline.due_date:
        return _("The statement and defence period runs until %(date)s (R-DES-1): wait for it to end, or record "
                 "the subject's written waiver.") % {"date": deadline.due_date.isoformat()}
    return None


def _no_open_objection(designation, **_c) -> str | None:
    if designation.has_open_objection():
        return _("An objection to this designation is being reviewed: decide it first (R-DES-2).")
    return None


def _no_pending_hearing(designation, **_c) -> str | None:
    if designation.hearings.filter(held_at__isnull=True).exists():
        return _("A scheduled hearing has not been held: record its minutes first (R-DES-3).")
    return None


def _reasoned(designation, **_c) -> str | None:
    if not designation.reasons.strip():
        return _("State the reasons for the designation; the decision document carries them (R-DES-5).")
    if not designation.proportionality_statement.strip():
        return _("State why the measures relate to the conduct and are proportionate (R-DES-6).")
    if designation.leniency != Leniency.NONE and not designation.leniency_reasons.strip():
        return _("Document the reasons for the leniency assessment (R-DES-7).")
    if designation.leniency != Leniency.MINOR_CORRECTED and not designation.designation_measures.exclude(
            status="dropped").exists():
        return _("Propose at least one measure the standard allows (R-CAT-7).")
    return None


def _four_eyes(designation, *, actor, **_c) -> str | None:
    if designation.caseworker_id == actor.pk:
        return _("The caseworker who prepared this designation cannot decide on it: another supervisor must "
                 "(four eyes).")
    return None


def _reexamined_if_required(designation, *, profile, **_c) -> str | None:
    if designation.needs_reexamination(profile) and not designation.provincial_reviewer_id:
        return _("Decisions below provincial level are re-examined by the provincial credit authority before "
                 "they are issued (R-DES-4).")
    return None


def _needs_reexamination(designation, *, profile, **_c) -> str | None:
    if not designation.needs_reexamination(profile):
        return _("This profile does not require provincial re-examination.")
    if designation.provincial_reviewer_id:
        return _("The province has already re-examined this designation.")
    return None


_OPEN = frozenset({S.DRAFT, S.PENDING_NOTICE, S.NOTIFIED, S.UNDER_REVIEW, S.AWAITING_APPROVAL})

DESIGNATION = Workflow(
    field_name="state",
    state_labels=dict(S.choices),
    transitions=[
        Transition("issue_notice", frozenset({S.DRAFT}), S.PENDING_NOTICE, gettext_lazy("Issue the prior notice"),
                   guards=(_has_records, _notice_period_set)),
        Transition("serve_notice", frozenset({S.PENDING_NOTICE}), S.NOTIFIED, gettext_lazy("Record service of the notice"),
                   guards=(_notice_issued,)),
        Transition("close_statements", frozenset({S.NOTIFIED}), S.UNDER_REVIEW, gettext_lazy("Close the statement period"),
                   guards=(_statement_period_over,)),
        Transition("submit", frozenset({S.UNDER_REVIEW}), S.AWAITING_APPROVAL, gettext_lazy("Send for approval"),
                   guards=(_reasoned, _no_open_objection, _no_pending_hearing)),
        Transition("return", frozenset({S.AWAITING_APPROVAL}), S.UNDER_REVIEW, gettext_lazy("Return with comments"),
                   guards=(_four_eyes,)),
        Transition("approve", frozenset({S.AWAITING_APPROVAL}), S.APPROVED, gettext_lazy("Approve"),
                   guards=(_four_eyes, _reasoned, _no_open_objection)),
        Transition("reject", frozenset({S.AWAITING_APPROVAL}), S.REJECTED, gettext_lazy("Reject"), guards=(_four_eyes,)),
        Transition("reexamine", frozenset({S.APPROVED}), S.APPROVED, gettext_lazy("Confirm on re-examination"),
                   guards=(_needs_reexamination,)),
        Transition("issue_decision", frozenset({S.APPROVED}), S.DECISION_ISSUED, gettext_lazy("Issue the decision"),
                   guards=(_reexamined_if_required, _no_open_objection)),
        Transition("serve_decision", frozenset({S.DECISION_ISSUED}), S.SERVED, gettext_lazy("Record service of the decision")),
        Transition("list", frozenset({S.SERVED}), S.LISTED, pgettext_lazy("designation act", "List"), internal=True),
        Transition("remove", frozenset({S.LISTED}), S.REMOVED, gettext_lazy("Remove from the list")),
        # Before service a decision can still be withdrawn (an adopted objection, R-DES-2); after listing,
        # the case leaves the list by "remove".
        Transition("withdraw", _OPEN | {S.APPROVED, S.DECISION_ISSUED}, S.WITHDRAWN, gettext_lazy("Withdraw")),
    ],
)

ACT_PERMISSION = {
    "issue_notice": CASEWORK, "serve_notice": CASEWORK, "close_statements": CASEWORK, "submit": CASEWORK,
    "return": APPROVAL, "approve": APPROVAL, "reject": APPROVAL, "reexamine": PROVINCE,
    "issue_decision": CASEWORK, "serve_decision": CASEWORK, "list": CASEWORK, "remove": APPROVAL,
    "withdraw": APPROVAL,
}
