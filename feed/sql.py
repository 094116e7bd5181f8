"""The outbox's writers, in PostgreSQL (issue 23): triggers on each table whose rows are published or shared, so every
change reaches the feed whatever wrote it — a service, a set-based job (the nightly expiry's bulk update,
``penalties_sync``'s bulk insert, a batch import), an admin action or a data migration — exactly once, in the
transaction that made it, with no per-row Python and no per-row work at all.

Two steps, both set-based:
- a statement-level trigger on each source table notes the keys its statement touched (``feed_pending``, one insert
  from the statement's transition table) and marks the transaction (``feed_pendingtx``, one row per transaction);
- a constraint trigger on that mark, deferred to the commit, runs once per transaction (``feed_flush_xact``): it
  reads every noted object as the transaction leaves it, compares it with what the feed last said of it
  (``feed_feedstate``, locked) and writes the entries — new, changed, withdrawn with the cause, or nothing (a change
  the platform cannot see, or one undone within the transaction) — in three statements, however many rows changed.

Why triggers, and why at the commit: a service hook misses the writers that are not services (the publication ledgers
are written with ``bulk_create`` and ``.update()`` by design), and a check made at once would see a record before the
written notice issued a moment later in the same transaction (R-REC-3). A rolled-back transaction (or savepoint)
writes nothing: its notes go with it.

``CURRENT_SQL`` is the rule of what the platform receives of each object (``feed_current_of``: the noted objects;
``feed_current``: one); ``feed.selectors.source_state`` reads the source through it to check a replayed copy.

A migration installs this text (``feed/migrations``); a change to it ships as a new migration running
``INSTALL`` again (every statement is ``CREATE OR REPLACE`` / drop-and-create)."""

# ruff: noqa: S608 -- fixed text: the table names and causes come from this module and the choices, never from input.
from __future__ import annotations

from django.db import migrations

from .choices import (
    COMMITMENT_CAUSES,
    LIST_ENTRY_CAUSES,
    PENALTY_CAUSES,
    RECORD_ARCHIVE_CAUSES,
    RECORD_STATUS_CAUSES,
    FeedCause,
)

#: (feed kind, table) of every source.
SOURCES = (
    ("list_entry", "designations_publication"),
    ("commitment", "restoration_publishedcommitment"),
    ("penalty", "subjects_publishedpenalty"),
    ("record", "subjects_creditrecord"),
)


def _case(expression: str, mapping: dict) -> str:
    whens = " ".join(f"WHEN '{source}' THEN '{target}'" for source, target in mapping.items())
    return f"(CASE {expression} {whens} ELSE '{FeedCause.ENDED.value}' END)"


#: R-DIS-4: resident identity numbers typed into a summary, masked as ``creditportal.masking.mask_numbers_in`` does.
MASK = r"""
CREATE OR REPLACE FUNCTION feed_mask(p_text text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(
    regexp_replace(p_text, '(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9A-Za-z])', '\1**********\2', 'g'),
    '(?<![0-9A-Za-z])(\d{4})\d{7}(\d{4})(?![0-9A-Za-z])', '\1*******\2', 'g')
$$;
"""

#: The feed's watermark: every transaction of this database below it has ended (committed or rolled back), so no
#: entry can still appear below it. ``pg_snapshot_xmin(pg_current_snapshot())`` is that for the whole cluster; a
#: transaction id is cluster-wide, so a long transaction in another database on the same server (another
#: application, a test worker) would hold the feed back for nothing: the running transactions that
#: ``pg_stat_activity`` shows in another database are left out (an xid it does not show is kept: the safe side). The
#: reader's own transaction, if it wrote anything, counts too.
WATERMARK = """
CREATE OR REPLACE FUNCTION feed_watermark() RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT least(
    coalesce(min(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint),
    pg_current_xact_id_if_assigned()::text::bigint)
    FROM pg_snapshot_xip(pg_current_snapshot()) x
   WHERE x::text::bigint % 4294967296 NOT IN (
     SELECT backend_xid::text::bigint FROM pg_stat_activity
      WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())
$$;
"""


def _current(where: dict[str, str]) -> str:
    """What the platform receives of each object of the four kinds: (kind, object_id, department_id, payload or NULL
    when it is not published or shared, the cause when it is not), for the rows each ``where`` selects."""
    return f"""
    SELECT 'list_entry'::text, p.id, p.department_id,
           CASE WHEN p.withdrawn_at IS NULL THEN jsonb_build_object(
             'subject_name', p.subject_name, 'natural_person', p.subject_is_person, 'identifier', p.identifier,
             'department', p.department_name, 'standard', p.standard_title, 'sector', p.sector,
             'decision_number', p.decision_number, 'listed_from', p.listed_from, 'listed_until', p.listed_until,
             'measures', p.measures, 'published_at', p.published_at) END,
           CASE WHEN p.withdrawn_at IS NOT NULL THEN {_case("p.withdrawal_cause", LIST_ENTRY_CAUSES)} END
      FROM designations_publication p WHERE {where["list_entry"]}
    UNION ALL
    SELECT 'commitment', c.id, c.department_id,
           CASE WHEN c.withdrawn_at IS NULL THEN jsonb_build_object(
             'subject_name', c.subject_name, 'natural_person', c.subject_is_person, 'identifier', c.identifier,
             'department', c.department_name, 'concerns', c.concerns, 'text', c.text, 'made_on', c.made_on,
             'published_at', c.published_at) END,
           CASE WHEN c.withdrawn_at IS NOT NULL THEN {_case("c.withdrawal_cause", COMMITMENT_CAUSES)} END
      FROM restoration_publishedcommitment c WHERE {where["commitment"]}
    UNION ALL
    SELECT 'penalty', x.id, x.department_id,
           CASE WHEN x.withdrawn_at IS NULL THEN jsonb_build_object(
             'subject_name', x.subject_name, 'natural_person', x.subject_is_person, 'identifier', x.identifier,
             'department', x.department_name, 'item', x.item_name, 'summary', x.summary, 'class', x.info_class,
             'decision_number', x.decision_number, 'determined_on', x.determined_on,
             'disclosed_until', x.disclosed_until, 'published_at', x.published_at) END,
           CASE WHEN x.withdrawn_at IS NOT NULL THEN {_case("x.withdrawal_cause", PENALTY_CAUSES)} END
      FROM subjects_publishedpenalty x WHERE {where["penalty"]}
    UNION ALL
    -- A record is shared while on display (active) and, where a written notice before sharing was issued, once its
    -- service is recorded (R-REC-3: the hold ``CreditRecord.sharing_notice_pending`` reads).
    SELECT 'record', r.id, r.department_id,
           CASE WHEN r.status = 'active' AND NOT h.held THEN jsonb_build_object(
             'subject_name', s.name, 'subject_kind', s.kind, 'identifier_type', s.id_type,
             'identifier', s.id_number, 'department_code', d.code, 'department', d.name,
             'item_code', i.code, 'item', i.name, 'class', i.info_class, 'information', r.kind,
             'summary', feed_mask(r.summary), 'decision_number', b.number, 'issuing_authority', b.issuing_authority,
             'determined_on', r.determined_on, 'conduct_ended_on', r.conduct_ended_on,
             'disclosed_from', r.disclosure_from, 'disclosed_until', r.disclosure_until,
             'under_objection_since', r.under_objection_since) END,
           CASE WHEN r.status = 'archived' THEN {_case("r.archive_reason", RECORD_ARCHIVE_CAUSES)}
                WHEN r.status <> 'active' THEN {_case("r.status", RECORD_STATUS_CAUSES)} END
      FROM subjects_creditrecord r
      JOIN subjects_creditsubject s ON s.id = r.subject_id
      JOIN creditportal_department d ON d.id = r.department_id
      JOIN catalog_catalogitem i ON i.id = r.catalog_item_id
      LEFT JOIN subjects_basisdocument b ON b.id = r.basis_document_id
      CROSS JOIN LATERAL (SELECT r.sharing_notice_served_on IS NULL AND EXISTS (
          SELECT 1 FROM creditportal_issueddocument n JOIN django_content_type t ON t.id = n.content_type_id
           WHERE t.app_label = 'subjects' AND t.model = 'creditrecord' AND n.object_id = r.id
             AND n.kind = 'sharing_notice' AND n.superseded_by_id IS NULL) AS held) h
     WHERE {where["record"]}
    """


_KINDS = ("list_entry", "commitment", "penalty", "record")
_ALIAS = {"list_entry": "p", "commitment": "c", "penalty": "x", "record": "r"}

CURRENT = f"""
CREATE OR REPLACE FUNCTION feed_current_of(p_xid bigint)
    RETURNS TABLE (kind text, object_id bigint, department_id bigint, payload jsonb, cause text)
    LANGUAGE sql STABLE AS $$
{
    _current(
        {
            k: f"{_ALIAS[k]}.id IN (SELECT q.object_id FROM feed_pending q WHERE q.xid = p_xid AND q.kind = '{k}')"
            for k in _KINDS
        }
    )
}
$$;

CREATE OR REPLACE FUNCTION feed_current(p_kind text, p_id bigint,
    OUT department_id bigint, OUT payload jsonb, OUT cause text) LANGUAGE sql STABLE AS $$
  SELECT c.department_id, c.payload, c.cause FROM (
{_current({k: f"{_ALIAS[k]}.id = p_id AND p_kind = '{k}'" for k in _KINDS})}
  ) c(kind, object_id, department_id, payload, cause)
$$;
"""

TABLES = """
CREATE UNLOGGED TABLE IF NOT EXISTS feed_pending (
  xid bigint NOT NULL, kind text NOT NULL, object_id bigint NOT NULL, PRIMARY KEY (xid, kind, object_id));
CREATE UNLOGGED TABLE IF NOT EXISTS feed_pendingtx (xid bigint PRIMARY KEY);
"""

WRITE = """
DROP TRIGGER IF EXISTS feed_flush ON feed_pendingtx;
DROP FUNCTION IF EXISTS feed_capture() CASCADE;
DROP FUNCTION IF EXISTS feed_write(text, bigint);

-- Step 1, per statement: the keys it touched, and the transaction marked.
CREATE OR REPLACE FUNCTION feed_note() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_xid bigint := pg_current_xact_id()::text::bigint;
BEGIN
  INSERT INTO feed_pending (xid, kind, object_id) SELECT v_xid, TG_ARGV[0], id FROM changed ON CONFLICT DO NOTHING;
  IF FOUND THEN
    INSERT INTO feed_pendingtx (xid) VALUES (v_xid) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

-- Step 2, once per transaction at its commit: every noted object compared with what the feed last said of it.
-- No JIT: the planner's estimate for the noted keys (feed_pending's statistics) passes jit_above_cost once the
-- sources hold millions of rows, and compiling the plan took 0.6-0.8 s of every commit that touched a record, for a
-- statement that reads a few rows by their keys (measured on the 3,000,000 records of make bench: 0.9 s a commit
-- with JIT, 0.17 s without, while 16 writers ran).
CREATE OR REPLACE FUNCTION feed_flush_xact() RETURNS void LANGUAGE plpgsql SET jit = off AS $$
DECLARE
  v_xid bigint := pg_current_xact_id()::text::bigint;
BEGIN
  -- The objects' state rows already written are locked (in one order: no deadlock between two commits); a new
  -- object has none yet, and only the transaction that inserted its source row can be writing it.
  PERFORM 1 FROM feed_feedstate s JOIN feed_pending q ON q.kind = s.kind AND q.object_id = s.object_id
   WHERE q.xid = v_xid ORDER BY s.kind, s.object_id FOR UPDATE OF s;
  WITH changes AS (
    SELECT c.kind, c.object_id, c.department_id, c.payload, c.cause, coalesce(s.order_xid, 0) AS previous,
           CASE WHEN s.payload IS NULL AND c.payload IS NOT NULL THEN 'new'
                WHEN s.payload IS NOT NULL AND c.payload IS NULL THEN 'withdrawn'
                WHEN s.payload IS NOT NULL AND s.payload <> c.payload THEN 'changed' END AS operation
      FROM feed_current_of(v_xid) c
      LEFT JOIN feed_feedstate s ON s.kind = c.kind AND s.object_id = c.object_id
  ), entries AS (
    -- After the object's previous entry, whichever transaction id that one had.
    INSERT INTO feed_feedentry (xid, order_xid, kind, object_id, operation, cause, department_id, payload, created_at)
    SELECT v_xid, greatest(v_xid, previous), kind, object_id, operation,
           CASE WHEN operation = 'withdrawn' THEN coalesce(cause, 'ended') ELSE '' END, department_id, payload,
           clock_timestamp()
      FROM changes WHERE operation IS NOT NULL ORDER BY kind, object_id
    RETURNING id, kind, object_id, order_xid, department_id, payload
  )
  INSERT INTO feed_feedstate (kind, object_id, department_id, payload, order_xid, last_entry_id, changed_at)
  SELECT kind, object_id, department_id, payload, order_xid, id, clock_timestamp() FROM entries
  ON CONFLICT (kind, object_id) DO UPDATE
     SET payload = EXCLUDED.payload, department_id = EXCLUDED.department_id, order_xid = EXCLUDED.order_xid,
         last_entry_id = EXCLUDED.last_entry_id, changed_at = EXCLUDED.changed_at;
  DELETE FROM feed_pending WHERE xid = v_xid;
  DELETE FROM feed_pendingtx WHERE xid = v_xid;
END $$;

CREATE OR REPLACE FUNCTION feed_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM feed_flush_xact();
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER feed_flush AFTER INSERT ON feed_pendingtx
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_flush();
"""


def _triggers() -> str:
    return "\n".join(
        f"DROP TRIGGER IF EXISTS feed_capture ON {table};\n"
        f"DROP TRIGGER IF EXISTS feed_note_insert ON {table};\n"
        f"DROP TRIGGER IF EXISTS feed_note_update ON {table};\n"
        f"CREATE TRIGGER feed_note_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION feed_note('{kind}');\n"
        f"CREATE TRIGGER feed_note_update AFTER UPDATE ON {table} REFERENCING NEW TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION feed_note('{kind}');"
        for kind, table in SOURCES
    )


INSTALL = TABLES + MASK + WATERMARK + CURRENT + WRITE + _triggers()

UNINSTALL = (
    "\n".join(
        f"DROP TRIGGER IF EXISTS feed_note_insert ON {table};\nDROP TRIGGER IF EXISTS feed_note_update ON {table};"
        for _kind, table in SOURCES
    )
    + """
DROP TRIGGER IF EXISTS feed_flush ON feed_pendingtx;
DROP FUNCTION IF EXISTS feed_flush();
DROP FUNCTION IF EXISTS feed_flush_xact();
DROP FUNCTION IF EXISTS feed_note();
DROP FUNCTION IF EXISTS feed_current(text, bigint);
DROP FUNCTION IF EXISTS feed_current_of(bigint);
DROP FUNCTION IF EXISTS feed_mask(text);
DROP FUNCTION IF EXISTS feed_watermark();
DROP TABLE IF EXISTS feed_pending;
DROP TABLE IF EXISTS feed_pendingtx;
"""
)

#: Everything published or shared when the feed is installed, entered as new (noted, then flushed at once).
BACKFILL = """
INSERT INTO feed_pending (xid, kind, object_id)
SELECT pg_current_xact_id()::text::bigint, k, id FROM (
  SELECT 'list_entry' AS k, id FROM designations_publication WHERE withdrawn_at IS NULL
  UNION ALL SELECT 'commitment', id FROM restoration_publishedcommitment WHERE withdrawn_at IS NULL
  UNION ALL SELECT 'penalty', id FROM subjects_publishedpenalty WHERE withdrawn_at IS NULL
  UNION ALL SELECT 'record', id FROM subjects_creditrecord WHERE status = 'active') s
ON CONFLICT DO NOTHING;
SELECT feed_flush_xact();
"""


def on_postgres(forward: str, backward: str = "") -> migrations.RunPython:
    """A migration step of SQL that only PostgreSQL runs (the quick start's SQLite has no change feed: nothing is
    sent to a platform from a demo)."""

    def run(sql: str):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql" and sql:
                schema_editor.execute(sql, params=None)

        return apply

    return migrations.RunPython(run(forward), run(backward))
