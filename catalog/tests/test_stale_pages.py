"""The catalog pages send back the version they showed (issue 8, creditportal.locking): a page opened before
someone else changed the object is refused with the lock's message, the input kept, and nothing is changed."""

import re

import pytest
from django.urls import reverse

from catalog import services
from catalog.models import CatalogItem, CatalogVersion
from creditportal.audit import tracked_save

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this after you opened it"


def _shown_version(html: str) -> str:
    match = re.search(r'name="expected_version" value="(\d+)"', html) or re.search(
        r'value="(\d+)"[^>]*name="expected_version"', html
    )
    assert match, "the page carries no expected_version"
    return match.group(1)


def _form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


@pytest.fixture
def draft(drafter, published):
    return services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="v2", reason="next", based_on=published[0].version
    )


def test_item_edit_page_opened_before_a_change_is_refused(client, drafter, draft):
    """Item edit (issue 8): the stale form is refused, the typed name kept on the page, the item unchanged."""
    item = draft.items.get()
    client.force_login(drafter)
    page = client.get(reverse("catalog_item_update", args=[draft.pk, item.pk]))
    data = {**_form_data(page.context["form"]), "name": "页面上的名称", "reason": "my edit"}
    assert data["expected_version"] == item.row_version

    services.catalog_item_save(
        actor=drafter, version=draft, item=item, data={"name": "别人改过的名称"}, reason="someone else"
    )
    response = client.post(reverse("catalog_item_update", args=[draft.pk, item.pk]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert STALE in html and "页面上的名称" in html
    assert CatalogItem.objects.get(pk=item.pk).name == "别人改过的名称"


def test_version_act_from_a_stale_page_is_refused(client, drafter, approver, draft):
    """Version acts (issue 8): submit from a page opened before the draft was submitted and returned."""
    client.force_login(drafter)
    shown = _shown_version(client.get(reverse("catalog_version_detail", args=[draft.pk])).content.decode())
    assert int(shown) == draft.row_version

    services.published_list_submit(obj=draft, actor=drafter, reason="sent")
    services.published_list_return(obj=draft, actor=approver, reason="fix it")
    response = client.post(
        reverse("catalog_version_act", args=[draft.pk, "submit"]), {"reason": "my comments", "expected_version": shown}
    )

    html = response.content.decode()
    assert response.status_code == 200 and STALE in html and "my comments" in html
    draft = CatalogVersion.objects.get(pk=draft.pk)
    assert draft.status == "draft"
    assert not draft.history.filter(history_change_reason="my comments").exists()


def test_version_act_from_a_fresh_page_is_done(client, drafter, draft):
    client.force_login(drafter)
    shown = _shown_version(client.get(reverse("catalog_version_detail", args=[draft.pk])).content.decode())
    response = client.post(
        reverse("catalog_version_act", args=[draft.pk, "submit"]), {"reason": "ready", "expected_version": shown}
    )
    assert response.status_code == 302
    assert CatalogVersion.objects.get(pk=draft.pk).status == "submitted"


def test_standard_act_from_a_stale_page_is_refused(client, drafter, approver, published):
    """Standard acts (issue 8): withdraw from a page opened before the standard was changed."""
    _, standard = published
    client.force_login(approver)
    html = client.get(reverse("standard_detail", args=[standard.pk])).content.decode()
    shown = _shown_version(html)
    standard.refresh_from_db()
    before = standard.status
    # someone else changes the standard: a tracked save with history, as every service does
    tracked_save(standard, actor=drafter, reason="someone else")
    response = client.post(
        reverse("standard_act", args=[standard.pk, "withdraw"]), {"reason": "withdraw it", "expected_version": shown}
    )
    assert response.status_code == 200 and STALE in response.content.decode()
    standard.refresh_from_db()
    assert standard.status == before
