"""Restoration in each profile (R-RES-1, R-RES-2, R-RES-3), and a revoked basis (R-RES-6, the subjects app's act)
taking down the designations relying on the record, with its deadlines and its place in the queues. The record's
own acts without a designation (R-RES-6, R-REC-4, R-REC-5) are tested in subjects/tests/test_record_acts.py."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from creditportal import deadlines
from creditportal.audit import tracked_save
from creditportal.choices import Role
from creditportal.citations import for_people
from creditportal.models import AuditEvent
from creditportal.tests.factories import user_with_role
from designations.choices import DesignationState, RemovalReason
from designations.tests.helpers import draft
from restoration import services
from restoration.choices import RestorationState
from subjects import selectors as subject_selectors
from subjects import services as subject_services
from subjects.choices import RecordStatus, SharingFlag
from subjects.models import CreditRecord

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=SHANGHAI)


@pytest.fixture
def decider(dept_a):
    return user_with_role(Role.SUPERVISOR, dept_a, username="restoration-decider")


def _apply(record, caseworker, method="rectification"):
    return services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker,
        reason="Application",
        record=record,
        method=method,
        evidence="整改报告",
    )


def _grant(application, caseworker, decider):
    application = services.restoration_accept(application=application, actor=caseworker, reason="A")
    application = services.restoration_review(application=application, actor=caseworker, reason="R", opinion="可")
    return services.restoration_grant(application=application, actor=decider, reason="G")


@pytest.mark.parametrize("code", ["HN", "HL", "HB", "XJ"])
def test_r_res_1_restoration_in_each_profile(code, settings, make_record, caseworker_a, decider):
    """R-RES-1 (HN 32, HL 40, HB 30, XJ 46): in every profile a subject that corrected its conduct is restored by
    rectification; the record is archived (R-RES-4). XJ only once the minimum display period is over (the
    record here was determined 14 months ago)."""
    record = make_record(determined_on=datetime.date(2025, 10, 1))
    settings.CREDIT_JURISDICTION = code
    application = _grant(_apply(record, caseworker_a), caseworker_a, decider)
    record.refresh_from_db()
    assert application.state == RestorationState.GRANTED and record.status == RecordStatus.ARCHIVED


def test_r_res_2_xj_refuses_before_the_minimum_display_period(settings, make_record, caseworker_a):
    """R-RES-2 (XJ 46): a food-safety punishment is shown at least 12 months (R-DIS-2); before that the
    application cannot be accepted, and the page says until when and cites the article."""
    from django.utils import timezone

    from subjects.disclosure import minimum_display_until

    # determined two months ago, whatever today is: the 12-month minimum has not passed
    record = make_record(determined_on=timezone.localdate() - datetime.timedelta(days=60))
    settings.CREDIT_JURISDICTION = "XJ"
    until = minimum_display_until(record)
    assert until is not None and until > timezone.localdate()
    application = _apply(record, caseworker_a)
    with pytest.raises(ValidationError) as refused:
        services.restoration_accept(application=application, actor=caseworker_a, reason="A")
    message = " ".join(refused.value.messages)
    assert until.isoformat() in message and "第四十六条" in for_people(message)  # people read XJ's article
    # The same application in HN (no minimum before restoration) is accepted.
    settings.CREDIT_JURISDICTION = "HN"
    services.restoration_accept(application=application, actor=caseworker_a, reason="A")


@pytest.mark.parametrize("method", ["obligations_performed", "settlement_performed"])
def test_r_res_3_hb_accepts_obligations_or_settlement_performed(method, settings, make_record, caseworker_a, decider):
    """R-RES-3 (HB 30): obligations performed, or an enforcement settlement performed, are grounds in HB only."""
    record = make_record()
    settings.CREDIT_JURISDICTION = "HN"
    with pytest.raises(ValidationError, match="obligations or a settlement"):
        _apply(record, caseworker_a, method)
    settings.CREDIT_JURISDICTION = "HB"
    application = _grant(_apply(record, caseworker_a, method), caseworker_a, decider)
    assert application.state == RestorationState.GRANTED


def test_r_res_1_only_untrustworthy_information_still_shown_is_restored(make_record, caseworker_a):
    record = make_record()
    CreditRecord.objects.filter(pk=record.pk).unguarded().update(status=RecordStatus.WITHDRAWN)
    with pytest.raises(ValidationError, match="no longer shown"):
        _apply(record, caseworker_a)


# --- R-RES-6: basis revoked ------------------------------------------------------------------------------------


@pytest.fixture
def notified(caseworker_a, dept_a, record, catalog):
    """A drafted designation relying on the record (not yet in force: it is withdrawn, not removed)."""
    return draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)


def test_r_res_6_hn_the_authority_deletes_within_2_wd_and_the_listed_designation_comes_down(
    listed, supervisor_a, settings
):
    """R-RES-6 (HN 31): 2 WD from receiving the change; the record is revoked and the designation resting on it
    removed from the list (reason: basis revoked), its measures stopped."""
    settings.CREDIT_JURISDICTION = "HN"
    record = listed.records.get()
    clock = subject_services.revocation_receive(
        record=record,
        actor=supervisor_a,
        reason="法院撤销",
        ground="revoked",
        legal_document="（2026）琼01行终12号行政判决书",
        effective_on=datetime.date(2026, 10, 30),
        received_on=datetime.date(2026, 11, 2),
        now=at(2026, 11, 2, 15),
    )
    assert (clock.rule_id, clock.days, clock.due_date) == ("R-RES-6", 2, datetime.date(2026, 11, 4))
    assert [(r.record, r.due_date) for r in subject_selectors.revocations_pending(user=supervisor_a)] == [
        (record, datetime.date(2026, 11, 4))
    ]
    with pytest.raises(ValidationError, match="already registered"):
        subject_services.revocation_receive(
            record=record,
            actor=supervisor_a,
            reason="again",
            ground="revoked",
            legal_document="x",
            effective_on=datetime.date(2026, 10, 30),
            received_on=datetime.date(2026, 11, 2),
        )
    subject_services.revocation_complete(record=record, actor=supervisor_a, reason="依判决撤销", now=at(2026, 11, 3))
    record.refresh_from_db()
    listed.refresh_from_db()
    assert record.status == RecordStatus.REVOKED and record.sharing_flag == SharingFlag.WITHDRAW
    assert listed.state == DesignationState.REMOVED and listed.removal_reason == RemovalReason.REVOCATION
    clock.refresh_from_db()
    assert clock.status == "met" and not subject_selectors.revocations_pending(user=supervisor_a).exists()


@pytest.mark.parametrize("jurisdiction", ["HB", "XJ"])
def test_r_res_6_a_revoked_basis_without_a_time_limit_is_still_in_the_queue(
    listed, supervisor_a, caseworker_b, settings, client, jurisdiction
):
    """R-RES-6 where the regulation sets no time limit (HB, XJ): no clock opens, yet the revoked basis waits in the
    department's queue (My work and the restoration queue) until the record is revoked, and only there."""
    settings.CREDIT_JURISDICTION = jurisdiction
    record = listed.records.get()
    assert (
        subject_services.revocation_receive(
            record=record,
            actor=supervisor_a,
            reason="法院撤销",
            ground="revoked",
            legal_document="（2026）新01行终7号行政判决书",
            effective_on=datetime.date(2026, 10, 30),
            received_on=datetime.date(2026, 11, 2),
            now=at(2026, 11, 2, 15),
        )
        is None
    )
    pending = list(subject_selectors.revocations_pending(user=supervisor_a))
    assert [(r.record, r.due_date) for r in pending] == [(record, None)]
    assert not subject_selectors.revocations_pending(user=caseworker_b).exists()
    client.force_login(supervisor_a)
    html = client.get(reverse("my_work")).content.decode()
    assert "（2026）新01行终7号行政判决书" in html and reverse("record_detail", args=[record.pk]) in html
    subject_services.revocation_complete(record=record, actor=supervisor_a, reason="依判决撤销", now=at(2026, 11, 3))
    assert not subject_selectors.revocations_pending(user=supervisor_a).exists()


def test_r_res_6_hl_provider_reports_within_2_wd_authority_revokes_within_1_wd(
    notified, caseworker_a, supervisor_a, settings
):
    """R-RES-6 (HL 38): the provider's report was due 2 WD after the legal document took effect (a late report is
    recorded as late), and the authority revokes within 1 WD of the report; a designation not yet in force that
    relies on the record is withdrawn."""
    settings.CREDIT_JURISDICTION = "HL"
    record = notified.records.get()
    clock = subject_services.revocation_receive(
        record=record,
        actor=caseworker_a,
        reason="复议撤销",
        ground="illegal",
        legal_document="黑政复决字〔2026〕5号",
        effective_on=datetime.date(2026, 11, 2),
        received_on=datetime.date(2026, 11, 5),
        now=at(2026, 11, 5, 15),
    )
    assert (clock.days, clock.due_date) == (1, datetime.date(2026, 11, 6))
    report = deadlines.deadlines_of(record).get(rule_id="R-RES-6/report")
    assert (report.days, report.due_date, report.status) == (2, datetime.date(2026, 11, 4), "met")
    event = AuditEvent.objects.get(action="restoration.revocation.received")
    assert event.data["report_late"] is True and event.data["due"] == "2026-11-06"
    # Taking a designation down is a supervisor's act: a caseworker is refused, and nothing changes.
    with pytest.raises(PermissionDenied):
        subject_services.revocation_complete(record=record, actor=caseworker_a, reason="撤销", now=at(2026, 11, 6))
    record.refresh_from_db()
    assert record.status == RecordStatus.ACTIVE
    subject_services.revocation_complete(record=record, actor=supervisor_a, reason="撤销", now=at(2026, 11, 6))
    notified.refresh_from_db()
    assert notified.state == DesignationState.WITHDRAWN


# --- R-REC-4 and R-REC-5 ---------------------------------------------------------------------------------------


def test_r_res_1_information_a_law_says_cannot_be_restored_is_refused_with_that_law(make_record, caseworker_a):
    """R-RES-1 (NDRC 11, XJ 46): restoration is always possible except where a law says the information cannot be
    restored; the catalog item names the law, and the refusal cites it."""
    record = make_record()
    item = record.catalog_item
    item.restoration_barred_by = "《中华人民共和国食品安全法》第一百三十五条"
    tracked_save(item, actor=caseworker_a, reason="The law bars restoration", validate=False)
    with pytest.raises(ValidationError, match="第一百三十五条"):
        services.restoration_accept(application=_apply(record, caseworker_a), actor=caseworker_a, reason="A")
