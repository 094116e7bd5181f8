"""Fixtures of the catalog tests: the provincial credit authority and its staff."""

import pytest

from creditportal.choices import DepartmentKind, Role
from creditportal.tests.factories import DepartmentFactory, user_with_role
from tests.case_data import make_catalog


@pytest.fixture
def authority(db):
    return DepartmentFactory(
        code="HN-DRC", name="海南省发展和改革委员会", name_en="Hainan DRC", kind=DepartmentKind.CREDIT_AUTHORITY
    )


@pytest.fixture
def drafter(authority):
    return user_with_role(Role.CASEWORKER, authority, username="drafter")


@pytest.fixture
def approver(authority):
    return user_with_role(Role.SUPERVISOR, authority, username="approver")


@pytest.fixture
def supervisor_who_drafts(authority):
    return user_with_role(Role.SUPERVISOR, authority, username="supervisor_who_drafts")


@pytest.fixture
def published(drafter, authority):
    """A published catalog v1 with one administrative-punishment item, a measure and a published standard."""
    item, standard = make_catalog(actor=drafter, department=authority)
    return item, standard
