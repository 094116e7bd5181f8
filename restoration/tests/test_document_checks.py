"""Issue 19: issuing checks the restoration's documents. ``restoration/pdf.py`` declares what each must state: the
notice of the outcome (``notice_requires``: a title matching the outcome; granted, what the restoration ends; not
granted, the reasons, the article and the remedies, R-RES-4) and the decision not to accept (``refusal_requires``:
its title, the reasons, the article and the remedies, R-RES-1), each with its number and the subject. A document that
would not state one is not issued, with the element named, and no number is taken; a PDF that lost one is not served.

The template at fault is the real one with a section cut out, loaded ahead of it: what a developer's careless edit
would do. The story is told on 2 November 2026.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from creditportal import documents
from creditportal.choices import DocumentKind, Role
from creditportal.tests.factories import user_with_role
from designations.tests.test_document_checks import _templates_with
from restoration import services
from restoration.choices import RestorationState
from restoration.models import RestorationApplication

pytestmark = pytest.mark.django_db

NOTICE = "restoration/pdf/notice.html"
REFUSAL = "restoration/pdf/refusal.html"
REASONS = "申请人提交的整改材料未加盖公章，无法证明已纠正失信行为"
SERVE = {"method": "in_person", "recipient": "王建国", "reason": "当面送达", "served_on": datetime.date(2026, 11, 2)}


@pytest.fixture(autouse=True)
def _story_day(on):
    on(2026, 11, 2)


@pytest.fixture
def decider(dept_a):
    return user_with_role(Role.SUPERVISOR, dept_a, username="restoration-decider")


def _source(name: str) -> str:
    return (Path(django_settings.BASE_DIR) / "templates" / name).read_text(encoding="utf-8")


def _cut(name: str, start: str, end: str) -> str:
    """The real template without what lies from ``start`` up to ``end``."""
    text = _source(name)
    return text[: text.index(start)] + text[text.index(end) :]


def _replaced(name: str, old: str, new: str) -> str:
    text = _source(name)
    assert old in text
    return text.replace(old, new)


def _broken(name: str, source: str):
    return override_settings(TEMPLATES=_templates_with(name, source))


def _apply(caseworker, listed):
    return services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker,
        reason="收到申请",
        method="rectification",
        evidence="整改报告",
        designation=listed,
    )


def _reviewed(caseworker, listed):
    application = services.restoration_accept(application=_apply(caseworker, listed), actor=caseworker, reason="受理")
    return services.restoration_review(application=application, actor=caseworker, reason="审查", opinion="已审查")


def _refuse(application, actor):
    return services.restoration_refuse(application=application, actor=actor, reason="不予受理", reasons=REASONS)


def _not_grant(application, actor):
    return services.restoration_not_grant(application=application, actor=actor, reason="不予修复", reasons=REASONS)


def _refused(act, application, actor, name: str, source: str) -> str:
    """Take the adverse act under the broken template: refused, nothing issued, the application as it was."""
    state = application.state
    with _broken(name, source), pytest.raises(ValidationError) as refused:
        act(application, actor)
    assert RestorationApplication.objects.get(pk=application.pk).state == state
    assert not documents.documents_of(application).exists()  # no number taken
    return str(refused.value)


def test_r_res_1_a_decision_not_to_accept_that_would_not_state_its_remedies_is_not_issued(listed, caseworker_a):
    application = _apply(caseworker_a, listed)
    source = _cut(REFUSAL, "<h2>四、救济途径", '{% include "designations/pdf/_seal.html" %}')
    message = _refused(_refuse, application, caseworker_a, REFUSAL, source)
    assert "would not state the article on remedies" in message
    assert "the body that hears a reconsideration" in message
    assert "the time limit for reconsideration" in message and "the time limit for litigation" in message
    # with the real template the same decision is issued, and numbered 1
    assert _refuse(application, caseworker_a).refusal().number == "测市监修不受〔2026〕1号"


def test_r_res_1_a_decision_not_to_accept_that_would_not_state_its_reasons_is_not_issued(listed, caseworker_a):
    """The reasons in the English parallel text alone do not count: the Chinese decision states them."""
    source = _replaced(REFUSAL, "事实和理由如下：{{ application.decision_reasons|linebreaksbr }}", "事实和理由如下：")

    def refuse_in_both_languages(application, actor):
        return services.restoration_refuse(
            application=application, actor=actor, reason="不予受理", reasons=REASONS, languages="zh-hans,en"
        )

    message = _refused(refuse_in_both_languages, _apply(caseworker_a, listed), caseworker_a, REFUSAL, source)
    assert "would not state the reasons" in message


def test_r_res_1_a_decision_not_to_accept_that_would_not_cite_its_article_is_not_issued(listed, caseworker_a):
    source = _replaced(REFUSAL, "{% if cite.basis %}依照{{ cite.basis }}的规定，{% endif %}", "")
    message = _refused(_refuse, _apply(caseworker_a, listed), caseworker_a, REFUSAL, source)
    assert "would not state the article of the regulation" in message


def test_r_res_4_a_restoration_not_granted_that_would_not_state_its_remedies_is_not_issued(
    listed, caseworker_a, decider
):
    source = _cut(NOTICE, "<h2>三、救济途径", '{% endif %}\n{% include "designations/pdf/_seal.html" %}')
    message = _refused(_not_grant, _reviewed(caseworker_a, listed), decider, NOTICE, source)
    assert "the body that hears a reconsideration" in message and "the time limit for litigation" in message


def test_r_res_4_a_restoration_not_granted_that_would_not_state_its_reasons_is_not_issued(
    listed, caseworker_a, decider
):
    source = _replaced(NOTICE, "理由如下：{{ application.decision_reasons|linebreaksbr }}", "理由如下：")
    message = _refused(_not_grant, _reviewed(caseworker_a, listed), decider, NOTICE, source)
    assert "would not state the reasons" in message


def test_r_res_4_a_restoration_not_granted_under_the_title_of_a_grant_is_not_issued(listed, caseworker_a, decider):
    source = _replaced(
        NOTICE,
        "<h1>{% if granted %}信用修复通知书{% else %}不予信用修复决定书{% endif %}</h1>",
        "<h1>信用修复通知书</h1>",
    )
    message = _refused(_not_grant, _reviewed(caseworker_a, listed), decider, NOTICE, source)
    assert "would not state the title matching the outcome" in message


def test_r_res_4_a_granted_notice_that_would_not_say_what_the_restoration_ends_is_not_issued(
    listed, caseworker_a, decider
):
    source = _replaced(NOTICE, "自本决定作出之日起将{{ you }}移出严重失信主体名单", "自本决定作出之日起")

    def grant(application, actor):
        return services.restoration_grant(application=application, actor=actor, reason="同意修复")

    message = _refused(grant, _reviewed(caseworker_a, listed), decider, NOTICE, source)
    assert "would not state the effects of the restoration" in message


def test_r_res_1_a_pdf_that_lost_an_element_is_not_served(listed, caseworker_a):
    """Issued whole, rendered by a worker whose template lost the remedies: the PDF is checked, the decision is
    marked, and its service is refused naming what is missing."""
    application = _refuse(_apply(caseworker_a, listed), caseworker_a)
    source = _cut(REFUSAL, "<h2>四、救济途径", '{% include "designations/pdf/_seal.html" %}')
    with _broken(REFUSAL, source):
        document = documents.document_render(document=application.refusal())
    assert "the time limit for reconsideration" in document.missing_elements
    with pytest.raises(
        ValidationError, match="does not state the article on remedies; the body that hears a reconsideration"
    ):
        services.restoration_serve_refusal(application=application, actor=caseworker_a, **SERVE)
    assert not application.refusal().services.exists()


@pytest.mark.parametrize("english", [False, True])
@pytest.mark.parametrize("outcome", ["refused", "not_granted", "granted"])
def test_r_res_4_a_whole_document_passes_both_checks_and_is_served(outcome, english, listed, caseworker_a, decider):
    languages = "zh-hans,en" if english else "zh-hans"
    if outcome == "refused":
        application = services.restoration_refuse(
            application=_apply(caseworker_a, listed),
            actor=caseworker_a,
            reason="不予受理",
            reasons=REASONS,
            languages=languages,
        )
        document, serve = application.refusal(), services.restoration_serve_refusal
    else:
        application = _reviewed(caseworker_a, listed)
        if outcome == "granted":
            application = services.restoration_grant(
                application=application, actor=decider, reason="同意修复", languages=languages
            )
        else:
            application = services.restoration_not_grant(
                application=application, actor=decider, reason="不予修复", reasons=REASONS, languages=languages
            )
        document, serve = application.notice(), services.restoration_serve_notice
    assert document.kind == (
        DocumentKind.RESTORATION_REFUSAL if outcome == "refused" else DocumentKind.RESTORATION_NOTICE
    )
    document = documents.document_render(document=document)
    assert document.sha256 and document.missing_elements == ""
    serve(application=RestorationApplication.objects.get(pk=application.pk), actor=caseworker_a, **SERVE)
    assert document.services.exists()
    assert application.state in {RestorationState.REFUSED, RestorationState.GRANTED, RestorationState.NOT_GRANTED}
