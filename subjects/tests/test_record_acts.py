"""A credit record's own acts (subjects/services/record_acts.py): a revoked basis registered and acted on (R-RES-6),
the provider's own correction (R-REC-4), trustworthiness information hidden or shown at the subject's request
(R-REC-5); their clocks on the record in each profile, the dates people type, and the record's page. What falls
with a revoked record (a designation relying on it) is a cross-app test: restoration/tests/test_profiles.py and
test_record_end.py."""

import datetime
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from creditportal import deadlines
from creditportal.audit import tracked_save
from creditportal.models import AuditEvent
from subjects import services
from subjects.choices import RecordKind, RecordStatus, SharingFlag
from subjects.models import CreditRecord

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=SHANGHAI)


def _text(html: str) -> str:
    """The visible text of a page, without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- R-RES-6: basis revoked ------------------------------------------------------------------------------------


def test_r_res_6_xj_sets_no_number_no_due_date_is_invented(record, caseworker_a, settings):
    """XJ 47 says "promptly": no deadline is opened, none is invented; the revocation itself is recorded."""
    settings.CREDIT_JURISDICTION = "XJ"
    assert (
        services.revocation_receive(
            record=record,
            actor=caseworker_a,
            reason="撤销",
            ground="invalid",
            legal_document="新疆某判决",
            effective_on=datetime.date(2026, 11, 2),
            received_on=datetime.date(2026, 11, 3),
        )
        is None
    )
    assert not deadlines.deadlines_of(record).exists()
    services.revocation_complete(record=record, actor=caseworker_a, reason="撤销")
    record.refresh_from_db()
    assert record.status == RecordStatus.REVOKED


def test_r_res_6_the_change_cannot_be_received_before_it_took_effect(record, caseworker_a):
    with pytest.raises(ValidationError):
        services.revocation_receive(
            record=record,
            actor=caseworker_a,
            reason="x",
            ground="revoked",
            legal_document="x",
            effective_on=datetime.date(2026, 11, 5),
            received_on=datetime.date(2026, 11, 2),
        )


def test_r_res_6_a_revoking_document_cannot_take_effect_before_the_basis_it_revokes(make_record, supervisor_a):
    record = make_record(determined_on=datetime.date(2026, 3, 2))  # its basis took effect on 2026-03-02
    with pytest.raises(ValidationError, match="cannot be before the basis document it revokes took effect"):
        services.revocation_receive(
            record=record,
            actor=supervisor_a,
            reason="x",
            ground="revoked",
            legal_document="（2026）琼01行终12号行政判决书",
            effective_on=datetime.date(2026, 3, 1),
            received_on=datetime.date(2026, 3, 3),
        )


def test_r_res_6_a_revoked_record_says_which_document_revoked_it_on_what_ground_and_when(
    client, record, supervisor_a, caseworker_a, settings
):
    """R-RES-6: the record's page (in Chinese) names the legal document, its ground, its dates, and the revocation."""
    settings.LANGUAGE_CODE = "zh-hans"
    services.revocation_receive(
        record=record,
        actor=supervisor_a,
        reason="法院撤销",
        ground="illegal",
        legal_document="（2026）琼01行终12号行政判决书",
        effective_on=datetime.date(2026, 10, 30),
        received_on=datetime.date(2026, 11, 2),
        now=at(2026, 11, 2, 15),
    )
    services.revocation_complete(record=record, actor=supervisor_a, reason="依判决撤销", now=at(2026, 11, 3))
    client.force_login(caseworker_a)
    page = _text(client.get(reverse("record_detail", args=[record.pk])).content.decode())
    for fact in (
        "（2026）琼01行终12号行政判决书",
        "被确认违法",
        "2026-10-30",
        "2026-11-02",
        "2026-11-03",
        "依判决撤销",
    ):
        assert fact in page, fact


# --- R-REC-4 and R-REC-5 ---------------------------------------------------------------------------------------


def test_r_rec_4_hl_the_provider_corrects_within_3_wd_and_the_correction_is_sent_on(record, caseworker_a, settings):
    """R-REC-4 (HL 38): corrected, the old value kept in the history, the sharing platform's copies flagged for
    the change within 3 WD, and the clock from the discovery kept (met here)."""
    settings.CREDIT_JURISDICTION = "HL"
    record = services.record_provider_correct(
        record=record,
        actor=caseworker_a,
        reason="录入错误",
        changes={"summary": "销售过期食品（更正）"},
        discovered_on=datetime.date(2026, 11, 2),
        now=at(2026, 11, 4),
    )
    assert record.summary.endswith("（更正）") and record.sharing_flag == SharingFlag.CHANGE
    # the copies are changed within the same 3 WD from the discovery (Monday 2 November), not from the correction
    assert record.sharing_due == datetime.date(2026, 11, 5)
    clock = deadlines.deadlines_of(record).get(rule_id="R-REC-4")
    assert (clock.days, clock.due_date) == (3, datetime.date(2026, 11, 5))
    event = AuditEvent.objects.get(action="restoration.correction.clock")
    assert event.data == {"due": "2026-11-05", "late": False}
    assert record.history.filter(summary="多次销售过期食品").exists()


def test_r_rec_4_a_late_correction_is_recorded_as_late(record, caseworker_a, settings):
    settings.CREDIT_JURISDICTION = "HL"
    services.record_provider_correct(
        record=record,
        actor=caseworker_a,
        reason="录入错误",
        changes={"summary": "更正"},
        discovered_on=datetime.date(2026, 10, 20),
        now=at(2026, 11, 4),
    )
    assert AuditEvent.objects.get(action="restoration.correction.clock").data["late"] is True
    record.refresh_from_db()
    assert record.sharing_due == datetime.date(2026, 10, 23)  # due 3 WD after the discovery: already overdue


def test_r_rec_4_an_error_is_not_discovered_before_the_information_was_determined(make_record, caseworker_a):
    record = make_record()
    with pytest.raises(ValidationError, match="cannot be before the information was determined"):
        services.record_provider_correct(
            record=record,
            actor=caseworker_a,
            reason="x",
            changes={"summary": "更正"},
            discovered_on=record.determined_on - datetime.timedelta(days=1),
        )
    record.refresh_from_db()
    assert record.summary != "更正"


def test_r_rec_5_trustworthiness_information_hidden_and_shown_at_the_subject_s_request(record, caseworker_a):
    """R-REC-5 (HL 37, XJ 41, HB 31): trustworthiness information is hidden at the subject's request and shown
    again; untrustworthiness information is not hidden that way. (A trustworthy record is built directly: the
    fixture catalog has no published trustworthiness item.)"""
    with pytest.raises(ValidationError, match="trustworthiness"):
        services.trustworthy_hide(record=record, actor=caseworker_a, reason="申请隐藏")
    good = CreditRecord(
        department=record.department,
        subject=record.subject,
        catalog_item=record.catalog_item,
        kind=RecordKind.TRUSTWORTHY,
        summary="志愿服务表彰",
        determined_on=datetime.date(2026, 5, 1),
        recorded_by=caseworker_a,
    )
    tracked_save(good, actor=caseworker_a, reason="test")
    good = services.trustworthy_hide(record=good, actor=caseworker_a, reason="申请隐藏")
    assert good.status == RecordStatus.HIDDEN
    good = services.trustworthy_hide(record=good, actor=caseworker_a, reason="申请公开", hide=False)
    assert good.status == RecordStatus.ACTIVE


def test_r_rec_5_a_refused_hide_shows_the_record_page_again_with_the_reason(client, make_record, caseworker_a):
    """Untrustworthiness information is not hidden at the subject's request (R-REC-5): the record's own page says
    why (it offers no hide form for such a record, so there is nothing typed to keep); nothing changes."""
    record = make_record()
    client.force_login(caseworker_a)
    response = client.post(
        reverse("record_trustworthy", args=[record.pk, "hide"]), {"visibility-reason": "当事人书面申请"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Only trustworthiness information is hidden" in html
    assert "The basis document was revoked" not in html  # not the revocation page it used to fall back to
    record.refresh_from_db()
    assert record.status == "active"


def _trustworthy(record, caseworker) -> CreditRecord:
    """A trustworthiness record of the same subject, built directly (the fixture catalog has no published
    trustworthiness item)."""
    good = CreditRecord(
        department=record.department,
        subject=record.subject,
        catalog_item=record.catalog_item,
        kind=RecordKind.TRUSTWORTHY,
        summary="志愿服务表彰",
        determined_on=datetime.date(2026, 5, 1),
        recorded_by=caseworker,
    )
    tracked_save(good, actor=caseworker, reason="test")
    return good


def test_r_rec_5_hidden_from_the_record_page_and_a_refusal_keeps_what_was_typed(client, record, caseworker_a):
    """R-REC-5 through the record's page: without a reason the page comes back with the form as typed and why;
    with one the record is hidden; a page opened before that is refused (someone else acted), nothing changes."""
    good = _trustworthy(record, caseworker_a)
    client.force_login(caseworker_a)
    url = reverse("record_trustworthy", args=[good.pk, "hide"])
    page = client.get(reverse("record_detail", args=[good.pk])).content.decode()
    assert 'name="visibility-reason"' in page and 'name="visibility-expected_version"' in page
    refused = client.post(url, {"visibility-reason": "", "visibility-expected_version": good.version})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    good.refresh_from_db()
    assert good.status == RecordStatus.ACTIVE
    opened_at = good.version
    done = client.post(url, {"visibility-reason": "当事人书面申请", "visibility-expected_version": opened_at})
    assert done.status_code == 302 and done.url == reverse("record_detail", args=[good.pk])
    good.refresh_from_db()
    assert good.status == RecordStatus.HIDDEN
    stale = client.post(
        reverse("record_trustworthy", args=[good.pk, "show"]),
        {"visibility-reason": "当事人申请公开", "visibility-expected_version": opened_at},
    )
    assert stale.status_code == 200 and "当事人申请公开" in stale.content.decode()
    good.refresh_from_db()
    assert good.status == RecordStatus.HIDDEN
