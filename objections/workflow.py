"""The objection's state machine, for every target and for complaints (R-OBJ-1 to R-OBJ-7; designations R-DES-2).

received → under verification (the target labelled "under objection", R-OBJ-2) → [waiting for an assisting unit,
HL 39] → decided (sustained or not, with reasons, R-OBJ-6) → answered (the response letter served); received or
under verification → referred to the competent unit (named to the applicant) → answered; withdrawn by the
applicant while open. The clock's own acts (pause and resume, R-OBJ-4; an extension requested by the caseworker and
approved or refused by the person responsible, R-OBJ-3) change no state: they are declared here with their
sources, permission and guards like every other act.

Only this module assigns ``Objection.state``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditportal.cases.workflow import acts_needing, case_workflow

from .choices import ObjectionKind, ObjectionTarget
from .choices import ObjectionState as S

#: The answering department's caseworkers work the objection; its supervisors or head (the person responsible,
#: HN 30) approve an extension; the assisting department's caseworkers reply to a request for verification.
CASEWORK, APPROVE, ASSIST = "objections.change_objection", "objections.approve_objection", "assist"

#: Open: under review, holding up what it targets; the answer deadline is running.
OPEN = frozenset({S.RECEIVED, S.VERIFYING, S.AWAITING_ASSISTANCE})
#: The target stays labelled "under objection" while the objection is in one of these states (R-OBJ-2).
LABELLED = frozenset({S.VERIFYING, S.AWAITING_ASSISTANCE})
#: The clocks of an objection, by rule: answering (R-OBJ-3, complaints R-OBJ-7, designations R-DES-2),
#: labelling (R-OBJ-2), the providing unit's report in HB (R-OBJ-5). The assisting unit's clock is an R-OBJ-3
#: clock of the assisting department.
ANSWER_RULES = ("R-OBJ-3", "R-OBJ-7", "R-DES-2")
#: Awaiting the response letter's service.
TO_ANSWER = frozenset({S.DECIDED, S.REFERRED})


def _assisting(actor, objection) -> bool:
    """R-OBJ-3 (HL 39): the assisting department's caseworkers reply to a request for verification."""
    from creditportal.permissions import department_ids_for

    return objection.assisting_department_id in department_ids_for(actor, CASEWORK)


def _is_objection(objection, **_c) -> str | None:
    if objection.kind != ObjectionKind.OBJECTION:
        return _("A complaint is not labelled: it is accepted and answered.")
    return None


def _is_complaint(objection, **_c) -> str | None:
    if objection.kind != ObjectionKind.COMPLAINT:
        return _("An objection is labelled “under objection” when it is taken up (R-OBJ-2).")
    return None


def _reasons(objection, *, sustained: bool, reasons: str, **_c) -> str | None:
    """R-OBJ-6 (HN 30): a decision not to correct states its reasons; a correction says what and why."""
    if not (reasons or "").strip():
        return (
            _("State what was corrected and why.")
            if sustained
            else _("An objection that is not sustained is answered with the reasons for not correcting (R-OBJ-6).")
        )
    return None


def _remedy_for_a_record(objection, *, sustained: bool, remedy: str = "", **_c) -> str | None:
    if sustained and objection.target == ObjectionTarget.RECORD and not remedy:
        return _("Say what happens to the record: corrected, or deleted (R-OBJ-6).")
    return None


def _not_paused(objection, *, paused: bool = False, **_c) -> str | None:
    if paused:
        return _("The clock is paused: resume it first (the pause ends on the day the result came in).")
    return None


def _paused(objection, *, paused: bool = False, **_c) -> str | None:
    if not paused:
        return _("The clock is not paused.")
    return None


def _pauses_allowed(objection, *, profile=None, **_c) -> str | None:
    """R-OBJ-4: only where the regulation says so (HL 39) does the time of an examination or appraisal not count."""
    if profile is None or not profile.objection_clock_pauses:
        return _(
            "This regulation does not stop the answer deadline for examinations, testing or appraisals: the "
            "deadline keeps running (ask for an extension where the regulation provides one)."
        )
    return None


def _extension_allowed(objection, *, profile=None, days: int = 0, granted: int = 0, base: int = 0, **_c) -> str | None:
    """R-OBJ-3 (HN 30): extendable on approval of the person responsible, never beyond the total the profile sets."""
    cap = profile.objection_extension_total_wd if profile else None
    if not cap:
        return _("This regulation provides no extension of the answer deadline.")
    if days < 1:
        return _("An extension is at least one working day.")
    if base + granted + days > cap:
        return _(
            "At most %(cap)s working days in all: %(base)s granted by law and %(granted)s by extension so far, so "
            "at most %(left)s more can be approved."
        ) % {"cap": cap, "base": base, "granted": granted, "left": max(cap - base - granted, 0)}
    return None


def _before_the_deadline(objection, *, answer=None, today=None, **_c) -> str | None:
    """Issue 18 (R-OBJ-3, R-OBJ-4): an extension, a pause or another unit's help is granted only before the answer
    deadline it changes; once that deadline has passed it stays passed (missed, and escalated)."""
    from creditportal.deadlines import passed_refusal

    if today is None:  # the guard context always says which day it is; without it nothing is granted
        return _("The day of the act is unknown.")
    return passed_refusal(answer, today=today)


def _no_request_pending(objection, **_c) -> str | None:
    if objection.extension_requested_at is not None:
        return _("An extension of %(days)s working days is already requested and waits for a supervisor's answer.") % {
            "days": objection.extension_requested_days
        }
    return None


def _request_pending(objection, **_c) -> str | None:
    """R-OBJ-3 (HN 30): the person responsible answers a request: the caseworker asks first, saying why."""
    if objection.extension_requested_at is None:
        return _("No extension has been requested: the caseworker requests one, with the days and why.")
    return None


def _grounds_given(objection, *, grounds: str = "", **_c) -> str | None:
    if not (grounds or "").strip():
        return _("Say why more time is needed: the supervisor decides on it.")
    return None


def _refusal_reasons(objection, *, refusal: str = "", **_c) -> str | None:
    if not (refusal or "").strip():
        return _("Say why the extension is refused: the caseworker reads it on the case page.")
    return None


def _assisting_unit_named(objection, *, assisting_department=None, **_c) -> str | None:
    if assisting_department is None:
        return _("Name the unit asked to help verify.")
    if assisting_department.pk == objection.department_id:
        return _("The assisting unit is another department, not the answering one.")
    return None


def _competent_unit_named(objection, *, referred_to: str = "", **_c) -> str | None:
    """R-OBJ-3 (HL 39): a case outside the unit's scope is referred, and the competent unit named to the applicant."""
    if not (referred_to or "").strip():
        return _("Name the competent unit: the applicant is told where the objection went (R-OBJ-3).")
    return None


def _answer_issued(objection, *, letter=None, **_c) -> str | None:
    from creditportal.documents import ready_refusal

    if letter is None:
        return _("Issue the response letter first.")
    return ready_refusal(letter)


def _no_letter_yet(objection, *, letter=None, **_c) -> str | None:
    if letter is not None:
        return _("The response letter is issued (%(number)s).") % {"number": letter.number}
    return None


T = acts_needing(CASEWORK)

OBJECTION = case_workflow(
    state_labels=dict(S.choices),
    cases=gettext_lazy("objections"),
    extra_permissions={ASSIST: _assisting},
    special_refusals={
        APPROVE: gettext_lazy("Only a supervisor or the head of the answering department approves an extension."),
        ASSIST: gettext_lazy("Only the unit asked to help verify replies to the request."),
    },
    transitions=[
        T("label", {S.RECEIVED}, S.VERIFYING, gettext_lazy("Label “under objection”"), guards=(_is_objection,)),
        T("accept", {S.RECEIVED}, S.VERIFYING, gettext_lazy("Accept the complaint"), guards=(_is_complaint,)),
        T(
            "request_assistance",
            {S.VERIFYING},
            S.AWAITING_ASSISTANCE,
            gettext_lazy("Ask another unit to help verify"),
            guards=(_is_objection, _not_paused, _before_the_deadline, _assisting_unit_named),
        ),
        T(
            "reply_assistance",
            {S.AWAITING_ASSISTANCE},
            S.VERIFYING,
            gettext_lazy("Reply to the request for verification"),
            ASSIST,
        ),
        T(
            "pause",
            OPEN,
            None,
            gettext_lazy("Pause the clock"),
            guards=(_pauses_allowed, _not_paused, _before_the_deadline),
        ),
        T("resume", OPEN, None, gettext_lazy("Resume the clock"), guards=(_paused,)),
        # R-OBJ-3 (HN 30): the caseworker requests an extension, the person responsible approves or refuses it; the
        # cap holds at the request and again at the approval.
        T(
            "request_extension",
            OPEN,
            None,
            gettext_lazy("Request an extension"),
            guards=(_no_request_pending, _before_the_deadline, _grounds_given, _extension_allowed),
        ),
        T(
            "extend",
            OPEN,
            None,
            gettext_lazy("Approve an extension"),
            APPROVE,
            guards=(_request_pending, _before_the_deadline, _extension_allowed),
        ),
        T(
            "refuse_extension",
            OPEN,
            None,
            gettext_lazy("Refuse the extension"),
            APPROVE,
            guards=(_request_pending, _refusal_reasons),
        ),
        T(
            "refer",
            {S.RECEIVED, S.VERIFYING},
            S.REFERRED,
            gettext_lazy("Refer to the competent unit"),
            guards=(_competent_unit_named,),
        ),
        T(
            "decide",
            {S.RECEIVED, S.VERIFYING},
            S.DECIDED,
            gettext_lazy("Decide"),
            guards=(_not_paused, _reasons, _remedy_for_a_record),
        ),
        T("issue_answer", TO_ANSWER, None, gettext_lazy("Issue the response letter"), guards=(_no_letter_yet,)),
        T(
            "serve_answer",
            TO_ANSWER,
            S.ANSWERED,
            gettext_lazy("Record service of the response letter"),
            guards=(_answer_issued,),
        ),
        T("withdraw", OPEN, S.WITHDRAWN, gettext_lazy("Withdrawn by the applicant")),
    ],
)
