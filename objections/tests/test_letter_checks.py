"""Issue 19: issuing checks the response letter. ``objections/pdf.py`` (``response_letter_requires``) declares what it
must state: the title, the number, the applicant and the subject, the outcome as decided and its reasons (or the
competent unit it was referred to), the articles it cites and, where the outcome is adverse, the remedies (R-OBJ-6,
R-OBJ-3, R-DES-2). A letter that would not state one is not issued, with the element named, and no number is taken;
a PDF that lost one is not served.

The template at fault is the real letter with a section cut out, loaded ahead of the real one: what a developer's
careless edit would do.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from catalog.models import DesignationStandard
from creditportal.documents import document_render
from creditportal.models import IssuedDocument
from designations.tests.test_document_checks import _templates_with
from designations.tests.test_documents_lawful import decide
from objections import services
from objections.models import Objection
from subjects import services as subject_services
from subjects.tests.factories import PersonFactory

from .conftest import at

pytestmark = pytest.mark.django_db

NAME = "objections/pdf/response_letter.html"
TEMPLATE = Path(django_settings.BASE_DIR) / "templates" / NAME


def _cut(start: str, end: str) -> str:
    """The real letter without what lies from ``start`` up to ``end``."""
    text = TEMPLATE.read_text(encoding="utf-8")
    first, last = text.index(start), text.index(end)
    return text[:first] + text[last:]


def _replaced(old: str, new: str) -> str:
    """The real letter with every ``old`` written as ``new``."""
    text = TEMPLATE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


def _broken(source: str):
    return override_settings(TEMPLATES=_templates_with(NAME, source))


def _without_remedies() -> str:
    return _cut("<h2>权利告知", '<div class="signature">')


def _issue(objection, actor, **kwargs):
    return services.objection_issue_answer(objection=objection, actor=actor, reason="书面答复", **kwargs)


def _refused(objection, actor, source: str, **kwargs) -> str:
    """Issue under the broken letter: refused, nothing issued, the objection as it was."""
    state = Objection.objects.get(pk=objection.pk).state
    with _broken(source), pytest.raises(ValidationError) as refused:
        _issue(objection, actor, **kwargs)
    assert not IssuedDocument.objects.filter(kind="response_letter").exists()  # no number taken
    assert Objection.objects.get(pk=objection.pk).state == state
    return str(refused.value)


@pytest.fixture
def not_sustained(on, receive, caseworker_a):
    on(2026, 9, 28)
    objection = receive(label_now=True)
    return services.objection_decide(
        objection=objection, actor=caseworker_a, sustained=False, reasons="处罚决定仍然有效。", reason="不成立"
    )


@pytest.fixture
def corrected(on, receive, caseworker_a):
    on(2026, 9, 28)
    objection = receive(label_now=True)
    return services.objection_decide(
        objection=objection,
        actor=caseworker_a,
        sustained=True,
        remedy="correct",
        corrections={"summary": "销售过期食品一次"},
        reasons="经核实，违法次数记载有误",
        reason="成立",
    )


@pytest.fixture
def designation_objection(on, record, catalog, caseworker_a, supervisor_a, dept_a):
    """An objection to a designation decided on 15 October 2026, received on 20 October (R-DES-2)."""

    def _objection(*, sustained: bool):
        on(2026, 11, 23)
        subject_services.related_person_add(  # R-REC-2: noted before a notice is issued
            organisation=record.subject,
            person=PersonFactory(department=dept_a, name="王建国"),
            role="legal_representative",
            actor=caseworker_a,
            reason="登记",
        )
        DesignationStandard.objects.filter(pk=catalog[1].pk).unguarded().update(removal_conditions="期满或信用修复。")
        designation = decide(
            record=record, catalog=catalog, caseworker=caseworker_a, supervisor=supervisor_a, department=dept_a
        )
        objection = services.designation_objection_receive(
            designation=designation,
            actor=caseworker_a,
            ground="error",
            grounds_text="认定所依据的处罚决定已被撤销。",
            received_at=at(2026, 10, 20),
            reason="收到异议",
        )
        return services.designation_objection_decide(
            objection=objection, actor=supervisor_a, sustained=sustained, reasons="认定事实清楚。", reason="复核"
        )

    return _objection


def test_r_obj_6_a_letter_not_correcting_that_would_not_state_its_remedies_is_not_issued(not_sustained, caseworker_a):
    message = _refused(not_sustained, caseworker_a, _without_remedies())
    assert "would not state the body that hears a reconsideration" in message
    assert "the time limit for reconsideration" in message and "the time limit for litigation" in message
    # with the real letter the same answer is issued, and numbered 1
    assert _issue(not_sustained, caseworker_a).number == "测市监复〔2026〕1号"


def test_r_obj_6_a_sustained_letter_is_not_held_to_remedies_the_law_does_not_ask_of_it(corrected, caseworker_a):
    """The remedies are required where the outcome is adverse; a correction granted is not."""
    with _broken(_without_remedies()):
        letter = _issue(corrected, caseworker_a)
    assert letter.number == "测市监复〔2026〕1号"


def test_r_obj_6_a_letter_that_would_not_state_its_reasons_is_not_issued(not_sustained, caseworker_a):
    """The reasons in the English parallel text alone do not count: the Chinese letter states them."""
    source = _replaced('<p class="indent">理由：{{ reasons|linebreaksbr }}。</p>', "")
    message = _refused(not_sustained, caseworker_a, source, english=True)
    assert "would not state the reasons" in message


def test_r_obj_6_a_letter_that_states_the_other_outcome_is_not_issued(not_sustained, caseworker_a):
    source = _replaced("{% endif %}不成立{% if complaint %}", "{% endif %}成立{% if complaint %}")
    assert "would not state the outcome matching the decision" in _refused(not_sustained, caseworker_a, source)


def test_r_obj_6_a_correction_the_letter_would_not_show_is_not_issued(corrected, caseworker_a):
    source = _replaced("更正后{% if english %} (after){% endif %}：{{ correction.after.summary }}", "")
    assert "would not state what was corrected" in _refused(corrected, caseworker_a, source)


def test_r_obj_3_a_referral_that_would_not_name_the_competent_unit_is_not_issued(on, receive, caseworker_a):
    on(2026, 9, 28)
    objection = services.objection_refer(
        objection=receive(label_now=True),
        actor=caseworker_a,
        referred_to="海南省税务局",
        reasons="涉税信息由税务机关认定",
        reason="不属本机关职责",
    )
    source = _replaced("已移送{{ objection.referred_to }}处理", "已移送有关单位处理")
    assert "would not state the competent unit it was referred to" in _refused(objection, caseworker_a, source)
    assert _issue(objection, caseworker_a).number == "测市监复〔2026〕1号"


def test_r_des_2_a_reply_that_would_not_uphold_the_decision_objected_to_is_not_issued(
    designation_objection, caseworker_a
):
    objection = designation_objection(sustained=False)
    source = _replaced("维持{{ answered.decision.number }}《{{ answered.decision_title }}》。", "维持原决定。")
    assert "would not state that the decision is upheld" in _refused(objection, caseworker_a, source)


def test_r_obj_6_a_pdf_that_lost_an_element_is_not_served(not_sustained, caseworker_a):
    """Issued whole, rendered by a worker whose template lost the remedies: the PDF is checked, the letter is marked,
    and its service is refused naming what is missing."""
    letter = _issue(not_sustained, caseworker_a)
    with _broken(_without_remedies()):
        document_render(document=letter)
    letter.refresh_from_db()
    assert "the time limit for reconsideration" in letter.missing_elements
    with pytest.raises(ValidationError, match="does not state the body that hears a reconsideration"):
        services.objection_serve_answer(
            objection=Objection.objects.get(pk=not_sustained.pk),
            actor=caseworker_a,
            method="in_person",
            served_on=datetime.date(2026, 9, 28),
            recipient="李明",
            reason="当面送达",
        )
    assert Objection.objects.get(pk=not_sustained.pk).state == "decided"


def _whole(objection, actor, english: bool) -> None:
    letter = document_render(document=_issue(objection, actor, english=english))
    assert letter.sha256 and letter.missing_elements == ""
    answered = services.objection_serve_answer(
        objection=Objection.objects.get(pk=objection.pk),
        actor=actor,
        method="in_person",
        served_on=datetime.date(2026, 11, 23) if objection.designation_id else datetime.date(2026, 9, 28),
        recipient="李明",
        reason="当面送达",
    )
    assert answered.state == "answered"


@pytest.mark.parametrize("english", [False, True])
@pytest.mark.parametrize("outcome", ["not_sustained", "corrected"])
def test_r_obj_6_a_whole_letter_passes_both_checks_and_is_served(outcome, english, request, caseworker_a):
    _whole(request.getfixturevalue(outcome), caseworker_a, english)


@pytest.mark.parametrize("sustained", [False, True])
def test_r_des_2_a_whole_reply_to_an_objection_against_a_designation_passes_both_checks(
    sustained, designation_objection, caseworker_a
):
    _whole(designation_objection(sustained=sustained), caseworker_a, english=True)
