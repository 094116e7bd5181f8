"""The demo publishes administrative penalties of the general and serious classes (issue 22; R-NAT-2, SAMR-45).

The Hainan regulation says nothing on it, so the shipped profile leaves ``publishes_penalties`` unset (nothing is
published); a deployment decides, and the system administrator records the decision with its source. The demo
decides to publish, once, before its records are entered (each is then published as it comes on display), and makes
the ledger agree at the end (a database seeded before this existed gets its rows: ``penalties_sync``, idempotent).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from creditportal.audit import system_user, tracked_save
from creditportal.profiles import forget_profiles, profile_for
from subjects.publication import penalties_sync

from .helpers import REASON

#: Verified against the text (LawRefBook/Laws, 部门规章/市场监督管理总局/市场监督管理行政处罚信息公示规定): art. 2
#: (penalties under the ordinary procedure published; a warning alone not), art. 11 (withdrawn within 3 WD when the
#: decision is changed or revoked, with the reason); the classes from 国办发〔2025〕22号 item 2 (the national set).
PUBLISHES_PENALTIES_SOURCE = (
    "演示：本部署决定公示一般、严重失信的行政处罚信息（轻微失信信息不公示）。依据：《市场监督管理行政处罚信息公示规定》"
    "（国家市场监督管理总局令第45号）第二条、第十一条；国办发〔2025〕22号 第二项"
)


def penalties_publication_on() -> None:
    """Hainan's profile publishes penalties in the demo, with its source; an existing decision is never changed."""
    profile = profile_for(settings.CREDIT_JURISDICTION)  # the profile's own row (an unset value is filled in there)
    if profile is None or profile.publishes_penalties is not None:
        return
    profile.publishes_penalties = True
    profile.sources = {**(profile.sources or {}), "publishes_penalties": PUBLISHES_PENALTIES_SOURCE}
    tracked_save(profile, actor=system_user(), reason=REASON, validate=False)
    forget_profiles()


def penalties_published_agree() -> dict[str, int]:
    """The ledger made to agree with what is on display today (nothing on a second run)."""
    return penalties_sync(today=timezone.localdate())
