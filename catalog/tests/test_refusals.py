"""A refused catalog act shows its page again with the reason and what the user typed (was a redirect that
dropped the comments)."""

import io

import pytest
from django.urls import reverse

from catalog import services
from catalog.tests.test_imports import GOOD_1
from catalog.tests.test_views import _upload

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


# One refusal, shown one way (issue 17): each kind of catalog page, refused, shows what was typed and the reason.


def _form_data(form) -> dict:
    """What the browser sends for ``form`` as shown (its initial values)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def _alert(html: str) -> str:
    """The refusal at the top of an object's page (catalog/includes/acts.html)."""
    assert '<div class="alert alert-danger" role="alert"><strong>Not done.</strong>' in html, "no refusal at the top"
    return html.split('<div class="alert alert-danger" role="alert"><strong>Not done.</strong>')[1].split("</div>")[0]


def test_an_act_refused_by_the_service_shows_the_reason_at_the_top_above_the_comments(client, draft, approver):
    """An act button (catalog_version_act): the object's page again, the reason above the act form, the comments
    kept in it, nothing done (R-CAT-1)."""
    client.force_login(approver)
    response = client.post(reverse("catalog_version_act", args=[draft.pk, "approve"]), {"reason": "已核对"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "An empty version cannot be approved" in _alert(html)
    assert html.index("Not done.") < html.index('id="act-reason"')
    assert 'value="已核对"' in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_act_with_a_bad_field_says_why_at_the_top_and_beside_it_and_keeps_the_rest(
    client, published, approver, drafter
):
    """Publishing without the confirmation: the comments and the effective date kept, the reason beside the box."""
    version = services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="下一版", reason="Next", based_on=published[0].version
    )
    services.published_list_approve(obj=version, actor=approver, reason="Checked")
    client.force_login(approver)
    response = client.post(
        reverse("catalog_version_act", args=[version.pk, "publish"]),
        {"reason": "按期发布", "effective_on": "2099-01-01", "expected_version": version.row_version},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="按期发布"' in html and 'value="2099-01-01"' in html
    assert "Tick the confirmation to publish." in _alert(html)
    assert "Tick the confirmation to publish." in html.split('id="act-confirm"')[1]
    version.refresh_from_db()
    assert version.status == "approved"


def test_an_act_without_comments_says_so_at_the_top_and_beside_the_comments(client, draft, drafter):
    client.force_login(drafter)
    response = client.post(reverse("catalog_version_act", args=[draft.pk, "discard"]), {"reason": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in _alert(html)
    assert "This field is required." in html.split('id="act-reason"')[1]
    draft.refresh_from_db()
    assert draft.status == "draft"


def _next_version(drafter, published):
    """A draft of the next version, with the published version's item copied into it."""
    return services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="下一版", reason="Next", based_on=published[0].version
    )


def test_a_form_refused_by_the_service_is_shown_again_as_typed_with_the_reason_at_the_top(client, drafter, published):
    """A form page (catalog_item_update): the version was submitted after the form was opened; the form comes back
    with what was typed and the workflow's reason above the fields; the item is unchanged."""
    version = _next_version(drafter, published)
    item = version.items.get()
    client.force_login(drafter)
    page = client.get(reverse("catalog_item_update", args=[version.pk, item.pk]))
    data = {**_form_data(page.context["form"]), "name": "页面上输入的名称", "reason": "改名"}
    services.published_list_submit(obj=version, actor=drafter, reason="Ready")

    response = client.post(reverse("catalog_item_update", args=[version.pk, item.pk]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "页面上输入的名称" in html and 'value="改名"' in html
    assert "only a draft can be edited" in html
    assert html.index("only a draft can be edited") < html.index('name="name"')
    item.refresh_from_db()
    assert item.name != "页面上输入的名称"


def test_a_form_refused_on_a_field_says_why_beside_it(client, drafter, published):
    """A form page (measure_create): a punishment measure without its maximum duration (R-CAT-7)."""
    measure_list = services.measure_list_create(
        actor=drafter, jurisdiction="HN", kind="punishment", scope="local", title="本地清单", reason="Next"
    )
    client.force_login(drafter)
    response = client.post(
        reverse("measure_create", args=[measure_list.pk]),
        {"code": "L-01", "text": "限制评优评先", "legal_clause": "《条例》第二十条", "reason": "新增措施"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "限制评优评先" in html and 'value="新增措施"' in html
    assert "A punishment measure states its maximum duration" in html.split('name="max_duration_months"')[1]
    assert not measure_list.entries().exists()


def test_an_import_refused_shows_the_reason_and_keeps_the_comments(client, drafter, published):
    """The import page: a file that cannot be read is refused beside the file field, the comments kept; a draft
    submitted meanwhile is refused in the import's report, nothing written."""
    version = _next_version(drafter, published)
    client.force_login(drafter)
    unreadable = io.BytesIO("代码,名称\n".encode("gbk"))
    unreadable.name = "gbk.csv"
    response = client.post(
        reverse("catalog_version_import", args=[version.pk]),
        {"file": unreadable, "format": "csv", "dry_run": "on", "reason": "再试一次"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="再试一次"' in html
    assert "not UTF-8" in html.split('name="file"')[1]  # beside the file field, below it

    services.published_list_submit(obj=version, actor=drafter, reason="Ready")
    count = version.items.count()
    response = client.post(
        reverse("catalog_version_import", args=[version.pk]),
        {"file": _upload([GOOD_1]), "format": "csv", "reason": "导入国家目录"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not a draft" in html and 'value="导入国家目录"' in html
    assert version.items.count() == count


def test_the_form_of_a_version_that_is_no_longer_a_draft_is_not_shown(client, drafter, published):
    """Refused outside a form: asked for the new-item form of a published version, the version's page says why."""
    version = published[0].version
    client.force_login(drafter)
    response = client.get(reverse("catalog_item_create", args=[version.pk]))
    assert response.status_code == 302 and response.url == reverse("catalog_version_detail", args=[version.pk])
    page = client.get(response.url).content.decode()
    assert "only a draft can be edited" in page
