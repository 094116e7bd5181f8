"""What falls when a record falls (issue 17): however a credit record ends — its disclosure period over (the nightly
expiry in bulk, or one record), credit restored, its basis revoked, an objection sustained by deletion or by a
correction the decider says removes the basis — every designation resting on it ends the same way, through the
designation workflow: off the list with its measures stopped if listed, withdrawn if not yet in force, one history
entry each naming the cause; and whole or nothing when one of them cannot end (R-DIS-1, R-DIS-3, R-RES-4, R-RES-6,
R-OBJ-6, R-DES-2). One test per path."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from creditportal.audit import system_user
from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from designations.choices import DesignationState, MeasureStatus, RemovalReason
from designations.tests.helpers import draft, to_state
from designations.workflow import DESIGNATION
from objections import services as objection_services
from restoration import services
from subjects import services as subject_services
from subjects.choices import RecordStatus
from subjects.disclosure import records_expire
from subjects.models import CreditRecord


@pytest.fixture
def standing(request, caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks):
    """A designation resting on ``record``: listed, or not yet in force (its notice served), as the test asks."""
    with django_capture_on_commit_callbacks(execute=True):
        designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
        return to_state(designation, request.param, caseworker=caseworker_a, supervisor=supervisor_a)


LISTED = pytest.mark.parametrize("standing", ["listed"], indirect=True)
NOT_IN_FORCE = pytest.mark.parametrize("standing", ["notified"], indirect=True)
BOTH = pytest.mark.parametrize("standing", ["listed", "notified"], indirect=True)


@pytest.fixture
def decider(dept_a):
    return user_with_role(Role.SUPERVISOR, dept_a, username="record-end-decider")


def _fell_the_same_way(designation, *, removal_reason, actor):
    """Listed → off the list (the removal reason the cause gives), measures stopped; not in force → withdrawn;
    either way one history entry by ``actor`` with a reason."""
    listed = designation.state == DesignationState.LISTED
    designation.refresh_from_db()
    if listed:
        assert (designation.state, designation.removal_reason) == (DesignationState.REMOVED, removal_reason)
        assert not designation.designation_measures.filter(status=MeasureStatus.ACTIVE).exists()
    else:
        assert designation.state == DesignationState.WITHDRAWN
    last = designation.history.order_by("-history_id").first()
    assert last.history_user == actor and last.history_change_reason


def _expire(record):
    """The record's disclosure period ended yesterday (a state no service reaches on today's date)."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    CreditRecord.objects.filter(pk=record.pk).unguarded().update(disclosure_until=yesterday)
    return timezone.localdate()


@BOTH
def test_r_dis_3_the_nightly_expiry_ends_the_designations_resting_on_the_record(standing):
    record = standing.records.get()
    today = _expire(record)
    assert records_expire(today=today).archived == 1
    record.refresh_from_db()
    assert record.status == RecordStatus.ARCHIVED
    _fell_the_same_way(standing, removal_reason=RemovalReason.BASIS_EXPIRED, actor=system_user())


@NOT_IN_FORCE
def test_r_dis_3_one_record_archived_on_expiry_ends_them_the_same_way(standing):
    record = standing.records.get()
    _expire(record)
    subject_services.record_archive(record=record, actor=system_user(), reason="Disclosure period ended")
    _fell_the_same_way(standing, removal_reason=RemovalReason.BASIS_EXPIRED, actor=system_user())


@LISTED
def test_r_res_6_a_revoked_record_ends_them_the_same_way_and_a_caseworker_is_refused_whole(
    standing, caseworker_a, supervisor_a
):
    listed = standing
    record = listed.records.get()
    today = timezone.localdate()
    subject_services.revocation_receive(
        record=record,
        actor=caseworker_a,
        reason="收到撤销决定",
        ground="revoked",
        legal_document="海府复决字〔2026〕9号",
        effective_on=today,
        received_on=today,
    )
    with pytest.raises(PermissionDenied, match="cannot be ended now"):
        subject_services.revocation_complete(record=record, actor=caseworker_a, reason="撤销")
    record.refresh_from_db()
    listed.refresh_from_db()
    assert record.status == RecordStatus.ACTIVE and listed.state == DesignationState.LISTED  # nothing half done
    subject_services.revocation_complete(record=record, actor=supervisor_a, reason="依据已被撤销")
    _fell_the_same_way(standing, removal_reason=RemovalReason.REVOCATION, actor=supervisor_a)


@LISTED
def test_r_res_4_a_record_restored_ends_them_the_same_way(standing, caseworker_a, decider):
    record = standing.records.get()
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="Application",
        record=record,
        method="pledge",
        evidence="信用承诺书",
    )
    application = services.restoration_accept(application=application, actor=caseworker_a, reason="Accepted")
    application = services.restoration_review(
        application=application, actor=caseworker_a, reason="Reviewed", opinion="整改到位"
    )
    services.restoration_grant(application=application, actor=decider, reason="Granted")
    _fell_the_same_way(standing, removal_reason=RemovalReason.RESTORATION, actor=decider)


def _objection(record, caseworker):
    return objection_services.objection_receive(
        actor=caseworker,
        subject=record.subject,
        target="record",
        record=record,
        applicant=record.subject.name,
        ground="error",
        grounds_text="该处罚决定已被撤销",
        received_at=timezone.now(),
        reason="Received",
        label_now=True,
    )


@pytest.mark.parametrize(
    ("standing", "remedy", "removal_reason"),
    [("notified", "withdraw", RemovalReason.OBJECTION_ADOPTED), ("listed", "correct", RemovalReason.BASIS_CORRECTED)],
    indirect=["standing"],
)
def test_r_obj_6_an_objection_sustained_ends_them_the_same_way(
    standing, caseworker_a, supervisor_a, remedy, removal_reason
):
    record = standing.records.get()
    objection = _objection(record, caseworker_a)
    objection_services.objection_decide(
        objection=objection,
        actor=supervisor_a,
        sustained=True,
        remedy=remedy,
        corrections={"summary": "更正后的内容"} if remedy == "correct" else None,
        designations_fall=True,
        reasons="处罚决定已被撤销",
        reason="Sustained",
    )
    _fell_the_same_way(standing, removal_reason=removal_reason, actor=supervisor_a)


@BOTH
def test_the_system_ends_a_designation_only_when_its_record_expired(standing):
    """The system user holds "withdraw" and "remove" only for an expired basis, and only when it exists."""
    system, today = system_user(), timezone.localdate()
    act = "remove" if standing.state == DesignationState.LISTED else "withdraw"
    assert DESIGNATION.can(standing, act, actor=system, today=today, removal_reason="")
    # the cause must exist: no record of it has reached the end of its disclosure period
    assert DESIGNATION.can(standing, act, actor=system, today=today, removal_reason=RemovalReason.BASIS_EXPIRED)
