"""Fixtures of the subjects tests: a published catalog (through the catalog's services, four eyes), a company with
its legal representative (R-REC-2) and an untrustworthiness record on it, entered through the lawful-data guard.
The designation, objection and restoration tests use the same ones."""

import datetime

import pytest

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
def make_record(organisation, caseworker_a, catalog):
    """Another record of the organisation, determined on ``determined_on``."""
    counter = iter(range(100, 1000))

    def make(determined_on=datetime.date(2026, 3, 2), conduct_ended_on=None, **basis):
        number = next(counter)
        return subject_services.record_create(
            actor=caseworker_a,
            subject=organisation,
            catalog_item=catalog[0],
            summary=f"销售过期食品（第{number}次）",
            determined_on=determined_on,
            conduct_ended_on=conduct_ended_on,
            basis={**BASIS, "number": f"海口市监罚〔2026〕{number}号", "effective_on": determined_on, **basis},
            reason="Recorded",
        )

    return make
