"""Agents in the subject portal (issue 22, as the electronic business licence's authorisations): an organisation's legal
representative, acting for it, authorises a natural person to act for it in all matters or named ones until a day;
the agent signs in with its own number and code and acts for the organisation in those matters only, checked at every
request (withdrawn or expired, at once); it cannot authorise another; what it files names it. Told on fixed days."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from creditportal.models import AuditEvent
from objections.models import Objection
from portal import selectors, services
from portal.choices import Matter
from portal.models import AgentAuthorisation
from subjects import services as subject_services
from subjects.models import CreditReport
from subjects.tests.conftest import BASIS
from subjects.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 9, 1)  # the day the story starts


@pytest.fixture(autouse=True)
def story(on):
    on(DAY.year, DAY.month, DAY.day)


def _consented(person, caseworker, address):
    subject_services.service_consent_register(
        subject=person,
        actor=caseworker,
        reason="收到确认书",
        address=address,
        consented_on=timezone.localdate(),
        confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
    )
    return person


@pytest.fixture
def company(dept_a):
    return OrganisationFactory(department=dept_a, name="海口椰风食品有限公司")


@pytest.fixture
def rep(company, dept_a, caseworker_a):
    person = _consented(PersonFactory(department=dept_a, name="王建国"), caseworker_a, "wang@example.cn")
    subject_services.related_person_add(
        organisation=company, person=person, role="legal_representative", actor=caseworker_a, reason="工商登记"
    )
    return person


@pytest.fixture
def agent(dept_a, caseworker_a):
    return _consented(PersonFactory(department=dept_a, name="李晓梅"), caseworker_a, "li@example.cn")


@pytest.fixture
def company_record(company, caseworker_a, catalog):
    return subject_services.record_create(
        actor=caseworker_a,
        subject=company,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis=BASIS,
        reason="录入",
    )


@pytest.fixture
def agent_client(client):
    """The agent's own browser: another session than the representative's."""
    return type(client)()


def _sign_in(client, person, mailoutbox) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("portal_signin"), {"identifier": person.identifier})
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    response = client.post(reverse("portal_code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("portal_home")


def _act_for(client, person, organisation, mailoutbox) -> None:
    _sign_in(client, person, mailoutbox)
    client.post(reverse("portal_act_for"), {"subject": organisation.pk})
    assert organisation.identifier in client.get(reverse("portal_home")).content.decode()


def _authorise(company, rep, agent, *, matters=(), all_matters=False, days=30):
    return services.agent_authorise(
        organisation=company,
        granted_by=rep,
        agent=agent,
        all_matters=all_matters,
        matters=matters,
        expires_on=DAY + datetime.timedelta(days=days),
    )


def _report_document(subject, caseworker, django_capture_on_commit_callbacks):
    """A credit report of ``subject`` (one of its documents), rendered."""
    from creditportal import documents
    from subjects.selectors import report_verification

    with django_capture_on_commit_callbacks(execute=True):
        report = subject_services.credit_report_issue(
            subject=subject,
            actor=caseworker,
            reason="申请",
            period_from=datetime.date(2025, 1, 1),
            period_to=timezone.localdate(),
        )
    document = report_verification(report.verification_code).pdf
    documents.document_render(document=document)
    document.refresh_from_db()
    return document


def test_the_legal_representative_authorises_an_agent_for_named_matters_until_a_day(
    client, company, rep, agent, mailoutbox
):
    _act_for(client, rep, company, mailoutbox)
    response = client.post(
        reverse("portal_agent_authorise"),
        {
            "identifier": agent.identifier.lower(),
            "name": "李晓梅",
            "matters": [Matter.OBJECTIONS, Matter.DOCUMENTS],
            "expires_on": "2026-12-31",
        },
    )
    assert response.status_code == 302
    authorisation = AgentAuthorisation.objects.get()
    assert (authorisation.organisation, authorisation.agent, authorisation.granted_by) == (company, agent, rep)
    assert sorted(authorisation.matters) == [Matter.DOCUMENTS, Matter.OBJECTIONS] and not authorisation.all_matters
    assert (authorisation.valid_from, authorisation.expires_on) == (DAY, datetime.date(2026, 12, 31))
    assert authorisation.department == company.department
    history = authorisation.history.get()
    assert rep.name in history.history_change_reason and history.history_user.username == "system"
    event = AuditEvent.objects.get(action="portal.agent.authorised")
    assert event.object_id == str(company.pk) and event.data["agent"] == agent.pk
    page = client.get(reverse("portal_home")).content.decode()
    agents = re.search(r'aria-labelledby="agents-heading">(.*?)</section>', page, re.S).group(1)
    assert "李**" in agents and "李晓梅" not in agents and "2026-12-31" in agents  # the agent named masked


def test_a_wrong_name_or_number_authorises_nobody_and_says_the_same(client, company, rep, agent, mailoutbox):
    _act_for(client, rep, company, mailoutbox)
    url, expires = reverse("portal_agent_authorise"), "2026-12-31"
    wrong_name = client.post(
        url, {"identifier": agent.identifier, "name": "李晓", "all_matters": "on", "expires_on": expires}
    )
    unknown = client.post(
        url, {"identifier": "110105199001011234", "name": "李晓梅", "all_matters": "on", "expires_on": expires}
    )
    assert wrong_name.status_code == unknown.status_code == 200 and not AgentAuthorisation.objects.exists()
    message = services.agent_unknown_message()
    assert message in wrong_name.content.decode() and message in unknown.content.decode()


#: Each refusal: what differs from a lawful authorisation, and what the refusal says.
REFUSALS = {
    # who authorises
    "not_the_representative": (lambda f: {"granted_by": f["stranger"]}, "Only the legal representative"),
    "an_agent_authorising_another": (
        lambda f: {"granted_by": f["agent"], "agent": f["stranger"]},
        "Only the legal representative",
    ),
    # whom
    "an_organisation_as_agent": (lambda f: {"agent": f["other_company"]}, "An agent is a natural person"),
    "the_representative_himself": (lambda f: {"agent": f["rep"]}, "is a legal representative of"),
    "a_person_without_a_signed_address": (lambda f: {"agent": f["unreachable"]}, "signed consent"),
    # what and until when
    "no_matter": (lambda f: {"all_matters": False, "matters": []}, "Choose all matters, or the matters"),
    "an_unknown_matter": (lambda f: {"all_matters": False, "matters": ["everything"]}, "from the list"),
    "an_expiry_in_the_past": (lambda f: {"expires_on": DAY - datetime.timedelta(days=1)}, "This day has passed"),
    "an_expiry_too_far": (
        lambda f: {"expires_on": DAY + datetime.timedelta(days=f["max_days"] + 1)},
        "lasts at most",
    ),
    "a_beginning_in_the_past": (lambda f: {"valid_from": DAY - datetime.timedelta(days=1)}, "today or later"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused_authorisations_change_nothing(case, company, rep, agent, dept_a, caseworker_a, settings):
    stranger = _consented(PersonFactory(department=dept_a, name="赵路人"), caseworker_a, "zhao@example.cn")
    existing = _authorise(company, rep, agent, matters=[Matter.DOCUMENTS])  # the agent of the second case
    fixtures = {
        "agent": agent,
        "rep": rep,
        "stranger": stranger,
        # an organisation with a signed address: only what it is refuses it
        "other_company": _consented(OrganisationFactory(department=dept_a), caseworker_a, "office@example.cn"),
        "unreachable": PersonFactory(department=dept_a),
        "max_days": settings.PORTAL_AGENT_MAX_DAYS,
    }
    differs, says = REFUSALS[case]
    kwargs = {
        "organisation": company,
        "granted_by": rep,
        "agent": stranger,
        "all_matters": True,
        "matters": [],
        "expires_on": DAY + datetime.timedelta(days=30),
        **differs(fixtures),
    }
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refusal:
        services.agent_authorise(**kwargs)
    assert says in " ".join(refusal.value.messages)
    assert list(AgentAuthorisation.objects.all()) == [existing] and AuditEvent.objects.count() == events


def test_an_authorisation_from_a_later_day_allows_nothing_before(company, rep, agent):
    begins = DAY + datetime.timedelta(days=3)
    services.agent_authorise(
        organisation=company,
        granted_by=rep,
        agent=agent,
        all_matters=True,
        expires_on=DAY + datetime.timedelta(days=30),
        valid_from=begins,
    )
    assert not selectors.represented(agent).exists() and selectors.matters_for(agent, company) == frozenset()
    assert list(selectors.represented(agent, begins)) == [company]


def test_the_longest_authorisation_allowed_is_accepted(company, rep, agent, settings):
    """The bound of the refusal above is the setting's, not one day short of it."""
    authorisation = _authorise(company, rep, agent, all_matters=True, days=settings.PORTAL_AGENT_MAX_DAYS)
    assert authorisation.expires_on == DAY + datetime.timedelta(days=settings.PORTAL_AGENT_MAX_DAYS)


def test_a_second_authorisation_of_the_same_agent_waits_for_the_first_to_end(company, rep, agent):
    _authorise(company, rep, agent, matters=[Matter.DOCUMENTS])
    with pytest.raises(ValidationError):
        _authorise(company, rep, agent, matters=[Matter.OBJECTIONS])
    services.agent_withdraw(authorisation=AgentAuthorisation.objects.get(), withdrawn_by=rep, reason="改为其他事项")
    assert _authorise(company, rep, agent, matters=[Matter.OBJECTIONS]).matters == [Matter.OBJECTIONS]


def test_an_agent_cannot_authorise_another_through_the_page(
    agent_client, company, rep, agent, dept_a, caseworker_a, mailoutbox
):
    _authorise(company, rep, agent, all_matters=True)
    other = _consented(PersonFactory(department=dept_a, name="钱多多"), caseworker_a, "qian@example.cn")
    _act_for(agent_client, agent, company, mailoutbox)
    home = agent_client.get(reverse("portal_home")).content.decode()
    assert 'id="agents-heading"' not in home  # no agents' section for an agent
    refused = agent_client.post(
        reverse("portal_agent_authorise"),
        {"identifier": other.identifier, "name": "钱多多", "all_matters": "on", "expires_on": "2026-10-01"},
        follow=True,
    )
    assert "Only an organisation&#x27;s legal representative" in refused.content.decode()
    assert AgentAuthorisation.objects.count() == 1


def test_an_agent_sees_and_does_only_the_matters_authorised(
    agent_client, company, rep, agent, company_record, caseworker_a, mailoutbox, django_capture_on_commit_callbacks
):
    report = _report_document(company, caseworker_a, django_capture_on_commit_callbacks)
    authorisation = _authorise(company, rep, agent, matters=[Matter.OBJECTIONS])
    _act_for(agent_client, agent, company, mailoutbox)
    home = agent_client.get(reverse("portal_home")).content.decode()
    objection_url = reverse("portal_objection_record", args=[company_record.pk])
    assert objection_url in home
    assert reverse("portal_restoration_record", args=[company_record.pk]) not in home
    assert 'id="documents-heading"' not in home and 'id="lookers-heading"' not in home
    assert reverse("portal_document", args=[report.pk]) not in home
    assert agent_client.get(objection_url).status_code == 200
    # not authorised: sent back with why, nothing done
    assert agent_client.get(reverse("portal_document", args=[report.pk]))["Location"] == reverse("portal_home")
    assert agent_client.get(reverse("portal_restoration_record", args=[company_record.pk])).status_code == 302
    reports = CreditReport.objects.count()
    agent_client.post(reverse("portal_report_request"))
    assert CreditReport.objects.count() == reports
    # the representative changes it (withdraw, authorise again): the agent's next request reads with the new matters
    services.agent_withdraw(authorisation=authorisation, withdrawn_by=rep, reason="改为查阅")
    _authorise(company, rep, agent, matters=[Matter.DOCUMENTS, Matter.INFORMATION])
    download = agent_client.get(reverse("portal_document", args=[report.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.get(action="portal.document.downloaded").data["person"] == agent.pk
    assert agent_client.get(objection_url).status_code == 302  # no longer its matter
    home = agent_client.get(reverse("portal_home")).content.decode()
    assert company_record.summary in home and 'id="lookers-heading"' in home and objection_url not in home


def test_an_agent_for_credit_reports_asks_for_one_and_reads_only_the_reports(
    agent_client, company, rep, agent, caseworker_a, mailoutbox, django_capture_on_commit_callbacks
):
    _authorise(company, rep, agent, matters=[Matter.REPORTS])
    _act_for(agent_client, agent, company, mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(reverse("portal_report_request"))
    report = CreditReport.objects.get(subject=company)
    assert agent.name in report.history.first().history_change_reason  # asked for by the agent, so recorded
    assert len(selectors.readable_documents(company, frozenset({Matter.REPORTS}))) == 1
    assert selectors.readable_documents(company, frozenset({Matter.REPORTS})) == selectors.readable_documents(
        company, frozenset({Matter.DOCUMENTS})
    )  # the company's only documents are its reports
    assert selectors.readable_documents(company, frozenset({Matter.OBJECTIONS})) == []


def test_an_expired_authorisation_ends_at_the_next_request(
    agent_client, company, rep, agent, company_record, mailoutbox, on
):
    _authorise(company, rep, agent, all_matters=True, days=10)
    last_day = DAY + datetime.timedelta(days=10)
    on(last_day.year, last_day.month, last_day.day, hour=17)
    _act_for(agent_client, agent, company, mailoutbox)  # its expiry day included
    objection_url = reverse("portal_objection_record", args=[company_record.pk])
    assert agent_client.get(objection_url).status_code == 200
    next_day = last_day + datetime.timedelta(days=1)
    on(next_day.year, next_day.month, next_day.day, hour=0)
    assert agent_client.get(objection_url).status_code == 404  # in the same session, at once
    home = agent_client.get(reverse("portal_home")).content.decode()
    assert company.identifier not in home and "李晓梅" in home
    assert company not in selectors.represented(agent)


def test_a_withdrawn_authorisation_ends_at_the_agents_next_request(
    client, agent_client, company, rep, agent, company_record, mailoutbox
):
    authorisation = _authorise(company, rep, agent, all_matters=True)
    _act_for(agent_client, agent, company, mailoutbox)
    objection_url = reverse("portal_objection_record", args=[company_record.pk])
    assert agent_client.get(objection_url).status_code == 200
    _act_for(client, rep, company, mailoutbox)
    url = reverse("portal_agent_withdraw", args=[authorisation.pk])
    client.post(url, {"reason": ""})
    authorisation.refresh_from_db()
    assert authorisation.withdrawn_at is None  # a withdrawal says why
    client.post(url, {"reason": "员工离职"})
    authorisation.refresh_from_db()
    assert (authorisation.withdrawn_by, authorisation.withdrawal_reason) == (rep, "员工离职")
    assert AuditEvent.objects.filter(action="portal.agent.withdrawn", object_id=str(company.pk)).exists()
    assert agent_client.get(objection_url).status_code == 404
    assert company.identifier not in agent_client.get(reverse("portal_home")).content.decode()
    assert AgentAuthorisation.objects.filter(pk=authorisation.pk).exists()  # kept, never deleted


def test_only_the_legal_representative_withdraws(company, rep, agent, dept_a, caseworker_a):
    authorisation = _authorise(company, rep, agent, all_matters=True)
    with pytest.raises(ValidationError):
        services.agent_withdraw(authorisation=authorisation, withdrawn_by=agent, reason="我不干了")
    with pytest.raises(ValidationError):
        services.agent_withdraw(authorisation=authorisation, withdrawn_by=rep, reason="  ")  # says why
    services.agent_withdraw(authorisation=authorisation, withdrawn_by=rep, reason="员工离职")
    with pytest.raises(ValidationError):
        services.agent_withdraw(authorisation=authorisation, withdrawn_by=rep, reason="再撤一次")
    authorisation.refresh_from_db()
    assert authorisation.withdrawal_reason == "员工离职"


def test_another_organisations_ids_are_404(
    client, agent_client, company, rep, agent, dept_a, caseworker_a, catalog, mailoutbox
):
    other = OrganisationFactory(department=dept_a, name="无关公司")
    other_rep = _consented(PersonFactory(department=dept_a, name="孙其他"), caseworker_a, "sun@example.cn")
    subject_services.related_person_add(
        organisation=other, person=other_rep, role="legal_representative", actor=caseworker_a, reason="工商登记"
    )
    others_agent = _consented(PersonFactory(department=dept_a, name="周代理"), caseworker_a, "zhou@example.cn")
    others = _authorise(other, other_rep, others_agent, all_matters=True)
    others_record = subject_services.record_create(
        actor=caseworker_a,
        subject=other,
        catalog_item=catalog[0],
        summary="另一家的记录",
        determined_on=datetime.date(2026, 3, 2),
        basis={**BASIS, "number": "海口市监罚〔2026〕78号"},
        reason="录入",
    )
    _authorise(company, rep, agent, all_matters=True)
    _act_for(agent_client, agent, company, mailoutbox)
    assert agent_client.get(reverse("portal_objection_record", args=[others_record.pk])).status_code == 404
    agent_client.post(reverse("portal_act_for"), {"subject": other.pk})
    assert other.identifier not in agent_client.get(reverse("portal_home")).content.decode()
    # the representative of one company withdrawing another's authorisation by its id
    _act_for(client, rep, company, mailoutbox)
    assert client.post(reverse("portal_agent_withdraw", args=[others.pk]), {"reason": "撤回"}).status_code == 404
    others.refresh_from_db()
    assert others.withdrawn_at is None


def test_what_an_agent_files_names_the_agent(agent_client, company, rep, agent, company_record, mailoutbox):
    _authorise(company, rep, agent, matters=[Matter.OBJECTIONS])
    _act_for(agent_client, agent, company, mailoutbox)
    response = agent_client.post(
        reverse("portal_objection_record", args=[company_record.pk]),
        {"ground": "error", "grounds_text": "罚款已于当日缴清，记录有误"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.subject == company and agent.name in objection.applicant and company.name in objection.applicant
    assert (
        rep.name not in objection.applicant and "agent" in objection.applicant
    )  # as its agent, not its representative


def test_the_services_check_the_agents_matter_again(company, rep, agent, company_record):
    """Whatever a page lets through, a service files for an organisation only as its representative or its agent
    for that matter."""
    _authorise(company, rep, agent, matters=[Matter.DOCUMENTS])
    with pytest.raises(ValidationError):
        services.objection_file(
            subject=company, filed_by=agent, target=company_record, ground="error", grounds_text="有误"
        )
    with pytest.raises(ValidationError):
        services.restoration_apply(
            subject=company, filed_by=agent, target=company_record, method="rectification", evidence="已整改"
        )
    with pytest.raises(ValidationError):
        services.report_request(subject=company, requested_by=agent)
    assert not Objection.objects.exists() and not CreditReport.objects.exists()


def test_represented_is_one_query_and_counts_the_expiry_day(
    company, rep, agent, dept_a, caseworker_a, django_assert_num_queries
):
    other = OrganisationFactory(department=dept_a, name="另一公司")
    subject_services.related_person_add(
        organisation=other, person=agent, role="legal_representative", actor=caseworker_a, reason="工商登记"
    )
    _authorise(company, rep, agent, all_matters=True, days=5)
    with django_assert_num_queries(1):
        assert set(selectors.represented(agent)) == {company, other}
    assert set(selectors.represented(agent, DAY + datetime.timedelta(days=5))) == {company, other}
    assert set(selectors.represented(agent, DAY + datetime.timedelta(days=6))) == {other}
    assert selectors.matters_for(agent, company) == frozenset(Matter.values)
    assert selectors.matters_for(rep, company) == frozenset(Matter.values)
    assert selectors.matters_for(agent, company, DAY + datetime.timedelta(days=6)) == frozenset()
