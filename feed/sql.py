"""The outbox's writers, in PostgreSQL (issue 23): a deferred constraint trigger on each table whose rows are
published or shared, so every change reaches the feed whatever wrote it — a service, a set-based job (the nightly
expiry's bulk update, ``penalties_sync``'s bulk insert), an admin action or a data migration — exactly once, in the
transaction that made it, with no per-row Python.

Why triggers, and why deferred to the commit: a service hook misses the writers that are not services (the
publication ledgers are written with ``bulk_create`` and ``.update()`` by design), and a trigger that fires at once
would see a record before the written notice issued a moment later in the same transaction (R-REC-3). At commit the
trigger reads the object as the transaction leaves it and compares it with what the feed last said of it
(``feed_feedstate``, locked): new, changed, withdrawn with the cause, or nothing (a change the platform cannot see,
or one undone within the transaction). A rolled-back transaction writes nothing.

``feed_current(kind, id)`` is the rule of what the platform receives of each object; ``feed.selectors.
source_state`` reads the source through the same function to check a replayed copy.

A migration installs this text (``feed/migrations``); a change to it ships as a new migration running
``INSTALL`` again (every statement is ``CREATE OR REPLACE`` / drop-and-create)."""

# ruff: noqa: S608 -- fixed text: the table names and causes come from this module and the choices, never from input.
from __future__ import annotations

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

CURRENT = f"""
CREATE OR REPLACE FUNCTION feed_current(p_kind text, p_id bigint,
    OUT department_id bigint, OUT payload jsonb, OUT cause text) LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF p_kind = 'list_entry' THEN
    SELECT p.department_id,
           CASE WHEN p.withdrawn_at IS NULL THEN jsonb_build_object(
             'subject_name', p.subject_name, 'natural_person', p.subject_is_person, 'identifier', p.identifier,
             'department', p.department_name, 'standard', p.standard_title, 'sector', p.sector,
             'decision_number', p.decision_number, 'listed_from', p.listed_from, 'listed_until', p.listed_until,
             'measures', p.measures, 'published_at', p.published_at) END,
           CASE WHEN p.withdrawn_at IS NOT NULL THEN {_case("p.withdrawal_cause", LIST_ENTRY_CAUSES)} END
      INTO department_id, payload, cause FROM designations_publication p WHERE p.id = p_id;
  ELSIF p_kind = 'commitment' THEN
    SELECT c.department_id,
           CASE WHEN c.withdrawn_at IS NULL THEN jsonb_build_object(
             'subject_name', c.subject_name, 'natural_person', c.subject_is_person, 'identifier', c.identifier,
             'department', c.department_name, 'concerns', c.concerns, 'text', c.text, 'made_on', c.made_on,
             'published_at', c.published_at) END,
           CASE WHEN c.withdrawn_at IS NOT NULL THEN {_case("c.withdrawal_cause", COMMITMENT_CAUSES)} END
      INTO department_id, payload, cause FROM restoration_publishedcommitment c WHERE c.id = p_id;
  ELSIF p_kind = 'penalty' THEN
    SELECT x.department_id,
           CASE WHEN x.withdrawn_at IS NULL THEN jsonb_build_object(
             'subject_name', x.subject_name, 'natural_person', x.subject_is_person, 'identifier', x.identifier,
             'department', x.department_name, 'item', x.item_name, 'summary', x.summary, 'class', x.info_class,
             'decision_number', x.decision_number, 'determined_on', x.determined_on,
             'disclosed_until', x.disclosed_until, 'published_at', x.published_at) END,
           CASE WHEN x.withdrawn_at IS NOT NULL THEN {_case("x.withdrawal_cause", PENALTY_CAUSES)} END
      INTO department_id, payload, cause FROM subjects_publishedpenalty x WHERE x.id = p_id;
  ELSIF p_kind = 'record' THEN
    -- Shared: on display (active) and, where a written notice before sharing was issued, once its service is
    -- recorded (R-REC-3, HB 22: the hold ``CreditRecord.sharing_notice_pending`` reads).
    SELECT r.department_id,
           CASE WHEN r.status = 'active' AND NOT held THEN jsonb_build_object(
             'subject_name', s.name, 'subject_kind', s.kind, 'identifier_type', s.id_type,
             'identifier', s.id_number, 'department_code', d.code, 'department', d.name,
             'item_code', i.code, 'item', i.name, 'class', i.info_class, 'information', r.kind,
             'summary', feed_mask(r.summary), 'decision_number', b.number, 'issuing_authority', b.issuing_authority,
             'determined_on', r.determined_on, 'conduct_ended_on', r.conduct_ended_on,
             'disclosed_from', r.disclosure_from, 'disclosed_until', r.disclosure_until,
             'under_objection_since', r.under_objection_since) END,
           CASE WHEN r.status = 'archived' THEN {_case("r.archive_reason", RECORD_ARCHIVE_CAUSES)}
                WHEN r.status <> 'active' THEN {_case("r.status", RECORD_STATUS_CAUSES)} END
      INTO department_id, payload, cause
      FROM subjects_creditrecord r
      JOIN subjects_creditsubject s ON s.id = r.subject_id
      JOIN creditportal_department d ON d.id = r.department_id
      JOIN catalog_catalogitem i ON i.id = r.catalog_item_id
      LEFT JOIN subjects_basisdocument b ON b.id = r.basis_document_id
      CROSS JOIN LATERAL (SELECT r.sharing_notice_served_on IS NULL AND EXISTS (
          SELECT 1 FROM creditportal_issueddocument n JOIN django_content_type t ON t.id = n.content_type_id
           WHERE t.app_label = 'subjects' AND t.model = 'creditrecord' AND n.object_id = r.id
             AND n.kind = 'sharing_notice' AND n.superseded_by_id IS NULL) AS held) h
     WHERE r.id = p_id;
  ELSE
    RAISE EXCEPTION 'feed: unknown kind %', p_kind;
  END IF;
END $$;
"""

WRITE = """
CREATE OR REPLACE FUNCTION feed_write(p_kind text, p_id bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  cur record;
  st feed_feedstate%ROWTYPE;
  v_xid bigint;
  v_op text;
  v_order bigint;
  v_entry bigint;
BEGIN
  SELECT * INTO cur FROM feed_current(p_kind, p_id);
  IF cur.department_id IS NULL THEN
    RETURN;  -- the row is gone within the transaction (nothing is deleted by the application)
  END IF;
  IF cur.payload IS NULL AND NOT EXISTS (SELECT 1 FROM feed_feedstate WHERE kind = p_kind AND object_id = p_id) THEN
    RETURN;  -- never delivered, not deliverable now
  END IF;
  v_xid := pg_current_xact_id()::text::bigint;
  -- One writer per object at a time: the state row is the lock (a concurrent first writer's row is waited for).
  INSERT INTO feed_feedstate (kind, object_id, department_id, payload, order_xid, last_entry_id, changed_at)
  VALUES (p_kind, p_id, cur.department_id, NULL, 0, NULL, clock_timestamp())
  ON CONFLICT (kind, object_id) DO NOTHING;
  SELECT * INTO st FROM feed_feedstate WHERE kind = p_kind AND object_id = p_id FOR UPDATE;
  IF st.payload IS NULL AND cur.payload IS NULL THEN
    RETURN;
  ELSIF st.payload IS NULL THEN
    v_op := 'new';
  ELSIF cur.payload IS NULL THEN
    v_op := 'withdrawn';
  ELSIF st.payload = cur.payload THEN
    RETURN;
  ELSE
    v_op := 'changed';
  END IF;
  -- After the object's previous entry, whichever transaction id that one had.
  v_order := greatest(v_xid, st.order_xid);
  INSERT INTO feed_feedentry (xid, order_xid, kind, object_id, operation, cause, department_id, payload, created_at)
  VALUES (v_xid, v_order, p_kind, p_id, v_op, CASE WHEN v_op = 'withdrawn' THEN coalesce(cur.cause, 'ended') ELSE '' END,
          cur.department_id, cur.payload, clock_timestamp())
  RETURNING id INTO v_entry;
  UPDATE feed_feedstate
     SET payload = cur.payload, department_id = cur.department_id, order_xid = v_order, last_entry_id = v_entry,
         changed_at = clock_timestamp()
   WHERE id = st.id;
END $$;

CREATE OR REPLACE FUNCTION feed_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM feed_write(TG_ARGV[0], NEW.id);
  RETURN NULL;
END $$;
"""


def _triggers() -> str:
    return "\n".join(
        f"DROP TRIGGER IF EXISTS feed_capture ON {table};\n"
        f"CREATE CONSTRAINT TRIGGER feed_capture AFTER INSERT OR UPDATE ON {table} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION feed_capture('{kind}');"
        for kind, table in SOURCES
    )


INSTALL = MASK + WATERMARK + CURRENT + WRITE + _triggers()

UNINSTALL = (
    "\n".join(f"DROP TRIGGER IF EXISTS feed_capture ON {table};" for _kind, table in SOURCES)
    + """
DROP FUNCTION IF EXISTS feed_capture();
DROP FUNCTION IF EXISTS feed_write(text, bigint);
DROP FUNCTION IF EXISTS feed_current(text, bigint);
DROP FUNCTION IF EXISTS feed_mask(text);
DROP FUNCTION IF EXISTS feed_watermark();
"""
)

#: Everything published or shared when the feed is installed, entered as new.
BACKFILL = """
SELECT feed_write('list_entry', id) FROM designations_publication WHERE withdrawn_at IS NULL ORDER BY id;
SELECT feed_write('commitment', id) FROM restoration_publishedcommitment WHERE withdrawn_at IS NULL ORDER BY id;
SELECT feed_write('penalty', id) FROM subjects_publishedpenalty WHERE withdrawn_at IS NULL ORDER BY id;
SELECT feed_write('record', id) FROM subjects_creditrecord WHERE status = 'active' ORDER BY id;
"""
