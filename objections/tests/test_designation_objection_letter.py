"""Issue 19: the reply to an objection against a designation answers under the designation rule (R-DES-2: HN 21,
HL 35), names the decision it answers (number, title, date) and upholds it, while the reply to an objection against a
record still cites the article on objections to records (R-OBJ-6: HN 30, HL 39) and says the information is not
corrected. Rendered for real under the Hainan and Heilongjiang profiles, for an organisation and a natural person."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from catalog.models import DesignationStandard
from creditportal.documents import document_render
from designations.tests.helpers import at
from designations.tests.test_documents_lawful import decide
from objections import services
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

REGULATION = {"HN": "《海南自由贸易港社会信用条例》", "HL": "《黑龙江省社会信用条例》"}
DESIGNATION_ARTICLE = {"HN": "第二十一条", "HL": "第三十五条"}
RECORD_ARTICLE = {"HN": "第三十条", "HL": "第三十九条"}
BASIS = {
    "basis_type": "punishment_decision",
    "number": "海口市监罚〔2026〕66号",
    "issuing_authority": "海口市市场监督管理局",
    "effective_on": datetime.date(2026, 3, 2),
}


def _text(document) -> str:
    document.refresh_from_db()
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture(params=["HN", "HL"])
def profile(request, settings):
    settings.CREDIT_JURISDICTION = request.param
    return request.param


@pytest.fixture(params=["organisation", "person"])
def subject(request, dept_a, caseworker_a):
    if request.param == "person":
        return PersonFactory(department=dept_a, name="李明华", address="海口市美兰区海甸岛1号")
    organisation = OrganisationFactory(
        department=dept_a, name="海口椰风食品有限公司", address="海口市龙华区滨海大道1号"
    )
    subject_services.related_person_add(  # R-REC-2: noted before a notice is issued
        organisation=organisation,
        person=PersonFactory(department=dept_a, name="王建国"),
        role="legal_representative",
        actor=caseworker_a,
        reason="Registration",
    )
    return organisation


@pytest.fixture
def subject_record(subject, caseworker_a, catalog):
    return subject_services.record_create(
        actor=caseworker_a,
        subject=subject,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis=BASIS,
        reason="Recorded",
    )


def _answer(objection, *, caseworker, english=True) -> str:
    letter = services.objection_issue_answer(
        objection=objection, actor=caseworker, reason="书面答复", english=english, now=at(2026, 10, 26)
    )
    document_render(document=letter)
    return _text(letter)


def assert_clean_and_addressed(text: str, subject) -> None:
    assert not re.search(r"R-[A-Z]{2,4}-\d+", text) and "HN-S-01" not in text
    assert "号号" not in text and "。。" not in text and "你（单位）" not in text
    if subject.is_person:
        assert "收到你对" in text and "你单位" not in text
    else:
        assert "收到你单位对" in text


def test_r_des_2_the_reply_to_an_objection_against_a_decision_cites_the_designation_rule_names_and_upholds_it(
    on, profile, subject, subject_record, catalog, caseworker_a, supervisor_a, dept_a
):
    on(2026, 11, 23)
    DesignationStandard.objects.filter(pk=catalog[1].pk).unguarded().update(removal_conditions="期满或信用修复。")
    designation = decide(
        record=subject_record, catalog=catalog, caseworker=caseworker_a, supervisor=supervisor_a, department=dept_a
    )
    decision = designation.decision_document()
    objection = services.designation_objection_receive(
        designation=designation,
        actor=caseworker_a,
        ground="error",
        grounds_text="认定所依据的处罚决定已被撤销。",
        received_at=at(2026, 10, 20),
        reason="Received",
    )
    services.designation_objection_decide(
        objection=objection, actor=supervisor_a, sustained=False, reasons="认定事实清楚。", reason="Not adopted"
    )
    text = _answer(objection, caseworker=caseworker_a)
    article = REGULATION[profile] + DESIGNATION_ARTICLE[profile]
    assert f"依照{article}的规定，现答复如下" in text
    assert REGULATION[profile] + RECORD_ARTICLE[profile] not in text  # not the article on records' objections
    assert text.count(article) == 2  # once in Chinese, once in English: not repeated under the finding
    named = f"2026年10月15日作出的{decision.number}《列入严重失信主体名单决定书》"
    assert named in text
    assert f"本机关决定不予采纳，维持{decision.number}《列入严重失信主体名单决定书》" in text
    assert "不予更正" not in text
    assert (
        f"decision{decision.number}(Decisionondesignationontothelistofseriouslyuntrustworthyentities)isupheld" in text
    )
    assert "理由：认定事实清楚。" in text
    assert_clean_and_addressed(text, subject)


def test_r_des_2_the_reply_to_an_objection_against_a_pending_designation_names_the_notice(
    on, profile, subject, subject_record, catalog, caseworker_a, supervisor_a, dept_a
):
    from designations.tests.helpers import draft, to_state

    on(2026, 11, 23)
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=subject_record, catalog=catalog),
        "notified",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    objection = services.designation_objection_receive(
        designation=designation,
        actor=caseworker_a,
        ground="error",
        grounds_text="认定所依据的处罚决定已被撤销",
        received_at=at(2026, 9, 28),
        reason="Received",
    )
    services.designation_objection_decide(
        objection=objection, actor=supervisor_a, sustained=False, reasons="认定事实清楚", reason="Not adopted"
    )
    text = _answer(objection, caseworker=caseworker_a)
    notice = designation.notice_document()
    assert f"本机关拟将{subject.name}列入严重失信主体名单（{notice.number}《列入严重失信主体名单事先告知书》）" in text
    assert "本机关决定不予采纳，认定程序依法继续进行" in text and "维持" not in text and "不予更正" not in text
    assert REGULATION[profile] + DESIGNATION_ARTICLE[profile] in text
    assert_clean_and_addressed(text, subject)


def test_r_obj_6_the_reply_to_an_objection_against_a_record_still_cites_the_record_rule_once(
    on, profile, subject, subject_record, caseworker_a
):
    on(2026, 11, 23)
    objection = services.objection_receive(
        actor=caseworker_a,
        subject=subject,
        target="record",
        record=subject_record,
        ground="error",
        grounds_text="该处罚决定已被复议机关撤销",
        received_at=at(2026, 10, 20),
        applicant=subject.name,
        reason="Received",
    )
    services.objection_decide(
        objection=objection, actor=caseworker_a, sustained=False, reasons="处罚决定仍然有效。", reason="Not sustained"
    )
    text = _answer(objection, caseworker=caseworker_a)
    article = REGULATION[profile] + RECORD_ARTICLE[profile]
    assert f"依照{article}的规定，现答复如下" in text and text.count(article) == 2  # Chinese and English, once each
    assert "异议不成立，本机关决定不予更正。" in text and "维持" not in text
    assert "理由：处罚决定仍然有效。" in text
    assert_clean_and_addressed(text, subject)
