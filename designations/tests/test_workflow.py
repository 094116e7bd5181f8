"""Every (state, act, role): allowed exactly where workflow.py declares it, refused otherwise with a reason
a person can read (R-DES-1 to R-DES-5)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from designations import services
from designations.choices import DesignationState
from designations.tests.helpers import draft, to_state
from designations.workflow import APPROVAL, CASEWORK, DESIGNATION

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


class Walk:
    """One case walked through its due process for the whole table: built once per state it reaches, not once per
    (state, act, role). The module's data lives in a transaction rolled back when the module ends; each test runs in
    a savepoint inside it (as Django's ``setUpTestData`` does, and tests/test_permission_matrix.py's
    ``matrix_data``), so what its act changes goes with it and the next test finds the case as the walk left it."""

    ORDER = STATES

    def __init__(self, blocker):
        from django.db import transaction

        from creditportal.choices import Role
        from creditportal.tests.factories import DepartmentFactory, user_with_role
        from subjects import services as subject_services
        from subjects.tests.conftest import BASIS
        from subjects.tests.factories import OrganisationFactory, PersonFactory
        from tests.case_data import make_catalog

        self.blocker, self.transaction = blocker, transaction
        # The people and the case of the conftest fixtures (dept_a, caseworker_a, …; subjects/tests/conftest.py's
        # catalog, organisation and record), made the same way.
        dept = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局", name_en="Haikou Market Regulation Bureau")
        self.dept = dept
        self.people = {
            "caseworker": user_with_role(Role.CASEWORKER, dept, username="caseworker_a"),
            "supervisor": user_with_role(Role.SUPERVISOR, dept, username="supervisor_a"),
            "auditor": user_with_role(Role.AUDITOR, dept, username="auditor_a"),
        }
        self.catalog = make_catalog(actor=self.people["caseworker"], department=dept)
        organisation = OrganisationFactory(
            department=dept, name="海口椰风食品有限公司", address="海口市龙华区滨海大道1号"
        )
        subject_services.related_person_add(
            organisation=organisation,
            person=PersonFactory(department=dept, name="王建国"),
            role="legal_representative",
            actor=self.people["caseworker"],
            reason="Registration",
        )
        self.record = subject_services.record_create(
            actor=self.people["caseworker"],
            subject=organisation,
            catalog_item=self.catalog[0],
            summary="多次销售过期食品",
            determined_on=datetime.date(2026, 3, 2),
            basis=BASIS,
            reason="Recorded",
        )
        self.before_the_case = transaction.savepoint()
        self.case = None  # the designation's pk and the state it was walked to

    def at(self, state: str):
        """The case in ``state``: walked on from where it is, or drafted again when the walk is past it (a test
        taken out of order by another worker), always through the services, the PDFs rendered as the worker would."""
        from designations.models import Designation

        caseworker, supervisor = self.people["caseworker"], self.people["supervisor"]
        if self.case and self.ORDER.index(self.case[1]) > self.ORDER.index(state):
            self.transaction.savepoint_rollback(self.before_the_case)
            self.case = None
        if self.case is None:
            designation = draft(caseworker=caseworker, department=self.dept, record=self.record, catalog=self.catalog)
        else:
            designation = Designation.objects.get(pk=self.case[0])
        designation = to_state(designation, state, caseworker=caseworker, supervisor=supervisor)
        self.case = (designation.pk, state)
        return designation.pk


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield Walk(django_db_blocker)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def case_in_state(walk, state, django_db_blocker):
    """The case walked to ``state`` (outside the test's savepoint, which ``table_test`` opens after)."""
    with django_db_blocker.unblock():
        return walk.at(state)


@pytest.fixture
def table_test(case_in_state, walk, db):
    """The test's savepoint (``db``) opened on the case as the walk left it; the case and the people read afresh."""
    from creditportal.models import User
    from designations.models import Designation

    people = {role: User.objects.get(pk=person.pk) for role, person in walk.people.items()}
    return Designation.objects.get(pk=case_in_state), people


@pytest.mark.parametrize(("state", "act", "role"), CASES)
def test_transition_table(state, act, role, table_test):
    designation, people = table_test
    assert designation.state == state
    actor = people[role]
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


@pytest.mark.parametrize("state", ["draft"])  # the walk's case, as drafted (the module's people are the walk's)
def test_refusals_name_the_act_and_the_state(state, table_test):
    designation, people = table_test
    with pytest.raises(ValidationError) as excinfo:
        services.designation_approve(designation=designation, actor=people["supervisor"], reason="x")
    assert excinfo.value.messages == ["“Approve” is not possible while the state is “Draft”."]
    assert DesignationState.DRAFT == "draft"
