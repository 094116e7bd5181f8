"""R-NAT-6 through the admin, as the system administrators use it (issue 20): one drafts a rule set, sees the
values in words and downloads the preview of the dates it would change; the same person cannot publish it; a second
system administrator publishes it; the published set is read-only."""

import datetime
import json

import pytest
from django.urls import reverse

from creditportal.models import RuleSet
from creditportal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(db):
    return tuple(
        UserFactory(username=name, system_role="system_admin", is_staff=True) for name in ("sysadmin-a", "sysadmin-b")
    )


def test_r_nat_6_drafted_previewed_and_published_by_another_in_the_admin(client, admins, settings, on):
    settings.LANGUAGE_CODE = "zh-hans"
    on(2026, 12, 1)  # the set drafted below takes effect on 2027-01-01, after the day it is published
    drafter, publisher = admins
    national = RuleSet.objects.get(layer="national", effective_from=datetime.date(2026, 4, 1))
    client.force_login(drafter)
    add = reverse("admin:creditportal_ruleset_add")
    page = client.get(add).content.decode()
    assert "一般失信信息最长公示期（月）" in page  # the names a value may take, in words
    response = client.post(
        add,
        {
            "layer": "national",
            "title": "国家信用修复规则（修订）",
            "effective_from": "2027-01-01",
            "values": json.dumps({**national.values, "general_max_months": 6}),
            "sources": json.dumps({**national.sources, "general_max_months": "某文件 第二条"}),
            "prevails": national.prevails,
            "change_reason": "按新文件起草",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = RuleSet.objects.get(title="国家信用修复规则（修订）")
    assert draft.status == "draft" and draft.drafted_by == drafter
    assert draft.history.first().history_change_reason == "按新文件起草"
    detail = client.get(reverse("admin:creditportal_ruleset_change", args=[draft.pk])).content.decode()
    assert "某文件 第二条" in detail and "一般失信信息最长公示期（月）" in detail

    changelist = reverse("admin:creditportal_ruleset_changelist")
    preview = client.post(changelist, {"action": "preview", "_selected_action": [draft.pk]})
    assert preview.status_code == 200 and preview["Content-Type"].startswith("text/csv")
    assert "原日期" in preview.content.decode("utf-8-sig")

    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"  # its drafter cannot publish it (four eyes)

    client.force_login(publisher)
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == publisher
    page = client.get(reverse("admin:creditportal_ruleset_change", args=[draft.pk])).content.decode()
    assert 'name="title"' not in page  # read-only once published
    assert "general_max_months" not in page  # and read in words, not by the names the product reads
