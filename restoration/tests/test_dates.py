"""Dates people type in restoration, revocation and the provider's correction: never in the future, never before
the event they answer (an application before the information it ends, a revoking judgment before the basis it
revokes, an error discovered before the information was determined)."""

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
                actor=caseworker_a,
                reason="x",
                record=record,
                method="rectification",
                evidence="整改报告",
                received_at=received_at,
            )
    assert not RestorationApplication.objects.exists()


def test_r_res_6_a_revoking_document_cannot_take_effect_before_the_basis_it_revokes(make_record, supervisor_a):
    record = make_record(determined_on=datetime.date(2026, 3, 2))  # its basis took effect on 2026-03-02
    with pytest.raises(ValidationError, match="cannot be before the basis document it revokes took effect"):
        services.revocation_receive(
            record=record,
            actor=supervisor_a,
            reason="x",
            ground="revoked",
            legal_document="（2026）琼01行终12号行政判决书",
            effective_on=datetime.date(2026, 3, 1),
            received_on=datetime.date(2026, 3, 3),
        )


def test_r_rec_4_an_error_is_not_discovered_before_the_information_was_determined(make_record, caseworker_a):
    record = make_record()
    with pytest.raises(ValidationError, match="cannot be before the information was determined"):
        services.record_provider_correct(
            record=record,
            actor=caseworker_a,
            reason="x",
            changes={"summary": "更正"},
            discovered_on=record.determined_on - datetime.timedelta(days=1),
        )
    record.refresh_from_db()
    assert record.summary != "更正"


def test_r_rec_5_a_refused_hide_shows_the_record_page_again_with_the_reason(client, make_record, caseworker_a):
    """Untrustworthiness information is not hidden at the subject's request (R-REC-5): the record's own page says
    why (it offers no hide form for such a record, so there is nothing typed to keep); nothing changes."""
    from django.urls import reverse

    record = make_record()
    client.force_login(caseworker_a)
    response = client.post(reverse("record_trustworthy", args=[record.pk, "hide"]), {"reason": "当事人书面申请"})
    html = response.content.decode()
    assert response.status_code == 200 and "Only trustworthiness information is hidden" in html
    assert "The basis document was revoked" not in html  # not the revocation page it used to fall back to
    record.refresh_from_db()
    assert record.status == "active"
