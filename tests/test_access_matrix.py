"""Every view of the URL resolver and what it registers in the access log (R-SEC-3; issue 21).

Each view is declared here (``ACCESS``): a new view without an entry fails, and each is requested as a person who may
open it and must write exactly that, as the permission matrix does for permissions. A view declared as showing no
subject must not show any subject's name from the data.
"""

import pytest

from creditportal.choices import AccessKind, AccessPurpose, Role
from creditportal.models import AccessEntry
from creditportal.tests.factories import user_with_role
from subjects.models import CreditSubject
from tests import test_permission_matrix
from tests.test_permission_matrix import MATRIX, NOT_APP_VIEWS, OK, _url, _url_names

pytestmark = pytest.mark.django_db
#: The permission matrix's data, built once for this module's requests too.
matrix_data = test_permission_matrix.matrix_data

OPENED, DOCUMENT, LISTED, EXPORTED = (AccessKind.OPENED, AccessKind.DOCUMENT, AccessKind.LISTED, AccessKind.EXPORTED)
#: What each view registers when a person who may use it opens it (GET): ``None`` for views that show no subject's
#: information (or only post). A view missing here fails ``test_every_view_declares_what_it_registers``.
ACCESS = {
    "subject_detail": OPENED,
    "subject_update": OPENED,
    "record_create": OPENED,
    "related_person_add": OPENED,
    "credit_report_create": OPENED,
    "credit_report_revoke": OPENED,
    "inquiry_authorisation_create": OPENED,
    "inquiry_authorisation_withdraw": OPENED,
    "inquiry_authorisation_document": DOCUMENT,
    "service_consent_create": OPENED,
    "service_consent_withdraw": OPENED,
    "service_consent_document": DOCUMENT,
    "record_detail": OPENED,
    "revocation_create": OPENED,
    "record_provider_correct": OPENED,
    "designation_detail": OPENED,
    "designation_update": OPENED,
    "designation_create": OPENED,
    "designation_create_court": OPENED,
    "objection_detail": OPENED,
    "restoration_detail": OPENED,
    "archive_detail": OPENED,
    "objection_receive": OPENED,
    "document_download": DOCUMENT,
    "designation_statement_file": DOCUMENT,
    "designation_minutes_file": DOCUMENT,
    "designation_proof_file": DOCUMENT,
    "designation_evidence_file": DOCUMENT,
    "objection_evidence": DOCUMENT,
    "restoration_evidence": DOCUMENT,
    "record_deletion_application": DOCUMENT,
    "subject_list": LISTED,
    "record_list": LISTED,
    "designation_list": LISTED,
    "objection_list": LISTED,
    "restoration_list": LISTED,
    "archive_list": LISTED,
    "my_work": LISTED,
    "dashboard": LISTED,
    "restoration_queue": LISTED,
    "subject_export": EXPORTED,
    "record_export": EXPORTED,
    "designation_export": EXPORTED,
    "objection_export": EXPORTED,
    "restoration_export": EXPORTED,
}


def test_every_view_declares_what_it_registers():
    """R-SEC-3: like the permission matrix, a new view must say whether it shows a subject's information."""
    names = set(_url_names()) - NOT_APP_VIEWS
    undeclared = {name for name in names if name not in ACCESS and name not in NO_SUBJECT | PUBLISHED}
    assert not undeclared, f"Views not declared in tests/test_access_matrix.py: {sorted(undeclared)}"


#: Views that show published information only (issue 22: the public list and its entries, readable by anyone):
#: not a look at a subject's non-public information, so nothing is registered; they name subjects.
PUBLISHED = {"public_list", "public_entry", "public_commitments", "public_penalties", "report_verify"}

#: Views that show no subject's information: their pages are checked for the names of the subjects in the data.
NO_SUBJECT = {name.split("@")[0] for name in MATRIX if name.split("@")[0] not in ACCESS} - PUBLISHED


def _reader(role_for, dept_a):
    """Who opens the view: a caseworker of department A, or its auditor where only auditors may."""
    if role_for.get("caseworker") == OK:
        return user_with_role(Role.CASEWORKER, dept_a, username="looker")
    if role_for.get("auditor") == OK:
        return user_with_role(Role.AUDITOR, dept_a, username="looker")
    return None


#: The views someone in department A opens (a caseworker, or the auditor where only auditors may); the archive's
#: record is opened in tests/test_access_log.py (the matrix holds no archived record).
OPENED_BY_A = sorted(
    name
    for name, (_arg, expected) in MATRIX.items()
    if "@" not in name and name != "archive_detail" and OK in (expected.get("caseworker"), expected.get("auditor"))
)


@pytest.mark.parametrize("entry", OPENED_BY_A)
def test_r_sec_3_every_view_that_shows_a_subject_registers_it(client, entry, matrix_data):
    """R-SEC-3 (resolver-wide): each view, opened by a person who may, writes the entry declared in ``ACCESS`` (an
    opened page or document with the purpose given, each listed or exported subject) and nothing else; a view
    declared as showing no subject shows none of the data's subject names."""
    dept_a, dept_b, objects = matrix_data["dept_a"], matrix_data["dept_b"], matrix_data["objects"]
    arg, expected = MATRIX[entry]
    reader = _reader(expected, dept_a)
    url = _url(entry, arg, objects, dept_a, dept_b)
    client.force_login(reader)
    before = AccessEntry.objects.count()
    response = client.get(url)
    assert response.status_code in (200, 302), f"{url}: {response.status_code}"
    written = list(AccessEntry.objects.order_by("id")[before:])
    kind = ACCESS.get(entry)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    names = sorted(name for name in CreditSubject.objects.values_list("name", flat=True) if name.encode() in body)
    if entry in PUBLISHED:
        assert not written, f"{entry} shows published information only: it registers nothing"
        return
    if kind is None:
        assert not written, f"{entry} registers {written} but is declared as showing no subject"
        assert not names, f"{entry} shows {names} without registering it: declare it in ACCESS"
        return
    if kind in (LISTED, EXPORTED) and not written:
        assert not names, f"{entry} shows {names} but registered nothing"
        return
    assert written, f"{entry} registered nothing"
    assert {e.kind for e in written} == {kind}
    assert all(e.user == reader for e in written)
    if kind in (OPENED, DOCUMENT):
        assert [(e.purpose, e.page) for e in written] == [(AccessPurpose.CASE, entry)]
