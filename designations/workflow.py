"""The designation's due process as one declared state machine (R-DES-1 to R-DES-7).

draft → pending notice → notified (statement and defence period running) → under review → awaiting
approval → approved → decision issued → served → listed → removed; withdrawn and rejected end a case early.
Each transition names who may take it (``ACT_PERMISSION``) and the guards that must hold, each returning a
reason a person can read. Only ``DESIGNATION.apply`` assigns ``Designation.state``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from creditportal.cases.workflow import T, case_workflow

from .choices import DesignationState as S
from .choices import Leniency, RemovalReason

#: Who may take each act: the caseworker's permission or the supervisor's, in the deciding department; PROVINCE:
#: a supervisor of the provincial credit authority (R-DES-4); RECEIVE: whoever receives objections there.
CASEWORK, APPROVAL, PROVINCE = "designations.change_designation", "designations.approve_designation", "province"
RECEIVE = "objections.add_objection"


def _provincial_approver(actor, designation) -> bool:
    """R-DES-4: a supervisor of the provincial credit authority re-examines."""
    from creditportal.permissions import provincial_authority_ids

    return bool(provincial_authority_ids(actor, APPROVAL))


def _has_records(designation, **_c) -> str | None:
    if not designation.records.exists():
        return _("A designation relies on at least one credit record with its basis document (R-REC-1).")
    return None


def _notice_period_set(designation, **_c) -> str | None:
    if not designation.statement_period_wd:
        return _("Set the statement and defence period (working days) the notice gives the subject (R-DES-1).")
    return None


def _facts_and_reasons_stated(designation, **_c) -> str | None:
    """R-DES-1: the notice tells the subject the facts, the reasons and the basis."""
    if not designation.facts.strip():
        return _("State the facts found: the prior notice tells the subject the facts (R-DES-1).")
    if not designation.reasons.strip():
        return _("State the reasons: the prior notice tells the subject the reasons and the basis (R-DES-1).")
    return None


def _responsible_persons_noted(designation, **_c) -> str | None:
    """R-REC-2 (HN 25, HL 33, XJ 40): an organisation's legal representative or principal responsible person is
    noted before it is notified."""
    from subjects.choices import RelatedRole

    subject = designation.subject
    if subject.is_person:
        return None
    if not subject.related_persons.filter(
        until__isnull=True, role__in=[RelatedRole.LEGAL_REPRESENTATIVE, RelatedRole.PRINCIPAL]
    ).exists():
        return _(
            "Record the organisation's legal representative or principal responsible person on the subject's "
            "page before the notice is issued (R-REC-2)."
        )
    return None


def _department_reachable(designation, **_c) -> str | None:
    """The notice tells the subject where and to whom to send a statement (R-DES-1)."""
    department = designation.department
    if not department.address.strip() or not department.contact.strip():
        return _(
            "The department's address and contact for statements are not recorded (the system administrator "
            "records them on the department): the notice must tell the subject where to send a statement."
        )
    return None


def _remedies_known(designation, *, profile, **_c) -> str | None:
    """R-DES-5: the decision names the reconsideration body and the time limits, from the profile's data."""
    remedies = (profile.remedies or {}) if profile else {}
    missing = [
        key for key in ("reconsideration_days", "reconsideration_body", "litigation_months") if not remedies.get(key)
    ]
    if missing:
        return _(
            "The jurisdiction profile does not state the remedies (%(keys)s): the system administrator "
            "records them before decisions are issued."
        ) % {"keys": ", ".join(missing)}
    if remedies["reconsideration_body"] == "same_level_government" and not designation.department.government.strip():
        return _(
            "The department's people's government at the same level is not recorded: the decision must name "
            "where to apply for administrative reconsideration (the system administrator records it)."
        )
    return None


def _basis_still_valid(designation, *, today, **_c) -> str | None:
    """Checked at every step, not only at drafting: the standard is still published (R-CAT-6), the measures
    still on a published list and allowed by it (R-CAT-7), and every record relied on still active and within
    its disclosure period (R-DIS-1, R-DIS-3). A basis that changed mid-way stops the case with the reason."""
    from django.core.exceptions import ValidationError

    from catalog import guard

    refusal = category_refusal(designation.standard)
    if refusal:
        return refusal
    measures = [link.measure for link in designation.proposed_measures()]
    try:
        guard.check_designation(standard=designation.standard, measures=measures)
    except ValidationError as error:
        return " ".join(error.messages)
    for record in designation.records.all():
        refusal = record_refusal(record, today=today)
        if refusal:
            return refusal
    return None


def leniency_refusal(leniency: str) -> str | None:
    """R-DES-7: emergency leniency (conduct caused by a disaster, accident or emergency) only where the deployment's
    law provides it (HL 30, XJ 33; the profile's ``emergency_leniency``)."""
    from creditportal.profiles import current_profile

    law = current_profile()
    if leniency == Leniency.EMERGENCY and not (law and law.emergency_leniency):
        return _(
            "This jurisdiction's law provides no lenient designation for conduct caused by an emergency (R-DES-7): "
            "choose another leniency assessment, or none."
        )
    return None


def category_refusal(standard) -> str | None:
    """R-DES-10 (HL 29, XJ 39, NDRC 6): only the categories of serious conduct the deployment's law lists may be
    designated — the profile's ``serious_categories`` (HL's eight, XJ's and the national five), checked at every
    step, so a profile narrowed mid-way stops the case with the reason."""
    from catalog.models import category_not_listed
    from creditportal.profiles import profile_for

    law = profile_for(standard.jurisdiction)
    if law is None or standard.serious_category in law.serious_categories:
        return None
    return _("Standard %(code)s cannot ground a designation: %(why)s") % {
        "code": standard.code,
        "why": category_not_listed(standard.serious_category, law),
    }


def record_refusal(record, *, today) -> str | None:
    """Why ``record`` cannot ground a designation on ``today``, or None (R-REC-1, R-REC-3, R-DIS-1, R-DIS-3)."""
    from subjects.choices import RecordKind, RecordStatus

    if record.kind != RecordKind.UNTRUSTWORTHY or record.basis_document_id is None:
        return _("Record #%(id)s is not untrustworthy conduct on a basis document (R-REC-1).") % {"id": record.pk}
    if record.status != RecordStatus.ACTIVE:
        return _("Record #%(id)s is %(status)s: only active records can ground a designation (R-DIS-3).") % {
            "id": record.pk,
            "status": record.get_status_display(),
        }
    if record.under_objection_since:
        return _(
            "Record #%(id)s is under objection (labelled since %(date)s): it cannot ground a designation until the "
            "objection is decided (R-OBJ-2)."
        ) % {"id": record.pk, "date": record.under_objection_since.date().isoformat()}
    if record.sharing_notice_pending():
        return _(
            "The subject has not yet been served the written notice before record #%(id)s is shared: it cannot "
            "ground a designation until the notice's service is recorded on the record's page (R-REC-3)."
        ) % {"id": record.pk}
    if record.disclosure_until and record.disclosure_until < today:
        return _(
            "The disclosure period of record #%(id)s ended on %(date)s: it can no longer ground a designation "
            "(R-DIS-1)."
        ) % {"id": record.pk, "date": record.disclosure_until.isoformat()}
    return None


def _document_ready(kind: str):
    def guard(designation, **_c) -> str | None:
        from creditportal.documents import ready_refusal

        if kind == "restoration_info":  # R-NAT-4: served with the decision, so it must be ready too (if issued)
            document = designation.restoration_info_document()
            return ready_refusal(document) if document is not None else None
        return ready_refusal(designation.notice_document() if kind == "notice" else designation.decision_document())

    guard.__name__ = f"_{kind}_ready"
    return guard


def _statement_period_over(designation, *, today, **_c) -> str | None:
    """The subject keeps the whole period to state and defend, unless they waive it in writing; a provisional
    due date (its year's holiday schedule not loaded) never ends the period."""
    from creditportal.deadlines import provisional_refusal

    deadline = designation.statement_deadline()
    if deadline is None or designation.statements.filter(kind="waiver").exists():
        return None
    if deadline.provisional:
        return provisional_refusal(deadline)
    if today <= deadline.due_date:
        return _(
            "The statement and defence period runs until %(date)s (R-DES-1): wait for it to end, or record "
            "the subject's written waiver."
        ) % {"date": deadline.due_date.isoformat()}
    return None


def _no_open_objection(designation, **_c) -> str | None:
    """R-DES-2: nothing moves on while an objection to the designation is open (the objections app registers
    the hold, ``designations.holds``)."""
    from .holds import hold_refusal

    return hold_refusal(designation)


def _statements_weighed(designation, **_c) -> str | None:
    """Every statement and defence is weighed (adopted or not, and why) before the case goes for approval: the
    decision tells the subject what became of what they said (R-DES-1, R-DES-5)."""
    if designation.statements.exclude(kind="waiver").filter(adopted__isnull=True).exists():
        return _(
            "Record whether each statement or defence was adopted, and why, before sending the case for "
            "approval (R-DES-1)."
        )
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
    refusal = leniency_refusal(designation.leniency)
    if refusal:
        return refusal
    if (
        designation.leniency != Leniency.MINOR_CORRECTED
        and not designation.designation_measures.exclude(status="dropped").exists()
    ):
        return _("Propose at least one measure the standard allows (R-CAT-7).")
    return None


def _four_eyes(designation, *, actor, **_c) -> str | None:
    if designation.caseworker_id == actor.pk:
        return _(
            "The caseworker who prepared this designation cannot decide on it: another supervisor must (four eyes)."
        )
    return None


#: Acts that shape a case or decide part of it: drafting and editing its substance (facts, reasons, leniency,
#: proportionality, measures, records), weighing a statement or defence, scheduling or holding a hearing, returning
#: it with what must change (issue 18: four eyes means whoever decided any part of the case does not approve it;
#: the supervisor who returned a case reviews what he asked for, so another one approves the case sent again).
SHAPING_ACTIONS = (
    "designations.designation.created",
    "designations.designation.changed",
    "designations.designation.statement_considered",
    "designations.designation.hearing_scheduled",
    "designations.designation.hearing_held",
    "designations.designation.return",
)


def _took_no_part(designation, *, actor, **_c) -> str | None:
    """Four eyes means the approver took no part in shaping the case: a supervisor who drafted or edited its
    substance cannot approve it (R-DES-4 review by another person; HN 21)."""
    from creditportal.audit import timeline

    if timeline(designation).filter(actor=actor, action__in=SHAPING_ACTIONS).exists():
        return _(
            "You shaped or decided part of this designation (its facts, reasons, measures or records, a statement "
            "weighed, a hearing, a return with what must change), so another supervisor must approve it (four eyes)."
        )
    return None


def _own_case(designation, *, actor, **_c) -> str | None:
    """Only the caseworker who sent the case for approval takes it back (before the supervisor decides)."""
    if designation.caseworker_id != actor.pk:
        return _("Only the case's caseworker can recall it from approval.")
    return None


def _reexamined_if_required(designation, *, profile, **_c) -> str | None:
    if designation.needs_reexamination(profile) and not designation.provincial_reviewer_id:
        return _(
            "Decisions below provincial level are re-examined by the provincial credit authority before "
            "they are issued (R-DES-4)."
        )
    return None


def _needs_reexamination(designation, *, profile, **_c) -> str | None:
    if not designation.needs_reexamination(profile):
        return _("This profile does not require provincial re-examination.")
    if designation.provincial_reviewer_id:
        return _("The province has already re-examined this designation.")
    return None


def _basis_expired(designation) -> str | None:
    """The cause of ending for an expired basis exists: a record relied on was archived when its disclosure
    period ended (R-DIS-1, R-DIS-3)."""
    from subjects.choices import ArchiveReason, RecordStatus

    if not designation.records.filter(status=RecordStatus.ARCHIVED, archive_reason=ArchiveReason.PERIOD_ENDED).exists():
        return _("No credit record this designation relies on has reached the end of its disclosure period.")
    return None


def _revoked_basis(designation) -> bool:
    from subjects.choices import RecordStatus

    return designation.records.filter(status=RecordStatus.REVOKED).exists()


def _cause_refusal(designation, removal_reason: str) -> str | None:
    """R-DES-2, R-RES-4, R-RES-6 (issue 18): a designation leaves the list, or is withdrawn for a cause, only
    through the case that justifies it, and that case must exist: a granted restoration, a sustained objection, a
    revoked basis — never a reason chosen freely (``designations.holds.register_cause``)."""
    from .holds import cause_exists

    if removal_reason == RemovalReason.REVOCATION and _revoked_basis(designation):
        return None
    if removal_reason and cause_exists(designation, removal_reason):
        return None
    return _(
        "A designation leaves the list only through the case that justifies it: a granted restoration "
        "application, a sustained objection, a registered revocation of its basis (each ends it by itself), or "
        "the end of its listing period or of the information it rests on (the system removes it then). None "
        "exists for this designation (R-DES-2)."
    )


def _removal_allowed(designation, *, actor, today, removal_reason="", **_c) -> str | None:
    """Removal on expiry is the system's act, after the listing period; so is the end of a designation whose
    record's disclosure period ended (issue 17: a listing never outlives its basis); people remove only through
    the case behind the removal reason (``_cause_refusal``)."""
    from creditportal.audit import is_system_user

    if removal_reason == RemovalReason.BASIS_EXPIRED:
        return _basis_expired(designation)
    if removal_reason == RemovalReason.EXPIRY:
        if not is_system_user(actor):
            return _("Removal on expiry is done by the system when the listing period is over.")
        if designation.listed_until is None or today <= designation.listed_until:
            return _("The listing period runs until %(date)s.") % {
                "date": designation.listed_until.isoformat() if designation.listed_until else "—"
            }
    elif is_system_user(actor):
        return _("The system removes a designation only when its listing period is over.")
    else:
        return _cause_refusal(designation, removal_reason)
    return None


def _withdrawal_allowed(designation, *, actor, removal_reason="", **_c) -> str | None:
    """The system withdraws a designation only when a record it relies on reached the end of its disclosure
    period (the nightly expiry); people withdraw for the reasons they state."""
    from creditportal.audit import is_system_user

    if is_system_user(actor):
        if removal_reason != RemovalReason.BASIS_EXPIRED:
            return _("The system withdraws a designation only when the information it relies on has expired.")
        return _basis_expired(designation)
    if removal_reason:  # withdrawn because of another case: that case must exist
        if removal_reason == RemovalReason.BASIS_EXPIRED:
            return _basis_expired(designation)
        return _cause_refusal(designation, removal_reason)
    return None


_OPEN = frozenset({S.DRAFT, S.PENDING_NOTICE, S.NOTIFIED, S.UNDER_REVIEW, S.AWAITING_APPROVAL})
#: After the notice and before the approval: the subject is heard.
_HEARD = frozenset({S.NOTIFIED, S.UNDER_REVIEW, S.AWAITING_APPROVAL})
#: The subject knows of the designation (the notice is out) and it still stands: it can be objected to.
#: After the prior notice only what cannot hurt the subject may change (R-DES-1): the reasoning on
#: proportionality and leniency, a shorter listing period, and measures dropped (never added).
EDITABLE_AFTER_NOTICE = ("proportionality_statement", "leniency", "leniency_reasons", "proposed_listing_months")

#: A designation that no longer stands: its records may ground a new one.
ENDED = frozenset({S.WITHDRAWN, S.REJECTED, S.REMOVED})
#: What the subject has been told of (its prior notice served), and so reads in its portal (issue 22): a draft, or one
#: whose notice is not yet served, stays with the department; one withdrawn or rejected before listing is ended.
TOLD_TO_SUBJECT = frozenset(
    {S.NOTIFIED, S.UNDER_REVIEW, S.AWAITING_APPROVAL, S.APPROVED, S.DECISION_ISSUED, S.SERVED, S.LISTED, S.REMOVED}
)
_OBJECTABLE = frozenset(
    {
        S.PENDING_NOTICE,
        S.NOTIFIED,
        S.UNDER_REVIEW,
        S.AWAITING_APPROVAL,
        S.APPROVED,
        S.DECISION_ISSUED,
        S.SERVED,
        S.LISTED,
    }
)


def _decision_not_served(designation, **_c) -> str | None:
    if designation.state != S.DECISION_ISSUED or designation.decision_document() is None:
        return _(
            "A decision is corrected after it is issued and before it is served; a served decision is changed "
            "by a new procedure."
        )
    return None


DESIGNATION = case_workflow(
    state_labels=dict(S.choices),
    cases=gettext_lazy("designations"),
    extra_permissions={PROVINCE: _provincial_approver},
    transitions=[
        T(
            "issue_notice",
            {S.DRAFT},
            S.PENDING_NOTICE,
            gettext_lazy("Issue the prior notice"),
            CASEWORK,
            guards=(
                _has_records,
                _notice_period_set,
                _facts_and_reasons_stated,
                _responsible_persons_noted,
                _department_reachable,
                _basis_still_valid,
            ),
        ),
        T(
            "serve_notice",
            {S.PENDING_NOTICE},
            S.NOTIFIED,
            gettext_lazy("Record service of the notice"),
            CASEWORK,
            guards=(_document_ready("notice"),),
        ),
        T(
            "close_statements",
            {S.NOTIFIED},
            S.UNDER_REVIEW,
            gettext_lazy("Close the statement period"),
            CASEWORK,
            guards=(_statement_period_over,),
            system=True,
        ),
        T(
            "submit",
            {S.UNDER_REVIEW},
            S.AWAITING_APPROVAL,
            gettext_lazy("Send for approval"),
            CASEWORK,
            guards=(_reasoned, _statements_weighed, _no_open_objection, _no_pending_hearing, _basis_still_valid),
        ),
        T(
            "return",
            {S.AWAITING_APPROVAL},
            S.UNDER_REVIEW,
            gettext_lazy("Return with comments"),
            APPROVAL,
            guards=(_four_eyes,),
        ),
        # The caseworker takes the case back before the supervisor decides (to correct or add something).
        T(
            "recall",
            {S.AWAITING_APPROVAL},
            S.UNDER_REVIEW,
            gettext_lazy("Recall from approval"),
            CASEWORK,
            who=(_own_case,),
        ),
        T(
            "approve",
            {S.AWAITING_APPROVAL},
            S.APPROVED,
            gettext_lazy("Approve"),
            APPROVAL,
            guards=(_four_eyes, _took_no_part, _reasoned, _no_open_objection, _basis_still_valid),
        ),
        T("reject", {S.AWAITING_APPROVAL}, S.REJECTED, gettext_lazy("Reject"), APPROVAL, guards=(_four_eyes,)),
        T(
            "reexamine",
            {S.APPROVED},
            S.APPROVED,
            gettext_lazy("Confirm on re-examination"),
            PROVINCE,
            guards=(_needs_reexamination,),
        ),
        T(
            "issue_decision",
            {S.APPROVED},
            S.DECISION_ISSUED,
            gettext_lazy("Issue the decision"),
            CASEWORK,
            guards=(_reexamined_if_required, _no_open_objection, _remedies_known, _basis_still_valid),
        ),
        T(
            "serve_decision",
            {S.DECISION_ISSUED},
            S.SERVED,
            gettext_lazy("Record service of the decision"),
            CASEWORK,
            # Service is when the listing takes effect: what was checked before the decision is checked again.
            guards=(
                _document_ready("decision"),
                _document_ready("restoration_info"),
                _no_open_objection,
                _remedies_known,
                _basis_still_valid,
            ),
        ),
        T("list", {S.SERVED}, S.LISTED, pgettext_lazy("designation act", "List"), CASEWORK, internal=True),
        T(
            "remove",
            {S.LISTED},
            S.REMOVED,
            gettext_lazy("Remove from the list"),
            APPROVAL,
            guards=(_removal_allowed,),
            system=True,
        ),
        # Before service a decision can still be withdrawn (an adopted objection, R-DES-2); after listing,
        # the case leaves the list by "remove".
        T(
            "withdraw",
            _OPEN | {S.APPROVED, S.DECISION_ISSUED},
            S.WITHDRAWN,
            gettext_lazy("Withdraw"),
            APPROVAL,
            guards=(_withdrawal_allowed,),
            system=True,
        ),
        # Acts that change no state, declared so that one place says when and by whom they may happen.
        T("edit", {S.DRAFT, S.UNDER_REVIEW}, None, gettext_lazy("Edit"), CASEWORK),
        T("record_statement", _HEARD, None, gettext_lazy("Record a statement or defence"), CASEWORK),
        T("schedule_hearing", {S.NOTIFIED, S.UNDER_REVIEW}, None, gettext_lazy("Schedule a hearing"), CASEWORK),
        T("record_hearing", _HEARD, None, gettext_lazy("Record the hearing's minutes"), CASEWORK),
        T("receive_objection", _OBJECTABLE, None, gettext_lazy("Receive an objection"), RECEIVE),
        T("decide_objection", _OBJECTABLE, None, gettext_lazy("Decide an objection"), APPROVAL),
        T(
            "correct_decision",
            {S.DECISION_ISSUED, S.SERVED, S.LISTED, S.REMOVED},
            None,
            gettext_lazy("Correct the decision"),
            APPROVAL,
            guards=(_decision_not_served,),
        ),
    ],
)
