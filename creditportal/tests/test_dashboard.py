"""The dashboard's counts (issue 16): current within seconds of a change, not minutes."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from creditportal.selectors import dashboard_counts
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _subjects(user, *, now) -> int:
    (department,) = dashboard_counts(user=user, now=now)
    return next(count for _label, url_name, count in department.counts if url_name == "subject_list")


def test_a_new_subject_is_counted_within_seconds_not_minutes(caseworker_a, dept_a):
    """A count may be shared by the visits of a few seconds; ten seconds after a change it is current."""
    start = timezone.now()
    PersonFactory(department=dept_a)
    assert _subjects(caseworker_a, now=start) == 1
    PersonFactory(department=dept_a)
    assert _subjects(caseworker_a, now=start + datetime.timedelta(seconds=10)) == 2


def test_the_dashboard_page_shows_the_current_counts(client, caseworker_a, dept_a):
    PersonFactory(department=dept_a)
    client.force_login(caseworker_a)
    counts = client.get(reverse("dashboard")).context["department_counts"]
    assert [c for _label, name, c in counts[0].counts if name == "subject_list"] == [1]
