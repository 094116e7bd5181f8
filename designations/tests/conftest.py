"""Fixtures of the designation tests: a published catalog and standard, a subject with a record (the subjects
tests' fixtures), and a second supervisor."""

import pytest

from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from subjects.tests.conftest import catalog, organisation, record  # noqa: F401  (fixtures)


@pytest.fixture
def supervisor_b_a(dept_a):
    """A second supervisor of department A."""
    return user_with_role(Role.SUPERVISOR, dept_a, username="supervisor_two")
