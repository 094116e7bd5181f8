"""Every (state, act, role): allowed exactly where workflow.py declares it, refused otherwise with a reason
a person can read (R-DES-1 to R-DES-5)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from designations import services
from designations.choices import DesignationState
from designations.tests.helpers import draft, to_state
from designations.workflow import APPROVAL, CASEWORK, DESIGNATION

pytestmark = pytest.mark.django_db

STATES = [
    "draft",
    "pending_notice",
    "notified",
    "under_review",
    "awaiting_approval",
    "approved",
    "decision_issued",
    "listed",
]
ROLES = {"caseworker": {CASEWORK}, "supervisor": {CASEWORK, APPROVAL}, "auditor": set()}
NOW = datetime.datetime(2026, 10, 12, 10, tzinfo=datetime.UTC)
SERVE = {"method": "in_person", "served_on": datetime.date(2026, 10, 16), "recipient": "x"}
CALLS = {
    "issue_notice": lambda d, a: services.designation_issue_notice(
        designation=d, actor=a, reason="r", statement_period_wd=5, now=NOW
    ),
    "serve_notice": lambda d, a: services.designation_serve_notice(designation=d, actor=a, reason="r", **SERVE),
    "close_statements": lambda d, a: services.designation_close_statements(designation=d, actor=a, reason="r", now=NOW),
    "submit": lambda d, a: services.designation_submit(designation=d, actor=a, reason="r"),
    "return": lambda d, a: services.designation_return(designation=d, actor=a, reason="r"),
    "approve": lambda d, a: services.designation_approve(designation=d, actor=a, reason="r"),
    "reject": lambda d, a: services.designation_reject(designation=d, actor=a, reason="r"),
    "reexamine": lambda d, a: services.designation_reexamine(designation=d, actor=a, reason="r"),
    "issue_decision": lambda d, a: services.designation_issue_decision(designation=d, actor=a, reason="r"),
    "serve_decision": lambda d, a: services.designation_serve_decision(designation=d, actor=a, reason="r", **SERVE),
    "remove": lambda d, a: services.designation_remove(
        designation=d, actor=a, reason="r", removal_reason="restoration"
    ),
    "withdraw": lambda d, a: services.designation_withdraw(designation=d, actor=a, reason="r"),
    "recall": lambda d, a: services.designation_recall(designation=d, actor=a, reason="r"),
}
#: Declared refusals beyond state and role: HN does not require provincial re-examination (R-DES-4); a listing
#: ends only through the case behind its removal reason, and none exists here (issue 18, R-DES-2).
GUARDED = {("approved", "reexamine"), ("listed", "remove")}
#: Refused by a guard for one role only: only the case's own caseworker recalls it from approval.
GUARDED_FOR = {("awaiting_approval", "recall", "supervisor")}


def expected(state: str, act: str, role: str) -> bool:
    transition = DESIGNATION.transitions[act]
    return (
        state in transition.sources
        and transition.permission in ROLES[role]
        and (state, act) not in GUARDED
        and (state, act, role) not in GUARDED_FOR
    )


#: Declared acts that change no state, and the service that checks them.
CHECKS = {
    "edit": services.designation_update,
    "record_statement": services.designation_record_statement,
    "schedule_hearing": services.designation_schedule_hearing,
    "record_hearing": services.designation_record_hearing,
    "receive_objection": services.designation_check_act,
    "decide_objection": services.designation_check_act,
    "correct_decision": services.designation_correct_decision,
}


def test_every_act_has_a_service_and_a_permission():
    assert set(CALLS) | {"list"} | set(CHECKS) == set(DESIGNATION.transitions)
    assert all(t.permission for t in DESIGNATION.transitions.values())  # every act declares who may take it
    assert {name for name, t in DESIGNATION.transitions.items() if t.target is None} == set(CHECKS)


CASES = [
    (state, act, role)
    for state in STATES
    for act in CALLS
    for role in ROLES
    # an auditor holds no case permission: two states are enough to show every act refused
    if role != "auditor" or state in {"draft", "awaiting_approval"}
]


@pytest.mark.parametrize(("state", "act", "role"), CASES)
def test_transition_table(state, act, role, caseworker_a, supervisor_a, auditor_a, dept_a, record, catalog):
    preparer = caseworker_a
    designation = to_state(
        draft(caseworker=preparer, department=dept_a, record=record, catalog=catalog),
        state,
        caseworker=preparer,
        supervisor=supervisor_a,
    )
    actor = {"caseworker": preparer, "supervisor": supervisor_a, "auditor": auditor_a}[role]
    before = designation.history.count()
    try:
        result = CALLS[act](designation, actor)
    except PermissionDenied as refusal:
        assert not expected(state, act, role), f"{role} was refused {act} in {state}: {refusal}"
        assert str(refusal)
    except ValidationError as refusal:
        assert not expected(state, act, role), f"{role} was refused {act} in {state}: {refusal.messages}"
        assert refusal.messages[0] and "_" not in refusal.messages[0].split("“")[0]
        assert designation.history.count() == before  # nothing half-done
    else:
        assert expected(state, act, role), f"{role} could {act} in {state}"
        assert result.state != state or act == "reexamine"
        assert result.history.latest().history_user == actor


def test_refusals_name_the_act_and_the_state(caseworker_a, supervisor_a, dept_a, record, catalog):
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    with pytest.raises(ValidationError) as excinfo:
        services.designation_approve(designation=designation, actor=supervisor_a, reason="x")
    assert excinfo.value.messages == ["“Approve” is not possible while the state is “Draft”."]
    assert DesignationState.DRAFT == "draft"
