"""An objection is withdrawn only by its applicant, in writing (issue 18; R-OBJ-1): the caseworker's reason alone
does not take the label off or cancel a clock; the written withdrawal is on file, received on a day neither in the
future nor before the objection."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from objections import services
from objections.choices import ObjectionState

from .conftest import RECEIVED


def _signed():
    return ContentFile(b"%PDF-1.4 signed withdrawal", name="withdrawal.pdf")


def test_r_obj_1_a_withdrawal_without_the_applicants_written_withdrawal_is_refused(receive, record, caseworker_a):
    objection = receive(label_now=True)
    for missing in ({"withdrawal_received_on": RECEIVED.date()}, {"withdrawal_document": _signed()}, {}):
        with pytest.raises(ValidationError):
            services.objection_withdraw(objection=objection, actor=caseworker_a, reason="申请人电话撤回", **missing)
        objection.refresh_from_db()
        record.refresh_from_db()
        assert objection.state != ObjectionState.WITHDRAWN and record.under_objection_since is not None


def test_r_obj_1_the_written_withdrawal_is_dated_after_the_objection_and_not_in_the_future(receive, caseworker_a):
    objection = receive(label_now=True)
    for day in (RECEIVED.date() - datetime.timedelta(days=1), timezone.localdate() + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            services.objection_withdraw(
                objection=objection,
                actor=caseworker_a,
                reason="申请人书面撤回",
                withdrawal_received_on=day,
                withdrawal_document=_signed(),
            )
        assert "withdrawal_received_on" in refused.value.message_dict


def test_r_obj_1_with_the_written_withdrawal_on_file_the_objection_is_withdrawn(receive, record, caseworker_a):
    objection = receive(label_now=True)
    services.objection_withdraw(
        objection=objection,
        actor=caseworker_a,
        reason="申请人书面撤回",
        withdrawal_received_on=RECEIVED.date(),
        withdrawal_document=_signed(),
    )
    objection.refresh_from_db()
    record.refresh_from_db()
    assert objection.state == ObjectionState.WITHDRAWN and objection.withdrawal_document
    assert objection.withdrawal_received_on == RECEIVED.date() and record.under_objection_since is None
