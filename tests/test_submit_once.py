"""A double submit creates one object (issue 16): every create form carries a submit token
(``creditportal.idempotency``); the same POST twice creates once and the second answer goes to what the first
created."""

import datetime

import pytest
from django.urls import reverse

from objections.models import Objection
from subjects import services as subject_services
from subjects.models import CreditSubject
from subjects.tests.factories import OrganisationFactory, valid_uscc
from tests.case_data import make_catalog
from tests.test_permission_matrix import objects as objects  # noqa: F401  (the fixture the matrix builds)

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(dept_a, caseworker_a):
    item, _standard = make_catalog(actor=caseworker_a, department=dept_a)
    return subject_services.record_create(
        actor=caseworker_a,
        subject=OrganisationFactory(department=dept_a, name="海口椰风食品有限公司"),
        catalog_item=item,
        summary="销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        reason="登记",
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕88号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 2),
        },
    )


def _token(response) -> str:
    html = response.content.decode()
    marker = 'name="submit_token" value="'
    assert marker in html, "the create form carries no submit token"
    return html.split(marker, 1)[1].split('"', 1)[0]


def _receive(client, record, token, about=None):
    return client.post(
        reverse("objection_receive") + f"?subject={record.subject_id}",
        {
            "subject": record.subject_id,
            "submit_token": token,
            "about": about or f"record:{record.pk}",
            "ground": "error",
            "grounds_text": "该处罚决定已被复议机关撤销",
            "applicant": "海口椰风食品有限公司",
            "received_at": "2026-09-25T10:00",
            "label_now": "yes",
            "reason": "收到书面异议",
        },
    )


def test_receive_pressed_twice_creates_one_objection(client, record, caseworker_a):
    client.force_login(caseworker_a)
    page = client.get(reverse("objection_receive") + f"?subject={record.subject_id}")
    token = _token(page)
    first = _receive(client, record, token)
    assert first.status_code == 302, first.content.decode()[:2000]
    second = _receive(client, record, token)
    assert Objection.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    shown = client.get(second["Location"]).content.decode()
    assert "already received" in shown


def test_two_forms_create_two_objections(client, record, caseworker_a):
    client.force_login(caseworker_a)
    url = reverse("objection_receive") + f"?subject={record.subject_id}"
    tokens = {_token(client.get(url)), _token(client.get(url))}
    assert len(tokens) == 2  # a fresh token each time the empty form is shown
    responses = [
        _receive(client, record, token, about)
        for token, about in zip(sorted(tokens), [f"record:{record.pk}", "identity"], strict=True)
    ]
    assert [r.status_code for r in responses] == [302, 302]
    assert Objection.objects.count() == 2


def test_a_refused_form_keeps_its_token_usable(client, record, caseworker_a):
    client.force_login(caseworker_a)
    token = _token(client.get(reverse("objection_receive") + f"?subject={record.subject_id}"))
    refused = client.post(
        reverse("objection_receive") + f"?subject={record.subject_id}",
        {"subject": record.subject_id, "submit_token": token, "about": f"record:{record.pk}"},
    )
    assert refused.status_code == 200 and _token(refused) == token
    assert _receive(client, record, token).status_code == 302
    assert Objection.objects.count() == 1


def test_subject_registered_twice_is_one_subject(client, dept_a, caseworker_a):
    client.force_login(caseworker_a)
    token = _token(client.get(reverse("subject_create")))
    data = {
        "submit_token": token,
        "kind": "legal_person",
        "ownership": "private",
        "name": "海口南洋贸易有限公司",
        "id_type": "uscc",
        "id_number": valid_uscc(987),
        "department": dept_a.pk,
        "reason": "登记",
    }
    before = CreditSubject.objects.count()
    first = client.post(reverse("subject_create"), data)
    second = client.post(reverse("subject_create"), data)
    assert first.status_code == 302 and second.status_code == 302 and second["Location"] == first["Location"]
    assert CreditSubject.objects.count() == before + 1


def test_a_statement_sent_twice_is_recorded_once(client, dept_a, dept_b, caseworker_a):
    """A form shown on a case page (not its view's own page) carries its token too."""
    from designations.models import Statement
    from tests.case_data import make_cases

    designation = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["designation"]
    # notified: the statement period open (the notice's PDF and service are not what this test is about)
    type(designation).objects.filter(pk=designation.pk).unguarded().update(state="notified")
    client.force_login(caseworker_a)
    html = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    form = html.split(reverse("designation_statement", args=[designation.pk]), 1)[1].split("</form>", 1)[0]
    token = form.split('name="statement-submit_token" value="', 1)[1].split('"', 1)[0]
    data = {
        "statement-submit_token": token,
        "statement-kind": "statement",
        "statement-received_on": "2026-10-12",
        "statement-text": "我方已整改",
        "statement-reason": "收到陈述",
    }
    url = reverse("designation_statement", args=[designation.pk])
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:3000]
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Statement.objects.filter(designation=designation).count() == 1


def test_every_page_of_a_create_view_carries_a_token(client, dept_a, dept_b, objects):  # noqa: F811
    """Each view that creates (``SubmitOnceMixin``) shows its form with the hidden token, whatever its template."""
    from django.urls import resolve

    from creditportal.choices import DepartmentKind
    from creditportal.idempotency import SubmitOnceMixin
    from creditportal.tests.factories import DepartmentFactory
    from tests.test_permission_matrix import MATRIX, OK, _url, _user

    authority = DepartmentFactory(code="HN-DRC", name="海南省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY)
    checked, missing = [], []
    users = {role: _user(role, dept_a, authority) for role in ("caseworker", "authority_caseworker")}
    for entry, (arg, expected) in sorted(MATRIX.items()):
        url = _url(entry.split("@")[0], arg, objects, dept_a, dept_b)
        view_class = getattr(resolve(url.split("?")[0]).func, "view_class", None)
        role = next((r for r in ("caseworker", "authority_caseworker") if expected.get(r) == OK), None)
        if view_class is None or not issubclass(view_class, SubmitOnceMixin) or role is None:
            continue
        client.force_login(users[role])
        if entry == "restoration_receive":  # its first step is a lookup: the form to receive follows the subject found
            url = client.post(url, {"identifier": objects["record"].subject.identifier, "find": "1"})["Location"]
        html = client.get(url).content.decode()
        checked.append(entry)
        if 'name="submit_token"' not in html:
            missing.append(entry)
    assert len(checked) >= 10 and missing == []
