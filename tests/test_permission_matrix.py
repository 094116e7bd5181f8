"""The permission matrix: every view of the application, every role, the expected status.

A new URL without an entry here fails ``test_every_view_is_in_the_matrix``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from catalog.models import CatalogVersion
from creditportal.choices import DepartmentKind, Role, SystemRole
from creditportal.tests.factories import DepartmentFactory, UserFactory, user_with_role
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

OWN, OTHER = "own", "other"
DEPT_ROLES = ["caseworker", "supervisor", "head", "auditor"]
AUTHORITY_ROLES = ["authority_caseworker", "authority_supervisor"]
SYSTEM_ROLES = ["system_admin", "security_admin", "audit_admin"]
ROLES = ["anonymous", *DEPT_ROLES, *AUTHORITY_ROLES, *SYSTEM_ROLES]
LOGIN, OK, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, POST_ONLY = 302, 200, 401, 403, 404, 405


def _roles(default, **overrides):
    return {role: overrides.get(role, default) for role in ROLES}


# Case data of department A: its roles read (and write, but the auditor); the provincial authority's staff
# work in another department (lists are empty for them, A's objects 404); system roles do no case work.
CASE_LIST = _roles(OK, anonymous=LOGIN, **dict.fromkeys(SYSTEM_ROLES, FORBIDDEN))
CASE_CREATE = {**CASE_LIST, "auditor": FORBIDDEN}
CASE_OBJECT = {**CASE_LIST, **dict.fromkeys(AUTHORITY_ROLES, NOT_FOUND)}
CASE_OBJECT_WRITE = {**CASE_OBJECT, "auditor": FORBIDDEN}
OTHER_DEPT = {**CASE_OBJECT, **dict.fromkeys(DEPT_ROLES, NOT_FOUND)}
OTHER_DEPT_WRITE = {**OTHER_DEPT, "auditor": FORBIDDEN}
PUBLIC = _roles(OK)
LOGGED_IN = _roles(OK, anonymous=LOGIN)
# Drafting the catalog: the provincial credit authority's staff only.
CATALOG_STAFF = _roles(FORBIDDEN, anonymous=LOGIN, **dict.fromkeys(AUTHORITY_ROLES, OK))
# POST endpoints: a GET answers 405 once login and the model permission are checked; the object is fetched
# (through the scope) only on POST.
POST_ENDPOINT = _roles(POST_ONLY, anonymous=LOGIN, **dict.fromkeys(SYSTEM_ROLES, FORBIDDEN))
CATALOG_ACT = {**CATALOG_STAFF, **dict.fromkeys(AUTHORITY_ROLES, POST_ONLY)}

MATRIX = {
    "dashboard": (None, LOGGED_IN),
    # issue 21: everyone changes his own password (and must, after the security administrator set it)
    "password_change": (None, LOGGED_IN),
    "password_change_done": (None, LOGGED_IN),
    # issue 21: the second factor's pages (supervisors, heads and administrators are sent there after the password)
    "second_factor_setup": (None, LOGGED_IN),
    "second_factor_verify": (None, LOGGED_IN),
    # security keys (creditportal.webauthn): whoever signs in with a second factor manages his own; the ceremonies
    # are POSTs (the library's views), the scripts' messages a public catalogue
    "security_keys": (
        None,
        _roles(
            OK,
            anonymous=LOGIN,
            caseworker=FORBIDDEN,
            auditor=FORBIDDEN,
            authority_caseworker=FORBIDDEN,
        ),
    ),
    "otp_webauthn:credential-registration-begin": (None, _roles(POST_ONLY, anonymous=FORBIDDEN)),
    "otp_webauthn:credential-registration-complete": (None, _roles(POST_ONLY, anonymous=FORBIDDEN)),
    "otp_webauthn:credential-authentication-begin": (None, _roles(POST_ONLY, anonymous=FORBIDDEN)),
    "otp_webauthn:credential-authentication-complete": (None, _roles(POST_ONLY, anonymous=FORBIDDEN)),
    "otp_webauthn:js-i18n-catalog": (None, PUBLIC),
    "deadline_list": (None, CASE_LIST),
    "login": (None, _roles(LOGIN, anonymous=OK)),
    "subject_list": (None, CASE_LIST),
    "subject_create": (None, CASE_CREATE),
    "subject_export": ("csv", CASE_LIST),
    "subject_detail": (OWN, CASE_OBJECT),
    "subject_detail@other": (OTHER, OTHER_DEPT),
    "subject_update": (OWN, CASE_OBJECT_WRITE),
    "subject_update@other": (OTHER, OTHER_DEPT_WRITE),
    "record_create": (OWN, CASE_OBJECT_WRITE),
    "record_create@other": (OTHER, OTHER_DEPT_WRITE),
    "related_person_add": (OWN, CASE_OBJECT_WRITE),
    "credit_report_create": (OWN, CASE_OBJECT_WRITE),
    "credit_report_create@other": (OTHER, OTHER_DEPT_WRITE),
    "credit_report_revoke": ("credit_report", CASE_OBJECT_WRITE),
    "inquiry_authorisation_create": (OWN, CASE_OBJECT_WRITE),
    "inquiry_authorisation_create@other": (OTHER, OTHER_DEPT_WRITE),
    "inquiry_authorisation_withdraw": ("authorisation", CASE_OBJECT_WRITE),
    "inquiry_authorisation_document": ("authorisation", CASE_OBJECT),
    "service_consent_create": (OWN, CASE_OBJECT_WRITE),
    "service_consent_create@other": (OTHER, OTHER_DEPT_WRITE),
    "service_consent_withdraw": ("service_consent", CASE_OBJECT_WRITE),
    "service_consent_document": ("service_consent", CASE_OBJECT),
    "related_person_add@other": (OTHER, OTHER_DEPT_WRITE),
    "record_list": (None, CASE_LIST),
    "record_export": ("xlsx", CASE_LIST),
    "record_detail": ("record", CASE_OBJECT),
    # R-REC-5: the subject's application for deletion is read as the archived record is (its department's auditors);
    # the matrix's record was not deleted on request: 404.
    "record_deletion_application": ("record", {**CASE_OBJECT, **dict.fromkeys(DEPT_ROLES, NOT_FOUND)}),
    "record_sharing_notice_serve": ("record", {**POST_ENDPOINT, "auditor": FORBIDDEN}),
    "record_restoration_info_serve": ("record", {**POST_ENDPOINT, "auditor": FORBIDDEN}),
    "designation_list": (None, CASE_LIST),
    "designation_export": ("csv", CASE_LIST),
    "designation_detail": ("designation", CASE_OBJECT),
    "objection_list": (None, CASE_LIST),
    "objection_export": ("csv", CASE_LIST),
    "objection_detail": ("objection", CASE_OBJECT),
    # Receiving an objection needs ?subject= (without one: 404); the auditor receives nothing.
    "objection_receive": (
        None,
        {**CASE_CREATE, **dict.fromkeys([*DEPT_ROLES, *AUTHORITY_ROLES], NOT_FOUND), "auditor": FORBIDDEN},
    ),
    "objection_act": ("objection+label", POST_ENDPOINT),
    "objection_evidence": ("designation_objection", CASE_OBJECT),
    "restoration_list": (None, CASE_LIST),
    "restoration_export": ("csv", CASE_LIST),
    "restoration_detail": ("restoration", CASE_OBJECT),
    # Restoration (issue 11): the start page needs ?subject=/?designation=/?record= (without one: 404).
    "restoration_start": (
        None,
        {**CASE_CREATE, **dict.fromkeys([*DEPT_ROLES, *AUTHORITY_ROLES], NOT_FOUND), "auditor": FORBIDDEN},
    ),
    # R-RES-1 (issue 19): a credit authority receives for other departments' designations and records; nobody else.
    "restoration_receive": (None, _roles(FORBIDDEN, anonymous=LOGIN, **dict.fromkeys(AUTHORITY_ROLES, OK))),
    "restoration_queue": (None, CASE_CREATE),
    "restoration_act": ("restoration+accept", POST_ENDPOINT),
    # The proof handed in (issue 16), through the application's scope; the matrix's application has none: 404.
    "restoration_evidence": ("restoration", {**CASE_OBJECT, **dict.fromkeys(DEPT_ROLES, NOT_FOUND)}),
    "revocation_create": ("record", CASE_OBJECT_WRITE),
    "revocation_complete": ("record", {**POST_ENDPOINT, "auditor": FORBIDDEN}),
    "record_provider_correct": ("record", CASE_OBJECT_WRITE),
    "record_trustworthy": ("record+hide", {**POST_ENDPOINT, "auditor": FORBIDDEN}),
    # The archive (R-DIS-3): auditors only; an object not archived is not in it.
    "archive_list": (None, _roles(FORBIDDEN, anonymous=LOGIN, auditor=OK)),
    # The access log (R-SEC-3, issue 21): the department's auditors; the audit administrator reads it in the admin.
    "access_log": (None, _roles(FORBIDDEN, anonymous=LOGIN, auditor=OK)),
    "access_log_export": ("csv", _roles(FORBIDDEN, anonymous=LOGIN, auditor=OK)),
    # The answer to "why do you open this?" (issue 21): posted by anyone signed in.
    "access_purpose": (None, _roles(POST_ONLY, anonymous=LOGIN)),
    "archive_detail": ("record", _roles(FORBIDDEN, anonymous=LOGIN, auditor=NOT_FOUND)),
    # "My work" (issue 16): every kind of case and clock; the designation queue's old address leads there.
    "my_work": (None, CASE_CREATE),
    # issue 22: the list of seriously untrustworthy entities, read by anyone without signing in
    "public_list": (None, PUBLIC),
    "public_entry": ("publication", PUBLIC),
    "public_commitments": (None, PUBLIC),
    "public_penalties": (None, PUBLIC),
    "report_verify": (None, PUBLIC),
    # a PDF's signature and hash checked by anyone holding it (issue 22)
    "document_verify": (None, PUBLIC),
    # The subject portal (issue 22): sign-in for anyone; its pages only for a subject signed in there (staff
    # accounts are not subjects: they are sent to the portal's sign-in like anyone else)
    "portal_signin": (None, PUBLIC),
    "portal_code": (None, _roles(LOGIN)),
    "portal_signout": (None, _roles(POST_ONLY)),
    "portal_home": (None, _roles(LOGIN)),
    "portal_document": ("document", _roles(LOGIN)),
    "portal_report_request": (None, _roles(LOGIN)),
    "portal_act_for": (None, _roles(LOGIN)),
    "portal_objection_record": ("record", _roles(LOGIN)),
    "portal_objection_designation": ("designation", _roles(LOGIN)),
    "portal_restoration_record": ("record", _roles(LOGIN)),
    "portal_restoration_designation": ("designation", _roles(LOGIN)),  # the sign-in first, then only POST
    # agents (issue 22): posted by an organisation's legal representative acting for it; any id, the sign-in first
    "portal_agent_authorise": (None, _roles(LOGIN)),
    "portal_agent_withdraw": ("record", _roles(LOGIN)),
    # issue 21 (R-SEC-6): the roles given in a department wait for its head's confirmation
    "membership_awaiting": (None, _roles(FORBIDDEN, anonymous=LOGIN, head=OK)),
    "designation_queue": (
        None,
        {**CASE_CREATE, **{role: 302 for role, status in CASE_CREATE.items() if status == OK}},
    ),
    "designation_create": (OWN, CASE_OBJECT_WRITE),
    "designation_create@other": (OTHER, OTHER_DEPT_WRITE),
    "designation_create_court": (OWN, CASE_OBJECT_WRITE),
    "designation_update": ("designation", CASE_OBJECT_WRITE),
    "designation_act": ("designation+approve", POST_ENDPOINT),
    "designation_statement": ("designation", POST_ENDPOINT),
    "designation_statement_consider": ("designation+1", POST_ENDPOINT),
    "designation_hearing": ("designation", POST_ENDPOINT),
    "designation_hearing_minutes": ("designation+1", POST_ENDPOINT),
    "designation_objection": ("designation", POST_ENDPOINT),
    "designation_objection_decide": ("designation+1", POST_ENDPOINT),
    "document_download": ("document", CASE_OBJECT),
    # who receives one document, decided with a reason (issue 22): the department's case staff
    "document_recipient": ("document", CASE_OBJECT_WRITE),
    "designation_document_sent": ("designation+document", POST_ENDPOINT),
    "designation_statement_file": ("designation+statement", CASE_OBJECT),
    "designation_minutes_file": ("designation+hearing", CASE_OBJECT),
    "designation_proof_file": ("designation+service", CASE_OBJECT),
    "designation_evidence_file": ("designation+designation_objection", CASE_OBJECT),
    "catalog_public": (None, PUBLIC),
    "healthz": (None, PUBLIC),
    # Prometheus: answered from the machine itself (the test client's 127.0.0.1) whatever the role; any other
    # address gets a 404 (tests/test_metrics.py).
    "metrics": (None, PUBLIC),
    "catalog_manage": (None, CATALOG_STAFF),
    "catalog_version_create": (None, CATALOG_STAFF),
    "catalog_version_detail": ("version", CATALOG_STAFF),
    "catalog_version_act": ("version+approve", CATALOG_ACT),
    "catalog_item_create": ("draft", CATALOG_STAFF),
    "catalog_item_update": ("draft+item", CATALOG_STAFF),
    "catalog_version_import": ("draft", CATALOG_STAFF),
    "catalog_version_export": ("version+csv", PUBLIC),
    "catalog_version_export@draft": ("draft+csv", {**_roles(NOT_FOUND), **dict.fromkeys(AUTHORITY_ROLES, OK)}),
    "catalog_version_diff": ("draft", CATALOG_STAFF),
    "catalog_import_template": ("xlsx", CATALOG_STAFF),
    "catalog_import_job": ("import_job", CATALOG_STAFF),
    # issue 23: batch imports of credit records, the department's own
    "record_import_list": (None, CASE_LIST),
    "record_import_create": (None, CASE_CREATE),
    "record_import_template": (None, CASE_CREATE),
    "defaulter_import_create": (None, CASE_CREATE),
    "defaulter_import_template": (None, CASE_CREATE),
    "record_import_detail": ("record_import", CASE_OBJECT),
    "record_import_errors": ("record_import", CASE_OBJECT),
    # issue 23: the JSON API answers signed requests only: a browser session, whoever holds it, is a 401 (api/tests
    # prove the signed requests); its schema and docs page hold no data
    "api_subject_list": (None, _roles(UNAUTHORIZED)),
    "api_subject_detail": (OWN, _roles(UNAUTHORIZED)),
    "api_record_list": (None, _roles(UNAUTHORIZED)),
    "api_record_detail": ("record", _roles(UNAUTHORIZED)),
    "api_feed": (None, _roles(UNAUTHORIZED)),
    "api_import_create": (None, _roles(UNAUTHORIZED)),
    "api_import_detail": ("record_import", _roles(UNAUTHORIZED)),
    "api_schema": (None, PUBLIC),
    "api_docs": (None, PUBLIC),
    "measure_list_create": (None, CATALOG_STAFF),
    "measure_list_detail": ("measure_list", CATALOG_STAFF),
    "measure_list_act": ("measure_list+publish", CATALOG_ACT),
    "measure_create": ("measure_list", CATALOG_STAFF),
    "measure_list_import": ("measure_list", CATALOG_STAFF),
    "measure_list_export": ("measure_list+json", PUBLIC),
    "standard_create": (None, CATALOG_STAFF),
    "standard_import": (None, CATALOG_STAFF),
    "standard_export": ("csv", PUBLIC),
    "standard_detail": ("standard", CATALOG_STAFF),
    "standard_update": ("standard", CATALOG_STAFF),
    "standard_act": ("standard+withdraw", CATALOG_ACT),
}
#: URLs that are not application views: Django's own (the admin has its own tests; these two are POST
#: endpoints of django.contrib.auth and django.conf.urls.i18n).
NOT_APP_VIEWS = {"logout", "set_language"}


def _url_names(resolver=None, namespace=""):
    """Every view's name (``namespace:name`` inside a namespace), the admin's aside."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from _url_names(pattern, f"{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_view_is_in_the_matrix():
    missing = set(_url_names()) - {name.split("@")[0] for name in MATRIX} - NOT_APP_VIEWS
    assert not missing, f"Views without a permission-matrix entry: {sorted(missing)}"


def _user(role, dept, authority):
    if role == "anonymous":
        return None
    if role in SYSTEM_ROLES:
        return UserFactory(username=role, system_role=SystemRole(role), is_staff=True)
    if role in AUTHORITY_ROLES:
        return user_with_role(Role(role.split("_")[1]), authority, username=role)
    return user_with_role(Role(role), dept, username=role)


@pytest.fixture
def objects(dept_a, dept_b, caseworker_a):
    """One case of every kind in department A, and the catalog objects (for the modules that crawl the pages)."""
    return build_objects(dept_a, dept_b, caseworker_a)


@pytest.fixture(scope="module")
def matrix_data(django_db_setup, django_db_blocker):
    """The matrix's data, built once for its 850 requests (they only read): the departments, A's caseworker and
    ``build_objects``, in a transaction rolled back when the module ends. Each test runs in a savepoint inside it,
    as Django's ``setUpTestData`` does, so what a test writes (its users) goes with the test."""
    yield from shared_matrix_data(django_db_blocker)


def shared_matrix_data(django_db_blocker):
    """``matrix_data``'s body, for a fixture of any scope (tests/test_every_page_chinese.py's pages read it too)."""
    from django.db import transaction

    from creditportal.choices import Role

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            dept_a = DepartmentFactory(
                code="HK-SAMR", name="海口市市场监督管理局", name_en="Haikou Market Regulation Bureau"
            )
            dept_b = DepartmentFactory(
                code="SY-SAMR", name="三亚市市场监督管理局", name_en="Sanya Market Regulation Bureau"
            )
            caseworker_a = user_with_role(Role.CASEWORKER, dept_a, username="caseworker_a")
            yield {"dept_a": dept_a, "dept_b": dept_b, "objects": build_objects(dept_a, dept_b, caseworker_a)}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_objects(dept_a, dept_b, caseworker_a):
    from tests.case_data import make_cases

    cases = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)
    item = cases["record"].catalog_item
    draft = CatalogVersion.objects.create(jurisdiction="HN", number=2, title="草稿", drafted_by=caseworker_a)
    draft_item = type(item).objects.create(
        **{
            **{f.name: getattr(item, f.name) for f in item._meta.concrete_fields if f.name not in {"id", "version"}},
            "version": draft,
        }
    )
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from creditportal.models import IssuedDocument

    document = IssuedDocument(
        department=dept_a,
        kind="notice",
        issued_by=caseworker_a,
        content_type=ContentType.objects.get_for_model(cases["designation"]),
        object_id=cases["designation"].pk,
        sha256="0" * 64,
    )
    document.file.save("notice.pdf", ContentFile(b"%PDF-1.7"), save=True)
    files = _uploaded_files(cases["designation"], document, dept_a, caseworker_a)
    from catalog.models import ImportJob

    import_job = ImportJob(kind="items", target_id=draft.pk, jurisdiction="HN", reason="导入", created_by=caseworker_a)
    import_job.file.save("items.csv", ContentFile(b"code\n"), save=True)
    from exchange.models import RecordImport

    record_import = RecordImport(department=dept_a, format="csv", reason="月度报送", created_by=caseworker_a)
    record_import.file.save("records.csv", ContentFile(b"provider_key\n"), save=True)
    return {
        **cases,
        **files,
        "document": document,
        "import_job": import_job,
        "record_import": record_import,
        "version": item.version,
        "draft": draft,
        "draft_item": draft_item,
        "measure_list": cases["designation"].standard.allowed_measures.get().measure_list,
        "standard": cases["designation"].standard,
        "publication": _published(cases["designation"]),
        "credit_report": _credit_report(cases["record"].subject, caseworker_a),
        "authorisation": _authorisation(cases["record"].subject, caseworker_a),
        "service_consent": _service_consent(cases["record"].subject, caseworker_a),
    }


def _credit_report(subject, actor):
    """A credit report of the subject (HN 28), issued as the subject's page issues it."""
    import datetime

    from django.utils import timezone

    from subjects.services import credit_report_issue

    return credit_report_issue(
        subject=subject,
        actor=actor,
        reason="当事人申请",
        period_from=datetime.date(2025, 1, 1),
        period_to=timezone.localdate(),
    )


def _authorisation(subject, actor):
    """A subject's written authorisation of a third party's inquiry (R-SEC-2), as the subject's page registers it."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from subjects.services import authorisation_register

    today = timezone.localdate()
    return authorisation_register(
        subject=subject,
        actor=actor,
        reason="收到书面授权",
        requester="海南农商银行",
        purpose="贷款审批",
        valid_from=today,
        valid_until=today + datetime.timedelta(days=30),
        document=SimpleUploadedFile("授权书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
        received_on=today,
    )


def _service_consent(subject, actor):
    """A subject's consent to electronic service with its signed confirmation (APL art. 61)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from subjects.services import service_consent_register

    return service_consent_register(
        subject=subject,
        actor=actor,
        reason="收到确认书",
        address="credit@example.cn",
        consented_on=timezone.localdate(),
        confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
    )


def _published(designation):
    """An entry of the public list (issue 22), as the listing would have published it."""
    import datetime

    from django.utils import timezone

    from designations.models import Publication

    return Publication.objects.create(
        designation=designation,
        department=designation.department,
        published_at=timezone.now() - datetime.timedelta(days=1),
        subject_name=designation.subject.name,
        identifier=designation.subject.masked_id_number,
        department_name=designation.department.name,
        standard_title=designation.standard.title,
        sector=designation.standard.sector,
        listed_from=timezone.localdate(),
    )


def _uploaded_files(designation, document, department, actor) -> dict:
    """One uploaded file of each kind on the case (the case page's scoped downloads)."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from creditportal.models import ServiceRecord
    from designations.models import Hearing, Statement
    from objections.tests.factories import ObjectionFactory

    statement = Statement(
        designation=designation,
        department=department,
        kind="defence",
        received_on=datetime.date(2026, 10, 1),
        text="申辩",
    )
    statement.file.save("defence.pdf", ContentFile(b"%PDF-1.7"), save=True)
    hearing = Hearing(
        designation=designation, department=department, scheduled_at=timezone.now(), place="会议室", chaired_by=actor
    )
    hearing.minutes_file.save("minutes.pdf", ContentFile(b"%PDF-1.7"), save=True)
    service = ServiceRecord(
        document=document,
        department=department,
        method="in_person",
        served_on=datetime.date(2026, 10, 1),
        recipient="王建国",
        recorded_by=actor,
    )
    service.proof.save("proof.jpg", ContentFile(b"\xff\xd8"), save=True)
    objection = ObjectionFactory(department=department, subject=designation.subject, designation=designation)
    objection.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.7"), save=True)
    return {"statement": statement, "hearing": hearing, "service": service, "designation_objection": objection}


def _url(name, arg, objects, dept_a, dept_b):
    if arg is None:
        return reverse(name)
    if arg in {"csv", "xlsx", "json"}:
        return reverse(name, args=[arg])
    if arg == OWN:
        return reverse(name, args=[PersonFactory(department=dept_a).pk])
    if arg == OTHER:
        return reverse(name, args=[PersonFactory(department=dept_b).pk])
    if arg == "draft+item":
        return reverse(name, args=[objects["draft"].pk, objects["draft_item"].pk])
    key, _, extra = arg.partition("+")
    if extra in objects:
        return reverse(name, args=[objects[key].pk, objects[extra].pk])
    return reverse(name, args=[objects[key].pk, *([int(extra) if extra.isdigit() else extra] if extra else [])])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", sorted(MATRIX))
def test_permission_matrix(client, entry, role, matrix_data, db):
    dept_a, dept_b, objects = matrix_data["dept_a"], matrix_data["dept_b"], matrix_data["objects"]
    name = entry.split("@")[0]
    arg, expected = MATRIX[entry]
    url = _url(name, arg, objects, dept_a, dept_b)
    authority = DepartmentFactory(code="HN-DRC", name="海南省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY)
    user = _user(role, dept_a, authority)
    if user is not None:
        client.force_login(user)
    assert client.get(url).status_code == expected[role], f"{role} GET {url}"
