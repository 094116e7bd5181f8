"""Fixtures of the objection tests: a published catalog, a subject with an untrustworthy record (determined in
March 2026), and an objection to it received on Friday 25 September 2026, the last working day before the
National Day holiday."""

import datetime
import zoneinfo

import pytest

from creditportal.choices import Role
from creditportal.tests.factories import DepartmentFactory, user_with_role
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory
from tests.case_data import make_catalog

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
BASIS = {
    "basis_type": "punishment_decision",
    "number": "海口市监罚〔2026〕88号",
    "issuing_authority": "海口市市场监督管理局",
    "effective_on": datetime.date(2026, 3, 2),
}


def at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


#: Friday 25 September 2026: the last working day before National Day (1–7 October; Saturday 10 October works).
RECEIVED = at(2026, 9, 25)


@pytest.fixture
def catalog(caseworker_a, dept_a):
    return make_catalog(actor=caseworker_a, department=dept_a)


@pytest.fixture
def organisation(dept_a):
    return OrganisationFactory(department=dept_a, name="海口椰风食品有限公司", address="海口市龙华区滨海大道1号")


@pytest.fixture
def record(organisation, caseworker_a, catalog):
    return subject_services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis=BASIS,
        reason="Recorded",
    )


@pytest.fixture
def dept_c(db):
    return DepartmentFactory(code="DZ-SAMR", name="儋州市市场监督管理局", name_en="Danzhou Market Regulation Bureau")


@pytest.fixture
def caseworker_c(dept_c):
    return user_with_role(Role.CASEWORKER, dept_c, username="caseworker_c")


@pytest.fixture
def receive(record, caseworker_a):
    """Receive an objection to ``record`` (or with other arguments) the way the front desk does."""
    from objections import services

    def _receive(**overrides):
        data = {
            "actor": caseworker_a,
            "subject": record.subject,
            "target": "record",
            "record": record,
            "ground": "error",
            "grounds_text": "该处罚决定已被复议机关撤销",
            "received_at": RECEIVED,
            "applicant": "海口椰风食品有限公司（委托代理人 李明）",
            "reason": "Written objection received at the front desk",
        }
        data.update(overrides)
        return services.objection_receive(**data)

    return _receive


@pytest.fixture
def credit_authority(dept_a):
    """Haikou's department in charge of social credit (HL 41): complaints about collectors received in dept_a (a
    Haikou department) are routed there and answered by it."""
    from creditportal.choices import DepartmentKind, DepartmentLevel

    dept_a.government = "海口市人民政府"
    dept_a.save(update_fields=["government"])
    province = DepartmentFactory(code="HN-DRC", name="海南省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY)
    return DepartmentFactory(
        code="HK-DRC",
        name="海口市发展和改革委员会",
        kind=DepartmentKind.CREDIT_AUTHORITY,
        level=DepartmentLevel.PREFECTURE,
        government="海口市人民政府",
        parent=province,
    )


@pytest.fixture
def credit_caseworker(credit_authority):
    return user_with_role(Role.CASEWORKER, credit_authority, username="credit_caseworker")
