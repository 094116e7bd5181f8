"""Credit reports (HN 28; R-SEC-1; issue 22): a subject's report of a period, read back from its PDF, with a
verification code anyone can check on the public page (valid, superseded, revoked) and its QR code; the dates
checked against today; a natural person's reports of a year counted against the profile; another department's
subject a 404."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from creditportal.documents import pdf_text
from creditportal.models import JurisdictionProfile
from creditportal.profiles import forget_profiles
from designations.tests.helpers import render_pending
from subjects import services
from subjects.models import CreditReport
from subjects.services.reports import normalised_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _issue(subject, actor, capture, **fields):
    today = timezone.localdate()
    with capture(execute=True):
        report = services.credit_report_issue(
            subject=subject,
            actor=actor,
            reason="当事人申请",
            period_from=fields.pop("period_from", datetime.date(2025, 1, 1)),
            period_to=fields.pop("period_to", today),
            **fields,
        )
    render_pending(report)
    return report


def _pdf(report):
    from subjects.selectors import report_verification

    document = report_verification(report.verification_code).pdf
    document.file.open("rb")
    try:
        return document, re.sub(r"\s+", "", pdf_text(document.file.read()))
    finally:
        document.file.close()


def test_r_sec_1_the_report_states_the_subjects_information_of_the_period_and_its_code(
    record, caseworker_a, django_capture_on_commit_callbacks
):
    subject = record.subject
    report = _issue(subject, caseworker_a, django_capture_on_commit_callbacks)
    document, text = _pdf(report)
    assert document.sha256 and len(report.verification_code) == 19
    for expected in ("信用报告", subject.name, subject.identifier, record.catalog_item.name, report.verification_code):
        assert expected in text, expected
    assert "免费出具" in text and "/verify/" in text
    assert not re.search(r"R-[A-Z]{2,4}-\d", text)  # the deployment's articles, never a rule id


def test_a_report_of_a_period_before_the_record_does_not_state_it(
    record, caseworker_a, django_capture_on_commit_callbacks
):
    report = _issue(
        record.subject,
        caseworker_a,
        django_capture_on_commit_callbacks,
        period_from=datetime.date(2020, 1, 1),
        period_to=record.determined_on - datetime.timedelta(days=1),
    )
    _document, text = _pdf(report)
    assert record.summary not in text and "报告期间内无公示中的失信信息" in text


def test_dates_are_checked_against_today_and_each_other(record, caseworker_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.credit_report_issue(
            subject=record.subject,
            actor=caseworker_a,
            reason="申请",
            period_from=today,
            period_to=today + datetime.timedelta(days=1),
        )
    assert "period_to" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.credit_report_issue(
            subject=record.subject,
            actor=caseworker_a,
            reason="申请",
            period_from=today,
            period_to=today.replace(year=2025),
        )
    assert "period_from" in refused.value.message_dict
    assert not CreditReport.objects.exists()


def test_r_sec_1_a_natural_person_gets_the_profiles_number_of_reports_a_year(
    client, caseworker_a, dept_a, django_capture_on_commit_callbacks
):
    from subjects.tests.factories import PersonFactory

    JurisdictionProfile.objects.filter(code="HN").unguarded().update(free_reports_per_year=2)
    forget_profiles()
    person = PersonFactory(department=dept_a, name="王某某")
    _issue(person, caseworker_a, django_capture_on_commit_callbacks)
    second = _issue(person, caseworker_a, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        _issue(person, caseworker_a, django_capture_on_commit_callbacks)
    assert "2" in refused.value.messages[0] and "王某某" in refused.value.messages[0]
    # a third party's inquiry under the person's authorisation is not one of its own reports
    _issue(person, caseworker_a, django_capture_on_commit_callbacks, authorisation=_authorised(person, caseworker_a))
    # a revoked report (issued in error) does not count
    services.credit_report_revoke(report=second, actor=caseworker_a, reason="出具有误")
    third = _issue(person, caseworker_a, django_capture_on_commit_callbacks)
    assert CreditReport.objects.filter(subject=person, authorisation__isnull=True).count() == 3
    # R-DIS-4: the public verification names the person with the number masked
    page = client.get(reverse("report_verify"), {"code": third.verification_code}).content.decode()
    assert "王某某" in page and person.identifier not in page and person.masked_id_number in page


def test_the_public_verification_says_valid_then_revoked_and_shows_no_content(
    client, record, caseworker_a, django_capture_on_commit_callbacks
):
    report = _issue(record.subject, caseworker_a, django_capture_on_commit_callbacks)
    typed = report.verification_code.replace("-", "").lower()  # as read aloud: no dashes, lower case
    assert normalised_code(typed) == report.verification_code
    document, _text = _pdf(report)
    page = client.get(reverse("report_verify"), {"code": typed}).content.decode()
    assert ">有效<" in page and record.subject.name in page and document.sha256 in page
    main = page[page.index("<main") : page.index("</main>")]  # the page's own content, not the site's navigation
    assert record.summary not in main and record.catalog_item.name not in main  # nothing of the content
    services.credit_report_revoke(report=report, actor=caseworker_a, reason="出具有误，已重新出具")
    page = client.get(reverse("report_verify"), {"code": report.verification_code}).content.decode()
    assert ">已撤销<" in page and "出具有误，已重新出具" in page and ">有效<" not in page
    unknown = client.get(reverse("report_verify"), {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "没有该验证码对应的信用报告" in unknown and record.subject.name not in unknown


def test_the_verification_answers_with_a_constant_number_of_queries(
    client, record, caseworker_a, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    report = _issue(record.subject, caseworker_a, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("report_verify"), {"code": report.verification_code}).status_code == 200


def test_issued_from_the_subjects_page_and_another_departments_subject_is_a_404(
    client, record, caseworker_a, caseworker_b
):
    subject = record.subject
    url = reverse("credit_report_create", args=[subject.pk])
    client.force_login(caseworker_b)
    assert client.get(url).status_code == 404
    client.force_login(caseworker_a)
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "period_from": "2025-01-01",
            "period_to": (today + datetime.timedelta(days=3)).isoformat(),
            "reason": "当事人申请",
        },
    )
    assert response.status_code == 200 and "报告期间不能晚于今天" in response.content.decode()
    assert not CreditReport.objects.exists()
    response = client.post(url, {"period_from": "2025-01-01", "period_to": today.isoformat(), "reason": "当事人申请"})
    assert response.status_code == 302
    report = CreditReport.objects.get(subject=subject)
    page = client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert report.verification_code in page


def test_revoked_through_its_page_with_the_reason_and_not_by_another_department(
    client, record, caseworker_a, caseworker_b, django_capture_on_commit_callbacks
):
    report = _issue(record.subject, caseworker_a, django_capture_on_commit_callbacks)
    url = reverse("credit_report_revoke", args=[report.pk])
    client.force_login(caseworker_b)
    assert client.post(url, {"reason": "有误"}).status_code == 404
    client.force_login(caseworker_a)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    report.refresh_from_db()
    assert report.revoked_at is None
    assert client.post(url, {"reason": "出具有误"}).status_code == 302
    report.refresh_from_db()
    assert report.revoked_at and report.revocation_reason == "出具有误" and report.revoked_by == caseworker_a
    assert report.history.filter(history_change_reason="出具有误").exists()


# --- R-SEC-2, R-SEC-3: a third party's inquiry under the subject's written authorisation --------------------------

SIGNED = b"%PDF-1.7 signed authorisation"


def _authorised(subject, actor, **changes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = timezone.localdate()
    fields = {
        "requester": "海南农商银行",
        "requester_code": "91460000MA5T000000",
        "purpose": "贷款审批",
        "valid_from": today,
        "valid_until": today + datetime.timedelta(days=90),
        "document": SimpleUploadedFile("授权书.pdf", SIGNED, content_type="application/pdf"),
        "received_on": today,
        **changes,
    }
    return services.authorisation_register(subject=subject, actor=actor, reason="收到书面授权", **fields)


def test_r_sec_2_a_third_party_inquires_only_under_the_subjects_written_authorisation(
    record, caseworker_a, organisation, dept_a, django_capture_on_commit_callbacks
):
    from creditportal.models import AuditEvent
    from subjects.tests.factories import OrganisationFactory

    subject = record.subject
    today = timezone.localdate()
    kwargs = {
        "actor": caseworker_a,
        "reason": "第三方查询",
        "period_from": datetime.date(2025, 1, 1),
        "period_to": today,
    }
    with pytest.raises(ValidationError) as refused:
        services.credit_report_issue(subject=subject, for_third_party=True, **kwargs)
    assert "须经信用主体书面授权" in refused.value.message_dict["authorisation"][0]
    other = _authorised(OrganisationFactory(department=dept_a), caseworker_a)
    with pytest.raises(ValidationError, match="其他信用主体"):
        services.credit_report_issue(subject=subject, authorisation=other, **kwargs)
    later = _authorised(subject, caseworker_a, valid_from=today + datetime.timedelta(days=5))
    with pytest.raises(ValidationError, match="起方才有效"):
        services.credit_report_issue(subject=subject, authorisation=later, **kwargs)
    withdrawn = services.authorisation_withdraw(
        authorisation=_authorised(subject, caseworker_a), actor=caseworker_a, reason="当事人书面撤回"
    )
    with pytest.raises(ValidationError, match="已于 .* 撤回"):
        services.credit_report_issue(subject=subject, authorisation=withdrawn, **kwargs)
    assert not CreditReport.objects.exists()

    authorisation = _authorised(subject, caseworker_a)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.credit_report_issue(subject=subject, authorisation=authorisation, **kwargs)
    render_pending(report)
    _document, text = _pdf(report)
    for expected in ("海南农商银行", "贷款审批", "经信用主体书面授权"):
        assert expected in text, expected
    # R-SEC-3: the inquiry is registered, with who asked and for what
    event = AuditEvent.objects.get(action="subjects.inquiry.authorised")
    assert event.data["requester"] == "海南农商银行" and event.data["purpose"] == "贷款审批"
    assert event.data["report"] == report.verification_code


def test_r_sec_2_an_authorisation_lapsed_on_its_last_day_allows_no_inquiry(record, caseworker_a, time_machine):
    subject = record.subject
    authorisation = _authorised(subject, caseworker_a)
    time_machine.move_to(
        timezone.make_aware(datetime.datetime.combine(authorisation.valid_until, datetime.time(10)))
        + datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="已于 .* 到期"):
        services.credit_report_issue(
            subject=subject,
            authorisation=authorisation,
            actor=caseworker_a,
            reason="第三方查询",
            period_from=datetime.date(2025, 1, 1),
            period_to=timezone.localdate(),
        )


def test_r_sec_2_an_authorisation_is_registered_only_in_writing_bounded_and_dated(record, caseworker_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _authorised(record.subject, caseworker_a, document=None)
    assert "document" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _authorised(
            record.subject,
            caseworker_a,
            valid_from=today.replace(year=today.year - 1),
            valid_until=today - datetime.timedelta(days=1),
        )
    assert "valid_until" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _authorised(record.subject, caseworker_a, received_on=today + datetime.timedelta(days=1))
    assert "received_on" in refused.value.message_dict
    assert not record.subject.inquiry_authorisations.exists()


def test_registered_through_the_subjects_page_its_document_downloaded_and_another_department_gets_a_404(
    client, record, caseworker_a, caseworker_b
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    subject = record.subject
    today = timezone.localdate().isoformat()
    url = reverse("inquiry_authorisation_create", args=[subject.pk])
    client.force_login(caseworker_b)
    assert client.get(url).status_code == 404
    client.force_login(caseworker_a)
    data = {
        "requester": "海南农商银行",
        "purpose": "贷款审批",
        "valid_from": today,
        "valid_until": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "received_on": today,
        "reason": "收到书面授权",
    }
    refused = client.post(url, data)  # no signed authorisation attached
    assert refused.status_code == 200 and not subject.inquiry_authorisations.exists()
    file = SimpleUploadedFile("授权书.pdf", SIGNED, content_type="application/pdf")
    assert client.post(url, {**data, "document": file}).status_code == 302
    authorisation = subject.inquiry_authorisations.get()
    page = client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "海南农商银行" in page and "贷款审批" in page
    download = client.get(reverse("inquiry_authorisation_document", args=[authorisation.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == SIGNED
    client.force_login(caseworker_b)
    assert client.get(reverse("inquiry_authorisation_document", args=[authorisation.pk])).status_code == 404
