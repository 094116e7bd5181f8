"""The audit ledger nobody can rewrite (R-SEC-4; issue 21; GB/T 22239-2019 8.1.4.3 c: audit records protected against
deletion, modification and overwrite).

Every audit event and every history row (django-simple-history's ``*_historical*`` tables: who changed what, when
and why) is copied by PostgreSQL, in the transaction that writes it, into ``creditportal_ledgerentry``: the row's
canonical JSON text (``to_jsonb(row)::text`` in UTC). A rolled-back transaction leaves nothing.

- **Chained by one sealer.** Writers only append, so they never wait for each other. The sealer
  (``creditportal_ledger_seal``, under one advisory lock, so the chain never forks; Celery beat every minute, and
  before every verification and anchor) gives each committed entry, in the order written, its place in the chain
  (``seq``), the hash of the entry before it and its own hash, ``sha256(previous hash || content)``. An entry that
  commits late is chained when it commits, after those sealed before.
- **Append-only.** The ledger's own trigger refuses every UPDATE, DELETE and TRUNCATE, and every INSERT of an
  entry already sealed, whoever asks; only the sealer fills in an entry's place, once. In production the table and
  its functions belong to an owner role and the application's role may only read it (``docs/deployment.md`` "The
  audit ledger"), so it cannot switch that trigger off either.
- **Verified.** ``verify`` walks the chain and reports the first broken links (an edited, deleted, inserted or
  reordered entry), compares every entry with the row it copies (an event or history row edited or deleted
  directly in the database), finds rows that never reached the ledger and entries the sealer left too long;
  ``manage.py audit_verify`` prints it.
- **Anchored.** ``anchor`` writes the chain's head (position and hash), signed, to a file outside the database, each
  day (Celery beat) and on demand (``manage.py audit_anchor``); ``verify`` with the anchors finds a truncated tail
  or a rewritten chain that is consistent in itself.

New history tables get the trigger without anyone remembering: ``attach`` runs after every ``migrate``.
"""

# ruff: noqa: S608 -- every name built into SQL here is a constant of this module or a table name read from
# PostgreSQL's own catalog (``audited_tables``); values always go as parameters.

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

TABLE = "creditportal_ledgerentry"
ACCESS_TABLE = "creditportal_accessentry"
#: The one advisory lock the sealer takes (an arbitrary constant: "ledger" in ASCII): one sealer at a time.
LOCK_KEY = 0x6C6564676572
GENESIS = "0" * 64
TRIGGER = "creditportal_ledger_copy"
ANCHOR_SALT = "creditportal.ledger.anchor"
#: An entry not sealed this long after it was written means the sealer is not running (verify says so).
UNSEALED_GRACE = datetime.timedelta(minutes=10)

#: The table, its guard and its functions (migration creditportal 0024).
CREATE_SQL = f"""
CREATE TABLE {TABLE} (
    id bigserial PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    source varchar(100) NOT NULL,
    source_id varchar(64) NOT NULL,
    content text NOT NULL,
    seq bigint UNIQUE,
    prev_hash char(64),
    hash char(64) UNIQUE,
    sealed_at timestamptz
);
CREATE INDEX creditportal_ledgerentry_source_idx ON {TABLE} (source, source_id);
CREATE INDEX creditportal_ledgerentry_unsealed_idx ON {TABLE} (id) WHERE hash IS NULL;

-- Append-only: an entry is written unsealed; only the sealer fills in its place in the chain, once.
CREATE FUNCTION creditportal_ledger_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.seq IS NULL AND NEW.prev_hash IS NULL AND NEW.hash IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND current_setting('creditportal.ledger_sealing', true) = 'on' AND OLD.hash IS NULL
            AND NEW.id = OLD.id AND NEW.content = OLD.content AND NEW.source = OLD.source
            AND NEW.source_id = OLD.source_id AND NEW.recorded_at = OLD.recorded_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit ledger is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER creditportal_ledger_guard BEFORE INSERT OR UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION creditportal_ledger_guard();
CREATE TRIGGER creditportal_ledger_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION creditportal_ledger_guard();

CREATE FUNCTION creditportal_ledger_write(source text, key text, body jsonb) RETURNS void LANGUAGE sql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO {TABLE} (source, source_id, content) VALUES (source, body->>key, body::text);
$$;

CREATE FUNCTION creditportal_ledger_append() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp SET timezone = 'UTC' AS $$
BEGIN
    PERFORM creditportal_ledger_write(TG_TABLE_NAME, TG_ARGV[0], to_jsonb(NEW));
    RETURN NULL;
END $$;

CREATE FUNCTION creditportal_ledger_backfill(source text, key text) RETURNS bigint LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp SET timezone = 'UTC' AS $$
DECLARE
    copied bigint;
BEGIN
    EXECUTE format(
        'INSERT INTO {TABLE} (source, source_id, content) SELECT %L, to_jsonb(s)->>%L, to_jsonb(s)::text '
        'FROM %I s ORDER BY %I', source, key, source, key);
    GET DIAGNOSTICS copied = ROW_COUNT;
    RETURN copied;
END $$;

-- The sealer: the committed entries not yet in the chain, in the order they were written, each hashed onto the
-- one before. One sealer at a time (the advisory lock), so the chain never forks.
CREATE FUNCTION creditportal_ledger_seal(batch integer DEFAULT 50000) RETURNS bigint LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r record;
    position bigint;
    previous text;
    own text;
    sealed bigint := 0;
BEGIN
    PERFORM pg_advisory_xact_lock({LOCK_KEY});
    PERFORM set_config('creditportal.ledger_sealing', 'on', true);
    SELECT seq, hash INTO position, previous FROM {TABLE} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    position := coalesce(position, 0);
    previous := coalesce(previous, '{GENESIS}');
    FOR r IN SELECT id, content FROM {TABLE} WHERE hash IS NULL ORDER BY id LIMIT batch LOOP
        position := position + 1;
        own := encode(sha256(convert_to(previous || r.content, 'UTF8')), 'hex');
        UPDATE {TABLE} SET seq = position, prev_hash = previous, hash = own, sealed_at = now() WHERE id = r.id;
        previous := own;
        sealed := sealed + 1;
    END LOOP;
    PERFORM set_config('creditportal.ledger_sealing', 'off', true);
    RETURN sealed;
END $$;
-- Only the triggers write entries; anyone may ask the sealer to chain what is committed.
REVOKE EXECUTE ON FUNCTION creditportal_ledger_write(text, text, jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION creditportal_ledger_backfill(text, text) FROM PUBLIC;
"""

#: Issue 23: the copy made once per statement, from the statement's new rows (a transition table), instead of once per
#: row: a batch import's or the daily expiry's thousands of history rows are copied by one INSERT … SELECT, in the
#: order they were written (migration creditportal 0032 moved the existing triggers to it). Each row is turned into
#: JSON once, for its key and its content (migration 0033: a fifth less time per copied row).
ROWS_SQL = f"""
CREATE OR REPLACE FUNCTION creditportal_ledger_append_rows() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp SET timezone = 'UTC' AS $$
BEGIN
    INSERT INTO {TABLE} (source, source_id, content)
        SELECT TG_TABLE_NAME, j->>TG_ARGV[0], j::text FROM creditportal_new_rows n, LATERAL to_jsonb(n) AS j;
    RETURN NULL;
END $$;
"""
ROWS_DROP_SQL = "DROP FUNCTION IF EXISTS creditportal_ledger_append_rows() CASCADE;"


def trigger_sql(table: str, key: str, *, per_statement: bool = True) -> str:
    """The trigger that copies ``table``'s new rows into the ledger: per statement (issue 23), or per row as issue 21
    made it (the migration's way back)."""
    if per_statement:
        return (
            f'CREATE TRIGGER {TRIGGER} AFTER INSERT ON "{table}" REFERENCING NEW TABLE AS creditportal_new_rows '
            f"FOR EACH STATEMENT EXECUTE FUNCTION creditportal_ledger_append_rows('{key}')"
        )
    return (
        f'CREATE TRIGGER {TRIGGER} AFTER INSERT ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION creditportal_ledger_append('{key}')"
    )


def retrigger(*, per_statement: bool) -> int:
    """Replace every audited table's ledger trigger by the per-statement one (or back); returns how many."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
        tables = [row[0].strip('"') for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f'DROP TRIGGER {TRIGGER} ON "{table}"')
            cursor.execute(trigger_sql(table, key_of(table), per_statement=per_statement))
    return len(tables)


DROP_SQL = f"""
DROP TABLE IF EXISTS {TABLE};
DROP FUNCTION IF EXISTS creditportal_ledger_append() CASCADE;
DROP FUNCTION IF EXISTS creditportal_ledger_backfill(text, text);
DROP FUNCTION IF EXISTS creditportal_ledger_write(text, text, jsonb);
DROP FUNCTION IF EXISTS creditportal_ledger_seal(integer);
DROP FUNCTION IF EXISTS creditportal_ledger_guard() CASCADE;
"""


def audited_tables() -> list[str]:
    """The tables whose rows the ledger copies: the audit events, the access log and every history table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' AND (table_name IN ('creditportal_auditevent', 'creditportal_accessentry') "
            "OR table_name LIKE %s) ORDER BY table_name",
            ["%\\_historical%"],
        )
        return [row[0] for row in cursor.fetchall()]


def key_of(table: str) -> str:
    """The table's primary key column (``id``, ``history_id``, ``m2m_history_id``), from PostgreSQL's catalog."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
            [f'"{table}"'],
        )
        return cursor.fetchone()[0]


def attach(**_kwargs) -> list[str]:
    """Give every audited table the trigger that copies its new rows into the ledger, and copy the rows it already
    holds (idempotent; after every ``migrate``). Returns the tables that got it now."""
    if connection.vendor != "postgresql" or TABLE not in connection.introspection.table_names():
        return []
    attached = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
        have = {row[0].strip('"') for row in cursor.fetchall()}
        for table in audited_tables():
            if table in have:
                continue
            key = key_of(table)
            cursor.execute(trigger_sql(table, key))
            # the rows it already holds (written by earlier migrations, or before the ledger existed) first
            cursor.execute("SELECT creditportal_ledger_backfill(%s, %s)", [table, key])
            attached.append(table)
    return attached


def seal(*, batch: int = 50_000) -> int:
    """Chain the committed entries not yet sealed (Celery beat, every minute; ``audit_verify`` and ``anchor`` first).
    Returns how many; call again while it returns ``batch``."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT creditportal_ledger_seal(%s)", [batch])
        return cursor.fetchone()[0]


def seal_all() -> int:
    total = 0
    while (sealed := seal()) > 0:
        total += sealed
    return total


# --- verification -----------------------------------------------------------------------------------------------


@dataclass
class Finding:
    position: int | None
    what: str

    def __str__(self) -> str:
        return f"#{self.position}: {self.what}" if self.position is not None else self.what


@dataclass
class Report:
    entries: int = 0
    unsealed: int = 0
    head: tuple[int, str] | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


def _hash(previous: str, content: str) -> str:
    return hashlib.sha256((previous + content).encode()).hexdigest()


def first_position_after_now() -> int:
    """The chain position the next sealed entry will take (tests and tools verify from there)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(seq), 0) + 1 FROM {TABLE}")
        return cursor.fetchone()[0]


def verify(*, since: int | None = None, anchors: list[dict] | None = None, batch_size: int = 5000, now=None) -> Report:
    """Walk the chain in its order from the start (or from position ``since``, trusting the hash of the one before)
    and check every link; then every copy against its row, every audited row against the ledger, entries left
    unsealed too long, and the anchored heads. Reads in batches; changes nothing."""
    report = Report()
    now = now or timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL timezone = 'UTC'")
        previous, last = GENESIS, 0
        if since is not None and since > 1:
            cursor.execute(f"SELECT seq, hash FROM {TABLE} WHERE seq < %s ORDER BY seq DESC LIMIT 1", [since])
            row = cursor.fetchone()
            if row:
                last, previous = row[0], row[1]
        chain: dict[int, str] = {}
        while True:
            cursor.execute(
                f"SELECT seq, content, prev_hash, hash FROM {TABLE} WHERE seq > %s ORDER BY seq LIMIT %s",
                [last, batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            for position, content, prev_hash, own in rows:
                report.entries += 1
                if prev_hash != previous or position != last + 1:
                    report.findings.append(
                        Finding(
                            position,
                            _("does not follow the entry before it: an entry was deleted, inserted or moved"),
                        )
                    )
                if own != _hash(prev_hash, content):
                    report.findings.append(
                        Finding(position, _("its content does not match its hash: the entry was edited"))
                    )
                previous, last = own, position
                chain[position] = own
                if len(report.findings) >= 20:
                    return report
        if last:
            report.head = (last, previous)
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE recorded_at < %s) FROM {TABLE} WHERE hash IS NULL",
            [now - UNSEALED_GRACE],
        )
        report.unsealed, stale = cursor.fetchone()
        if stale:
            report.findings.append(
                Finding(
                    None,
                    _("%(n)d entries have waited more than ten minutes to be sealed: is the sealer running?")
                    % {"n": stale},
                )
            )
        report.findings += _copies_differ(cursor, since=since or 1)
    for anchor in anchors or []:
        position, expected = anchor["entry"], anchor["hash"]
        if since is not None and position < since:
            continue
        if position not in chain:
            report.findings.append(
                Finding(position, _("anchored on %(at)s but no longer in the ledger: truncated") % {"at": anchor["at"]})
            )
        elif chain[position] != expected:
            report.findings.append(
                Finding(position, _("differs from the head anchored on %(at)s: rewritten") % {"at": anchor["at"]})
            )
    return report


def _copies_differ(cursor, *, since: int) -> list[Finding]:
    """Entries (from chain position ``since``, and those not yet sealed) whose row was edited or deleted since it
    was copied, and audited rows with no entry; set-based, per table."""
    from .access import purged_before
    from .identity import HISTORY_TABLE, history_masked_through

    findings = []
    # R-SEC-3: access-log entries older than the last signed purge were removed lawfully (their copies stay)
    purged = purged_before()
    for table in audited_tables():
        key = key_of(table)
        lawful = ""
        # Columns a signed act changed lawfully after the copy: the identity numbers the sealing masked (issue 21)
        unchecked = "ARRAY[]::text[]"
        if table == HISTORY_TABLE and (masked := history_masked_through()):
            unchecked = (
                f"(CASE WHEN s.{key} <= {int(masked)} THEN ARRAY['id_number', 'id_digest'] ELSE ARRAY[]::text[] END)"
            )
        params: list = [table, since]
        if table == ACCESS_TABLE and purged is not None:
            lawful = "AND NOT (s.id IS NULL AND (l.content::jsonb->>'at')::timestamptz < %s) "
            params.append(purged)
        # A row differs from its copy in a value the copy holds; a column added to the table since (a migration)
        # is not a change of what was recorded.
        differs = (
            f"(to_jsonb(s)::text <> l.content AND (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{{}}'::jsonb) "
            f"FROM jsonb_each(to_jsonb(s) - {unchecked}) e WHERE l.content::jsonb ? e.key) "
            f"<> (l.content::jsonb - {unchecked}))"
        )
        cursor.execute(
            f'SELECT l.seq, s.{key} IS NULL FROM {TABLE} l LEFT JOIN "{table}" s ON s.{key}::text = l.source_id '
            f"WHERE l.source = %s AND (l.seq >= %s OR l.seq IS NULL) "
            f"AND (s.{key} IS NULL OR {differs}) {lawful}ORDER BY l.id LIMIT 20",
            params,
        )
        for position, deleted in cursor.fetchall():
            what = (
                _("its %(table)s row was deleted")
                if deleted
                else _("its %(table)s row was changed after it was recorded")
            ) % {"table": table}
            findings.append(Finding(position, what))
        # rows with no entry; from ``since``, the rows after the last one copied before it
        cursor.execute(
            f'SELECT s.{key} FROM "{table}" s WHERE s.{key} > coalesce((SELECT max(l.source_id::bigint) '
            f"FROM {TABLE} l WHERE l.source = %s AND l.seq < %s), 0) "
            f"AND NOT EXISTS (SELECT 1 FROM {TABLE} l WHERE l.source = %s AND l.source_id = s.{key}::text) "
            f"ORDER BY s.{key} LIMIT 20",
            [table, since, table],
        )
        findings += [
            Finding(None, _("%(table)s row %(row)s never reached the ledger") % {"table": table, "row": row[0]})
            for row in cursor.fetchall()
        ]
    return findings


# --- anchoring --------------------------------------------------------------------------------------------------


def _anchor_key() -> str:
    return settings.AUDIT_ANCHOR_KEY or settings.SECRET_KEY


def anchor_directory() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR)


def anchor(*, now: datetime.datetime | None = None) -> Path | None:
    """Seal, then write the chain's head (position and hash), signed, to a new file in ``AUDIT_ANCHOR_DIR`` (which
    the audit administrator keeps, outside the database); None while the chain is empty."""
    seal_all()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {TABLE} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return None
    now = now or timezone.now()
    payload = {"entry": row[0], "hash": row[1], "at": now.isoformat()}
    directory = anchor_directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"ledger-anchor-{now:%Y%m%dT%H%M%S}-{row[0]}.txt"
    path.write_text(signing.dumps(payload, salt=ANCHOR_SALT, key=_anchor_key()) + "\n", encoding="utf-8")
    return path


def read_anchors(directory: Path | None = None) -> tuple[list[dict], list[str]]:
    """The anchors in ``directory`` whose signature holds, and the names of those whose signature does not."""
    directory = directory or anchor_directory()
    anchors, forged = [], []
    for path in sorted(directory.glob("ledger-anchor-*.txt")) if directory.is_dir() else []:
        try:
            anchors.append(signing.loads(path.read_text(encoding="utf-8").strip(), salt=ANCHOR_SALT, key=_anchor_key()))
        except signing.BadSignature:
            forged.append(path.name)
    return anchors, forged
