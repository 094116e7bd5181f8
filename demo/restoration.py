"""A demo restoration application (R-RES-1 to R-RES-5), through the restoration services as the people of HK-SAMR
would act: a Haikou company that completed its rectification applied on Monday 2026-11-23; the caseworker
accepted it the next day with a promised period of 10 working days (due 2026-12-08) and wrote the review
opinion on 2026-11-26; it waits for ``hk-supervisor``'s decision (the restoration work queue).

Idempotent: the application is looked up by its department and time of receipt; an existing one is never changed.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings

from creditportal.audit import system_user, tracked_save
from creditportal.profiles import forget_profiles, profile_for
from restoration import services
from restoration.models import RestorationApplication
from subjects.models import CreditRecord

from .helpers import REASON, Tally

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
RECEIVED = datetime.datetime(2026, 11, 23, 10, tzinfo=SHANGHAI)
ACCEPTED = datetime.datetime(2026, 11, 24, 9, tzinfo=SHANGHAI)
REVIEWED = datetime.datetime(2026, 11, 26, 16, tzinfo=SHANGHAI)
PROMISED_WD = 10
PROMISED_SOURCE = "演示：部门事先公布的信用修复承诺办结期限（10个工作日）"


def _promised_period() -> None:
    """The Hainan regulation fixes no period for restoration (R-RES-5): the deployment promises one in advance and
    the system administrator enters it with its source. The demo enters the 10 working days of its story, once."""
    profile = profile_for(settings.CREDIT_JURISDICTION)  # the profile's own row (an unset value is filled in there)
    if profile is None or profile.restoration_promised_wd:
        return
    profile.restoration_promised_wd = PROMISED_WD
    profile.sources = {**(profile.sources or {}), "restoration_promised_wd": PROMISED_SOURCE}
    tracked_save(profile, actor=system_user(), reason=REASON, validate=False)
    forget_profiles()


def seed_restorations(*, users: dict, tally: Tally) -> None:
    caseworker = users["hk-caseworker"]
    _promised_period()
    existing = RestorationApplication.objects.filter(department__code="HK-SAMR", received_at=RECEIVED).first()
    if existing is not None:
        tally.add(RestorationApplication, created=False)
        return
    record = (
        CreditRecord.objects.filter(
            department__code="HK-SAMR",
            kind="untrustworthy",
            status="active",
            subject__kind="legal_person",
            under_objection_since__isnull=True,
        )
        .order_by("pk")
        .exclude(objections__isnull=False)
        .first()
    )
    if record is None:
        return
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker,
        reason=REASON,
        record=record,
        method="rectification",
        evidence="已按行政处罚决定书完成整改，缴清罚款，并提交整改报告及主管部门验收意见。",
        received_at=RECEIVED,
        now=RECEIVED,
    )
    application = services.restoration_accept(application=application, actor=caseworker, reason=REASON, now=ACCEPTED)
    services.restoration_review(
        application=application,
        actor=caseworker,
        reason=REASON,
        opinion="经核查，当事人已纠正失信行为、消除不良影响，整改材料真实完整，建议准予信用修复。",
        now=REVIEWED,
    )
    tally.add(RestorationApplication, created=True)
