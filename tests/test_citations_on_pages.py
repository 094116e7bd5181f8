"""Rule ids are for developers: the pages a caseworker reads cite the deployment's articles (issue 9)."""

import re

import pytest
from django.urls import reverse

from subjects.tests.factories import OrganisationFactory
from tests.case_data import make_catalog

pytestmark = pytest.mark.django_db
RULE_ID = re.compile(r"R-[A-Z]{3}-\d+")


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.mark.parametrize("name", ["subject_create", "record_create", "designation_create"])
def test_form_pages_cite_articles_not_rule_ids(client, caseworker_a, dept_a, name):
    make_catalog(actor=caseworker_a, department=dept_a)
    subject = OrganisationFactory(department=dept_a)
    client.force_login(caseworker_a)
    url = reverse(name) if name == "subject_create" else reverse(name, args=[subject.pk])
    html = client.get(url).content.decode()
    assert not RULE_ID.findall(html)
    if name == "record_create":  # R-CAT-1 (HN 11) cited as the deployment's own article
        assert "《海南自由贸易港社会信用条例》第十一条" in html


# --- Cited at the source, never by rewriting the finished page (issue 16). ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Only catalog items (R-CAT-1).", "Only catalog items（《海南自由贸易港社会信用条例》第十一条）."),
        ("期限（以工作日计，R-DES-1）。", "期限（以工作日计，《海南自由贸易港社会信用条例》第二十一条）。"),
        ("不得扩大（R-ZZZ-9、R-CAT-1）。", "不得扩大（《海南自由贸易港社会信用条例》第十一条）。"),
        ("范围（R-ZZZ-9；另见附件）。", "范围（另见附件）。"),
        ("期限（R-ZZZ-9）。", "期限。"),
        ("规则 R-DES-1 / R-DIS-1", "规则"),
        ("无规则", "无规则"),
    ],
)
def test_for_people_cites_inside_brackets_and_leaves_no_empty_ones(text, expected):
    """An id beside other words in brackets becomes the article beside them; brackets left empty go (the pages
    showed "（以工作日计，）" and "（；HL 30）"). A rule without an article here (R-ZZZ-9) is dropped, not shown."""
    from django.utils import translation

    from creditportal.citations import for_people

    with translation.override("zh-hans"):
        assert for_people(text) == expected


def _retitle(title: str) -> None:
    """The system administrator gives the Hainan profile's regulation another title (markup included)."""
    from creditportal.audit import tracked_save
    from creditportal.models import JurisdictionProfile
    from creditportal.profiles import forget_profiles

    profile = JurisdictionProfile.objects.get(code="HN")
    profile.regulation_zh = title
    tracked_save(profile, actor=None, reason="标题", validate=False)
    forget_profiles()


def test_a_profile_article_is_escaped_in_html():
    """A regulation title is an administrator's field: in HTML (a help text) its markup is text, never markup."""
    from django.utils.safestring import SafeData, mark_safe

    from creditportal.citations import for_people

    _retitle("<b>条例</b>")
    cited = for_people(mark_safe("Help (R-CAT-1)."))
    assert isinstance(cited, SafeData)
    assert "&lt;b&gt;条例&lt;/b&gt;" in cited and "<b>" not in cited
    assert for_people("Plain (R-CAT-1).") == "Plain（<b>条例</b>第十一条）."  # plain text: the template escapes it


def test_the_form_page_escapes_a_regulation_title_with_markup(client, caseworker_a, dept_a):
    """The stored-script path of issue 16: a title with markup reached every case page that cited it unescaped."""
    make_catalog(actor=caseworker_a, department=dept_a)
    subject = OrganisationFactory(department=dept_a)
    _retitle("<script>alert(1)</script>《条例》")
    client.force_login(caseworker_a)
    html = client.get(reverse("record_create", args=[subject.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;《条例》第十一条" in html


def test_what_a_person_typed_is_shown_as_typed(client, caseworker_a, dept_a):
    """An objection's grounds that mention "(R-DES-1)" read as the applicant wrote them, not as an article."""
    from objections.tests.factories import ObjectionFactory

    subject = OrganisationFactory(department=dept_a)
    objection = ObjectionFactory(department=dept_a, subject=subject, grounds_text="依据不足（R-DES-1）请核查")
    client.force_login(caseworker_a)
    html = client.get(reverse("objection_detail", args=[objection.pk])).content.decode()
    assert "依据不足（R-DES-1）请核查" in html


def test_the_length_check_notices_a_rewritten_body():
    """The check every test client response passes (conftest.PortalClient) fails on a body changed after its
    Content-Length was set, as CitationMiddleware did. With it, the permission matrix requests every page of the
    resolver as every role and checks each length; the every-page check (tests/test_every_page_chinese.py) finds
    no rule id on any of them."""
    from django.http import HttpResponse

    from conftest import assert_whole

    response = HttpResponse("<p>abc</p>")
    response["Content-Length"] = str(len(response.content))
    assert_whole(response)
    response.content = b"<p>abc (longer)</p>"
    with pytest.raises(AssertionError, match="Content-Length 10 for a body of 19 bytes"):
        assert_whole(response)


@pytest.mark.parametrize("template", ["creditportal/includes/timeline.html", "creditportal/includes/history.html"])
def test_stored_reasons_cite_articles_not_rule_ids(template):
    """A reason stored with a rule id ("Measures waived … (R-DES-7)") reads with the deployment's article on the
    timeline and in the history, or without the id where the regulation has no article for it (issue 20)."""
    import datetime

    from django.template.loader import render_to_string
    from django.utils import translation

    reason = "本机关依法审查（R-DES-1）；另见（R-NAT-4）。"
    at = datetime.datetime(2026, 10, 15, 10, tzinfo=datetime.UTC)
    context = {
        "events": [{"at": at, "action": "designations.designation.created", "actor": None, "reason": reason}],
        "history": [{"history_type": "~", "history_user": None, "history_date": at, "history_change_reason": reason}],
    }
    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    assert not RULE_ID.findall(html)
    assert "《海南自由贸易港社会信用条例》第二十一条" in html
