"""Choices of the catalog app, with the article each list comes from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The categories the law lists live beside the profiles that list them (R-DES-10); re-exported for the catalog.
from creditportal.choices import SeriousCategory as SeriousCategory


class PublicationStatus(models.TextChoices):
    """Life of a catalog version or a measures list (R-CAT-1): draft → submitted for approval → approved →
    published → superseded; a draft nobody wants any more is discarded (kept, never deleted)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    DISCARDED = "discarded", _("Discarded")


class CatalogCategory(models.TextChoices):
    """The ten categories of information a supplemental catalog may hold (HL 18)."""

    REGISTRATION = "registration", _("(1) Registration information")
    COMMENDATION = "commendation", _("(2) Commendations, rewards, volunteering and charity")
    PLEDGE = "pledge", _("(3) Credit pledges and their performance")
    ADMINISTRATIVE = "administrative", _("(4) Administrative management information")
    PUBLIC_SERVICE = "public_service", _("(5) Public enterprise and public institution services")
    JUDICIAL = "judicial", _("(6) Judicial, arbitration and administrative decision documents")
    ARREARS = "arrears", _("(7) Refusal to pay taxes, social insurance, funds and fees")
    NON_PERFORMANCE = "non_performance", _("(8) Refusal to perform effective legal documents")
    DECEPTION = "deception", _("(9) Fake materials, concealment and deception")
    OTHER = "other", _("(10) Other information under provincial regulations")


class Character(models.TextChoices):
    PUBLIC = "public", _("Public")
    NON_PUBLIC = "non_public", _("Non-public")


class DisclosureMode(models.TextChoices):
    PUBLIC_ANNOUNCEMENT = "public_announcement", _("Public announcement")
    AUTHORISED_INQUIRY = "authorised_inquiry", _("Authorised inquiry")
    GOVERNMENT_SHARING = "government_sharing", _("Government sharing")


class Sector(models.TextChoices):
    """Sectors with a one-year disclosure minimum for administrative punishments (R-DIS-2; XJ 44)."""

    GENERAL = "general", _("General")
    FOOD = "food", _("Food")
    DRUGS = "drugs", _("Drugs")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment")
    PRODUCTION_SAFETY = "production_safety", _("Production safety")
    FIRE_SAFETY = "fire_safety", _("Fire safety")


class ProhibitedCategory(models.TextChoices):
    """Never collected, under any consent (R-CAT-4; HN 14, HL 20, HB 16)."""

    RELIGION = "religion", _("Religious belief")
    BLOOD_TYPE = "blood_type", _("Blood type")
    ILLNESS = "illness", _("Illness")
    MEDICAL_HISTORY = "medical_history", _("Medical history")
    GENETIC = "genetic", _("Genetic data")
    BIOMETRIC = "biometric", _("Fingerprints and other biometric identifiers")


class ConsentCategory(models.TextChoices):
    """A natural person's data collected only with written consent (R-CAT-5; HN 14, HL 20, HB 16)."""

    INCOME = "income", _("Income")
    SAVINGS = "savings", _("Savings")
    SECURITIES = "securities", _("Securities")
    INSURANCE = "insurance", _("Commercial insurance")
    REAL_ESTATE = "real_estate", _("Real estate")
    TAX = "tax", _("Tax amounts")


class MeasureListKind(models.TextChoices):
    PUNISHMENT = "punishment", _("Punishment measures")
    REWARD = "reward", _("Reward measures")


class MeasureScope(models.TextChoices):
    """R-CAT-7: measures come from the national basic list or a local supplemental list."""

    NATIONAL = "national", _("National basic list")
    LOCAL = "local", _("Local supplemental list")


class InfoClass(models.TextChoices):
    """The class of untrustworthiness information (R-NAT-1; 国办发〔2025〕22号 item 2, 国家发展改革委令第36号), as
    the sector classifies it: its disclosure period follows the national rules in force (R-NAT-2)."""

    MINOR = "minor", pgettext_lazy("information class", "Minor")
    GENERAL = "general", pgettext_lazy("information class", "General")
    SERIOUS = "serious", pgettext_lazy("information class", "Serious")


class StandardStatus(models.TextChoices):
    """Life of a designation standard (R-CAT-6; NDRC 7): a public comment period of at least 30 days."""

    DRAFT = "draft", _("Draft")
    IN_COMMENT = "in_comment", _("In public comment")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ImportKind(models.TextChoices):
    """What an import file holds, and so where it goes."""

    ITEMS = "items", _("Catalog items")
    MEASURES = "measures", _("Measures")
    STANDARDS = "standards", _("Designation standards")


class ImportJobStatus(models.TextChoices):
    """A large import run in the background: queued (the outbox row), running, then done or failed."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", pgettext_lazy("background job", "Running")  # not a clock's "running" (计时中)
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
