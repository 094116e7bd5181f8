"""Lists show a total (issue 9): exact when small, the planner's estimate at scale, and never a full COUNT(*)."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _total(response) -> tuple[int, str]:
    html = response.content.decode()
    match = re.search(r'<span data-total="(\d+)">([^<]*)</span>', html)
    assert match, "the list shows no total"
    return int(match.group(1)), match.group(2)


def test_a_list_that_fits_on_one_page_shows_its_exact_total(client, caseworker_a, dept_a, dept_b):
    for _ in range(3):
        PersonFactory(department=dept_a)
    PersonFactory(department=dept_b)  # out of scope: not counted
    client.force_login(caseworker_a)
    assert _total(client.get(reverse("subject_list"))) == (3, "3 in all")


def test_a_list_of_several_pages_counts_exactly_below_the_limit(client, caseworker_a, dept_a, settings):
    settings.PORTAL_PAGE_SIZE = 5
    for _ in range(12):
        PersonFactory(department=dept_a)
    client.force_login(caseworker_a)
    assert _total(client.get(reverse("subject_list")))[0] == 12
    assert _total(client.get(reverse("subject_list") + "?page=2"))[0] == 12
    assert _total(client.get(reverse("subject_list") + "?page=3"))[0] == 12  # the last page, from the rows seen
    assert _total(client.get(reverse("subject_list") + "?name=nobody")) == (0, "0 in all")


def test_past_the_limit_the_total_is_the_planners_estimate(client, caseworker_a, dept_a, settings):
    settings.PORTAL_PAGE_SIZE = 5
    settings.PORTAL_EXACT_COUNT_LIMIT = 10
    for _ in range(40):
        PersonFactory(department=dept_a)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE subjects_creditsubject")
    client.force_login(caseworker_a)
    count, text = _total(client.get(reverse("subject_list")))
    assert text.startswith("about ")
    assert 11 <= count <= 400  # the planner's figure: at least what was counted, of the table's order


def test_the_total_reads_in_chinese(client, caseworker_a, dept_a, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    PersonFactory(department=dept_a)
    client.force_login(caseworker_a)
    assert _total(client.get(reverse("subject_list"))) == (1, "共 1 条")
