"""The jurisdiction profile in force is read once per request (issue 23: "cache what does not change within a
request"): the deadlines page cites the deployment's article on every row, and each citation read the profile and
the province's rule sets from the cache — in production two Redis round trips a row. An edit made within the
request is seen after it; outside a request every call reads afresh."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse
from django.utils import timezone

from creditportal import profiles
from creditportal.audit import system_user, tracked_save
from creditportal.choices import Role
from creditportal.models import JurisdictionProfile
from creditportal.profiles import current_profile, forget_profiles, memoised
from creditportal.tests.factories import user_with_role
from creditportal.tests.test_monitoring import _due_on
from designations.tests.factories import DesignationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile_reads(monkeypatch):
    """How many times the profile was read from the cache (the cache of the test settings: Django's LocMemCache)."""
    reads: list[str] = []
    real_get = LocMemCache.get

    def get(self, key, *args, **kwargs):
        if key.startswith(profiles.CACHE_KEY.split("%")[0]):
            reads.append(key)
        return real_get(self, key, *args, **kwargs)

    monkeypatch.setattr(LocMemCache, "get", get)
    return reads


def test_the_deadlines_page_reads_the_profile_once_however_many_articles_it_cites(client, dept_a, profile_reads):
    today = timezone.localdate()
    for offset in range(12):
        _due_on(DesignationFactory(department=dept_a), today + datetime.timedelta(days=offset % 7))
    client.force_login(user_with_role(Role.CASEWORKER, dept_a, username="cw"))
    article = current_profile().cite("R-OBJ-3")  # the clocks' rule (test_monitoring._open)
    profile_reads.clear()

    html = client.get(reverse("deadline_list")).content.decode()

    assert article and html.count(article) >= 12  # every row cites its article …
    assert len(profile_reads) == 1  # … from one reading of the profile


def test_an_edit_made_within_the_request_is_seen_after_it():
    with memoised():
        before = current_profile()
        edited = JurisdictionProfile.objects.get(pk=before.pk)
        edited.shared_copies_change_wd = 11
        tracked_save(edited, actor=system_user(), reason="更正", validate=False)
        assert current_profile().shared_copies_change_wd == before.shared_copies_change_wd  # read once …
        forget_profiles()  # … until the profile's edit says so, as every edit of it does
        assert current_profile().shared_copies_change_wd == 11


def test_outside_a_request_every_call_reads_afresh(profile_reads):
    current_profile()
    current_profile()
    assert len(profile_reads) == 2
