"""Cross-cutting models: organisation, jurisdiction profiles, calendar, audit, documents, deadlines."""

from .access import AccessEntry
from .audit import AuditEvent, LedgerEntry
from .base import TrackedModel
from .calendar import CalendarDay, CalendarYear
from .deadlines import Deadline, DeadlineExtension, DeadlinePause
from .documents import DocumentSequence, IssuedDocument, ServiceRecord
from .org import Department, Membership, SecondFactorReset, User
from .profiles import JurisdictionProfile
from .rules import RuleSet
from .submissions import SubmitToken

__all__ = [
    "AccessEntry",
    "AuditEvent",
    "LedgerEntry",
    "CalendarDay",
    "CalendarYear",
    "Deadline",
    "DeadlineExtension",
    "DeadlinePause",
    "Department",
    "DocumentSequence",
    "IssuedDocument",
    "JurisdictionProfile",
    "RuleSet",
    "SecondFactorReset",
    "Membership",
    "ServiceRecord",
    "SubmitToken",
    "TrackedModel",
    "User",
]
