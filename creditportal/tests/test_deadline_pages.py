"""The deadlines page shows the first PAGE_ROWS clocks of each group (issue 23: a hundred a group made the page
render three hundred rows at scale); a group with more links to its own pages, as the lists page their rows, and
those pages read through the same scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from creditportal import monitoring
from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from creditportal.tests.test_monitoring import _due_on
from designations.tests.factories import DesignationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(dept_a, dept_b, monkeypatch):
    """Five overdue clocks of A, oldest first; one of B; and two rows a group."""
    monkeypatch.setattr(monitoring, "PAGE_ROWS", 2)
    today = timezone.localdate()
    clocks = [_due_on(DesignationFactory(department=dept_a), today - datetime.timedelta(days=10 - n)) for n in range(5)]
    theirs = _due_on(DesignationFactory(department=dept_b), today - datetime.timedelta(days=20))
    return clocks, theirs


def _shown(response) -> list[int]:
    return [row.deadline.pk for group in response.context["page"].groups for row in group.rows]


def test_a_group_shows_its_first_rows_and_links_to_the_rest(client, overdue, dept_a):
    clocks, _theirs = overdue
    client.force_login(user_with_role(Role.CASEWORKER, dept_a, username="cw"))
    response = client.get(reverse("deadline_list"))
    assert _shown(response) == [c.pk for c in clocks[:2]]
    assert "?group=overdue&amp;page=2" in response.content.decode()


def test_a_groups_pages_hold_the_rest_in_order_and_never_another_departments(client, overdue, dept_a):
    clocks, theirs = overdue
    client.force_login(user_with_role(Role.CASEWORKER, dept_a, username="cw"))
    url = reverse("deadline_list")
    pages = [client.get(url, {"group": "overdue", "page": n}) for n in (1, 2, 3)]
    assert [_shown(page) for page in pages] == [[c.pk for c in clocks[i : i + 2]] for i in (0, 2, 4)]
    assert [page.context["page"].groups[0].more for page in pages] == [True, True, False]
    assert theirs.pk not in {pk for page in pages for pk in _shown(page)}
    assert "group=overdue&amp;page=2" in pages[2].content.decode()  # the previous page
    assert _shown(client.get(url, {"group": "nonsense"})) == [c.pk for c in clocks[:2]]  # the whole page
