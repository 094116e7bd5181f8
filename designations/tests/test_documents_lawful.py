"""Issue 19: every document a subject receives is lawful. The prior notice, the decision and the report to the
authority above, rendered for real (WeasyPrint) under the Hainan and the Heilongjiang profiles, for a natural person
and for an organisation, read back from the PDF: the title says the outcome, the removal conditions and procedure are
stated, the notice states every right (an objection also after the decision), the standard is named by its title and
publisher and never by an internal code, the subject is addressed as what it is, and no typing slip ("号号", "。。")
reaches the page.

The story is told on fixed days (the ``on`` fixture): drafted and noticed in September 2026, decided in October.
"""

import datetime
import io
import re
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from catalog.models import DesignationStandard
from creditportal.models import IssuedDocument
from designations import services
from designations.tests.helpers import DECISION_SERVED, NOTICE_ISSUED, at, draft, render_pending, to_state
from subjects import services as subject_services
from subjects.tests.conftest import BASIS
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

#: A standard as the demo publishes it: a code for the office, conditions and a procedure typed as full sentences
#: (ending in 。), and a legal basis that already cites the regulation's own designation article.
CONDITIONS = "列入名单满三年且未再发生同类违法行为的，移出名单；纠正违法行为并经信用修复审核同意的，可以提前移出。"
PROCEDURE = "当事人向认定部门提交书面申请；认定部门核实后作出是否移出的决定并书面告知当事人。"
RULE_ID = re.compile(r"R-[A-Z]{2,4}-\d+")
#: HN 21 is the designation article of Hainan (R-DES-1, R-DES-5), HL 28 and 35 those of Heilongjiang.
ARTICLES = {
    "HN": {
        "decision": "《海南自由贸易港社会信用条例》第二十一条",
        "notice": "《海南自由贸易港社会信用条例》第二十一条",
    },
    "HL": {"decision": "《黑龙江省社会信用条例》第二十八条", "notice": "《黑龙江省社会信用条例》第三十五条"},
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


@pytest.fixture
def standard(catalog):
    """The published standard, with the legal basis, conditions and procedure typed as the demo types them."""
    legal_basis = "《中华人民共和国食品安全法》第一百二十二条；《海南自由贸易港社会信用条例》第二十条、第二十一条。"
    DesignationStandard.objects.filter(pk=catalog[1].pk).unguarded().update(
        code="HN-DS-2025-01", legal_basis=legal_basis, removal_conditions=CONDITIONS, removal_procedure=PROCEDURE
    )
    catalog[1].refresh_from_db()
    return catalog[1]


@pytest.fixture(params=["organisation", "person"])
def subject_kind(request):
    return request.param


@pytest.fixture
def subject_record(subject_kind, request, dept_a, caseworker_a, catalog):
    """The record a designation rests on: the organisation's (fixture ``record``), or a natural person's."""
    if subject_kind == "organisation":
        return request.getfixturevalue("record")
    person = PersonFactory(department=dept_a, name="李明华", address="海口市美兰区海甸岛1号")
    return subject_services.record_create(
        actor=caseworker_a,
        subject=person,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis={**BASIS, "number": "海口市监罚〔2026〕31号"},
        reason="Recorded",
    )


def decide(*, record, catalog, caseworker, supervisor, department, english=False, **overrides):
    """Draft, notice, hear (a defence typed with its own full stop), approve and issue the decision, both documents
    in Chinese and, if ``english``, with the English parallel text."""
    languages = "zh-hans,en" if english else "zh-hans"
    designation = draft(caseworker=caseworker, department=department, record=record, catalog=catalog, **overrides)
    designation = services.designation_issue_notice(
        designation=designation,
        actor=caseworker,
        statement_period_wd=5,
        reason="制发告知书",
        now=NOTICE_ISSUED,
        languages=languages,
    )
    render_pending(designation)
    designation = to_state(designation, "notified", caseworker=caseworker, supervisor=supervisor)
    statement = services.designation_record_statement(
        designation=designation,
        actor=caseworker,
        kind="defence",
        received_on=datetime.date(2026, 9, 28),
        text="已全部下架并召回。",
        reason="收到申辩",
    )
    designation = to_state(designation, "under_review", caseworker=caseworker, supervisor=supervisor)
    services.designation_consider_statement(
        statement=statement,
        actor=caseworker,
        adopted=False,
        considered="下架召回不改变已发生的违法事实。",
        reason="审查申辩",
    )
    designation = to_state(designation, "approved", caseworker=caseworker, supervisor=supervisor)
    designation = services.designation_issue_decision(
        designation=designation, actor=caseworker, reason="制发决定书", now=at(2026, 10, 15), languages=languages
    )
    render_pending(designation)
    return designation


@dataclass(frozen=True)
class Decided:
    """What the subject received, read back from the rendered PDFs: the decision's and the notice's text."""

    decision: str
    notice: str
    subject_is_person: bool
    standard_code: str


#: The documents of each story (profile, subject, waived, English), rendered once per test process: the tests of a
#: story only read them, so each reads the same PDFs instead of drafting, deciding and rendering them again.
_RENDERED: dict[tuple, Decided] = {}


@pytest.fixture
def decided(request, on, profile, subject_kind):
    """The documents of a decision, rendered (WeasyPrint) and read back: ``decided(waived=True)`` for minor conduct
    promptly corrected (R-DES-7)."""
    on(2026, 11, 23)

    def _decided(*, waived=False, english=True):
        key = (profile, subject_kind, waived, english)
        if key not in _RENDERED:
            fixture = request.getfixturevalue
            standard = fixture("standard")
            overrides = (
                {"leniency": "minor_corrected", "leniency_reasons": "当即改正，未造成危害后果。"} if waived else {}
            )
            designation = decide(
                record=fixture("subject_record"),
                catalog=fixture("catalog"),
                caseworker=fixture("caseworker_a"),
                supervisor=fixture("supervisor_a"),
                department=fixture("dept_a"),
                english=english,
                **overrides,
            )
            assert designation.standard == standard
            _RENDERED[key] = Decided(
                decision=_text(designation.decision_document()),
                notice=_text(designation.notice_document()),
                subject_is_person=designation.subject.is_person,
                standard_code=designation.standard.code,
            )
        return _RENDERED[key]

    return _decided


def assert_clean(text: str, standard_code: str) -> None:
    """No internal code or rule id, no doubled 号 or 。, in a document the subject receives."""
    assert not RULE_ID.search(text), RULE_ID.search(text)
    assert standard_code not in text
    assert "号号" not in text and "。。" not in text and "。." not in text


def assert_addressed(text: str, is_person: bool) -> None:
    """A natural person is 你, an organisation 你单位; never 你（单位）."""
    assert "你（单位）" not in text
    if is_person:
        assert "你" in text and "你单位" not in text
    else:
        assert "你单位" in text and not re.search(r"你(?!单位)", text.replace("你们", ""))


# --- The decision (R-DES-5, R-DES-7) ------------------------------------------------------------------------


def test_r_des_7_a_waived_decision_is_titled_as_what_it_decides_not_to_list(decided):
    documents = decided(waived=True)
    text = documents.decision
    assert text.startswith("海口市市场监督管理局") and "不予列入严重失信主体名单决定书" in text
    assert "Decisionnottodesignateontothelist" in text
    assert "决定不将" in text and "免予采取惩戒措施" in text
    assert_addressed(text, documents.subject_is_person)
    assert_clean(text, documents.standard_code)


def test_r_des_5_a_listing_decision_is_titled_as_a_listing(decided):
    documents = decided()
    text = documents.decision
    assert "列入严重失信主体名单决定书" in text and "不予列入" not in text
    assert "Decisionondesignationontothelist" in text


def test_r_des_5_the_decision_states_the_standards_removal_conditions_and_procedure(decided):
    documents = decided()
    text = documents.decision
    removal = text[text.index("六、移出条件和程序") : text.index("七、救济途径")]
    assert CONDITIONS in removal and PROCEDURE in removal  # each once ended, not "。。"
    assert "Conditionsforremoval" in removal and "Procedureforremoval" in removal


def test_r_des_5_the_decision_names_the_standard_by_title_and_publisher_and_cites_once(decided, profile):
    documents = decided()
    text = documents.decision
    assert "海南省发展和改革委员会发布的《食品安全领域严重失信主体名单认定标准》" in text
    assert_clean(text, documents.standard_code)
    article = ARTICLES[profile]["decision"]
    # Hainan's article is already in the standard's legal basis (第二十条、第二十一条): not printed a second time;
    # Heilongjiang's is printed once in each language.
    assert text.count(article) == (0 if profile == "HN" else 2)
    assert text.count("《海南自由贸易港社会信用条例》第二十条、第二十一条") == 2  # Chinese and English


def test_r_des_5_the_decision_addresses_the_subject_as_what_it_is_and_ends_each_sentence_once(decided):
    documents = decided()
    text = documents.decision
    assert_addressed(text, documents.subject_is_person)
    assert_clean(text, documents.standard_code)
    assert "已全部下架并召回。经审查" in text and "理由：下架召回不改变已发生的违法事实。" in text


def test_r_des_5_the_english_parallel_text_follows_the_chinese(decided):
    """Each Chinese paragraph has its English; nothing in English that the Chinese does not say."""
    documents = decided()
    text = documents.decision
    for chinese, english in (
        ("本机关决定将", "Thisdepartmentdecidestoincludeyou"),
        ("措施与失信行为的关联及相当性", "Howthemeasuresrelatetotheconduct"),
        ("应当主动纠正失信行为", "onyourowninitiative"),
        ("本机关将", "thisdepartmentremovesyoufromthelist"),
        ("信用修复不收取任何费用", "creditrestorationisfreeofcharge"),
        ("经审查，本机关不予采纳", "Havingexaminedit,thisdepartmenthasnotadoptedit"),
        ("认定依据文书", "Documentsthedesignationrestson"),
    ):
        assert chinese in text and english in text, (chinese, english)


# --- The prior notice (R-DES-1, R-DES-2) ---------------------------------------------------------------------


def test_r_des_1_the_notice_states_every_right_and_that_an_objection_survives_the_period(decided, profile):
    documents = decided()
    text = documents.notice
    rights = text[text.index("四、当事人的权利") :]
    assert f"依照{ARTICLES[profile]['notice']}的规定" in rights
    assert "5个工作日内进行陈述和申辩" in rights and "视为放弃陈述、申辩的权利" in rights
    assert "必要时，本机关将组织听证" in rights and "可以申请听证" in rights
    # R-DES-2: the end of the statement period takes away the statement and defence, never the objection
    assert "视为放弃上述权利" not in rights
    assert "作出列入严重失信主体名单决定后" in rights and "仍可以提出异议" in rights
    assert "Youmaystillobjectafterthestatementanddefenceperiodhasended,andafter" in rights
    if profile == "HL":  # HL 35: decided within 3 working days of receipt
        assert "自收到异议申请之日起3个工作日内作出处理决定" in rights and "within3workingdays" in rights
    assert_addressed(text, documents.subject_is_person)
    assert_clean(text, documents.standard_code)


def test_r_des_1_the_notice_names_the_standard_by_title_and_publisher(decided):
    documents = decided()
    text = documents.notice
    assert "认定标准：海南省发展和改革委员会发布的《食品安全领域严重失信主体名单认定标准》。" in text
    assert "法律依据：《中华人民共和国食品安全法》第一百二十二条" in text
    assert_clean(text, documents.standard_code)


# --- The report to the authority above (R-DES-9) -------------------------------------------------------------


def test_r_des_9_the_report_names_the_decision_and_standard_without_codes(
    on, standard, record, catalog, caseworker_a, supervisor_a, dept_a, settings
):
    on(2026, 11, 23)
    settings.CREDIT_JURISDICTION = "HL"  # HL 32: the one regulation that asks for the reports
    record.subject.ownership = "state_owned"
    record.subject.save(update_fields=["ownership"])
    designation = decide(
        record=record, catalog=catalog, caseworker=caseworker_a, supervisor=supervisor_a, department=dept_a
    )
    designation = services.designation_serve_decision(
        designation=designation,
        actor=caseworker_a,
        reason="已送达当事人",
        method="registered_mail",
        served_on=DECISION_SERVED,
        recipient="海口椰风食品有限公司",
        now=at(2026, 10, 16, 16),
    )
    render_pending(designation)
    reports = IssuedDocument.objects.filter(object_id=designation.pk, kind="report_to_authority")
    assert reports.count() == 2
    for report in reports:
        text = _text(report)
        assert f"以{designation.decision_number}决定书将其列入" in text
        assert "《食品安全领域严重失信主体名单认定标准》" in text
        assert_clean(text, designation.standard.code)


@pytest.mark.parametrize(("jurisdiction", "reported"), [("HL", True), ("HN", False)])
def test_r_des_9_a_state_organs_staff_member_is_reported_to_unit_discipline_and_personnel(
    on, standard, catalog, caseworker_a, supervisor_a, dept_a, settings, jurisdiction, reported
):
    """HL 32: a member of the staff of a state organ, state-owned enterprise or public institution, once listed, is
    reported to the unit, the discipline-inspection organ and the personnel department — three letters naming the
    unit, with the person's number masked. Hainan's regulation asks for no report: none is issued."""
    on(2026, 11, 23)
    settings.CREDIT_JURISDICTION = jurisdiction
    person = PersonFactory(
        department=dept_a, name="赵立新", employer="海口市某国有建设公司", employer_kind="state_owned"
    )
    record = subject_services.record_create(
        actor=caseworker_a,
        subject=person,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis={**BASIS, "number": "海口市监罚〔2026〕32号"},
        reason="Recorded",
    )
    designation = decide(
        record=record, catalog=catalog, caseworker=caseworker_a, supervisor=supervisor_a, department=dept_a
    )
    designation = services.designation_serve_decision(
        designation=designation,
        actor=caseworker_a,
        reason="已送达当事人",
        method="registered_mail",
        served_on=DECISION_SERVED,
        recipient="赵立新",
        now=at(2026, 10, 16, 16),
    )
    render_pending(designation)
    reports = list(IssuedDocument.objects.filter(object_id=designation.pk, kind="report_to_authority").order_by("pk"))
    if not reported:
        assert reports == []
        return
    texts = [_text(report) for report in reports]
    assert [text.split("：", 1)[0].split("通报")[-1] for text in texts] == [
        "海口市某国有建设公司",
        "纪检监察机关",
        "组织人事部门",
    ]
    for text in texts:
        assert "国有企业海口市某国有建设公司工作人员赵立新" in text
        assert person.identifier not in text and person.masked_id_number in text
        assert f"以{designation.decision_number}决定书将其列入" in text
        assert_clean(text, designation.standard.code)


def test_r_des_9_an_employer_is_named_with_its_kind_or_not_at_all(dept_a):
    from django.core.exceptions import ValidationError

    person = PersonFactory.build(department=dept_a, employer="海口市某局", employer_kind="private")
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert "employer" in refused.value.message_dict
    person.employer_kind = "state_organ"
    person.full_clean(exclude=["id_number"])
