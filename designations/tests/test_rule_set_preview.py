"""R-NAT-6 (issue 20): the preview of a draft rule set lists the listings it would end earlier, beside the records
whose disclosure periods it moves — the open cases a change of values touches, before it is published."""

import datetime

import pytest

from creditportal import rules
from creditportal.models import RuleSet
from creditportal.tests.factories import UserFactory
from designations.tests.helpers import draft, to_state
from subjects import services as subject_services
from subjects.disclosure import months_from
from subjects.tests.conftest import BASIS
from tests.case_data import make_catalog

pytestmark = pytest.mark.django_db


def test_r_nat_6_the_preview_lists_the_listings_a_shorter_class_period_would_end(
    caseworker_a, supervisor_a, dept_a, organisation, on, django_capture_on_commit_callbacks
):
    on(2026, 9, 1)
    item = {"display_min_months": 0, "display_max_months": 60, "info_class": "general"}
    catalog = make_catalog(actor=caseworker_a, department=dept_a, item=item)
    determined = datetime.date(2026, 5, 4)
    record = subject_services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=determined,
        basis={**BASIS, "effective_on": determined},
        reason="Recorded",
    )
    assert record.disclosure_until == months_from(determined, 12)  # general information: at most a year
    with django_capture_on_commit_callbacks(execute=True):
        designation = draft(
            caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=6
        )
        on(2026, 10, 20)
        designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    assert designation.listed_until == datetime.date(2027, 4, 15)

    national = RuleSet.objects.get(layer="national", effective_from=datetime.date(2026, 4, 1))
    candidate = rules.ruleset_save(
        actor=UserFactory(username="sysadmin-a", system_role="system_admin", is_staff=True),
        reason="起草",
        title="国家规则（拟修订）",
        effective_from=datetime.date(2026, 4, 15),
        values={**national.values, "general_max_months": 6},
        sources={**national.sources, "general_max_months": "某文件 第二条"},
    )
    rows = {(pk, old, new) for _kind, pk, _label, old, new in rules.ruleset_preview(candidate)}
    new_end = months_from(determined, 6)  # 2026-11-03
    assert (designation.pk, datetime.date(2027, 4, 15), new_end) in rows  # the listing
    assert (record.pk, months_from(determined, 12), new_end) in rows  # and the record it rests on
