"""A small set of cases of every kind, for tests that need one of each (permission matrix, history).

Built as people build them, through the services and their guards: the catalog, the measures list and the
standard are drafted and published through ``catalog.services`` (four eyes: another person approves), the
record through ``subjects.services.record_create`` (the lawful-data guard), the designation through
``designations.services.designation_create``. Only the objection and the restoration application, whose
workflows have no receiving service for a record yet, are built by their factories, in their initial state.
"""

import datetime
import zoneinfo

from django.core.exceptions import PermissionDenied

from catalog import services as catalog_services
from creditportal.choices import DepartmentKind, DepartmentLevel, Role
from creditportal.tests.factories import DepartmentFactory, user_with_role
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
REASON = "Test data (tests/case_data.py)"

ITEM = {
    "code": "HN-04-001",
    "name": "行政处罚信息",
    "conduct": "违反食品安全法受到行政处罚",
    "category": "administrative",
    "data_source": "市场监管部门",
    "character": "public",
    "disclosure_mode": "public_announcement",
    "display_min_months": 3,
    "display_max_months": 36,
    "update_frequency": "每月",
    "legal_basis": "《海南自由贸易港社会信用条例》第11条",
    "is_untrustworthy": True,
    "is_administrative_punishment": True,
    "sector": "food",
}
STANDARD = {
    "code": "HN-S-01",
    "title": "食品安全领域严重失信主体名单认定标准",
    "sector": "食品",
    "serious_category": "public_safety",
    "conduct_criteria": "严重危害人民群众身体健康",
    "legal_basis": "《食品安全法》",
    "removal_conditions": "期满或信用修复",
    "removal_procedure": "申请、审核、移出",
    "remedies": "行政复议或者行政诉讼",
    # A real 30-day public comment period before publication (R-CAT-6; NDRC 7), in the past.
    "comment_starts_on": datetime.date(2026, 1, 5),
    "comment_ends_on": datetime.date(2026, 2, 6),
}
COMMENT_OPENED = datetime.datetime(2026, 1, 5, 9, tzinfo=SHANGHAI)
STANDARD_PUBLISHED = datetime.datetime(2026, 2, 10, 10, tzinfo=SHANGHAI)


def _catalog_staff(actor, jurisdiction: str = "HN"):
    """Who drafts (``actor`` when they may author the catalog, else a caseworker of a provincial credit
    authority) and who approves (a supervisor of the drafter's authority: never the drafter, R-CAT-1)."""
    try:
        version = catalog_services.catalog_version_create(
            actor=actor, jurisdiction=jurisdiction, title="海南省公共信用信息补充目录", reason=REASON
        )
        drafter = actor
        authority = next(
            m.department
            for m in actor.memberships.select_related("department")
            if m.department.kind == DepartmentKind.CREDIT_AUTHORITY and m.department.level == DepartmentLevel.PROVINCE
        )
    except PermissionDenied:
        authority = DepartmentFactory(
            code="HN-DRC-CASES",
            name="海南省发展和改革委员会",
            name_en="Hainan DRC",
            kind=DepartmentKind.CREDIT_AUTHORITY,
            level=DepartmentLevel.PROVINCE,
        )
        drafter = user_with_role(Role.CASEWORKER, authority, username="catalog-drafter")
        version = catalog_services.catalog_version_create(
            actor=drafter, jurisdiction=jurisdiction, title="海南省公共信用信息补充目录", reason=REASON
        )
    approver = user_with_role(Role.SUPERVISOR, authority, username="catalog-approver")
    return version, drafter, approver


def make_catalog(*, actor, department, jurisdiction: str = "HN", item: dict | None = None):
    """A published catalog (v1) with one administrative-punishment item provided by ``department`` (``item``
    overrides its fields), a published national measures list with one measure, and a published standard allowing
    it, in ``jurisdiction``."""
    version, drafter, approver = _catalog_staff(actor, jurisdiction)
    item = catalog_services.catalog_item_save(
        actor=drafter, version=version, reason=REASON, data={**ITEM, **(item or {}), "providing_department": department}
    )
    catalog_services.published_list_approve(obj=version, actor=approver, reason=REASON)
    catalog_services.published_list_publish(obj=version, actor=approver, reason=REASON)

    measures = catalog_services.measure_list_create(
        actor=drafter,
        jurisdiction=jurisdiction,
        kind="punishment",
        scope="national",
        title="全国失信惩戒措施基础清单",
        reason=REASON,
    )
    measure = catalog_services.measure_save(
        actor=drafter,
        measure_list=measures,
        reason=REASON,
        data={
            "code": "N-01",
            "text": "限制参加政府采购",
            "legal_clause": "《政府采购法》第22条",
            "max_duration_months": 36,
        },
    )
    catalog_services.published_list_approve(obj=measures, actor=approver, reason=REASON)
    catalog_services.published_list_publish(obj=measures, actor=approver, reason=REASON)
    measure.refresh_from_db()

    standard = catalog_services.standard_save(
        actor=drafter, data=STANDARD, reason=REASON, jurisdiction=jurisdiction, allowed_measures=[measure]
    )
    catalog_services.standard_transition(
        standard=standard, name="open_comment", actor=drafter, reason=REASON, now=COMMENT_OPENED
    )
    standard = catalog_services.standard_transition(
        standard=standard, name="publish", actor=approver, reason=REASON, now=STANDARD_PUBLISHED
    )
    item.refresh_from_db()
    return item, standard


def make_cases(*, dept_a, dept_b, actor) -> dict:
    """One record, designation, objection and restoration application in ``dept_a`` (``actor`` works there)."""
    # Imported here: the catalog and record helpers above serve the subjects tests too, which import no app above
    # theirs.
    from designations import services as designation_services
    from objections.tests.factories import ObjectionFactory
    from restoration.tests.factories import RestorationApplicationFactory

    item, standard = make_catalog(actor=actor, department=dept_a)
    subject = OrganisationFactory(department=dept_a)
    record = subject_services.record_create(
        actor=actor,
        subject=subject,
        catalog_item=item,
        summary="销售过期食品",
        determined_on=datetime.date(2026, 3, 1),
        reason=REASON,
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕1号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 1),
        },
    )
    designation = designation_services.designation_create(
        actor=actor,
        department=dept_a,
        subject=subject,
        standard=standard,
        records=[record],
        measures=list(standard.allowed_measures.all()),
        facts="多次销售过期食品",
        reasons="严重危害人民群众身体健康",
        proportionality_statement="拟采取的措施与违法行为的性质、情节和社会危害程度相当。",
        proposed_listing_months=12,
        reason=REASON,
    )
    objection = ObjectionFactory(department=dept_a, subject=subject, record=record)
    restoration = RestorationApplicationFactory(department=dept_a, subject=subject, record=record)
    return {"record": record, "designation": designation, "objection": objection, "restoration": restoration}
