"""The subject portal (issue 22): a natural person signs in by its identity number and a code mailed to the address
of its signed consent to electronic service, then sees its own information (R-SEC-1), the documents served on it,
and who looked at it (R-SEC-3); nobody learns from the pages whether a number is known; a code is used once, expires,
allows a few tries; a subject sees only its own documents, not by changing an id in the address."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from creditportal import documents
from creditportal.choices import ServiceMethod
from portal.models import SignInCode
from subjects import services as subject_services
from subjects.tests.conftest import BASIS
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def person(dept_a, caseworker_a, catalog):
    person = PersonFactory(department=dept_a, name="黄文静")
    subject_services.service_consent_register(
        subject=person,
        actor=caseworker_a,
        reason="收到确认书",
        address="huang@example.cn",
        consented_on=timezone.localdate(),
        confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
    )
    subject_services.record_create(
        actor=caseworker_a,
        subject=person,
        catalog_item=catalog[0],
        summary="拒不履行行政处罚决定",
        determined_on=datetime.date(2026, 3, 2),
        basis={**BASIS, "number": "海口市监罚〔2026〕77号"},
        reason="录入",
    )
    return person


@pytest.fixture
def ask(client):
    """Ask for a sign-in code as the page does; the worker (eager in tests) makes and mails it after commit."""

    def _ask(identifier, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return client.post(reverse("portal_signin"), {"identifier": identifier}, **kwargs)

    return _ask


def _code_from(mailoutbox) -> str:
    return re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)


def _sign_in(client, person, mailoutbox) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("portal_signin"), {"identifier": person.identifier})
    response = client.post(reverse("portal_code"), {"code": _code_from(mailoutbox)})
    assert response.status_code == 302 and response["Location"] == reverse("portal_home")


def test_r_sec_1_a_person_signs_in_by_a_code_sent_to_its_address_and_sees_its_own_information(
    client, person, mailoutbox, ask
):
    assert client.get(reverse("portal_home")).status_code == 302  # not signed in
    response = ask(person.identifier.lower())
    assert response.status_code == 302 and response["Location"] == reverse("portal_code")
    message = mailoutbox[-1]
    assert message.to == ["huang@example.cn"] and "验证码" in message.subject
    before = client.session.session_key
    client.post(reverse("portal_code"), {"code": _code_from(mailoutbox)})
    assert client.session.session_key != before  # renewed at sign-in
    page = client.get(reverse("portal_home")).content.decode()
    assert "黄文静" in page and "拒不履行行政处罚决定" in page and "免费" in page
    assert person.identifier not in page  # even its own number is shown masked on the page


def test_nobody_learns_whether_a_number_is_known(client, person, mailoutbox, ask):
    unknown = ask("110105199001011234", follow=True)
    known = ask(person.identifier, follow=True)
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(unknown.content.decode()) == strip(known.content.decode())
    assert len(mailoutbox) == 1  # only the known number with an address was sent a code
    assert client.post(reverse("portal_code"), {"code": "123456"}).status_code == 200  # and no code signs in


def test_a_person_without_a_signed_address_is_sent_nothing(client, dept_a, mailoutbox, ask):
    person = PersonFactory(department=dept_a)
    ask(person.identifier)
    assert not mailoutbox and not SignInCode.objects.exists()


def test_a_code_is_used_once_expires_and_allows_a_few_tries(client, person, mailoutbox, ask, settings, time_machine):
    settings.PORTAL_SIGNIN_TRIES = 3
    ask(person.identifier)
    code = _code_from(mailoutbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(3):
        refused = client.post(reverse("portal_code"), {"code": wrong})
        assert refused.status_code == 200 and "验证码不正确或已失效" in refused.content.decode()
    assert client.post(reverse("portal_code"), {"code": code}).status_code == 200  # out of tries: the right one too
    ask(person.identifier)
    code = _code_from(mailoutbox)
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=settings.PORTAL_SIGNIN_CODE_MINUTES + 1))
    assert client.post(reverse("portal_code"), {"code": code}).status_code == 200  # expired


def test_codes_for_one_subject_are_limited_per_hour(client, person, mailoutbox, ask, settings):
    settings.PORTAL_SIGNIN_CODES_PER_HOUR = 2
    for _ in range(4):
        ask(person.identifier)
    assert len(mailoutbox) == 2


def test_codes_to_one_address_are_limited_per_hour_whoever_they_are_for(
    client, person, dept_a, caseworker_a, mailoutbox, ask, settings
):
    """Several people may sign for one address (a company's representative and its clerk): asking for each in turn
    does not flood it; each person's own limit is not reached."""
    settings.PORTAL_SIGNIN_CODES_PER_HOUR = 5
    settings.PORTAL_SIGNIN_CODES_PER_ADDRESS = 3
    others = [PersonFactory(department=dept_a) for _ in range(3)]
    for other in others:
        subject_services.service_consent_register(
            subject=other,
            actor=caseworker_a,
            reason="收到确认书",
            address="huang@example.cn",  # the same address as the person's
            consented_on=timezone.localdate(),
            confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
        )
    for someone in [person, *others]:
        ask(someone.identifier)
    assert len(mailoutbox) == 3 and SignInCode.objects.count() == 3


def test_a_subject_reads_only_the_documents_served_on_it_and_not_by_changing_an_id(
    client, person, caseworker_a, dept_a, mailoutbox, django_capture_on_commit_callbacks
):
    from subjects.selectors import report_verification

    def report_of(subject):
        with django_capture_on_commit_callbacks(execute=True):
            report = subject_services.credit_report_issue(
                subject=subject,
                actor=caseworker_a,
                reason="申请",
                period_from=datetime.date(2025, 1, 1),
                period_to=timezone.localdate(),
            )
        document = report_verification(report.verification_code).pdf
        documents.document_render(document=document)
        document.refresh_from_db()
        return document

    own = report_of(person)
    other = report_of(PersonFactory(department=dept_a, name="另一人"))
    _sign_in(client, person, mailoutbox)
    page = client.get(reverse("portal_home")).content.decode()
    assert reverse("portal_document", args=[own.pk]) in page
    assert reverse("portal_document", args=[other.pk]) not in page
    download = client.get(reverse("portal_document", args=[own.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("portal_document", args=[other.pk])).status_code == 404


def test_r_sec_3_the_subject_sees_which_department_looked_and_why_not_who(client, person, caseworker_a, mailoutbox):
    client.force_login(caseworker_a)
    client.get(reverse("subject_detail", args=[person.pk]))  # asked why (the test client answers), registered
    client.logout()
    _sign_in(client, person, mailoutbox)
    page = client.get(reverse("portal_home")).content.decode()
    assert caseworker_a.memberships.first().department.name in page
    assert caseworker_a.username not in page and caseworker_a.get_full_name() not in page


def test_signing_out_ends_the_portal_session(client, person, mailoutbox):
    _sign_in(client, person, mailoutbox)
    client.post(reverse("portal_signout"))
    assert client.get(reverse("portal_home")).status_code == 302


def test_electronic_service_is_recorded_and_the_document_appears_in_the_portal(
    client, person, caseworker_a, mailoutbox, django_capture_on_commit_callbacks
):
    """A document served on the subject (here electronically, to its address) is its to read in the portal."""
    from subjects.selectors import report_verification

    with django_capture_on_commit_callbacks(execute=True):
        report = subject_services.credit_report_issue(
            subject=person,
            actor=caseworker_a,
            reason="申请",
            period_from=datetime.date(2025, 1, 1),
            period_to=timezone.localdate(),
        )
    document = report_verification(report.verification_code).pdf
    documents.document_render(document=document)
    document.refresh_from_db()
    documents.service_record_add(
        document=document,
        method=ServiceMethod.ELECTRONIC,
        served_on=timezone.localdate(),
        recipient="本人",
        actor=caseworker_a,
        reason="电子送达",
    )
    _sign_in(client, person, mailoutbox)
    page = client.get(reverse("portal_home")).content.decode()
    assert reverse("portal_document", args=[document.pk]) in page
    assert (
        f"{timezone.localdate():%Y-%m-%d}电子送达（送达您的电子送达地址之日）" in page
        and "首次在本平台打开" not in page
    )


def test_the_first_download_is_recorded_apart_from_the_date_of_service(
    client, person, caseworker_a, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    """Issue 22: an electronic service is dated the day the message arrived; the subject opening it days later is
    recorded beside it and changes nothing of that date; a second opening changes nothing either."""
    from subjects.selectors import report_verification

    served = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        report = subject_services.credit_report_issue(
            subject=person,
            actor=caseworker_a,
            reason="申请",
            period_from=datetime.date(2025, 1, 1),
            period_to=timezone.localdate(),
        )
    document = report_verification(report.verification_code).pdf
    documents.document_render(document=document)
    document.refresh_from_db()
    record = documents.service_record_add(
        document=document,
        method=ServiceMethod.ELECTRONIC,
        served_on=timezone.localdate(),
        recipient="本人",
        actor=caseworker_a,
        reason="电子送达",
    )
    time_machine.move_to(served + datetime.timedelta(days=3), tick=False)
    _sign_in(client, person, mailoutbox)
    assert client.get(reverse("portal_document", args=[document.pk])).status_code == 200
    record.refresh_from_db()
    opened = record.first_downloaded_at
    assert opened is not None and timezone.localdate(opened) == timezone.localdate(served + datetime.timedelta(days=3))
    assert record.served_on == timezone.localdate(served)  # the arrival stays the date of service
    time_machine.move_to(served + datetime.timedelta(days=5), tick=False)
    _sign_in(client, person, mailoutbox)  # a sign-in lasts a working day
    assert client.get(reverse("portal_document", args=[document.pk])).status_code == 200
    record.refresh_from_db()
    assert record.first_downloaded_at == opened
    page = client.get(reverse("portal_home")).content.decode()
    assert f"首次在本平台打开 {timezone.localtime(opened):%Y-%m-%d %H:%M}" in page


def test_r_sec_1_a_person_asks_for_its_own_report_in_the_portal_within_its_yearly_count(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    from creditportal.models import JurisdictionProfile
    from creditportal.profiles import forget_profiles
    from subjects.models import CreditReport

    JurisdictionProfile.objects.filter(code="HN").unguarded().update(free_reports_per_year=1)
    forget_profiles()
    _sign_in(client, person, mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("portal_report_request"), follow=True).content.decode()
    assert "信用报告" in first and CreditReport.objects.filter(subject=person).count() == 1
    refused = client.post(reverse("portal_report_request"), follow=True).content.decode()
    assert "本年度已获取信用报告1次" in refused and CreditReport.objects.filter(subject=person).count() == 1


def test_a_legal_representative_acts_for_its_organisation_and_nobody_else(
    client, person, caseworker_a, dept_a, mailoutbox, organisation
):
    from subjects.tests.factories import OrganisationFactory

    link = subject_services.related_person_add(
        organisation=organisation, person=person, role="legal_representative", actor=caseworker_a, reason="工商登记"
    )
    stranger = OrganisationFactory(department=dept_a, name="无关公司")
    _sign_in(client, person, mailoutbox)
    home = client.get(reverse("portal_home")).content.decode()
    assert organisation.name in home and "法定代表人" in home and stranger.name not in home
    client.post(reverse("portal_act_for"), {"subject": organisation.pk})
    page = client.get(reverse("portal_home")).content.decode()
    assert organisation.identifier in page  # the organisation's information now
    refused = client.post(reverse("portal_act_for"), {"subject": stranger.pk}, follow=True).content.decode()
    assert "法定代表人" in refused and stranger.identifier not in refused
    # no longer its representative: the next request shows the person's own again
    from subjects.models import RelatedPerson

    RelatedPerson.objects.filter(pk=link.pk).unguarded().update(until=timezone.localdate() - datetime.timedelta(days=1))
    page = client.get(reverse("portal_home")).content.decode()
    assert organisation.identifier not in page and "黄文静" in page


def test_r_obj_1_a_subject_files_an_objection_online_to_its_own_record_and_the_department_receives_it(
    client, person, dept_a, caseworker_a, catalog, mailoutbox
):
    from creditportal.models import Deadline
    from objections.models import Objection
    from subjects.models import CreditRecord

    record = CreditRecord.objects.get(subject=person)
    other = PersonFactory(department=dept_a)
    _sign_in(client, person, mailoutbox)
    # another's record is a 404, not by changing the id in the address
    others_record = subject_services.record_create(
        actor=caseworker_a,
        subject=other,
        catalog_item=catalog[0],
        summary="另一人的记录",
        determined_on=datetime.date(2026, 3, 2),
        basis={**BASIS, "number": "海口市监罚〔2026〕78号"},
        reason="录入",
    )
    assert client.get(reverse("portal_objection_record", args=[others_record.pk])).status_code == 404
    url = reverse("portal_objection_record", args=[record.pk])
    refused = client.post(url, {"ground": "error", "grounds_text": ""})
    assert refused.status_code == 200 and not Objection.objects.exists()
    evidence = SimpleUploadedFile("缴款凭证.pdf", b"%PDF-1.7 paid", content_type="application/pdf")
    response = client.post(url, {"ground": "error", "grounds_text": "罚款已于当日缴清，记录有误", "evidence": evidence})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.subject == person and objection.record == record and objection.department == record.department
    assert objection.applicant == "黄文静" and objection.evidence
    assert Deadline.objects.filter(object_id=objection.pk).exists()  # its clocks started on receipt
    page = client.get(reverse("portal_home")).content.decode()
    mine = re.search(r'aria-labelledby="objections-heading">(.*?)</section>', page, re.S).group(1)
    assert objection.get_state_display() in mine and record.department.name in mine
    assert other.name not in page


def test_r_res_1_r_nat_3_the_legal_representative_applies_online_with_the_commitment_and_the_department_accepts(
    client, person, listed, caseworker_a, mailoutbox
):
    from restoration import services as restoration_services
    from restoration.models import RestorationApplication

    company = listed.subject
    subject_services.related_person_add(
        organisation=company, person=person, role="legal_representative", actor=caseworker_a, reason="工商登记"
    )
    _sign_in(client, person, mailoutbox)
    client.post(reverse("portal_act_for"), {"subject": company.pk})
    url = reverse("portal_restoration_designation", args=[listed.pk])
    assert url in client.get(reverse("portal_home")).content.decode()
    refused = client.post(url, {"method": "rectification", "evidence": ""})
    assert refused.status_code == 200 and not RestorationApplication.objects.exists()
    commitment = "本公司公开承诺：所提交材料真实有效，不再发生同类失信行为。"
    response = client.post(
        url, {"method": "rectification", "evidence": "已完成整改并缴清罚款", "commitment": commitment}
    )
    assert response.status_code == 302
    application = RestorationApplication.objects.get()
    assert application.designation == listed and application.department == listed.department
    assert application.commitment == commitment and application.state == "received"
    restoration_services.restoration_accept(application=application, actor=caseworker_a, reason="受理")
    assert commitment in client.get(reverse("public_commitments")).content.decode()  # published on acceptance
    mine = client.get(reverse("portal_home")).content.decode()
    assert "已受理" in mine


def test_an_idle_portal_session_ends(client, person, mailoutbox, settings, time_machine):
    settings.PORTAL_IDLE_MINUTES = 15  # the test settings keep sessions alive for good
    _sign_in(client, person, mailoutbox)
    assert client.get(reverse("portal_home")).status_code == 200
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=settings.PORTAL_IDLE_MINUTES + 1))
    response = client.get(reverse("portal_home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal_signin")
    assert "没有操作，系统已自动退出登录" in response.content.decode()
    assert client.get(reverse("portal_home")).status_code == 302  # signed out, not just redirected once
