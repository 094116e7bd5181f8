"""A small set of cases of every kind, for tests that need one of each (permission matrix, history)."""
import datetime

from django.utils import timezone

from catalog.models import CatalogItem, CatalogVersion, DesignationStandard, MeasureList, PunishmentMeasure
from designations.models import Designation
from objections.models import Objection
from restoration.models import RestorationApplication
from subjects.models import BasisDocument, CreditRecord
from subjects.tests.factories import OrganisationFactory


def make_catalog(*, actor, department):
    version = CatalogVersion.objects.create(
        jurisdiction="HN", number=1, title="海南省公共信用信息补充目录", status="published", drafted_by=actor,
        published_at=timezone.now(),
    )
    item = CatalogItem.objects.create(
        version=version, code="HN-04-001", name="行政处罚信息", conduct="违反食品安全法受到行政处罚",
        category="administrative", providing_department=department, data_source="市场监管部门",
        character="public", disclosure_mode="public_announcement", display_min_months=3, display_max_months=36,
        update_frequency="每月", legal_basis="《海南自由贸易港社会信用条例》第11条", is_untrustworthy=True,
        is_administrative_punishment=True, sector="food",
    )
    measures = MeasureList.objects.create(
        jurisdiction="HN", number=1, title="全国失信惩戒措施基础清单", status="published", drafted_by=actor,
        kind="punishment", scope="national",
    )
    measure = PunishmentMeasure.objects.create(
        measure_list=measures, code="N-01", text="限制参加政府采购", legal_clause="《政府采购法》第22条",
        max_duration_months=36,
    )
    standard = DesignationStandard.objects.create(
        jurisdiction="HN", code="HN-S-01", title="食品安全领域严重失信主体名单认定标准", sector="食品",
        serious_category="public_safety", conduct_criteria="严重危害人民群众身体健康", legal_basis="《食品安全法》",
        removal_conditions="期满或信用修复", removal_procedure="申请、审核、移出", remedies="行政复议或者行政诉讼",
        status="published", issuing_department=department,
    )
    standard.allowed_measures.add(measure)
    return item, standard


def make_cases(*, dept_a, dept_b, actor) -> dict:
    """One record, designation, objection and restoration application in ``dept_a``."""
    item, standard = make_catalog(actor=actor, department=dept_a)
    subject = OrganisationFactory(department=dept_a)
    basis = BasisDocument.objects.create(
        department=dept_a, basis_type="punishment_decision", number="海口市监罚〔2026〕1号",
        issuing_authority="海口市市场监督管理局", effective_on=datetime.date(2026, 3, 1),
    )
    record = CreditRecord.objects.create(
        department=dept_a, subject=subject, catalog_item=item, basis_document=basis, kind="untrustworthy",
        summary="销售过期食品", determined_on=datetime.date(2026, 3, 1), recorded_by=actor,
    )
    designation = Designation.objects.create(
        department=dept_a, subject=subject, standard=standard, facts="多次销售过期食品", proposed_listing_months=12,
        caseworker=actor,
    )
    objection = Objection.objects.create(
        department=dept_a, subject=subject, record=record, ground="error", grounds_text="处罚已撤销",
        received_at=timezone.now(),
    )
    restoration = RestorationApplication.objects.create(
        department=dept_a, subject=subject, record=record, method="rectification", evidence="整改报告",
        received_at=timezone.now(),
    )
    return {"record": record, "designation": designation, "objection": objection, "restoration": restoration}
