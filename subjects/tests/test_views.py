"""Subjects: create, list, detail, edit, filter, sort, export (the pattern every list follows)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from creditportal.models import AccessEntry, AuditEvent
from creditportal.tests.factories import DepartmentFactory
from subjects.models import CreditSubject
from subjects.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

GOOD_USCC = "91460100MA5T0FTB49"


def _form(**overrides):
    data = {
        "kind": "legal_person",
        "name": "海口椰风食品有限公司",
        "id_type": "uscc",
        "id_number": GOOD_USCC,
        "ownership": "private",
        "address": "海口市龙华区",
        "reason": "Registered on application",
    }
    data.update(overrides)
    return data


def test_a_caseworker_registers_a_subject_with_history(client, caseworker_a, dept_a):
    client.force_login(caseworker_a)
    response = client.post(reverse("subject_create"), _form(department=dept_a.pk))
    subject = CreditSubject.objects.get(id_number=GOOD_USCC)
    assert response.status_code == 302 and response.url == reverse("subject_detail", args=[subject.pk])
    assert subject.department == dept_a
    entry = subject.history.get()
    assert entry.history_user == caseworker_a
    assert entry.history_change_reason == "Registered on application"
    assert AuditEvent.objects.filter(action="subjects.subject.created", object_id=str(subject.pk)).exists()


def test_r_cat_8_a_wrong_check_character_gets_a_clear_form_error_and_saves_nothing(client, caseworker_a, dept_a):
    client.force_login(caseworker_a)
    response = client.post(reverse("subject_create"), _form(department=dept_a.pk, id_number="91460100MA5T0FTB4A"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The check character of this unified social credit code is wrong" in html
    assert "The subject was not saved" in html
    assert not CreditSubject.objects.exists()


def test_r_cat_8_an_organisation_cannot_use_an_identity_card(client, caseworker_a, dept_a):
    client.force_login(caseworker_a)
    response = client.post(
        reverse("subject_create"), _form(department=dept_a.pk, id_type="ric", id_number="460100199001010019")
    )
    assert "An organisation is identified by its unified social credit code only" in response.content.decode()
    assert not CreditSubject.objects.exists()


def test_a_duplicate_identifier_is_refused_with_a_message(client, caseworker_a, dept_a):
    OrganisationFactory(department=dept_a, id_number=GOOD_USCC)
    client.force_login(caseworker_a)
    response = client.post(reverse("subject_create"), _form(department=dept_a.pk))
    assert "A subject with this identifier is already registered." in response.content.decode()
    assert CreditSubject.objects.count() == 1


def test_a_caseworker_cannot_register_for_another_department(client, caseworker_a, dept_b):
    client.force_login(caseworker_a)
    response = client.post(reverse("subject_create"), _form(department=dept_b.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CreditSubject.objects.exists()


def test_editing_records_who_and_why(client, caseworker_a, dept_a):
    subject = OrganisationFactory(department=dept_a, name="旧名称有限公司")
    client.force_login(caseworker_a)
    data = _form(name="新名称有限公司", id_number=subject.identifier, reason="Name changed per registration")
    response = client.post(reverse("subject_update", args=[subject.pk]), data)
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.name == "新名称有限公司"
    latest = subject.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (caseworker_a, "Name changed per registration")
    page = client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "Name changed per registration" in page


def test_an_edit_without_a_reason_is_refused(client, caseworker_a, dept_a):
    subject = OrganisationFactory(department=dept_a, name="旧名称有限公司")
    client.force_login(caseworker_a)
    data = _form(name="新名称有限公司", id_number=subject.identifier, reason="")
    response = client.post(reverse("subject_update", args=[subject.pk]), data)
    assert response.status_code == 200
    subject.refresh_from_db()
    assert subject.name == "旧名称有限公司"


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ({"kind": "natural_person"}, ["王小明"], ["椰林贸易有限公司"]),
        ({"name": "椰林"}, ["椰林贸易有限公司"], ["王小明"]),
        ({"id_number": "110105198001010016"}, ["王小明"], ["椰林贸易有限公司", "李大山"]),
    ],
)
def test_list_filters(client, caseworker_a, dept_a, query, expected, absent):
    PersonFactory(department=dept_a, name="王小明", id_number="110105198001010016")
    PersonFactory(department=dept_a, name="李大山")
    OrganisationFactory(department=dept_a, name="椰林贸易有限公司")
    client.force_login(caseworker_a)
    html = client.post(reverse("subject_list"), query, follow=True).content.decode()  # the filter form posts
    for name in expected:
        assert name in html
    for name in absent:
        assert name not in html


def test_list_sorts_by_name_both_ways(client, caseworker_a, dept_a):
    for name in ["乙公司", "甲公司", "丙公司"]:
        OrganisationFactory(department=dept_a, name=name)
    client.force_login(caseworker_a)
    html = client.get(reverse("subject_list"), {"sort": "name"}).content.decode()
    names = sorted(["乙公司", "甲公司", "丙公司"])
    assert [html.index(n) for n in names] == sorted(html.index(n) for n in names)
    html = client.get(reverse("subject_list"), {"sort": "-name"}).content.decode()
    assert [html.index(n) for n in reversed(names)] == sorted(html.index(n) for n in names)


def test_pages_do_not_count_rows_and_offer_next(client, caseworker_a, dept_a, settings):
    settings.PORTAL_PAGE_SIZE = 2
    for i in range(5):
        OrganisationFactory(department=dept_a, name=f"公司{i}")
    client.force_login(caseworker_a)
    first = client.get(reverse("subject_list"))
    assert first.context["page"].has_next and len(first.context["page"].rows) == 2
    last = client.get(reverse("subject_list"), {"page": 3})
    assert not last.context["page"].has_next and len(last.context["page"].rows) == 1


def test_csv_export_of_the_filtered_list(client, caseworker_a, dept_a, dept_b):
    """The export is scoped, formula-safe, and registered with who, when and which filter (R-SEC-3; viewing and
    searching are registered too: see the R-SEC-3 tests below)."""
    PersonFactory(department=dept_a, name="王小明")
    OrganisationFactory(department=dept_a, name='=HYPERLINK("http://x")公司')
    PersonFactory(department=dept_b, name="别的部门的人")
    client.force_login(caseworker_a)
    response = client.get(reverse("subject_export", args=["csv"]), {"kind": "legal_person"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["ID", "Name"]
    assert len(rows) == 2
    assert rows[1][1].startswith("'=")  # formulas neutralised
    event = AuditEvent.objects.get(action="subjects.subject.exported")
    assert event.actor == caseworker_a and event.data["filters"] == {"kind": "legal_person"}


def _inquiries(action: str):
    return AuditEvent.objects.filter(action=action)


def test_r_sec_3_opening_a_subject_a_record_or_a_search_is_registered_with_who_when_what(client, caseworker_a, dept_a):
    """R-SEC-3 (HB 19, NDRC 13): every inquiry is registered — opening a subject's credit file, opening one of
    its records, searching the lists — with who (the actor), when (``at``), what (the subject or record, its
    department, or the search's filters). Before this, only exports were registered."""
    import datetime

    from django.utils import timezone

    from subjects import services
    from tests.case_data import make_catalog

    item, _standard = make_catalog(actor=caseworker_a, department=dept_a)
    subject = OrganisationFactory(department=dept_a, name="海口椰风食品有限公司")
    record = services.record_create(
        actor=caseworker_a,
        subject=subject,
        catalog_item=item,
        summary="经营超过保质期的食品",
        determined_on=datetime.date(2026, 5, 2),
        reason="录入",
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕8号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 5, 1),
        },
    )
    client.force_login(caseworker_a)
    started = timezone.now()

    assert client.get(reverse("subject_detail", args=[subject.pk])).status_code == 200
    viewed = AccessEntry.objects.get(kind="opened")
    assert (viewed.user, viewed.subject_id, viewed.department, viewed.page) == (
        caseworker_a,
        subject.pk,
        dept_a,
        "subject_detail",
    )
    assert started <= viewed.at <= timezone.now()

    assert client.get(reverse("record_detail", args=[record.pk])).status_code == 200
    opened = AccessEntry.objects.filter(kind="opened").first()
    assert (opened.user, opened.subject_id, opened.shown, opened.page) == (
        caseworker_a,
        subject.pk,
        [f"subjects.creditrecord:{record.pk}"],
        "record_detail",
    )

    client.get(reverse("subject_list"), {"name": "椰风", "page": "1"})
    searched = _inquiries("subjects.subject.searched").get()
    assert searched.actor == caseworker_a and searched.data == {"filters": {"name": "椰风"}}
    client.get(reverse("record_list"), {"subject_name": "椰风"})
    assert _inquiries("subjects.record.searched").get().data == {"filters": {"subject_name": "椰风"}}

    # Browsing the unfiltered list is not a search; a page outside the scope discloses nothing to register.
    client.get(reverse("subject_list"))
    assert _inquiries("subjects.subject.searched").count() == 1
    other = OrganisationFactory(department=DepartmentFactory(code="SY-SAMR"))
    assert client.get(reverse("subject_detail", args=[other.pk])).status_code == 404
    assert AccessEntry.objects.filter(kind="opened").count() == 2
    assert not AccessEntry.objects.filter(subject_id=other.pk).exists()


def test_r_sec_3_a_registered_inquiry_cannot_be_deleted_through_the_application(client, caseworker_a, dept_a):
    """R-SEC-3: registrations are kept. No page deletes one: the audit administrator's admin has no delete (the
    page and the bulk action answer 403 / are absent), and a DELETE or POST to the pages that register one
    changes nothing. Retention is the access log's own sweep (creditportal/tests/test_access_log.py)."""
    from django.utils import timezone

    from creditportal.choices import SystemRole
    from creditportal.tests.factories import UserFactory

    subject = OrganisationFactory(department=dept_a)
    client.force_login(caseworker_a)
    client.get(reverse("subject_detail", args=[subject.pk]))
    event = AuditEvent.objects.create(at=timezone.now(), actor=caseworker_a, action="subjects.subject.searched")
    entry = AccessEntry.objects.get()
    for method in (client.delete, client.post):
        assert method(reverse("subject_detail", args=[subject.pk])).status_code == 405

    auditadmin = UserFactory(username="auditadmin", system_role=SystemRole.AUDIT_ADMIN, is_staff=True)
    client.force_login(auditadmin)
    changelist = reverse("admin:creditportal_auditevent_changelist")
    assert client.get(changelist).status_code == 200
    delete_page = reverse("admin:creditportal_auditevent_delete", args=[event.pk])
    assert client.get(delete_page).status_code == 403
    assert client.post(delete_page, {"post": "yes"}).status_code == 403
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    entries = reverse("admin:creditportal_accessentry_changelist")
    assert client.get(entries).status_code == 200
    assert client.get(reverse("admin:creditportal_accessentry_delete", args=[entry.pk])).status_code == 403
    client.post(entries, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert AccessEntry.objects.filter(pk=entry.pk).exists()


def test_xlsx_export_keeps_chinese_and_stores_text(client, caseworker_a, dept_a):
    PersonFactory(department=dept_a, name="王小明")
    OrganisationFactory(department=dept_a, name="=1+1")
    client.force_login(caseworker_a)
    response = client.get(reverse("subject_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(values) == {"王小明", "=1+1"}
    assert all(cell.data_type == "s" for cell in sheet["B"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_r_dis_4_an_export_masks_natural_persons_numbers_and_keeps_organisations_codes(
    client, caseworker_a, dept_a, fmt
):
    """Issue 21: a caseworker's export shows no full resident identity number; an organisation's code is whole."""
    import re

    person = PersonFactory(department=dept_a, name="王小明")
    company = OrganisationFactory(department=dept_a, name="海口椰风食品有限公司")
    client.force_login(caseworker_a)
    response = client.get(reverse("subject_export", args=[fmt]))
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8-sig")
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        text = "\n".join(",".join(str(c) for c in row) for row in sheet.iter_rows(values_only=True))
    assert person.identifier not in text and person.masked_id_number in text
    assert company.id_number in text
    assert not re.search(r"\d{17}[\dX]", text.replace(company.id_number, ""))


def test_r_dis_4_a_searched_identity_number_is_kept_masked_in_the_audit_trail(client, caseworker_a, dept_a):
    """Issue 21: the search finds the person by the full number, and the event that registers the search (R-SEC-3)
    keeps it masked, as an export's filters are."""
    person = PersonFactory(department=dept_a, name="王小明")
    client.force_login(caseworker_a)
    page = client.get(reverse("subject_list"), {"q": person.identifier})
    assert [s.pk for s in page.context["page"].rows] == [person.pk]
    client.get(reverse("subject_export", args=["csv"]), {"q": person.identifier})
    for action in ("subjects.subject.searched", "subjects.subject.exported"):
        kept = str(AuditEvent.objects.get(action=action).data)
        assert person.identifier not in kept and person.masked_id_number in kept, (action, kept)


def test_unknown_export_format_is_a_404(client, caseworker_a):
    client.force_login(caseworker_a)
    assert client.get(reverse("subject_export", args=["pdf"])).status_code == 404


def test_an_edit_on_a_stale_page_does_not_overwrite_a_colleagues_change(client, caseworker_a, dept_a):
    subject = OrganisationFactory(department=dept_a, name="旧名称有限公司")
    client.force_login(caseworker_a)
    form = client.get(reverse("subject_update", args=[subject.pk])).context["form"]
    expected_version = form["expected_version"].value()
    client.post(
        reverse("subject_update", args=[subject.pk]),
        _form(
            name="同事改的名称有限公司",
            id_number=subject.identifier,
            reason="Colleague",
            expected_version=expected_version,
        ),
    )
    response = client.post(
        reverse("subject_update", args=[subject.pk]),
        _form(name="我的名称有限公司", id_number=subject.identifier, reason="Me", expected_version=expected_version),
    )
    assert "Someone else changed this subject" in response.content.decode()
    subject.refresh_from_db()
    assert subject.name == "同事改的名称有限公司"


def test_a_basis_document_number_already_registered_with_other_details_is_refused(caseworker_a, dept_a):
    import datetime

    from django.core.exceptions import ValidationError

    from subjects import services
    from tests.case_data import make_catalog

    item, _ = make_catalog(actor=caseworker_a, department=dept_a)
    basis = {
        "basis_type": "punishment_decision",
        "number": "海口市监罚〔2026〕5号",
        "issuing_authority": "海口市市场监督管理局",
        "effective_on": datetime.date(2026, 5, 1),
    }
    subject = OrganisationFactory(department=dept_a)
    first = services.record_create(
        actor=caseworker_a,
        subject=subject,
        catalog_item=item,
        summary="x",
        determined_on=datetime.date(2026, 5, 1),
        basis=basis,
        reason="x",
    )
    with pytest.raises(ValidationError, match="already registered with a different"):
        services.record_create(
            actor=caseworker_a,
            subject=subject,
            catalog_item=item,
            summary="x",
            determined_on=datetime.date(2026, 5, 1),
            basis={**basis, "simplified_procedure": True},
            reason="x",
        )
    second = services.record_create(
        actor=caseworker_a,
        subject=subject,
        catalog_item=item,
        summary="y",
        determined_on=datetime.date(2026, 5, 1),
        basis=basis,
        reason="x",
    )
    assert second.basis_document_id == first.basis_document_id
