"""Fixtures of the restoration tests: the designation tests' catalog, subject and record, and a listed designation
walked through its due process by the designation services (designations/tests/helpers.py)."""

import datetime

import pytest

from creditportal.models import JurisdictionProfile
from creditportal.profiles import forget_profiles
from designations.tests.conftest import BASIS, catalog, organisation, record  # noqa: F401  (fixtures)
from designations.tests.helpers import draft, to_state
from subjects import services as subject_services


def promise(wd, codes=("HN", "HL", "HB", "XJ")):
    """The deployment's promised restoration period (R-RES-5): no regulation fixes it, so a test sets it."""
    JurisdictionProfile.objects.filter(code__in=codes).unguarded().update(restoration_promised_wd=wd)
    forget_profiles()


@pytest.fixture(autouse=True)
def promised_period(request, db):
    """Every restoration test runs in a deployment that promised 10 working days (R-RES-5; NDRC 12), but in a
    module that reads the profiles as seeded (``SEEDED_PROFILES = True``)."""
    if not getattr(request.module, "SEEDED_PROFILES", False):
        promise(10)


@pytest.fixture
def listed(caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
        return to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)


@pytest.fixture
def make_record(organisation, caseworker_a, catalog):  # noqa: F811
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
