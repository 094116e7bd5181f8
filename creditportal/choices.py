"""Choices of the cross-cutting models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")


class DepartmentKind(models.TextChoices):
    CREDIT_AUTHORITY = "credit_authority", _("Credit authority")
    INDUSTRY_REGULATOR = "industry_regulator", _("Industry regulator")
    COURT = "court", _("People's court")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    """A person's role within one department (scoped to that department's cases)."""

    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    HEAD = "head", _("Department head")
    AUDITOR = "auditor", _("Auditor")


class SystemRole(models.TextChoices):
    """System-wide roles, kept separate: none of them can do another's work, nor case work (R-SEC-6)."""

    NONE = "", _("None")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


class Jurisdiction(models.TextChoices):
    HN = "HN", _("Hainan")
    HL = "HL", _("Heilongjiang")
    HB = "HB", _("Hubei")
    XJ = "XJ", _("Xinjiang")


class DayCount(models.TextChoices):
    WORKING_DAYS = "wd", _("working days")
    CALENDAR_DAYS = "cd", _("calendar days")
    #: A period that lasts exactly so many days (a listing, a disclosure): its end never moves.
    PERIOD_DAYS = "pd", _("days of a fixed period")


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "off", _("Statutory day off")
    MAKEUP_WORKDAY = "makeup", _("Make-up working day")


class DocumentKind(models.TextChoices):
    NOTICE = "notice", _("Prior notice")
    DECISION = "decision", _("Decision document")
    RESPONSE_LETTER = "response_letter", _("Response letter")
    RESTORATION_NOTICE = "restoration_notice", _("Restoration notice")
    CREDIT_REPORT = "credit_report", _("Credit report")
    REPORT_TO_AUTHORITY = "report_to_authority", _("Report to the authority above")
    RESTORATION_REFUSAL = "restoration_refusal", _("Decision not to accept a restoration application")
    REMOVAL_NOTICE = "removal_notice", _("Notice of removal from the list")
    SHARING_NOTICE = "sharing_notice", _("Notice before sharing untrustworthiness information")
    RESTORATION_INFO = "restoration_info", _("Notice on credit restoration, served with the decision")


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REGISTERED_MAIL = "registered_mail", _("Registered mail")
    ELECTRONIC = "electronic", _("Electronic")
    PUBLIC_ANNOUNCEMENT = "public_announcement", _("Public announcement")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("Cancelled")


class SeriousCategory(models.TextChoices):
    """The categories of seriously untrustworthy conduct a regulation may list (R-DES-10; HL 29, XJ 39, NDRC 6).

    HL 29 lists all eight; XJ 39 and the national rule (NDRC 6) list (3)–(6) and (8). Which ones a deployment may
    designate for is the profile's ``serious_categories``, never this whole list."""

    GOVERNMENT_DUTIES = "government_duties", _("(1) Administrative organs failing duties or contracts")
    LATE_PAYMENT_SME = "late_payment_sme", _("(2) Failing to pay small and medium enterprises promptly")
    PUBLIC_SAFETY = "public_safety", _("(3) Seriously endangering health or safety")
    MARKET_ORDER = "market_order", _("(4) Seriously disrupting market or social order")
    NON_PERFORMANCE = "non_performance", _("(5) Refusing to perform judgments or rulings")
    NATIONAL_DEFENCE = "national_defence", _("(6) Refusing national defence obligations")
    RESEARCH_MISCONDUCT = "research_misconduct", _("(7) Serious research misconduct")
    OTHER_LAW = "other_law", _("(8) Other conduct provided by law")


class AccessPurpose(models.TextChoices):
    """Why a person opens a subject's non-public information (R-SEC-2, R-SEC-3): asked once per subject and session."""

    CASE = "case", _("Handling a case of this subject")
    OBJECTION = "objection", _("Verifying an objection or a complaint")
    RESTORATION = "restoration", _("Examining an application for credit restoration")
    SUBJECT_REQUEST = "subject_request", _("Answering the subject's own inquiry (written authorisation on file)")
    SUPERVISION = "supervision", _("Supervision, audit or inspection")
    OTHER = "other", _("Other")


class AccessKind(models.TextChoices):
    """How a subject's information reached a person (R-SEC-3): opened on purpose, or seen in a result."""

    OPENED = "opened", _("Opened")
    DOCUMENT = "document", _("Document or file opened")
    LISTED = "listed", _("Appeared in a search result")
    EXPORTED = "exported", _("Exported in a list")
