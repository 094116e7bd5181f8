"""Fixtures of the designation tests: a published catalog and standard, a subject with a record."""

import datetime

import pytest

from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_catalog

BASIS = {
    "basis_type": "punishment_decision",
    "number": "海口市监罚〔2026〕21号",
    "issuing_authority": "海口市市场监督管理局",
    "effective_on": datetime.date(2026, 3, 2),
}


@pytest.fixture
def catalog(caseworker_a, dept_a):
    return make_catalog(actor=caseworker_a, department=dept_a)


@pytest.fixture
def organisation(dept_a, caseworker_a):
    org = OrganisationFactory(department=dept_a, name="海口椰风食品有限公司", address="海口市龙华区滨海大道1号")
    rep = PersonFactory(department=dept_a, name="王建国")
    subject_services.related_person_add(
        organisation=org, person=rep, role="legal_representative", actor=caseworker_a, reason="Registration"
    )
    return org


@pytest.fixture
def record(organisation, caseworker_a, catalog):
    return subject_services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis=BASIS,
        reason="Recorded",
    )


@pytest.fixture
def supervisor_b_a(dept_a):
    """A second supervisor of department A."""
    return user_with_role(Role.SUPERVISOR, dept_a, username="supervisor_two")
