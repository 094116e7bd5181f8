"""The published administrative penalties (issue 22; R-NAT-2, SAMR-45, R-DIS-3, R-DIS-4, R-OBJ-2): what the public
penalties page shows, as a ledger (``PublishedPenalty``, a ``PublicationLedger`` like the public list's).

What is published: an untrustworthiness record of an administrative penalty whose catalog item is of the general or
serious class (R-NAT-1; minor information never), active (not suspended, withdrawn, revoked or archived), whose
disclosure period has begun and not ended, once any written notice before sharing was served (R-REC-3: the hold
``CreditRecord.sharing_notice_pending`` reads), in a deployment whose jurisdiction profile, in force that day, says
penalties are published (``JurisdictionProfile.publishes_penalties``; unset: nothing is). ``records_to_publish``
is that rule, in one place, as a query.

Who writes the ledger, and only here:
- a record's own acts open its row when it comes on display (``record_create``, the notice's service, a resumed
  disclosure) and close it when disclosure is suspended (``penalty_follow``);
- every end of a record (expiry, restoration, revocation, a sustained objection, a correction that removes what
  rested on it) reaches it through the one announcement, ``subjects.endings`` (``penalties_follow_end``, registered
  in ``subjects.apps``): the open rows close with the cause; a corrected record still on display is published again
  as corrected, as is a correction that ends nothing (``record_correct``);
- the nightly ``penalties_sync`` (Celery beat, after the expiry) makes the ledger agree with the rule: it opens the
  rows of records that qualify without one (the profile switched on) and closes those that no longer qualify (the
  profile switched off, a period over before the expiry ran), set-based and idempotent.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from catalog.choices import InfoClass

from .choices import PenaltyWithdrawal, RecordEndCause, RecordKind, RecordStatus, SubjectKind
from .endings import RecordEnd
from .models import CreditRecord, PublishedPenalty

#: R-NAT-2: the classes published (minor information never appears on the page).
PUBLISHED_CLASSES = (InfoClass.GENERAL, InfoClass.SERIOUS)
#: Rows written per INSERT.
BATCH = 1000


def penalties_published(*, on: datetime.date | None = None) -> bool:
    """Whether the jurisdiction profile in force on ``on`` (today) publishes administrative penalties of the general
    and serious classes (R-NAT-2, SAMR-45). Unset (None) is "not set by this regulation": nothing is published."""
    from creditportal.profiles import profile_on

    profile = profile_on(on or timezone.localdate())
    return bool(profile is not None and profile.publishes_penalties)


def records_to_publish(*, today: datetime.date) -> QuerySet[CreditRecord]:
    """The records the public penalties page shows on ``today``: the rule of the module's docstring, as a query."""
    if not penalties_published(on=today):
        return CreditRecord.objects.none()
    from django.contrib.contenttypes.models import ContentType

    from creditportal.choices import DocumentKind
    from creditportal.models import IssuedDocument

    # R-REC-3: a written notice before sharing was issued and its service is not recorded yet
    notice_issued = IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(CreditRecord),
        object_id=OuterRef("pk"),
        kind=DocumentKind.SHARING_NOTICE,
        superseded_by__isnull=True,
    )
    return (
        CreditRecord.objects.disclosed()
        .filter(
            kind=RecordKind.UNTRUSTWORTHY,
            catalog_item__is_administrative_punishment=True,
            catalog_item__info_class__in=PUBLISHED_CLASSES,
            disclosure_from__lte=today,
            disclosure_until__gte=today,
        )
        .exclude(Q(sharing_notice_served_on__isnull=True) & Exists(notice_issued))
    )


#: What the public penalties page keeps of a record when it is published (``_snapshot``), read as columns of the
#: record and its relations: no model instance per row.
_SNAPSHOT_SOURCE = (
    "pk",
    "department_id",
    "subject__name",
    "subject__kind",
    "subject__id_number",
    "department__name",
    "catalog_item__name",
    "summary",
    "catalog_item__info_class",
    "basis_document__number",
    "determined_on",
    "disclosure_until",
)
#: The ledger's columns ``_snapshot`` fills, in its order.
_SNAPSHOT_COLUMNS = (
    ("published_at", "timestamptz"),
    ("record_id", "bigint"),
    ("department_id", "bigint"),
    ("withdrawal_cause", "text"),
    ("subject_name", "text"),
    ("subject_is_person", "boolean"),
    ("identifier", "text"),
    ("department_name", "text"),
    ("item_name", "text"),
    ("summary", "text"),
    ("info_class", "text"),
    ("decision_number", "text"),
    ("determined_on", "date"),
    ("disclosed_until", "date"),
)


def _snapshot(row: tuple, *, at: datetime.datetime) -> tuple:
    """What the public will see of a record (a row of ``_SNAPSHOT_SOURCE``), as it is now (R-DIS-4: a person's number
    masked, as the subject stores it; an organisation's code whole; any identity number typed into the summary
    masked), as a row of ``_SNAPSHOT_COLUMNS``."""
    from creditportal.masking import mask_numbers_in

    pk, department_id, name, kind, id_number, department, item, summary, info_class, number, determined, until = row
    is_person = kind == SubjectKind.NATURAL_PERSON
    return (
        at,
        pk,
        department_id,
        "",
        name,
        is_person,
        id_number,
        department,
        item,
        mask_numbers_in(summary),
        info_class,
        number or "",
        determined,
        until,
    )


def _insert_open(rows: list[tuple]) -> int:
    """Write the rows of ``_SNAPSHOT_COLUMNS``, leaving a record that has an open row already (the one-open-row
    constraint: another transaction opened it meanwhile): one statement, one array parameter per column (PostgreSQL),
    or ``bulk_create`` elsewhere. Returns the rows written."""
    if not rows:
        return 0
    names = [name for name, _type in _SNAPSHOT_COLUMNS]
    if connection.vendor != "postgresql":  # the quick start's SQLite
        objs = [PublishedPenalty(**dict(zip(names, row, strict=True))) for row in rows]
        return len(PublishedPenalty.objects.bulk_create(objs, ignore_conflicts=True))
    columns = list(zip(*rows, strict=True))
    arrays = ", ".join(f"%s::{sql_type}[]" for _name, sql_type in _SNAPSHOT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PublishedPenalty._meta.db_table} ({', '.join(names)}) "  # noqa: S608 -- the model's names
            f"SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING",
            [list(column) for column in columns],
        )
        return cursor.rowcount


def penalties_open(record_ids: Iterable[int] | None = None, *, at: datetime.datetime) -> int:
    """Publish the records of ``record_ids`` (None: every record) that qualify today and have no open row;
    idempotent (a row another transaction opened meanwhile is left: the one-open-row constraint). Returns the rows
    written. Set-based (issue 23: a batch import publishes thousands of records a second): the qualifying records
    read as columns, BATCH ids a query (a plan on the primary key, whatever the number of ids), and written by one
    statement a batch."""
    today = timezone.localdate(at)
    open_row = PublishedPenalty.objects.filter(record=OuterRef("pk"), withdrawn_at__isnull=True)
    due = records_to_publish(today=today).exclude(Exists(open_row)).order_by("pk").values_list(*_SNAPSHOT_SOURCE)
    if record_ids is None:
        batches: Iterable[QuerySet] = [due]
    else:
        ids = sorted(set(record_ids))
        batches = (due.filter(pk__in=ids[start : start + BATCH]) for start in range(0, len(ids), BATCH))
    written, rows = 0, []
    for query in batches:
        for row in query.iterator(chunk_size=BATCH):
            rows.append(_snapshot(row, at=at))
            if len(rows) == BATCH:
                written += _insert_open(rows)
                rows = []
    return written + _insert_open(rows)


def penalties_withdraw(record_ids: Iterable[int], *, cause: str, at: datetime.datetime) -> int:
    """Withdraw the open rows of ``record_ids`` with ``cause``. Never before the row was published (a service may be
    given a ``now`` earlier than the publication: the row then closes at its publication)."""
    ids, withdrawn = list(record_ids), 0
    for start in range(0, len(ids), BATCH):
        withdrawn += PublishedPenalty.objects.filter(
            record_id__in=ids[start : start + BATCH], withdrawn_at__isnull=True
        ).update(withdrawn_at=Greatest("published_at", Value(at)), withdrawal_cause=cause)
    return withdrawn


def penalty_follow(record: CreditRecord, *, at: datetime.datetime | None = None) -> None:
    """After an act of ``record`` that does not end it (entered, its notice served, disclosure suspended or resumed):
    publish it if it now qualifies, withdraw it if its disclosure was suspended (R-OBJ-5)."""
    at = at or timezone.now()
    if record.status == RecordStatus.SUSPENDED:
        penalties_withdraw([record.pk], cause=PenaltyWithdrawal.SUSPENDED, at=at)
    else:
        penalties_open([record.pk], at=at)


def penalties_republish(record_ids: Iterable[int], *, cause: str, at: datetime.datetime) -> None:
    """Withdraw the open rows of ``record_ids`` with ``cause``, and publish again, as they are now, those still on
    display (a correction: SAMR-45 art. 12; an ended record is not, and stays withdrawn)."""
    ids = list(record_ids)
    penalties_withdraw(ids, cause=cause, at=at)
    penalties_open(ids, at=at)


def penalties_follow_end(end: RecordEnd) -> None:
    """The ``subjects.endings`` handler: the records that ended leave the page, with the cause they ended for, in the
    record's transaction; a corrected record still on display comes back as corrected."""
    if end.cause == RecordEndCause.CORRECTED:
        penalties_republish(end.record_ids, cause=PenaltyWithdrawal.CORRECTED, at=end.now)
    else:
        penalties_withdraw(end.record_ids, cause=end.cause, at=end.now)


def _cause_of(record: CreditRecord, *, today: datetime.date, published: bool) -> str:
    """Why the nightly sync withdraws ``record``'s row (each end announced itself already; these are what is not an
    end: the profile switched off, a period over before the expiry ran, a suspension)."""
    if not published:
        return PenaltyWithdrawal.UNPUBLISHED
    if record.disclosure_until is not None and record.disclosure_until < today:
        return PenaltyWithdrawal.EXPIRED
    if record.status == RecordStatus.SUSPENDED:
        return PenaltyWithdrawal.SUSPENDED
    return PenaltyWithdrawal.ENDED


@transaction.atomic
def penalties_sync(*, today: datetime.date, now: datetime.datetime | None = None) -> dict[str, int]:
    """Celery beat, every night after the expiry: the ledger made to agree with ``records_to_publish`` on ``today``.
    Rows of records that no longer qualify are withdrawn (one UPDATE per cause); records that qualify without an open
    row are published (bulk inserts). A second run changes nothing."""
    now = now or timezone.now()
    published = penalties_published(on=today)
    qualifying = records_to_publish(today=today)
    stale = (
        PublishedPenalty.objects.filter(withdrawn_at__isnull=True)
        .exclude(record__in=qualifying.values("pk"))
        .select_related("record")
    )
    by_cause: dict[str, list[int]] = defaultdict(list)
    for row in stale.iterator(chunk_size=BATCH):
        by_cause[_cause_of(row.record, today=today, published=published)].append(row.record_id)
    withdrawn = sum(penalties_withdraw(ids, cause=cause, at=now) for cause, ids in by_cause.items())
    opened = penalties_open(at=now) if published else 0
    return {"published": opened, "withdrawn": withdrawn}
