"""Choices of the exchange app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportStatus(models.TextChoices):
    """A batch import of credit records: queued (the outbox row), running, then done or failed."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", pgettext_lazy("background job", "Running")  # not a clock's "running" (计时中)
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSONL = "jsonl", _("JSON Lines")


class ImportKind(models.TextChoices):
    """What a file holds: credit records from a providing unit, or a people's court's Judgment Defaulters List
    (R-DES-8: each entry drafts a designation for review)."""

    RECORDS = "records", _("Credit records")
    DEFAULTERS = "defaulters", _("Judgment defaulters")
