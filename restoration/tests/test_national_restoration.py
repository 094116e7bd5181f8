"""Restoration under the national rules in force since 2026-04-01 (R-NAT-3, issue 20): possible once the class's
shortest publication period has passed, accepted only with the subject's public credit commitment, and decided
within the national limit where a rule set fixes one, beside the province's promised period (the shorter binds).
An application received before the national rules keeps the rules of its day (R-NAT-6)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from creditportal import deadlines, rules
from creditportal.models import RuleSet
from creditportal.tests.factories import UserFactory
from restoration import services
from subjects import services as subject_services
from subjects.disclosure import months_from
from subjects.tests.conftest import BASIS
from tests.case_data import make_catalog

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
COMMITMENT = "本单位公开承诺：所提交材料真实有效，不再发生同类失信行为。"


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=SHANGHAI)


def _general_record(caseworker, department, organisation, *, determined_on):
    item = {
        "display_min_months": 0,
        "display_max_months": 60,
        "info_class": "general",
        "is_administrative_punishment": False,
        "sector": "general",
    }
    catalog = make_catalog(actor=caseworker, department=department, item=item)
    return subject_services.record_create(
        actor=caseworker,
        subject=organisation,
        catalog_item=catalog[0],
        summary="违法行为",
        determined_on=determined_on,
        basis={**BASIS, "effective_on": determined_on},
        reason="Recorded",
    )


def _apply(caseworker, record, *, commitment=COMMITMENT, received_at):
    return services.restoration_receive(
        actor=caseworker,
        reason="当事人申请",
        record=record,
        method="rectification",
        evidence="整改报告",
        commitment=commitment,
        received_at=received_at,
        now=received_at,
    )


def test_r_nat_3_not_before_the_shortest_publication_period_of_the_class(caseworker_a, dept_a, organisation, on):
    """General information determined on 2026-05-04: shown at least 3 months, so an application accepted on
    2026-07-01 is refused naming the day, and one accepted on 2026-08-04 is not."""
    on(2026, 7, 1)
    record = _general_record(caseworker_a, dept_a, organisation, determined_on=datetime.date(2026, 5, 4))
    application = _apply(caseworker_a, record, received_at=at(2026, 7, 1))
    with pytest.raises(ValidationError) as refused:
        services.restoration_accept(application=application, actor=caseworker_a, reason="受理", now=at(2026, 7, 1))
    message = " ".join(refused.value.messages)
    assert "R-NAT-3" in message and months_from(datetime.date(2026, 5, 4), 3).isoformat() in message
    on(2026, 8, 4)
    accepted = services.restoration_accept(
        application=application, actor=caseworker_a, reason="受理", now=at(2026, 8, 4)
    )
    assert accepted.state == "accepted"


def test_r_nat_3_accepted_only_with_the_public_credit_commitment(caseworker_a, dept_a, organisation, on):
    on(2026, 9, 1)
    record = _general_record(caseworker_a, dept_a, organisation, determined_on=datetime.date(2026, 4, 20))
    application = _apply(caseworker_a, record, commitment="", received_at=at(2026, 9, 1))
    with pytest.raises(ValidationError) as refused:
        services.restoration_accept(application=application, actor=caseworker_a, reason="受理", now=at(2026, 9, 1))
    assert "R-NAT-3" in " ".join(refused.value.messages) and "commitment" in " ".join(refused.value.messages)
    with_commitment = _apply(caseworker_a, record, received_at=at(2026, 9, 1))
    assert (
        services.restoration_accept(
            application=with_commitment, actor=caseworker_a, reason="受理", now=at(2026, 9, 1)
        ).state
        == "accepted"
    )


def test_r_nat_6_an_application_received_before_the_national_rules_keeps_the_rules_of_its_day(caseworker_a, record, on):
    """Received on 2026-03-20, before the national rules: no commitment was asked for then."""
    on(2026, 3, 20)
    application = _apply(caseworker_a, record, commitment="", received_at=at(2026, 3, 20))
    accepted = services.restoration_accept(
        application=application, actor=caseworker_a, reason="受理", now=at(2026, 3, 20)
    )
    assert accepted.state == "accepted"


def test_r_nat_3_the_national_decision_limit_binds_where_it_is_shorter(caseworker_a, dept_a, organisation, on):
    """A rule set in force from 2026-06-01 adds a 3-working-day decision limit: the deployment promised 10, so the
    application accepted on 2026-08-04 is decided within 3 working days, and its clock names the rule set."""
    drafter = UserFactory(username="sysadmin-a", system_role="system_admin", is_staff=True)
    publisher = UserFactory(username="sysadmin-b", system_role="system_admin", is_staff=True)
    national = RuleSet.objects.get(layer="national", effective_from=datetime.date(2026, 4, 1))
    draft = rules.ruleset_save(
        actor=drafter,
        reason="起草",
        title="国家信用修复规则（补充办理时限）",
        effective_from=datetime.date(2026, 6, 1),
        values={**national.values, "restoration_decision_wd": 3},
        sources={**national.sources, "restoration_decision_wd": "国办发〔2025〕22号 第五项（经核实）"},
    )
    on(2026, 5, 20)  # published before the day it takes effect
    rules.ruleset_publish(ruleset=draft, actor=publisher, reason="发布")
    on(2026, 8, 4)
    record = _general_record(caseworker_a, dept_a, organisation, determined_on=datetime.date(2026, 5, 4))
    application = _apply(caseworker_a, record, received_at=at(2026, 8, 4))
    accepted = services.restoration_accept(
        application=application, actor=caseworker_a, reason="受理", now=at(2026, 8, 4)
    )
    assert accepted.promised_wd == 3
    clock = deadlines.deadlines_of(accepted).get()
    assert clock.due_date == datetime.date(2026, 8, 7)
    assert "补充办理时限" in clock.article and "第五项" in clock.article
