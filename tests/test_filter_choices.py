"""A list's filter choices (departments, standards) are read once a minute, not on every page (issue 23), and never
offer a person what is not theirs: the departments' cache key holds the departments the person's roles give, and a
saved department or standard ends the reuse at once."""

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


def test_the_standards_are_read_once_and_a_new_one_is_offered_at_once(client, caseworker_a):
    DesignationStandardFactory(code="HN-S-FIRST")
    client.force_login(caseworker_a)
    url = reverse("designation_list")
    page, reads = _reads(client, url, "catalog_designationstandard")
    assert "HN-S-FIRST" in page
    page, reads = _reads(client, url, "catalog_designationstandard")
    assert "HN-S-FIRST" in page and reads == 0  # the choices from the cache

    DesignationStandardFactory(code="HN-S-SECOND")  # saved: the cached choices are forgotten
    page, reads = _reads(client, url, "catalog_designationstandard")
    assert "HN-S-FIRST" in page and "HN-S-SECOND" in page and reads == 1


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
