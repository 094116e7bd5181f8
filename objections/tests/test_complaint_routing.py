"""Issue 19: a complaint about a non-public information collector is handled and answered by the municipal or county
department in charge of social credit (R-OBJ-7; HL 41), whichever department receives it.

Haikou in the HL profile: the market regulator (海口市市场监督管理局) and the credit authority (海口市发展和改革委员会)
share their people's government, 海口市人民政府; Sanya's market regulator is another locality with no credit authority
recorded. The story is told on Monday 28 September 2026, the complaint received on Friday the 25th."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from creditportal import deadlines
from creditportal.choices import DepartmentKind, DepartmentLevel, Role
from creditportal.models import AuditEvent, Deadline
from creditportal.permissions import scope_queryset
from creditportal.tests.factories import DepartmentFactory, user_with_role
from objections import selectors, services
from objections.models import Objection
from subjects.tests.factories import OrganisationFactory

RECEIVED = datetime.datetime(2026, 9, 25, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
COLLECTOR = "某征信服务有限公司"


def _department(code, name, name_en, government, *, kind=DepartmentKind.INDUSTRY_REGULATOR, parent=None, level=None):
    return DepartmentFactory(
        code=code,
        name=name,
        name_en=name_en,
        government=government,
        kind=kind,
        level=level or (DepartmentLevel.PREFECTURE if parent else DepartmentLevel.PROVINCE),
        parent=parent,
    )


@pytest.fixture
def hl(settings, on):
    settings.CREDIT_JURISDICTION = "HL"
    on(2026, 9, 28)


@pytest.fixture
def province(db):
    return {
        "samr": _department("T-HN-SAMR", "海南省市场监督管理局", "Hainan SAMR", "海南省人民政府"),
        "drc": _department(
            "T-HN-DRC", "海南省发展和改革委员会", "Hainan DRC", "海南省人民政府", kind=DepartmentKind.CREDIT_AUTHORITY
        ),
    }


@pytest.fixture
def haikou_samr(province):
    return _department(
        "T-HK-SAMR", "海口市市场监督管理局", "Haikou Market Regulation", "海口市人民政府", parent=province["samr"]
    )


@pytest.fixture
def haikou_credit(province):
    return _department(
        "T-HK-DRC",
        "海口市发展和改革委员会",
        "Haikou DRC",
        "海口市人民政府",
        kind=DepartmentKind.CREDIT_AUTHORITY,
        parent=province["drc"],
    )


@pytest.fixture
def sanya_samr(province):
    return _department(
        "T-SY-SAMR", "三亚市市场监督管理局", "Sanya Market Regulation", "三亚市人民政府", parent=province["samr"]
    )


@pytest.fixture
def receiver(haikou_samr):
    return user_with_role(Role.CASEWORKER, haikou_samr, username="hk-samr-caseworker")


@pytest.fixture
def credit_caseworker(haikou_credit):
    return user_with_role(Role.CASEWORKER, haikou_credit, username="hk-drc-caseworker")


@pytest.fixture
def third(sanya_samr):
    return user_with_role(Role.CASEWORKER, sanya_samr, username="sy-samr-caseworker")


def _complaint(actor, subject, **overrides):
    data = {
        "actor": actor,
        "subject": subject,
        "target": "collector",
        "collector": COLLECTOR,
        "ground": "rights_violation",
        "grounds_text": "未经同意采集本公司经营数据",
        "received_at": RECEIVED,
        "applicant": subject.name,
        "reason": "窗口收到书面投诉",
    }
    return services.objection_receive(**{**data, **overrides})


def _form(subject) -> dict:
    return {
        "subject": subject.pk,
        "about": "collector",
        "ground": "rights_violation",
        "grounds_text": "未经同意采集本公司经营数据",
        "collector": COLLECTOR,
        "applicant": subject.name,
        "received_at": "2026-09-25T10:00",
        "label_now": "no",
        "reason": "窗口收到书面投诉",
    }


def _written() -> dict:
    return {
        "objections": Objection.objects.count(),
        "clocks": Deadline.objects.count(),
        "events": AuditEvent.objects.filter(action__startswith="objections.").count(),
    }


def test_r_obj_7_a_complaint_received_by_the_market_regulator_is_routed_to_the_credit_authority(
    hl, haikou_samr, haikou_credit, receiver, credit_caseworker
):
    """HL 41: the Haikou credit authority handles it: it is its complaint (its lists, its "My work"), the 20 WD
    clock runs there, and the timeline says who received it, in which department, when and where it went."""
    subject = OrganisationFactory(department=haikou_samr)
    complaint = _complaint(receiver, subject)

    assert complaint.department == haikou_credit
    clocks = list(deadlines.deadlines_of(complaint))
    assert [(c.rule_id, c.days, c.department_id) for c in clocks] == [("R-OBJ-7", 20, haikou_credit.pk)]
    assert complaint.due_date == clocks[0].due_date
    assert complaint in selectors.work(user=credit_caseworker)["to_answer"]
    assert scope_queryset(credit_caseworker, Objection.objects.all()).filter(pk=complaint.pk).exists()

    routing = selectors.routing_of(complaint)
    assert routing is not None
    assert (routing.actor, routing.department) == (receiver, haikou_samr)
    assert timezone.localdate(routing.at) == datetime.date(2026, 9, 28)  # recorded when it was received
    assert routing.data["received_in"] == haikou_samr.pk and routing.data["routed_to"] == haikou_credit.pk
    assert "海口市市场监督管理局" in routing.reason and "海口市发展和改革委员会" in routing.reason


def test_r_obj_7_the_receiving_caseworker_is_told_where_it_went_and_the_authority_sees_the_case(
    hl, client, haikou_samr, haikou_credit, receiver, credit_caseworker
):
    subject = OrganisationFactory(department=haikou_samr)
    client.force_login(receiver)
    url = f"{reverse('objection_receive')}?subject={subject.pk}"
    before = client.get(url).content.decode()
    assert "routed to Haikou DRC" in before  # said before anything is received

    response = client.post(url, _form(subject))
    complaint = Objection.objects.get()
    assert response.status_code == 302 and f"routed={complaint.pk}" in response.url
    page = client.get(response.url).content.decode()
    assert "complaint-routed" in page
    assert f"Complaint #{complaint.pk} was routed to Haikou DRC" in page
    assert complaint.due_date.isoformat() in page

    client.force_login(credit_caseworker)
    case = client.get(reverse("objection_detail", args=[complaint.pk]))
    html = case.content.decode()
    assert case.status_code == 200 and "海口市市场监督管理局" in html and "complaint-routing" in html
    timeline = [event.action for event in case.context["events"]]
    assert "objections.objection.routed" in timeline


@pytest.mark.parametrize("government", ["海口市人民政府", ""], ids=["government-recorded", "no-government-needed"])
def test_r_obj_7_a_complaint_received_by_the_credit_authority_itself_stays_there(
    hl, client, haikou_credit, credit_caseworker, government
):
    """The receiving department is the municipal credit authority: it handles the complaint, nothing is routed
    (and it needs no people's government recorded to find itself)."""
    haikou_credit.government = government
    haikou_credit.save()
    subject = OrganisationFactory(department=haikou_credit)
    complaint = _complaint(credit_caseworker, subject)
    assert complaint.department == haikou_credit
    assert selectors.routing_of(complaint) is None
    assert deadlines.deadlines_of(complaint).get().department == haikou_credit

    client.force_login(credit_caseworker)
    response = client.post(f"{reverse('objection_receive')}?subject={subject.pk}", _form(subject))
    second = Objection.objects.order_by("-pk").first()
    assert response.status_code == 302 and response.url == reverse("objection_detail", args=[second.pk])
    assert second.department == haikou_credit and selectors.routing_of(second) is None


def test_r_obj_7_no_credit_authority_for_the_locality_refuses_the_complaint_and_writes_nothing(
    hl, client, sanya_samr, third, province
):
    """Sanya records no municipal credit authority (the provincial one does not answer complaints): refused, naming
    what the system administrator must record; no complaint, no clock, no event."""
    subject = OrganisationFactory(department=sanya_samr)
    nothing = _written()
    with pytest.raises(ValidationError) as refused:
        _complaint(third, subject)
    message = " ".join(refused.value.messages)
    assert "三亚市人民政府" in message and "system administrator" in message
    assert _written() == nothing

    client.force_login(third)
    url = f"{reverse('objection_receive')}?subject={subject.pk}"
    response = client.post(url, _form(subject))
    html = response.content.decode()
    assert response.status_code == 200 and "三亚市人民政府" in html and "system administrator" in html
    assert _written() == nothing


def test_r_obj_7_a_receiver_without_a_government_recorded_is_refused_naming_the_department(hl, province, sanya_samr):
    sanya_samr.government = ""
    sanya_samr.save()
    actor = user_with_role(Role.CASEWORKER, sanya_samr, username="sy-no-government")
    subject = OrganisationFactory(department=sanya_samr)
    with pytest.raises(ValidationError, match="no people's government recorded"):
        _complaint(actor, subject)
    assert not Objection.objects.exists()


def test_r_obj_7_a_routed_complaint_is_a_404_for_a_third_department(
    hl, client, haikou_samr, haikou_credit, receiver, credit_caseworker, third
):
    """The credit authority it was routed to opens it; Sanya's market regulator, a third department, meets a 404,
    and is not told where someone else's complaint went."""
    subject = OrganisationFactory(department=haikou_samr)
    complaint = _complaint(receiver, subject)
    client.force_login(credit_caseworker)
    assert client.get(reverse("objection_detail", args=[complaint.pk])).status_code == 200
    client.force_login(third)
    assert client.get(reverse("objection_detail", args=[complaint.pk])).status_code == 404
    assert client.get(reverse("objection_evidence", args=[complaint.pk])).status_code == 404
    own = OrganisationFactory(department=third.memberships.get().department)
    page = client.get(f"{reverse('objection_receive')}?subject={own.pk}&routed={complaint.pk}")
    assert page.status_code == 200 and "complaint-routed" not in page.content.decode()
