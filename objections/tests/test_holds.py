"""A pending objection holds up what it targets from the moment it is received, labelled or not, and the guards
checked before a decision is issued are checked again when it is served — service is when the listing takes
effect (R-DES-2, R-OBJ-2; issue 18)."""

import pytest
from django.core.exceptions import ValidationError

from designations import services as designation_services
from designations.choices import DesignationState
from designations.tests.helpers import DECISION_ISSUED, DECISION_SERVED, at, draft, render_pending, to_state
from objections import services
from subjects.tests.conftest import catalog, organisation, record  # noqa: F401  (fixtures: a legal representative noted)


@pytest.fixture
def approved(caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
        return to_state(designation, "approved", caseworker=caseworker_a, supervisor=supervisor_a)


def _serve(designation, caseworker):
    return designation_services.designation_serve_decision(
        designation=designation,
        actor=caseworker,
        reason="已送达当事人",
        method="registered_mail",
        served_on=DECISION_SERVED,
        recipient="海口椰风食品有限公司",
        now=at(2026, 10, 16, 16),
    )


def test_r_obj_2_an_unlabelled_objection_to_a_record_holds_up_the_decision_resting_on_it(
    approved, receive, caseworker_a
):
    objection = receive(received_at=at(2026, 10, 14, 15))  # received, not labelled yet
    assert objection.labelled_at is None
    with pytest.raises(ValidationError, match="objection"):
        designation_services.designation_issue_decision(
            designation=approved, actor=caseworker_a, reason="制发决定书", now=DECISION_ISSUED
        )
    approved.refresh_from_db()
    assert approved.state == DesignationState.APPROVED


def test_r_des_2_an_objection_received_after_the_decision_holds_up_its_service(
    approved, caseworker_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = designation_services.designation_issue_decision(
            designation=approved, actor=caseworker_a, reason="制发决定书", now=DECISION_ISSUED
        )
    render_pending(issued)
    services.designation_objection_receive(
        designation=issued,
        actor=caseworker_a,
        ground="error",
        grounds_text="认定所依据的事实有误",
        received_at=at(2026, 10, 15, 15),
        reason="收到书面异议",
        label_now=False,
        now=at(2026, 10, 15, 15),
    )
    with pytest.raises(ValidationError, match="objection"):
        _serve(issued, caseworker_a)
    issued.refresh_from_db()
    assert issued.state == DesignationState.DECISION_ISSUED  # not served, not listed


def test_r_dis_3_a_record_ended_after_the_decision_stops_its_service(
    approved, caseworker_a, django_capture_on_commit_callbacks
):
    """The basis is checked again at service: a record no longer active cannot ground the listing."""
    from subjects.models import CreditRecord

    with django_capture_on_commit_callbacks(execute=True):
        issued = designation_services.designation_issue_decision(
            designation=approved, actor=caseworker_a, reason="制发决定书", now=DECISION_ISSUED
        )
    render_pending(issued)
    relied_on = issued.records.get()
    # the record's disclosure period ended the day before service (a state no service reaches on these dates)
    CreditRecord.objects.filter(pk=relied_on.pk).unguarded().update(disclosure_until=DECISION_SERVED.replace(day=15))
    with pytest.raises(ValidationError, match="disclosure period"):
        _serve(issued, caseworker_a)
