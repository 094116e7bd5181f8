"""A refused catalog act shows its page again with the reason and what the user typed (was a redirect that
dropped the comments)."""

import pytest
from django.urls import reverse

from catalog import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(drafter, published):
    """An empty draft of the next version (nothing copied, nothing imported)."""
    return services.catalog_version_create(actor=drafter, jurisdiction="HN", title="下一版", reason="Next")


def test_a_refused_approval_keeps_the_comments_and_says_why(client, draft, approver):
    """R-CAT-1: an empty draft cannot be approved; the approver's comments stay in the field."""
    client.force_login(approver)
    response = client.post(reverse("catalog_version_act", args=[draft.pk, "approve"]), {"reason": "已逐条核对国家目录"})
    html = response.content.decode()
    assert response.status_code == 200  # the page again, not a redirect
    assert "已逐条核对国家目录" in html
    assert "An empty version cannot be approved" in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_refused_standard_act_keeps_the_comments(client, published, approver):
    standard = published[1]
    client.force_login(approver)
    response = client.post(reverse("standard_act", args=[standard.pk, "publish"]), {"reason": "请复核后发布"})
    html = response.content.decode()
    assert response.status_code == 200 and "请复核后发布" in html and "not possible while the state is" in html


def test_an_act_that_changes_no_state_cannot_be_posted(client, published, approver):
    client.force_login(approver)
    response = client.post(reverse("standard_act", args=[published[1].pk, "edit"]), {"reason": "x"})
    assert response.status_code == 404
