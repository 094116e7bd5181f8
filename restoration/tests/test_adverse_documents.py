"""Every adverse restoration act gives the subject a numbered document with its reasons and its remedies (issue 19).

Refused at acceptance (R-RES-1): a numbered decision not to accept, a document kind of its own
(``restoration_refusal``, numbered from its own sequence: 修不受) — the application's date and ground, the facts and
reasons, the deployment's own article, the remedies from the profile (R-DES-5's reconsideration and litigation) —,
whose service is recorded. Not granted: the notice of the outcome (``restoration_notice``, 修) is a decision not to
grant, with the same remedies. Granted (R-RES-4) is not adverse: a notice, no remedies. Each PDF is rendered by
WeasyPrint and read back; in HN and HL; the subject addressed as 你 (a natural person) or 你单位 (an organisation); no
internal rule id. The story is told on 2 November 2026, whatever day the tests run.
"""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from creditportal import documents
from creditportal.audit import action_label
from creditportal.choices import DocumentKind, Role
from creditportal.models import AuditEvent, IssuedDocument, JurisdictionProfile
from creditportal.profiles import current_profile, forget_profiles
from creditportal.tests.factories import user_with_role
from restoration import services
from restoration.choices import RestorationState
from subjects import services as subject_services
from subjects.tests.conftest import BASIS
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

RULE_ID = re.compile(r"R-[A-Z]{2,4}-\d+")
#: The deployment's own articles (migration creditportal/0005): restoration, and the remedies.
ARTICLES = {"HN": ("第三十二条", "第三十三条"), "HL": ("第四十条", "第四十一条")}
REASONS = "申请人提交的整改材料未加盖公章，无法证明已纠正失信行为"


@pytest.fixture(autouse=True)
def _story_day(on):
    """Every act of these stories happens on Monday 2 November 2026 (the designation was listed in October)."""
    on(2026, 11, 2)


def _text(document: IssuedDocument) -> str:
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _rendered(application, kind: str = DocumentKind.RESTORATION_REFUSAL) -> IssuedDocument:
    """What the Celery worker does after commit: render the application's one document (of ``kind``)."""
    issued = list(documents.documents_of(application))
    assert [document.kind for document in issued] == [kind], issued
    return documents.document_render(document=issued[0])


@pytest.fixture
def decider(dept_a):
    return user_with_role(Role.SUPERVISOR, dept_a, username="restoration-decider")


def _jurisdiction(settings, code: str) -> None:
    settings.CREDIT_JURISDICTION = code
    forget_profiles()


def _apply(caseworker, **target):
    return services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker,
        reason="收到申请",
        method="rectification",
        evidence="整改报告",
        **target,
    )


def _remedies_expected(profile, department) -> dict:
    remedies = profile.remedies
    assert remedies["reconsideration_body"] == "same_level_government"
    return {
        "reconsideration": f"{remedies['reconsideration_days']}日内向{department.government}申请行政复议",
        "litigation": f"{remedies['litigation_months']}个月内依法向人民法院提起行政诉讼",
        "remedies article": profile.cite("remedies"),
    }


@pytest.mark.parametrize("code", ["HN", "HL"])
def test_r_res_1_a_refused_application_gets_a_numbered_decision_with_reasons_basis_and_remedies(
    code, settings, listed, caseworker_a, dept_a
):
    """R-RES-1 and R-DES-5's remedies: the decision not to accept is numbered from the restoration sequence, names
    the organisation (你单位), the application's date and ground, the facts and reasons, the deployment's article
    (never an internal id) and where and how long to seek reconsideration or litigation."""
    _jurisdiction(settings, code)
    application = _apply(caseworker_a, designation=listed)
    application = services.restoration_refuse(
        application=application, actor=caseworker_a, reason="不予受理", reasons=REASONS
    )
    assert application.state == RestorationState.REFUSED
    document = _rendered(application)
    assert document.kind == DocumentKind.RESTORATION_REFUSAL == application.refusal().kind
    assert document.number == "测市监修不受〔2026〕1号"  # its own sequence, not the notices' 修
    assert document.file.name.rsplit("/", 1)[-1].startswith("restoration_refusal-")
    assert application.notice() is None
    profile = current_profile()
    text = _text(document)
    expected = {
        "title": "不予受理信用修复申请决定书",
        "number": document.number,
        "subject": "海口椰风食品有限公司",
        "identifier": listed.subject.identifier,
        "addressed as an organisation": "你单位于2026年11月2日以“信用整改”为由向本机关申请信用修复",
        "the designation applied against": listed.decision_number,
        "reasons": REASONS,
        "basis": f"依照{profile.cite('R-RES-1')}的规定，本机关决定不予受理你单位的信用修复申请",
        "article": ARTICLES[code][0],
        "remedies article": ARTICLES[code][1],
        "department": "海口市市场监督管理局",
        **_remedies_expected(profile, dept_a),
    }
    missing = {name: value for name, value in expected.items() if value not in text}
    assert not missing, missing
    assert "你（单位）" not in text
    assert not RULE_ID.search(text), RULE_ID.search(text)
    assert documents.document_verify(document=document)


def test_r_res_1_the_decision_not_to_accept_is_served_and_the_service_recorded(listed, caseworker_a):
    """Its service is recorded the way the notice's is: once its PDF verifies, on the document, not in the future."""
    application = services.restoration_refuse(
        application=_apply(caseworker_a, designation=listed), actor=caseworker_a, reason="不予受理", reasons=REASONS
    )
    serve = {"method": "in_person", "recipient": "王建国", "reason": "当面送达"}
    with pytest.raises(ValidationError):  # not rendered yet: nothing to hand over
        services.restoration_serve_refusal(
            application=application, actor=caseworker_a, served_on=datetime.date(2026, 11, 2), **serve
        )
    _rendered(application)
    with pytest.raises(ValidationError):  # the notice of an outcome is another act, of another state
        services.restoration_serve_notice(
            application=application, actor=caseworker_a, served_on=datetime.date(2026, 11, 2), **serve
        )
    with pytest.raises(ValidationError):  # never in the future
        services.restoration_serve_refusal(
            application=application, actor=caseworker_a, served_on=datetime.date(2026, 11, 3), **serve
        )
    services.restoration_serve_refusal(
        application=application, actor=caseworker_a, served_on=datetime.date(2026, 11, 2), **serve
    )
    service = application.refusal().services.get()
    assert (service.served_on, service.recipient) == (datetime.date(2026, 11, 2), "王建国")
    # the timeline says which document was issued and served, in words (a label for each of the kind's events)
    actions = set(
        AuditEvent.objects.filter(action__startswith="creditportal.document.").values_list("action", flat=True)
    )
    assert {
        "creditportal.document.restoration_refusal.issued",
        "creditportal.document.restoration_refusal.served",
    } <= actions
    assert all(action_label(action) for action in actions)


def test_r_res_1_a_natural_person_is_addressed_as_you_not_as_a_unit(caseworker_a, dept_a, catalog):
    person = PersonFactory(department=dept_a, name="李明")
    record = subject_services.record_create(
        actor=caseworker_a,
        subject=person,
        catalog_item=catalog[0],
        summary="拒不履行行政处罚决定",
        determined_on=datetime.date(2026, 3, 2),
        basis={**BASIS, "number": "海口市监罚〔2026〕88号"},
        reason="Recorded",
    )
    application = services.restoration_refuse(
        application=_apply(caseworker_a, record=record), actor=caseworker_a, reason="不予受理", reasons=REASONS
    )
    text = _text(_rendered(application))
    assert "李明" in text and "拒不履行行政处罚决定" in text and "海口市监罚〔2026〕88号" in text
    assert "你于2026年11月2日" in text and "本机关决定不予受理你的信用修复申请" in text
    assert "你单位" not in text and "你（单位）" not in text


@pytest.mark.parametrize("code", ["HN", "HL"])
def test_r_des_5_a_restoration_not_granted_is_a_decision_stating_its_remedies(
    code, settings, listed, caseworker_a, decider, dept_a
):
    """Not granted is adverse: the title says so, the reasons and the article are stated, and the remedies (body,
    days, months) from the profile."""
    _jurisdiction(settings, code)
    # an earlier application refused at acceptance takes a number of the decisions not to accept, not of the notices
    services.restoration_refuse(
        application=_apply(caseworker_a, designation=listed), actor=caseworker_a, reason="不予受理", reasons=REASONS
    )
    application = _apply(caseworker_a, designation=listed)
    application = services.restoration_accept(application=application, actor=caseworker_a, reason="受理")
    application = services.restoration_review(
        application=application, actor=caseworker_a, reason="审查", opinion="整改材料不完整"
    )
    application = services.restoration_not_grant(
        application=application, actor=decider, reason="不予修复", reasons=REASONS
    )
    document = _rendered(application, DocumentKind.RESTORATION_NOTICE)
    assert document.number == "测市监修〔2026〕1号"
    profile = current_profile()
    text = _text(document)
    expected = {
        "title": "不予信用修复决定书",
        "number": document.number,
        "subject": "海口椰风食品有限公司",
        "addressed as an organisation": "你单位于2026年11月2日以“信用整改”为由申请信用修复",
        "outcome and basis": f"本机关依照{profile.cite('R-RES-1')}的规定，决定不予信用修复",
        "reasons": REASONS,
        "article": ARTICLES[code][0],
        "remedies article": ARTICLES[code][1],
        **_remedies_expected(profile, dept_a),
    }
    missing = {name: value for name, value in expected.items() if value not in text}
    assert not missing, missing
    assert "信用修复通知书" not in text and "你（单位）" not in text
    assert not RULE_ID.search(text), RULE_ID.search(text)


def test_r_res_4_a_granted_restoration_is_a_notice_without_remedies(listed, caseworker_a, decider):
    """Granted is not adverse: the notice keeps its title and names no remedy."""
    application = _apply(caseworker_a, designation=listed)
    application = services.restoration_accept(application=application, actor=caseworker_a, reason="受理")
    application = services.restoration_review(
        application=application, actor=caseworker_a, reason="审查", opinion="整改到位"
    )
    application = services.restoration_grant(application=application, actor=decider, reason="同意修复")
    text = _text(_rendered(application, DocumentKind.RESTORATION_NOTICE))
    assert "信用修复通知书" in text and "你单位已纠正失信行为" in text
    assert "行政复议" not in text and "行政诉讼" not in text and "不予" not in text
    assert not RULE_ID.search(text)


@pytest.mark.parametrize("act", ["refuse", "not_grant"])
def test_r_des_5_without_remedies_in_the_profile_no_adverse_decision_is_issued(act, listed, caseworker_a, decider):
    """The decision must name the remedies: a profile that does not state them refuses the act, and nothing is
    issued (nor a number consumed)."""
    application = _apply(caseworker_a, designation=listed)
    if act == "not_grant":
        application = services.restoration_accept(application=application, actor=caseworker_a, reason="受理")
        application = services.restoration_review(
            application=application, actor=caseworker_a, reason="审查", opinion="整改材料不完整"
        )
    state = application.state
    JurisdictionProfile.objects.filter(code="HN").unguarded().update(remedies={})
    forget_profiles()
    service = services.restoration_refuse if act == "refuse" else services.restoration_not_grant
    with pytest.raises(ValidationError, match="reconsideration_days"):
        service(application=application, actor=decider, reason="不予", reasons=REASONS)
    application.refresh_from_db()
    assert application.state == state and not documents.documents_of(application).exists()


@pytest.mark.parametrize(
    ("body", "named", "not_named"),
    [
        ("same_level_government", "海口市人民政府", "海南省市场监督管理局"),
        ("department_above", "海南省市场监督管理局", "海口市人民政府"),
    ],
    ids=["same_level_government", "department_above"],
)
def test_r_des_5_the_body_is_the_government_or_the_department_above_as_the_profile_names(
    body, named, not_named, listed, caseworker_a, dept_a
):
    """The profile's remedies choose the body, as the designation decision names it: the people's government at the
    deciding department's level (``Department.government``), or the department above. The department here has both,
    and they differ, so only the choice decides which one the decision names."""
    from creditportal.tests.factories import DepartmentFactory

    dept_a.parent = DepartmentFactory(code="HN-SAMR", name="海南省市场监督管理局")
    dept_a.government = "海口市人民政府"
    dept_a.save(update_fields=["parent", "government"])
    profile = JurisdictionProfile.objects.get(code="HN")
    JurisdictionProfile.objects.filter(pk=profile.pk).unguarded().update(
        remedies={**profile.remedies, "reconsideration_body": body}
    )
    forget_profiles()
    application = services.restoration_refuse(
        application=_apply(caseworker_a, designation=listed), actor=caseworker_a, reason="不予受理", reasons=REASONS
    )
    text = _text(_rendered(application))
    assert f"60日内向{named}申请行政复议" in text
    assert f"向{not_named}申请" not in text


def test_r_res_1_the_english_parallel_text_follows_the_chinese(listed, caseworker_a):
    """The courtesy translation says what the Chinese says, section by section, and nothing the Chinese does not."""
    application = services.restoration_refuse(
        application=_apply(caseworker_a, designation=listed),
        actor=caseworker_a,
        reason="不予受理",
        reasons=REASONS,
        languages="zh-hans,en",
    )
    text = _text(_rendered(application))
    pairs = {
        "不予受理信用修复申请决定书": "Decisionnottoacceptacreditrestorationapplication",
        "当事人": "Party",
        "以“信用整改”为由": "citing“Rectification”astheground",
        "一、申请修复的信用信息": "1.Thecreditinformationtheapplicationconcerns",
        "二、不予受理的事实和理由": "2.Factsandreasonsfornotaccepting",
        "三、决定": "3.Decision",
        "本机关决定不予受理": "thisdepartmentdecidesnottoacceptyourapplicationforcreditrestoration",
        "四、救济途径": "4.Remedies",
        "60日内向海南省人民政府申请行政复议": "applyto海南省人民政府foradministrativereconsiderationwithin60days",
        "6个月内依法向人民法院提起行政诉讼": "bringadministrativelitigationbeforethepeople'scourtinaccordancewiththelaw"
        "within6months",
        "文书编号": "Documentnumber",
    }
    missing = {zh: en for zh, en in pairs.items() if zh not in text or en not in text}
    assert not missing, missing
    # nothing in English that the Chinese does not say (the designation's note on related persons is not here)
    assert "Measuresagainstaperson" not in text and "notedwiththeorganisation" not in text
    assert not RULE_ID.search(text)


def test_r_res_1_the_case_page_lists_the_decision_not_to_accept_and_offers_its_service(
    client, listed, caseworker_a, settings
):
    """In Chinese, the case page names the document by its title (its kind's) and number, and offers its service
    once."""
    settings.LANGUAGE_CODE = "zh-hans"
    application = services.restoration_refuse(
        application=_apply(caseworker_a, designation=listed), actor=caseworker_a, reason="不予受理", reasons=REASONS
    )
    document = _rendered(application)
    client.force_login(caseworker_a)
    url = reverse("restoration_detail", args=[application.pk])
    html = client.get(url).content.decode()
    with translation.override("zh-hans"):
        title = str(DocumentKind.RESTORATION_REFUSAL.label)
        serve = gettext("Record service of the decision not to accept")
        not_served = gettext("Not served yet.")
    assert title in html and document.number in html and not_served in html
    assert serve in html
    assert "信用修复通知书" not in html  # the document is named by its own title
    services.restoration_serve_refusal(
        application=application,
        actor=caseworker_a,
        reason="当面送达",
        method="in_person",
        served_on=datetime.date(2026, 11, 2),
        recipient="王建国",
    )
    html = client.get(url).content.decode()
    assert "王建国" in html and "2026-11-02" in html and not_served not in html
    assert serve not in html  # served once: no longer a step
