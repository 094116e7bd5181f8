"""Schemathesis against the live server (issue 23): every operation of the published schema, with a few generated
requests each, signed as a providing unit signs them, answers without a server error.

It starts a server, so it runs in the suite's second, one-process pass (conftest.ONE_PROCESS)."""

import secrets

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api.signing import signed_headers
from api.tests.conftest import issue

# Transactional, like every test of the one-process pass; the migrations' rows (content types, profiles) are put back
# after it, and read again before it (an earlier test of the pass may have emptied and refilled them).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class SignedAuth(requests.auth.AuthBase):
    """A providing unit's client: each prepared request signed (``api.signing``), each write with a new key."""

    def __init__(self, key_id: str, secret: str) -> None:
        self.key_id, self.secret = key_id, secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        body = body.encode() if isinstance(body, str) else body
        request.headers.update(
            signed_headers(
                key_id=self.key_id, secret=self.secret, method=request.method or "GET", url=request.url or "", body=body
            )
        )
        if request.method == "POST":
            request.headers.setdefault("Idempotency-Key", secrets.token_hex(8))
        return request


@pytest.fixture
def unit(dept_a, caseworker_a, security_admin, head_a, subject_a, on, live_server):
    """A providing unit with a published catalog item, a subject and a key; the schema read from the live server."""
    from django.contrib.contenttypes.models import ContentType

    from tests.case_data import make_catalog

    ContentType.objects.clear_cache()
    on(2026, 9, 28)
    make_catalog(actor=caseworker_a, department=dept_a)
    credential, client = issue(dept_a, security_admin=security_admin, head=head_a)
    session = requests.Session()
    session.auth = SignedAuth(client.key_id, client.secret)
    return session


def test_no_operation_answers_with_a_server_error(unit, live_server):
    """Each operation: a few generated requests (valid and invalid shapes, random ids), signed; no 5xx."""
    api = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    tried, answered = [], []
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def call(case):
            response = case.call(base_url=live_server.url, session=unit)
            assert response.status_code != 401, response.text  # signed: the generated requests reach the endpoints
            case.validate_response(response, checks=[not_a_server_error])
            answered.append((case.operation.label, response.status_code))

        call()
        tried.append(operation.label)
    assert len(tried) == 8, tried
    assert any(200 <= code < 300 for _label, code in answered), answered  # some went through to the data
