"""The lawful-data guard, in the service layer: R-CAT-1, R-CAT-3, R-CAT-4, R-CAT-5, R-REC-1, R-CAT-6/7."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog.guard import check_designation
from catalog.models import CatalogItem, CatalogVersion, PunishmentMeasure
from creditportal.models import AuditEvent
from subjects import services
from subjects.models import BasisDocument, Consent, CreditRecord
from subjects.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

BASIS = {
    "basis_type": "punishment_decision",
    "number": "海口市监罚〔2026〕88号",
    "issuing_authority": "海口市市场监督管理局",
    "effective_on": datetime.date(2026, 6, 1),
}


def _record(actor, subject, item, summary="销售过期食品", basis=BASIS):
    return services.record_create(
        actor=actor,
        subject=subject,
        catalog_item=item,
        summary=summary,
        determined_on=datetime.date(2026, 6, 1),
        basis=basis,
        reason="Recorded",
    )


def _variant(item, **overrides):
    fields = {f.name: getattr(item, f.name) for f in item._meta.concrete_fields if f.name not in {"id"}}
    fields.update(overrides)
    return CatalogItem.objects.create(**fields)


def _nothing_stored():
    assert not CreditRecord.objects.exists()
    assert not CreditRecord.history.exists()
    assert not BasisDocument.objects.exists() and not BasisDocument.history.exists()
    assert not AuditEvent.objects.filter(action__startswith="subjects.record").exists()


def test_a_lawful_record_is_entered_with_its_disclosure_period(caseworker_a, dept_a, published):
    item, _ = published
    record = _record(caseworker_a, OrganisationFactory(department=dept_a), item)
    assert record.kind == "untrustworthy" and record.basis_document.number == BASIS["number"]
    assert (record.disclosure_from, record.disclosure_until) == (datetime.date(2026, 6, 1), datetime.date(2029, 5, 31))
    assert record.history.get().history_user == caseworker_a


def test_r_dis_1_ongoing_conduct_is_disclosed_from_its_end(caseworker_a, dept_a, published):
    record = services.record_create(
        actor=caseworker_a,
        subject=OrganisationFactory(department=dept_a),
        catalog_item=published[0],
        summary="持续违法",
        determined_on=datetime.date(2026, 1, 5),
        conduct_ended_on=datetime.date(2026, 3, 1),
        basis={**BASIS, "effective_on": datetime.date(2026, 1, 5)},
        reason="Recorded",
    )
    assert record.disclosure_from == datetime.date(2026, 3, 1)


@pytest.mark.parametrize("status", ["draft", "approved", "superseded"])
def test_r_cat_1_a_record_against_an_unpublished_item_is_refused(caseworker_a, dept_a, drafter, published, status):
    version = CatalogVersion.objects.create(jurisdiction="HN", number=5, title="x", status=status, drafted_by=drafter)
    item = _variant(published[0], version=version)
    with pytest.raises(ValidationError, match=f"belongs to catalog version 5, which is {status.capitalize()}"):
        _record(caseworker_a, OrganisationFactory(department=dept_a), item)
    _nothing_stored()


@pytest.mark.parametrize("category", ["religion", "blood_type", "illness", "medical_history", "genetic", "biometric"])
def test_r_cat_4_each_prohibited_category_is_refused_and_nothing_is_stored(caseworker_a, dept_a, published, category):
    item = _variant(published[0], code=f"X-{category}", prohibited_category=category, is_untrustworthy=False)
    person = PersonFactory(department=dept_a)
    # even with a consent on file
    Consent.objects.create(
        department=dept_a,
        subject=person,
        category="income",
        purpose="x",
        scope="x",
        adverse_consequences_notified=True,
        written_evidence=ContentFile(b"x", "c.pdf"),
        given_at=timezone.now(),
    )
    with pytest.raises(ValidationError) as excinfo:
        _record(caseworker_a, person, item, summary="详情", basis=None)
    assert "may never be collected" in excinfo.value.messages[0]
    assert str(item.get_prohibited_category_display()) in excinfo.value.messages[0]
    _nothing_stored()


@pytest.mark.parametrize(
    ("summary", "category"),
    [
        ("当事人血型为A型", "Blood type"),
        ("其宗教信仰为", "Religious belief"),
        ("采集了指纹", "Fingerprints"),
        ("既往病史：高血压", "Medical history"),
        ("the applicant was diagnosed with asthma", "Illness"),
        ("基因检测结果", "Genetic data"),
    ],
)
def test_r_cat_4_free_text_naming_prohibited_data_is_refused(caseworker_a, dept_a, published, summary, category):
    with pytest.raises(ValidationError, match=category):
        _record(caseworker_a, OrganisationFactory(department=dept_a), published[0], summary=summary)
    _nothing_stored()
    assert not CreditRecord.history.filter(summary__contains=summary[:3]).exists()


@pytest.mark.parametrize("summary", ["某疾病预防控制中心未按规定处置医疗废物", "销售未标注的转基因食品"])
def test_r_cat_4_lawful_text_near_the_words_is_not_refused(caseworker_a, dept_a, published, summary):
    assert _record(caseworker_a, OrganisationFactory(department=dept_a), published[0], summary=summary)


@pytest.fixture
def income_item(published):
    return _variant(
        published[0], code="HN-07-INCOME", consent_category="income", is_untrustworthy=False, name="个人收入信息"
    )


def _consent(person, dept, **overrides):
    data = {
        "department": dept,
        "subject": person,
        "category": "income",
        "purpose": "信用评价",
        "scope": "收入证明",
        "adverse_consequences_notified": True,
        "written_evidence": ContentFile(b"%PDF", "consent.pdf"),
        "given_at": timezone.now() - datetime.timedelta(days=1),
    }
    data.update(overrides)
    return Consent.objects.create(**data)


def test_r_cat_5_without_consent_refused(caseworker_a, dept_a, income_item):
    with pytest.raises(ValidationError, match="written consent"):
        _record(caseworker_a, PersonFactory(department=dept_a), income_item, summary="年收入", basis=None)
    _nothing_stored()


def test_r_cat_5_with_consent_accepted(caseworker_a, dept_a, income_item):
    person = PersonFactory(department=dept_a)
    _consent(person, dept_a)
    assert _record(caseworker_a, person, income_item, summary="年收入", basis=None).kind == "trustworthy"


@pytest.mark.parametrize(
    "overrides",
    [
        {"revoked_at": timezone.now() - datetime.timedelta(hours=1)},
        {"category": "tax"},
        {"adverse_consequences_notified": False},
        {"written_evidence": ""},
    ],
    ids=["revoked", "other category", "no notice of consequences", "no written evidence"],
)
def test_r_cat_5_an_invalid_consent_does_not_count(caseworker_a, dept_a, income_item, overrides):
    person = PersonFactory(department=dept_a)
    _consent(person, dept_a, **overrides)
    with pytest.raises(ValidationError, match="written consent"):
        _record(caseworker_a, person, income_item, summary="年收入", basis=None)
    _nothing_stored()


def test_r_cat_5_applies_to_natural_persons_only(caseworker_a, dept_a, income_item):
    assert _record(caseworker_a, OrganisationFactory(department=dept_a), income_item, summary="营业收入", basis=None)


def test_r_rec_1_untrustworthy_conduct_needs_a_basis_document(caseworker_a, dept_a, published):
    with pytest.raises(ValidationError, match="R-REC-1"):
        _record(caseworker_a, OrganisationFactory(department=dept_a), published[0], basis=None)
    _nothing_stored()


def test_r_cat_3_simplified_procedure_punishments_are_not_recorded(caseworker_a, dept_a, published):
    with pytest.raises(ValidationError, match="simplified procedure"):
        _record(
            caseworker_a,
            OrganisationFactory(department=dept_a),
            published[0],
            basis={**BASIS, "simplified_procedure": True},
        )
    _nothing_stored()


def test_r_cat_6_a_designation_needs_a_published_standard(published):
    _, standard = published
    standard.status = "in_comment"
    with pytest.raises(ValidationError, match="published standard"):
        check_designation(standard=standard, measures=[])


def test_r_cat_7_only_measures_the_standard_allows(published):
    _, standard = published
    allowed = standard.allowed_measures.get()
    other = PunishmentMeasure.objects.create(
        measure_list=allowed.measure_list, code="N-99", text="限制出境", legal_clause="x"
    )
    check_designation(standard=standard, measures=[allowed])
    with pytest.raises(ValidationError, match="does not allow these measures: N-99"):
        check_designation(standard=standard, measures=[allowed, other])
