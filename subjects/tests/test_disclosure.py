"""Disclosure periods (R-DIS-1, R-DIS-2) and the daily expiry that archives what is over (R-DIS-3): set-based,
history written in bulk, idempotent, resumable, one bad row not stopping the rest. (The Celery task that runs it
daily is restoration's: restoration/tests/test_tasks.py.)"""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import CatalogItem
from creditportal.audit import bulk_create_tracked, system_user
from creditportal.models import AuditEvent
from creditportal.profiles import profile_for
from subjects.choices import ArchiveReason, RecordStatus, SharingFlag
from subjects.disclosure import (
    disclosure_limits,
    minimum_display_until,
    record_disclosure_period,
    records_due,
    records_expire,
)
from subjects.models import CreditRecord

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


def _item(**fields):
    base = {
        "display_min_months": 0,
        "display_max_months": 60,
        "is_untrustworthy": True,
        "is_administrative_punishment": False,
        "sector": "general",
    }
    return CatalogItem(**{**base, **fields})


def test_r_dis_1_counted_from_the_determination_first_day_included():
    """R-DIS-1 (HN 27): 5 years from the determination; the last day is the day before the same date."""
    start, end = record_disclosure_period(
        catalog_item=_item(), determined_on=datetime.date(2026, 3, 2), profile=profile_for("HN")
    )
    assert (start, end) == (datetime.date(2026, 3, 2), datetime.date(2031, 3, 1))


def test_r_dis_1_ongoing_conduct_counts_from_the_day_it_ends():
    """R-DIS-1: where the conduct is ongoing, the period runs from the day it ends, not from the determination."""
    start, end = record_disclosure_period(
        catalog_item=_item(display_max_months=36),
        determined_on=datetime.date(2025, 6, 30),
        conduct_ended_on=datetime.date(2026, 2, 28),
        profile=profile_for("HN"),
    )
    assert (start, end) == (datetime.date(2026, 2, 28), datetime.date(2029, 2, 27))


@pytest.mark.parametrize(
    ("code", "fields", "expected"),
    [
        # HN: untrustworthiness information at most 60 months; no punishment limits.
        ("HN", {"display_max_months": 72}, (0, 60)),
        # XJ 44: administrative punishments at least 3 and at most 36 months.
        ("XJ", {"is_administrative_punishment": True, "display_max_months": 60}, (3, 36)),
        # XJ 44: food, drugs, special equipment, production and fire safety: at least 12 months.
        ("XJ", {"is_administrative_punishment": True, "sector": "food", "display_max_months": 24}, (12, 24)),
        ("XJ", {"is_administrative_punishment": True, "sector": "fire_safety", "display_min_months": 1}, (12, 36)),
        # A minimum the law sets wins over a shorter item maximum.
        ("XJ", {"is_administrative_punishment": True, "sector": "drugs", "display_max_months": 6}, (12, 12)),
        # HL sets no numbers: the item's own period stands.
        ("HL", {"is_administrative_punishment": True, "display_min_months": 2, "display_max_months": 48}, (2, 48)),
    ],
)
def test_r_dis_2_minimum_and_maximum_from_the_profile(code, fields, expected):
    """R-DIS-2 (XJ 44): the profile's minimum and maximum hold every record, whatever the item says."""
    limits = disclosure_limits(catalog_item=_item(**fields), profile=profile_for(code))
    assert (limits.minimum, limits.maximum) == expected


def test_r_dis_2_minimum_display_until(record):
    """R-DIS-2: the minimum period of a food-safety punishment under XJ is 12 months (the last day included)."""
    assert minimum_display_until(record, profile=profile_for("XJ")) == datetime.date(2027, 3, 1)
    assert minimum_display_until(record, profile=profile_for("HL")) == datetime.date(2026, 6, 1)  # the item's 3


def _many(record, count, *, until):
    """``count`` copies of ``record`` (same subject, item and basis) whose period ended on ``until``."""
    copies = [
        CreditRecord(
            department_id=record.department_id,
            subject_id=record.subject_id,
            catalog_item_id=record.catalog_item_id,
            basis_document_id=record.basis_document_id,
            kind=record.kind,
            summary=f"批量记录{i}",
            determined_on=record.determined_on,
            disclosure_from=record.determined_on,
            disclosure_until=until,
            recorded_by_id=record.recorded_by_id,
        )
        for i in range(count)
    ]
    return bulk_create_tracked(copies, actor=system_user(), reason="test rows", batch_size=1000)


def _history_archived() -> int:
    return CreditRecord.history.filter(status=RecordStatus.ARCHIVED, history_type="~").count()


def test_r_dis_3_expiry_archives_what_is_over_and_only_that(record, django_assert_max_num_queries):
    """R-DIS-3 (HN 27, HL 37, XJ 47): every record whose period ended before today is archived the next morning,
    with its history row (actor system, reason) and a timeline event, and its shared copies flagged for
    withdrawal; set-based: a few thousand rows in a bounded number of queries, not one save per row."""
    due = _many(record, 3000, until=TODAY - datetime.timedelta(days=1))
    not_yet = _many(record, 5, until=TODAY)  # the last day shown is today: archived tomorrow
    with django_assert_max_num_queries(60):
        result = records_expire(today=TODAY, batch_size=1000)
    assert result.as_dict() == {"archived": 3000, "failed": 0, "batches": 3}
    statuses = set(CreditRecord.objects.filter(pk__in=[r.pk for r in due]).values_list("status", flat=True))
    assert statuses == {RecordStatus.ARCHIVED}
    assert not CreditRecord.objects.filter(pk__in=[r.pk for r in not_yet], status=RecordStatus.ARCHIVED).exists()
    one = CreditRecord.objects.get(pk=due[0].pk)
    assert one.archive_reason == ArchiveReason.PERIOD_ENDED and one.sharing_flag == SharingFlag.WITHDRAW
    assert timezone.localtime(one.archived_at).date() == TODAY and one.version == 2
    last = one.history.first()
    assert last.history_user == system_user() and "R-DIS-3" in last.history_change_reason
    assert (last.version, last.status, last.archive_reason) == (2, RecordStatus.ARCHIVED, ArchiveReason.PERIOD_ENDED)
    assert _history_archived() == 3000
    events = AuditEvent.objects.filter(action="subjects.record.archive")
    assert events.count() == 3000
    event = events.get(object_id=str(one.pk))
    assert (event.department_id, event.actor, event.data["because"]) == (
        one.department_id,
        system_user(),
        ArchiveReason.PERIOD_ENDED,
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.ACTIVE  # its period runs to 2029


def test_r_dis_3_expiry_run_twice_does_nothing_more(record):
    """Idempotent: the second run finds nothing due and writes no history."""
    _many(record, 1200, until=TODAY - datetime.timedelta(days=3))
    assert records_expire(today=TODAY, batch_size=500).archived == 1200
    history = CreditRecord.history.count()
    events = AuditEvent.objects.count()
    assert records_expire(today=TODAY, batch_size=500).as_dict() == {"archived": 0, "failed": 0, "batches": 0}
    assert (CreditRecord.history.count(), AuditEvent.objects.count()) == (history, events)
    assert not records_due(today=TODAY).exists()


def test_r_dis_3_expiry_resumes_after_an_interruption(record):
    """Batches commit on their own: a run stopped after 1,000 rows leaves the rest due; the next run finishes."""
    _many(record, 2500, until=TODAY - datetime.timedelta(days=1))
    assert records_expire(today=TODAY, batch_size=400, limit=1000).archived == 1000
    assert records_due(today=TODAY).count() == 1500
    assert records_expire(today=TODAY, batch_size=400).archived == 1500
    assert _history_archived() == 2500  # each row archived once


def test_r_dis_3_one_bad_row_does_not_stop_the_rest(record):
    """A row the database refuses (a trigger standing in for a corrupt row) fails alone: its batch is retried
    one record at a time, the others are archived, and it stays due for the next run."""
    rows = _many(record, 300, until=TODAY - datetime.timedelta(days=1))
    bad = rows[150].pk
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_bad_row() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'bad row'; END; $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_bad_row BEFORE UPDATE ON subjects_creditrecord FOR EACH ROW "
            f"WHEN (OLD.id = {int(bad)}) EXECUTE FUNCTION refuse_bad_row()"
        )
    result = records_expire(today=TODAY, batch_size=100)
    assert (result.archived, result.failed) == (299, 1)
    assert list(records_due(today=TODAY).values_list("pk", flat=True)) == [bad]


@pytest.mark.parametrize(("code", "due"), [("HL", datetime.date(2026, 12, 10)), ("HN", None)])
def test_r_dis_3_shared_copies_are_withdrawn_within_the_profile_s_days(code, due, record, settings):
    """R-DIS-3 (XJ 47; HL 39's 3 WD for shared copies): every archived record is flagged for withdrawal from the
    sharing platform, due within the profile's working days from the morning of the expiry (none invented where
    the regulation sets no number)."""
    settings.CREDIT_JURISDICTION = code
    (row,) = _many(record, 1, until=TODAY - datetime.timedelta(days=1))
    records_expire(today=TODAY)
    row.refresh_from_db()
    assert (row.sharing_flag, row.sharing_due) == (SharingFlag.WITHDRAW, due)
