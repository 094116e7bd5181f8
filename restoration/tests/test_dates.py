"""Dates people type in restoration: never in the future, never before the event they answer (an application before
the information it ends). The revoked basis and the provider's correction: subjects/tests/test_record_acts.py."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from restoration import services
from restoration.models import RestorationApplication

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_r_res_1_an_application_is_not_received_before_the_information_was_determined(make_record, caseworker_a):
    record = make_record(determined_on=datetime.date(2026, 3, 2))
    for received_at, message in (
        (datetime.datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), "cannot be before the information was determined"),
        (timezone.now() + datetime.timedelta(hours=3), "cannot be in the future"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.restoration_receive(
                commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
                actor=caseworker_a,
                reason="x",
                record=record,
                method="rectification",
                evidence="整改报告",
                received_at=received_at,
            )
    assert not RestorationApplication.objects.exists()
