"""Nothing archived returns (issue 18; R-DIS-3, R-DIS-1): the same conduct whose record ended is not entered again
under a new date, and a correction does not move a record's dates so that its disclosure is already over."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from creditportal.audit import system_user
from subjects import services
from subjects.models import CreditRecord

from .conftest import BASIS


def test_r_dis_3_an_archived_record_does_not_return_under_a_new_date(record, organisation, caseworker_a, catalog):
    services.record_archive(record=record, actor=system_user(), reason="Disclosure period ended")
    with pytest.raises(ValidationError, match=f"Record #{record.pk}") as refused:
        services.record_create(
            actor=caseworker_a,
            subject=organisation,
            catalog_item=catalog[0],
            summary="多次销售过期食品",
            determined_on=datetime.date(2026, 6, 2),  # a new date: the disclosure would start again
            basis=BASIS,
            reason="Recorded again",
        )
    assert refused.value.code == "reentry"
    assert CreditRecord.objects.filter(subject=organisation).count() == 1  # nothing written


def test_r_dis_1_a_correction_that_would_end_the_disclosure_at_once_is_refused(record, caseworker_a):
    until = record.disclosure_until
    with pytest.raises(ValidationError) as refused:
        services.record_correct(
            record=record,
            actor=caseworker_a,
            reason="更正",
            changes={"conduct_ended_on": datetime.date(2019, 1, 1)},  # years before: the period would be over
        )
    assert "conduct_ended_on" in refused.value.message_dict
    record.refresh_from_db()
    assert record.disclosure_until == until and record.conduct_ended_on is None


def test_a_correction_that_keeps_the_record_shown_is_allowed(record, caseworker_a):
    services.record_correct(record=record, actor=caseworker_a, reason="更正", changes={"summary": "更正后的事实"})
    record.refresh_from_db()
    assert record.summary == "更正后的事实"
