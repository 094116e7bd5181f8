"""A list's department choices are read once a minute, not on every page (issue 23), and never offer a person what is
not theirs: the cache key holds the departments the person's roles give, and a saved department that is offered ends
the reuse at once. The standards (every standard) are read on every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.factories import DesignationStandardFactory
from creditportal.choices import Role
from creditportal.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _reads(client, url: str, table: str) -> tuple[str, int]:
    """The page, and how many of its queries read ``table``."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)


def test_a_new_standard_is_offered_at_once(client, caseworker_a):
    """The standards are every standard (not rows known by their keys): never cached, a new one offered at once."""
    DesignationStandardFactory(code="HN-S-FIRST")
    client.force_login(caseworker_a)
    url = reverse("designation_list")
    assert "HN-S-FIRST" in _reads(client, url, "catalog_designationstandard")[0]
    DesignationStandardFactory(code="HN-S-SECOND")
    page, _reads_ = _reads(client, url, "catalog_designationstandard")
    assert "HN-S-FIRST" in page and "HN-S-SECOND" in page


def test_another_department_saved_does_not_end_the_reuse(client, caseworker_a):
    from creditportal.tests.factories import DepartmentFactory

    client.force_login(caseworker_a)
    url = reverse("subject_list")
    _reads(client, url, "creditportal_department")
    DepartmentFactory(code="ELSEWHERE")  # not offered to this reader
    assert _reads(client, url, "creditportal_department")[1] == 0


def test_the_departments_offered_are_the_readers_own_whoever_filled_the_cache(client, caseworker_a, caseworker_b):
    dept_a = caseworker_a.memberships.get().department
    dept_b = caseworker_b.memberships.get().department
    url = reverse("subject_list")

    def offered(user) -> tuple[set[str], int]:
        client.force_login(user)
        page, reads = _reads(client, url, "creditportal_department")
        return {code for code in (dept_a.code, dept_b.code) if f'value="{_pk(code)}"' in page}, reads

    def _pk(code):
        return dept_a.pk if code == dept_a.code else dept_b.pk

    assert offered(caseworker_a)[0] == {dept_a.code}
    assert offered(caseworker_b)[0] == {dept_b.code}  # never A's choices, although A's are cached
    assert offered(caseworker_a) == ({dept_a.code}, 0)  # A's again, from the cache

    MembershipFactory(user=caseworker_a, department=dept_b, role=Role.CASEWORKER)
    assert offered(caseworker_a)[0] == {dept_a.code, dept_b.code}  # a new role's department offered at once


def test_a_renamed_department_is_offered_under_its_new_name_at_once(client, caseworker_a):
    department = caseworker_a.memberships.get().department
    client.force_login(caseworker_a)
    url = reverse("subject_list")
    _reads(client, url, "creditportal_department")
    department.name_en = "Renamed Bureau"
    department.save()
    page, reads = _reads(client, url, "creditportal_department")
    assert "Renamed Bureau" in page
