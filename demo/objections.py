"""Demo objections (R-OBJ-1 to R-OBJ-6), through the objection services as the people of HK-SAMR would act.

Two objections to Haikou records: one received on Friday 2026-11-27 and labelled at once, still under
verification (its record shows "under objection" on every page and list, and its answer deadline runs); one
received on 2026-10-09, decided not sustained with reasons on 2026-10-14 and answered by a response letter served
in person on 2026-10-15.
Idempotent: an objection is looked up by its record and time of receipt; an existing one is never changed.
"""

from __future__ import annotations

import datetime
import zoneinfo

from creditportal.choices import ServiceMethod
from creditportal.documents import document_render
from objections import services
from objections.models import Objection
from subjects.choices import BasisType
from subjects.models import CreditRecord

from .helpers import REASON, Tally

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _at(year, month, day, hour=10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


OPEN_RECEIVED = _at(2026, 11, 27)
ANSWERED_RECEIVED, ANSWERED_DECIDED = _at(2026, 10, 9), _at(2026, 10, 14, 15)
ANSWERED_SERVED = _at(2026, 10, 15, 11)


#: What the applicant says is wrong, in the words of the document the record rests on (a penalty decision's
#: count of violations, a judgment defaulter's sum): the demo never speaks of a penalty on a court's listing.
GROUNDS: dict[str, str] = {
    BasisType.PUNISHMENT_DECISION: "该行政处罚决定书载明的违法次数与事实不符，申请更正。",
    BasisType.JUDGMENT: "该失信被执行人信息所载执行标的金额与人民法院生效法律文书确定的金额不符，申请更正。",
    BasisType.ADMINISTRATIVE_RULING: "该行政决定书认定的事实与实际情况不符，申请更正。",
}


def _grounds_of(record) -> str:
    basis = record.basis_document.basis_type if record.basis_document_id else ""
    return GROUNDS.get(basis, "该信用记录的内容与其认定依据文书不符，申请更正。")


def seed_objections(*, users: dict, tally: Tally) -> None:
    caseworker, supervisor = users["hk-caseworker"], users["hk-supervisor"]
    records = list(
        CreditRecord.objects.filter(
            department__code="HK-SAMR",
            kind="untrustworthy",
            status="active",
            subject__kind="natural_person",
        )
        .select_related("subject", "basis_document")
        .order_by("pk")[:2]
    )
    if len(records) < 2:
        return
    open_record, answered_record = records
    existing = Objection.objects.filter(record=open_record, received_at=OPEN_RECEIVED).first()
    if existing is None:
        services.objection_receive(
            actor=caseworker,
            subject=open_record.subject,
            target="record",
            record=open_record,
            ground="error",
            grounds_text=_grounds_of(open_record),
            received_at=OPEN_RECEIVED,
            applicant=f"{open_record.subject.name}（委托代理人 陈晓）",
            applicant_contact="0898-66881234",
            label_now=True,
            reason=REASON,
            now=OPEN_RECEIVED,
        )
    tally.add(Objection, created=existing is None)

    existing = Objection.objects.filter(record=answered_record, received_at=ANSWERED_RECEIVED).first()
    if existing is None:
        objection = services.objection_receive(
            actor=caseworker,
            subject=answered_record.subject,
            target="record",
            record=answered_record,
            ground="beyond_period",
            grounds_text="该信息已超过公示期限，申请停止公示。",
            received_at=ANSWERED_RECEIVED,
            applicant=answered_record.subject.name,
            label_now=True,
            reason=REASON,
            now=ANSWERED_RECEIVED,
        )
        services.objection_decide(
            objection=objection,
            actor=supervisor,
            sustained=False,
            reasons="经核查，该信息自认定之日起计算的公示期限尚未届满，依法继续公示。",
            reason=REASON,
            now=ANSWERED_DECIDED,
        )
        services.objection_issue_answer(objection=objection, actor=supervisor, reason=REASON, now=ANSWERED_DECIDED)
        # The letter is rendered (as the worker would) and handed to the applicant the next day: only its service
        # answers the applicant and meets the answer clock (R-OBJ-3).
        letter = services.response_letter(objection)
        if not letter.sha256:
            document_render(document=letter)
        services.objection_serve_answer(
            objection=objection,
            actor=supervisor,
            method=ServiceMethod.IN_PERSON,
            served_on=ANSWERED_SERVED.date(),
            recipient=answered_record.subject.name,
            reason=REASON,
            now=ANSWERED_SERVED,
        )
    tally.add(Objection, created=existing is None)
