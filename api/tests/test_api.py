"""The JSON API (issue 23): signed requests only, the pages' scope and guards, idempotent writes, throttling, the
access log, and a schema that is valid OpenAPI 3."""

import re

import pytest
from django.test import Client

from api import services
from api.models import ApiIdempotencyKey
from api.signing import NONCE_HEADER, SIGNATURE_HEADER
from api.tests.conftest import issue, record_body
from creditportal.choices import AccessKind
from creditportal.models import AccessEntry, AuditEvent
from subjects.models import CreditRecord

RECORDS = "/api/v1/records/"
CJK = re.compile(r"[\u4e00-\u9fff]")


def make_record(unit, subject, item, key="k-1", **overrides):
    _credential, api = unit
    response = api.post(RECORDS, record_body(subject, item, **overrides), headers={"Idempotency-Key": key})
    assert response.status_code == 201, response.content.decode()
    return response.json()


# --- signatures --------------------------------------------------------------------------------------------------


def test_a_signed_request_is_answered(unit_a):
    _credential, api = unit_a
    response = api.get(RECORDS)
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("case", "signing", "headers"),
    [
        ("wrong signature", {}, {SIGNATURE_HEADER: "0" * 64}),
        ("signed another nonce", {"nonce": "a-different-nonce"}, {NONCE_HEADER: "the-nonce-sent"}),
        ("too old", {"now": 1790000000 - 301}, {}),
        ("from the future", {"now": 1790000000 + 301}, {}),
        ("bad nonce", {"nonce": "short"}, {}),
    ],
)
def test_a_bad_signature_is_refused(unit_a, time_machine, case, signing, headers):
    time_machine.move_to(1790000000, tick=False)
    _credential, api = unit_a
    response = api.get(RECORDS, headers=headers, **signing)
    assert response.status_code == 401, case
    assert response.json()["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Signature")


def test_a_body_changed_after_signing_is_refused(unit_a, subject_a, catalog_item):
    _credential, api = unit_a
    from api.signing import signed_headers

    body = record_body(subject_a, catalog_item)
    import json

    signed = signed_headers(
        key_id=api.key_id, secret=api.secret, method="POST", url=RECORDS, body=json.dumps(body).encode()
    )
    body["summary"] = "改过的"
    response = api.post(RECORDS, body, sign=False, headers={**signed, "Idempotency-Key": "x"})
    assert response.status_code == 401
    assert not CreditRecord.objects.exists()


def test_a_nonce_is_used_once(unit_a):
    _credential, api = unit_a
    assert api.get(RECORDS, nonce="the-same-nonce-1").status_code == 200
    replayed = api.get(RECORDS, nonce="the-same-nonce-1")
    assert replayed.status_code == 401
    assert "nonce" in replayed.json()["detail"]


def test_unsigned_requests_and_browser_sessions_are_refused(unit_a, caseworker_a):
    assert Client().get(RECORDS).status_code == 401
    browser = Client()
    browser.force_login(caseworker_a, backend="creditportal.permissions.RoleBackend")
    assert browser.get(RECORDS).status_code == 401
    assert browser.post(RECORDS, {}, content_type="application/json").status_code == 401


def test_a_revoked_key_is_refused(unit_a, security_admin):
    credential, api = unit_a
    services.credential_revoke(credential=credential, actor=security_admin, reason="密钥泄露")
    response = api.get(RECORDS)
    assert response.status_code == 401
    credential.refresh_from_db()
    assert (credential.revoked_by, credential.revoked_reason) == (security_admin, "密钥泄露")
    assert not credential.user.is_active


def test_a_key_whose_role_is_not_confirmed_is_refused(dept_a, security_admin, head_a):
    _credential, api = issue(dept_a, security_admin=security_admin, head=head_a, confirm=False)
    assert api.get(RECORDS).status_code == 403


def test_only_the_security_administrator_issues_keys(dept_a, caseworker_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.credential_issue(department=dept_a, actor=caseworker_a, reason="r", name="n")


# --- scope, guard, idempotency -----------------------------------------------------------------------------------


def test_another_departments_record_and_subject_are_not_found(
    unit_a, subject_a, catalog_item, dept_b, security_admin, on
):
    record = make_record(unit_a, subject_a, catalog_item)
    head_b = __import__("creditportal.tests.factories", fromlist=["user_with_role"]).user_with_role(
        "head", dept_b, username="head_b"
    )
    _credential, api_b = issue(dept_b, security_admin=security_admin, head=head_b)
    assert api_b.get(f"{RECORDS}{record['id']}/").status_code == 404
    assert api_b.get(f"/api/v1/subjects/{subject_a.pk}/").status_code == 404
    assert api_b.get(RECORDS).json()["results"] == []
    assert api_b.get(f"/api/v1/subjects/?id_number={subject_a.identifier}").json() == []


def test_a_record_is_entered_through_the_guard_and_read_back(unit_a, subject_a, catalog_item):
    _credential, api = unit_a
    record = make_record(unit_a, subject_a, catalog_item)
    stored = CreditRecord.objects.get(pk=record["id"])
    assert (stored.subject, stored.department_id, stored.recorded_by) == (
        subject_a,
        subject_a.department_id,
        _credential.user,
    )
    assert record["basis"]["number"] == "海口市监罚〔2026〕88号"
    detail = api.get(f"{RECORDS}{record['id']}/")
    assert detail.status_code == 200
    assert detail.json()["catalog_item"] == catalog_item.code
    found = api.get(f"/api/v1/subjects/?id_number={subject_a.identifier}")
    assert [s["id"] for s in found.json()] == [subject_a.pk]


def test_the_same_key_and_body_replays_the_first_answer(unit_a, subject_a, catalog_item):
    _credential, api = unit_a
    body = record_body(subject_a, catalog_item)
    first = api.post(RECORDS, body, headers={"Idempotency-Key": "same"})
    again = api.post(RECORDS, body, headers={"Idempotency-Key": "same"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert CreditRecord.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(unit_a, subject_a, catalog_item):
    _credential, api = unit_a
    assert api.post(RECORDS, record_body(subject_a, catalog_item), headers={"Idempotency-Key": "k"}).status_code == 201
    other = api.post(RECORDS, record_body(subject_a, catalog_item, summary="另一条"), headers={"Idempotency-Key": "k"})
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert CreditRecord.objects.count() == 1


def test_a_write_without_an_idempotency_key_is_refused(unit_a, subject_a, catalog_item):
    _credential, api = unit_a
    response = api.post(RECORDS, record_body(subject_a, catalog_item))
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not CreditRecord.objects.exists()


def test_a_record_the_guard_refuses_writes_nothing_and_answers_in_chinese(unit_a, subject_a, catalog_item, settings):
    """Untrustworthiness information without its basis document is refused by the lawful-data guard, as on the
    record form; nothing is written, the key is given back, and the reason is in Chinese."""
    settings.LANGUAGE_CODE = "zh-hans"
    _credential, api = unit_a
    events = AuditEvent.objects.count()
    response = api.post(RECORDS, record_body(subject_a, catalog_item, basis=None), headers={"Idempotency-Key": "g"})
    assert response.status_code == 422, response.content.decode()
    messages = " ".join(str(m) for m in response.json().values())
    assert CJK.search(messages), messages
    assert "R-" not in messages  # rule ids become the deployment's articles
    assert not CreditRecord.objects.exists()
    assert AuditEvent.objects.count() == events
    assert not ApiIdempotencyKey.objects.exists()  # the key may be used for the corrected record
    assert api.post(RECORDS, record_body(subject_a, catalog_item), headers={"Idempotency-Key": "g"}).status_code == 201


def test_an_item_outside_the_published_catalog_is_refused(unit_a, subject_a, catalog_item):
    _credential, api = unit_a
    response = api.post(
        RECORDS, record_body(subject_a, catalog_item, catalog_item="NO-SUCH"), headers={"Idempotency-Key": "c"}
    )
    assert response.status_code == 400
    assert "catalog_item" in response.json()


# --- throttling, access log, schema ------------------------------------------------------------------------------


def test_requests_beyond_the_rate_are_throttled(unit_a, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_credential": "2/min", "api_credential_write": "1/min"},
    }
    _credential, api = unit_a
    assert [api.get(RECORDS).status_code for _ in range(3)] == [200, 200, 429]
    assert int(api.get(RECORDS)["Retry-After"]) > 0


def test_reads_are_in_the_access_log_with_the_purpose(unit_a, subject_a, catalog_item):
    credential, api = unit_a
    record = make_record(unit_a, subject_a, catalog_item)
    api.get(f"{RECORDS}{record['id']}/", headers={"X-Access-Purpose": "objection"})
    api.get(f"/api/v1/subjects/{subject_a.pk}/")
    api.get(RECORDS)
    entries = AccessEntry.objects.filter(user=credential.user).order_by("id")
    assert [(e.kind, e.subject_id, e.purpose) for e in entries] == [
        (AccessKind.OPENED, subject_a.pk, "objection"),
        (AccessKind.OPENED, subject_a.pk, credential.purpose),
        (AccessKind.LISTED, subject_a.pk, ""),
    ]
    assert api.get(f"{RECORDS}{record['id']}/", headers={"X-Access-Purpose": "curious"}).status_code == 400


def test_the_feed_answers_a_page_and_refuses_a_forged_cursor(unit_a):
    _credential, api = unit_a
    page = api.get("/api/v1/feed/?limit=10")
    assert page.status_code == 200, page.content.decode()
    assert set(page.json()) == {"entries", "cursor", "more"}
    forged = api.get("/api/v1/feed/?cursor=not-a-cursor")
    assert forged.status_code == 400
    assert "cursor" in forged.json()


def test_the_schema_is_valid_openapi_3(db):
    from drf_spectacular.validation import validate_schema

    response = Client().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/records/",
        "/api/v1/records/{id}/",
        "/api/v1/subjects/",
        "/api/v1/subjects/{id}/",
        "/api/v1/feed/",
        "/api/v1/imports/",
        "/api/v1/imports/{id}/",
    }


def test_the_schema_speaks_the_deployments_language(db, settings):
    """Chinese first: the schema's description and its groups' are in the deployment's language on the docs page."""
    settings.LANGUAGE_CODE = "zh-hans"
    schema = Client().get("/api/v1/schema/?format=json").json()
    assert schema["info"]["description"].startswith("面向信息提供单位")
    assert {tag["name"]: tag["description"] for tag in schema["tags"]}["records"] == "信用记录"


def test_the_docs_page_serves_its_files_from_this_server(db):
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "//cdn" not in page and "https://" not in page
    assert "<style" not in page and "<script>" not in page  # the Content Security Policy allows neither


# --- the console and the receipts --------------------------------------------------------------------------------


def test_the_console_issues_and_revokes_a_key(dept_a, security_admin, head_a):
    from io import StringIO

    from django.core.management import call_command

    from api.models import ApiCredential
    from api.tests.helpers import SignedClient
    from creditportal.accounts import membership_confirm
    from creditportal.models import Membership

    out = StringIO()
    call_command("api_credential_issue", dept_a.code, name="法院系统", by="secadmin", reason="对接", stdout=out)
    printed = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    credential = ApiCredential.objects.get(key_id=printed["key id"])
    assert printed["secret"] not in credential.secret_sealed  # kept sealed, shown once
    membership_confirm(membership=Membership.objects.get(user=credential.user), actor=head_a, reason="确认")
    api = SignedClient(printed["key id"], printed["secret"])
    assert api.get(RECORDS).status_code == 200
    call_command("api_credential_revoke", printed["key id"], by="secadmin", reason="停用", stdout=StringIO())
    assert api.get(RECORDS).status_code == 401


def test_old_receipts_are_purged(unit_a):
    import datetime

    from django.utils import timezone

    from api.models import ApiNonce

    _credential, api = unit_a
    api.get(RECORDS)
    assert services.receipts_purge()["nonces"] == 0  # within the window: kept, a replay is still refused
    later = timezone.now() + datetime.timedelta(hours=1)
    assert services.receipts_purge(now=later)["nonces"] == 1
    assert not ApiNonce.objects.exists()


# --- batch imports -----------------------------------------------------------------------------------------------


def test_a_file_of_records_is_imported_in_the_background_and_its_refused_rows_reported(
    unit_a, catalog_item, django_capture_on_commit_callbacks
):
    from urllib.parse import quote

    from exchange.tests.test_record_import import csv_file, row

    _credential, api = unit_a
    content = csv_file([row(1, catalog_item), row(2, catalog_item, basis=False)])
    path = f"/api/v1/imports/?name=records.csv&reason={quote('月度报送')}"
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(path, content, content_type="text/csv", headers={"Idempotency-Key": "file-1"})
    assert sent.status_code == 202, sent.content.decode()
    again = api.post(path, content, content_type="text/csv", headers={"Idempotency-Key": "file-1"})
    assert again.json() == sent.json()  # the same upload again: the first answer, no second job
    job = api.get(f"/api/v1/imports/{sent.json()['id']}/").json()
    assert (job["status"], job["rows_written"], job["rows_refused"]) == ("done", 1, 1)
    assert [e["row"] for e in job["refused_rows"]] == [3]
    assert "R-" not in job["refused_rows"][0]["message"]  # rule ids become the deployment's articles, as on the pages
    assert CreditRecord.objects.get().provider_key == "HK-000001"


def test_another_departments_import_is_not_found(unit_a, catalog_item, dept_b, security_admin):
    from creditportal.tests.factories import user_with_role
    from exchange.tests.test_record_import import csv_file, row

    _credential, api = unit_a
    sent = api.post(
        "/api/v1/imports/?name=records.csv&reason=r",
        csv_file([row(1, catalog_item)]),
        content_type="text/csv",
        headers={"Idempotency-Key": "f"},
    )
    assert sent.status_code == 202, sent.content.decode()
    _credential_b, api_b = issue(dept_b, security_admin=security_admin, head=user_with_role("head", dept_b))
    assert api_b.get(f"/api/v1/imports/{sent.json()['id']}/").status_code == 404


def test_a_key_rotation_reseals_the_secrets_and_they_still_sign(unit_a, settings):
    import base64
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from creditportal.identity import _derived

    credential, api = unit_a
    old = base64.urlsafe_b64encode(_derived("cipher")).decode()
    settings.PORTAL_IDENTITY_KEYS = [Fernet.generate_key().decode(), old]
    call_command("api_credential_reseal", stdout=StringIO())
    settings.PORTAL_IDENTITY_KEYS = settings.PORTAL_IDENTITY_KEYS[:1]  # the old key dropped
    assert api.get(RECORDS).status_code == 200


def test_a_providers_key_is_kept_and_a_second_record_with_it_is_refused(unit_a, subject_a, catalog_item):
    """The unit's own key travels with the record (the batch import is idempotent by it); a second record with a key
    the department holds is a 422 on that field, nothing written."""
    _credential, api = unit_a
    first = api.post(
        RECORDS, {**record_body(subject_a, catalog_item), "provider_key": "HK-1"}, headers={"Idempotency-Key": "a"}
    )
    assert first.status_code == 201 and first.json()["provider_key"] == "HK-1"
    again = api.post(
        RECORDS,
        {**record_body(subject_a, catalog_item, summary="另一条"), "provider_key": "HK-1"},
        headers={"Idempotency-Key": "b"},
    )
    assert again.status_code == 422 and "provider_key" in str(again.json())
    assert CreditRecord.objects.count() == 1
