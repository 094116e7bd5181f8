"""Disclosure periods of credit records (R-DIS-1, R-DIS-2): how long a record is shown, and when it ends."""

from __future__ import annotations

import datetime


def record_disclosure_period(*, catalog_item, determined_on, conduct_ended_on=None):
    """R-DIS-1 (HN 27): disclosed from the determination date, or from the end of ongoing conduct, for the
    item's display maximum (itself within the profile's limit, checked when the catalog is drafted)."""
    from dateutil.relativedelta import relativedelta

    start = conduct_ended_on or determined_on
    # The start day counts: the last day shown is the day before the same date N months later.
    return start, start + relativedelta(months=catalog_item.display_max_months) - datetime.timedelta(days=1)
