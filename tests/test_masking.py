"""Masking of natural persons' data from one policy (R-DIS-4, HL 23; issue 21; ``creditportal.masking``).

The case's authorised staff (who may change the department's subjects) read a person's identity number, address
and contacts whole; the department's auditors, an assisting department and the administrators read them masked,
and no page any of them opens shows a full resident identity number."""

import pytest
from django.urls import reverse

from creditportal.choices import Role, SystemRole
from creditportal.masking import RESIDENT_NUMBER, mask_address, mask_contact
from creditportal.tests.factories import UserFactory, user_with_role
from designations.tests.factories import DesignationFactory
from objections.tests.factories import ObjectionFactory
from subjects.tests.factories import PersonFactory
from tests import test_permission_matrix
from tests.test_permission_matrix import MATRIX, OK, _url

pytestmark = pytest.mark.django_db

NUMBER = "460100199001011234"
ADDRESS = "海口市龙华区滨海大道88号"
PHONE = "13800138000"


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_r_dis_4_the_authorised_staff_read_a_person_whole_and_the_auditor_masked(client, dept_a, caseworker_a):
    """R-DIS-4: the subject's page and a designation of him: whole for the department's caseworker, masked for its
    auditor (the number's first and last four, the address's city and district)."""
    person = PersonFactory(department=dept_a, name="王建国", id_number=NUMBER, address=ADDRESS)
    designation = DesignationFactory(department=dept_a, subject=person, caseworker=caseworker_a)
    client.force_login(caseworker_a)
    page = _page(client, reverse("subject_detail", args=[person.pk]))
    assert NUMBER in page and ADDRESS in page
    assert NUMBER in _page(client, reverse("designation_detail", args=[designation.pk]))

    auditor = user_with_role(Role.AUDITOR, dept_a, username="auditor_mask")
    client.force_login(auditor)
    page = _page(client, reverse("subject_detail", args=[person.pk]))
    assert NUMBER not in page and "4601**********1234" in page
    assert ADDRESS not in page and "海口市龙华区****" in page
    page = _page(client, reverse("designation_detail", args=[designation.pk]))
    assert NUMBER not in page and "4601**********1234" in page


def test_r_dis_4_the_assisting_department_reads_the_applicants_phone_masked(client, dept_a, dept_b, caseworker_a):
    """R-DIS-4: the applicant's phone on an objection: whole for the department that handles it, masked for the
    assisting department asked to verify it."""
    from creditportal.audit import tracked_save

    objection = ObjectionFactory(department=dept_a, applicant_contact=PHONE)
    objection.assisting_department = dept_b
    tracked_save(objection, actor=caseworker_a, reason="请求协助核查", validate=False)
    client.force_login(caseworker_a)
    assert PHONE in _page(client, reverse("objection_detail", args=[objection.pk]))
    helper = user_with_role(Role.CASEWORKER, dept_b, username="helper_b")
    client.force_login(helper)
    page = _page(client, reverse("objection_detail", args=[objection.pk]))
    assert PHONE not in page and "138****8000" in page


def test_r_dis_4_the_system_administrator_reads_subjects_masked_in_the_admin(client, dept_a):
    """The system administrator supports the portal, and is none of a subject's authorised staff."""
    person = PersonFactory(department=dept_a, id_number=NUMBER, address=ADDRESS)
    admin = UserFactory(username="sysadmin_mask", system_role=SystemRole.SYSTEM_ADMIN, is_staff=True)
    client.force_login(admin)
    for url in (
        reverse("admin:subjects_creditsubject_changelist"),
        reverse("admin:subjects_creditsubject_change", args=[person.pk]),
    ):
        page = _page(client, url)
        assert NUMBER not in page and ADDRESS not in page and "4601**********1234" in page


def test_r_dis_4_the_masks():
    assert mask_address(ADDRESS) == "海口市龙华区****"
    assert mask_address("海口市") == "海口市"
    assert mask_contact(PHONE) == "138****8000"
    assert mask_contact("0898-66123456") == "089****3456"
    assert mask_contact("66123456") == "****3456"
    assert mask_contact(ADDRESS) == "海口市龙华区****"


matrix_data = test_permission_matrix.matrix_data
#: Every view the department's auditor opens (the matrix's objects; the subjects the OWN entries make are persons).
AUDITOR_READS = sorted(
    name
    for name, (_arg, expected) in MATRIX.items()
    if "@" not in name and expected.get("auditor") == OK and name != "metrics"  # Prometheus' counters, no data
)


@pytest.mark.parametrize("entry", AUDITOR_READS)
def test_r_dis_4_no_page_the_auditor_opens_shows_a_full_identity_number(client, entry, matrix_data):
    """R-DIS-4 (a crawl over the URL resolver): the department's auditor, who is none of its subjects' authorised
    staff, finds no full resident identity number on any page or export he opens (issued documents, the subject's
    own, excepted: they are PDFs, registered in the access log)."""
    dept_a, dept_b, objects = matrix_data["dept_a"], matrix_data["dept_b"], matrix_data["objects"]
    arg, _expected = MATRIX[entry]
    url = _url(entry, arg, objects, dept_a, dept_b)
    person = PersonFactory(department=dept_a, id_number=NUMBER, address=ADDRESS)
    client.force_login(user_with_role(Role.AUDITOR, dept_a, username="auditor_crawl"))
    response = client.get(url)
    if response.get("Content-Type", "").startswith("application/pdf"):
        return
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode(errors="replace")
    found = RESIDENT_NUMBER.findall(body)
    assert not found, f"{entry} shows {found}"
    assert person.pk  # a person of the department exists while each page is read


def test_r_dis_4_the_auditor_reveals_a_whole_number_on_request_and_the_access_log_says_so(client, dept_a):
    """R-DIS-4, R-SEC-3: a whole number is shown to the auditor only when he asks, and the look that showed it is
    registered as such."""
    from creditportal.models import AccessEntry

    person = PersonFactory(department=dept_a, id_number=NUMBER)
    client.force_login(user_with_role(Role.AUDITOR, dept_a, username="auditor_reveal"))
    page = _page(client, reverse("subject_detail", args=[person.pk]))
    assert NUMBER not in page and "?reveal=identity" in page
    assert "identity_revealed" not in AccessEntry.objects.get().fields
    page = _page(client, reverse("subject_detail", args=[person.pk]) + "?reveal=identity")
    assert NUMBER in page
    assert "identity_revealed" in AccessEntry.objects.order_by("-id").first().fields
