"""Catalog authoring as its users need it (issue 9): a caseworker of the credit authority submits a draft for
approval and the supervisors find it in their queue, or discards it (kept, never deleted); publishing asks for
an effective date (today or later) and a confirmation, and the public catalog shows it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from catalog import services
from catalog.models import CatalogVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(drafter, published):
    return services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="第二版", based_on=published[0].version, reason="Next version"
    )


def test_a_submitted_draft_is_in_the_supervisors_queue_and_approved_from_there(client, draft, drafter, approver):
    client.force_login(drafter)
    page = client.get(reverse("catalog_version_detail", args=[draft.pk])).content.decode()
    assert "Submit for approval" in page and "Discard the draft" in page
    response = client.post(reverse("catalog_version_act", args=[draft.pk, "submit"]), {"reason": "Ready"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    # submitted: no longer edited (return it to draft to change it)
    response = client.get(reverse("catalog_item_create", args=[draft.pk]), follow=True)
    assert "only a draft can be edited" in response.content.decode()

    client.force_login(approver)
    manage = client.get(reverse("catalog_manage")).content.decode()
    queue = manage.split('id="queue-heading"')[1].split("</section>")[0]
    assert f'href="{reverse("catalog_version_detail", args=[draft.pk])}"' in queue and "第二版 v2" in queue
    client.post(reverse("catalog_version_act", args=[draft.pk, "approve"]), {"reason": "Checked"})
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.approved_by == approver
    queue = client.get(reverse("catalog_manage")).content.decode().split('id="queue-heading"')[1].split("</section>")[0]
    assert "Nothing is waiting for approval." in queue


def test_r_cat_1_the_drafter_sees_why_they_cannot_approve_their_own_submitted_draft(
    client, authority, published, supervisor_who_drafts
):
    draft = services.catalog_version_create(
        actor=supervisor_who_drafts,
        jurisdiction="HN",
        title="第二版",
        based_on=published[0].version,
        reason="Next version",
    )
    services.published_list_submit(obj=draft, actor=supervisor_who_drafts, reason="Ready")
    client.force_login(supervisor_who_drafts)
    queue = client.get(reverse("catalog_manage")).content.decode().split('id="queue-heading"')[1]
    assert "cannot approve it" in queue.split("</section>")[0]


def test_an_empty_draft_cannot_be_submitted(drafter, published):
    empty = services.catalog_version_create(actor=drafter, jurisdiction="HN", title="空", reason="x")
    with pytest.raises(ValidationError, match="empty version"):
        services.published_list_submit(obj=empty, actor=drafter, reason="Ready")


def test_a_submitted_draft_returned_with_comments_is_a_draft_again(draft, drafter, approver):
    services.published_list_submit(obj=draft, actor=drafter, reason="Ready")
    services.published_list_return(obj=draft, actor=approver, reason="Add the new social-insurance item")
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.history.first().history_change_reason == "Add the new social-insurance item"


def test_a_discarded_draft_is_kept_with_its_items_and_can_no_longer_be_edited_or_approved(
    client, draft, drafter, approver
):
    client.force_login(drafter)
    client.post(reverse("catalog_version_act", args=[draft.pk, "discard"]), {"reason": "Superseded by a new plan"})
    draft = CatalogVersion.objects.get(pk=draft.pk)
    assert draft.status == "discarded" and draft.items.count() == 1
    with pytest.raises(ValidationError, match="only a draft can be edited"):
        services.catalog_item_save(actor=drafter, version=draft, data={"name": "x"}, reason="x")
    with pytest.raises(ValidationError):
        services.published_list_approve(obj=draft, actor=approver, reason="ok")
    assert "Discarded" in client.get(reverse("catalog_manage")).content.decode()


def test_publishing_asks_for_an_effective_date_and_a_confirmation(client, draft, approver):
    services.published_list_approve(obj=draft, actor=approver, reason="Checked")
    client.force_login(approver)
    page = client.get(reverse("catalog_version_detail", args=[draft.pk])).content.decode()
    assert 'name="effective_on"' in page and 'name="confirm"' in page
    url = reverse("catalog_version_act", args=[draft.pk, "publish"])
    today = timezone.localdate()

    html = client.post(url, {"reason": "Publish", "effective_on": today.isoformat()}).content.decode()
    assert "Tick the confirmation to publish." in html
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    html = client.post(url, {"reason": "Publish", "effective_on": yesterday, "confirm": "on"}).content.decode()
    assert "The effective date cannot be before today" in html
    draft.refresh_from_db()
    assert draft.status == "approved"

    effective = today + datetime.timedelta(days=7)
    client.post(url, {"reason": "Publish", "effective_on": effective.isoformat(), "confirm": "on"})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.effective_on == effective
    assert draft.history.first().effective_on == effective
    public = client.get(reverse("catalog_public")).content.decode()
    assert f"effective from {effective.isoformat()}" in public


def test_the_publish_service_refuses_an_effective_date_already_past(draft, approver):
    services.published_list_approve(obj=draft, actor=approver, reason="Checked")
    with pytest.raises(ValidationError, match="cannot be before today"):
        services.published_list_publish(
            obj=draft, actor=approver, reason="Publish", effective_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.effective_on is None


def test_a_version_with_thousands_of_items_is_paged_and_searchable_in_constant_queries(
    client, draft, drafter, django_assert_max_num_queries
):
    from catalog.imports import _bulk_create
    from catalog.models import CatalogItem

    template = draft.items.get()
    copies = []
    for n in range(1, 1201):
        item = CatalogItem(version=draft, **{f: getattr(template, f) for f in services.ITEM_FIELDS})
        item.code, item.name = f"HN-99-{n:04d}", f"批量条目{n}"
        copies.append(item)
    _bulk_create(copies, actor=drafter, reason="Many")
    client.force_login(drafter)
    url = reverse("catalog_version_detail", args=[draft.pk])
    client.get(url)  # warm the caches (profile, session)
    with django_assert_max_num_queries(40) as first:
        html = client.get(url).content.decode()
    assert "1201 items" in html and "page 1 of 13" in html and html.count("<tr><td") == 100
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get(url + "?page=12").content.decode()
    assert "page 12 of 13" in html
    html = client.get(url + "?q=HN-99-0777").content.decode()
    assert "1 item" in html and "批量条目777" in html and "批量条目778" not in html
    html = client.get(url + "?q=批量条目12").content.decode()
    assert "12 items" in html  # 12, 120–129, 1200
