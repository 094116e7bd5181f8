"""A providing unit with a published catalog item, a subject and a confirmed API key."""

import datetime

import pytest

from api import services
from api.tests.helpers import SignedClient
from creditportal.accounts import membership_confirm
from creditportal.choices import AccessPurpose, Role, SystemRole
from creditportal.models import Membership
from creditportal.tests.factories import UserFactory, user_with_role
from subjects.tests.factories import OrganisationFactory
from tests.case_data import make_catalog

BASIS = {
    "basis_type": "punishment_decision",
    "number": "海口市监罚〔2026〕88号",
    "issuing_authority": "海口市市场监督管理局",
    "effective_on": "2026-09-01",
}


@pytest.fixture
def security_admin(db):
    return UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)


@pytest.fixture
def head_a(dept_a):
    return user_with_role(Role.HEAD, dept_a, username="head_a")


def issue(department, *, security_admin, head, confirm: bool = True, **kwargs):
    """A key for ``department``, its role confirmed by ``head`` (R-SEC-6) unless ``confirm`` is False."""
    credential, secret = services.credential_issue(
        department=department,
        actor=security_admin,
        reason="测试用密钥",
        name="法院审判系统",
        purpose=kwargs.pop("purpose", AccessPurpose.CASE),
        **kwargs,
    )
    if confirm:
        membership_confirm(membership=Membership.objects.get(user=credential.user), actor=head, reason="确认")
    return credential, SignedClient(credential.key_id, secret)


@pytest.fixture
def unit_a(dept_a, security_admin, head_a, on):
    """Dept A's key and client, on 2026-09-28 (the catalog's and the records' dates lie before it)."""
    on(2026, 9, 28)
    return issue(dept_a, security_admin=security_admin, head=head_a)


@pytest.fixture
def catalog_item(dept_a, caseworker_a, on):
    on(2026, 9, 28)
    item, _standard = make_catalog(actor=caseworker_a, department=dept_a)
    return item


@pytest.fixture
def subject_a(dept_a):
    return OrganisationFactory(department=dept_a)


def record_body(subject, item, **overrides) -> dict:
    return {
        "subject": subject.pk,
        "catalog_item": item.code,
        "summary": "销售过期食品",
        "determined_on": "2026-09-01",
        "basis": dict(BASIS),
        **overrides,
    }


@pytest.fixture
def today():
    return datetime.date(2026, 9, 28)
