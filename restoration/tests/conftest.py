"""Fixtures of the restoration tests: the subjects tests' catalog, subject and records, and a listed designation
walked through its due process by the designation services (designations/tests/helpers.py)."""

import pytest

from creditportal.models import JurisdictionProfile
from creditportal.profiles import forget_profiles
from designations.tests.helpers import draft, to_state
from subjects.tests.conftest import catalog, make_record, organisation, record  # noqa: F401  (fixtures)


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
