"""What the public sees, as a ledger (issue 22): each thing published (an entry of the list of seriously
untrustworthy entities, a public credit commitment) is a row holding the snapshot the public read, when it was
published and when it was withdrawn. Rows are opened and closed only by their case's one state-change path, never
changed otherwise, never deleted; so the public pages as they stood at any past moment are the rows open then."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PublishedQuerySet(models.QuerySet):
    def as_of(self, moment: datetime.datetime | None = None) -> PublishedQuerySet:
        """The rows the public saw at ``moment`` (published at or before it, not withdrawn until after it); None:
        the rows published now."""
        if moment is None:
            return self.filter(withdrawn_at__isnull=True)
        return self.filter(published_at__lte=moment).filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=moment))


class PublicationLedger(models.Model):
    """The times of a published row. Subclasses add the snapshot, the cause of withdrawal and their indexes."""

    published_at = models.DateTimeField(_("published at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True
