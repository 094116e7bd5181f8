"""Restoration looks at the whole designation (issue 18; R-RES-1, R-RES-4): restoring one record takes down the
designations resting on it, so it is refused while such a designation also rests on a record a law says cannot be
restored — as restoring the designation directly is."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from creditportal.audit import tracked_save
from designations import services as designation_services
from designations.choices import DesignationState
from designations.tests.helpers import to_state
from restoration import services
from subjects import services as subject_services

BARRED_BY = "《中华人民共和国食品安全法》第一百三十五条"


@pytest.fixture
def two_records(record, organisation, catalog, caseworker_a):
    """``record`` and a second record of the same company under an item a law says cannot be restored."""
    item = record.catalog_item
    barred = type(item).objects.create(
        **{
            **{
                f.name: getattr(item, f.name)
                for f in item._meta.concrete_fields
                if f.name not in {"id", "lock_version"}
            },
            "code": f"{item.code}-B",
            "name": "生产经营禁止生产经营的食品",
        }
    )
    barred.restoration_barred_by = BARRED_BY
    tracked_save(barred, actor=caseworker_a, reason="The law bars restoration", validate=False)
    other = subject_services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=barred,
        summary="生产经营禁止生产经营的食品",
        determined_on=datetime.date(2026, 3, 5),
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕88号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 5),
        },
        reason="Recorded",
    )
    return record, other


def test_r_res_1_a_record_is_not_restored_while_its_designation_rests_on_one_that_cannot_be(
    two_records, catalog, caseworker_a, supervisor_a, dept_a, django_capture_on_commit_callbacks
):
    restorable, barred = two_records
    standard = catalog[1]
    with django_capture_on_commit_callbacks(execute=True):
        designation = designation_services.designation_create(
            actor=caseworker_a,
            department=dept_a,
            subject=restorable.subject,
            standard=standard,
            records=[restorable, barred],
            measures=list(standard.allowed_measures.all()),
            facts="当事人多次销售过期食品并生产禁止生产的食品。",
            reasons="严重危害人民群众身体健康。",
            proportionality_statement="措施与情节相当。",
            proposed_listing_months=12,
            reason="拟定认定",
        )
        designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="Application",
        record=restorable,
        method="rectification",
        evidence="整改报告",
    )
    with pytest.raises(ValidationError, match="also on record") as refused:
        services.restoration_accept(application=application, actor=caseworker_a, reason="A")
    assert "第一百三十五条" in refused.value.messages[0]
    designation.refresh_from_db()
    assert designation.state == DesignationState.LISTED
