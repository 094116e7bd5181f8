#!/usr/bin/env bash
# Back up creditportal: the PostgreSQL database (pg_dump, custom format) and the document store (MEDIA_ROOT),
# with a manifest of the SHA-256 of every issued document and the row count of every table.
#
#   DATABASE_URL=postgres://user@host:5432/creditportal MEDIA_ROOT=/srv/creditportal/media \
#     scripts/backup.sh [BACKUP_DIR]              # make backup does this
#
# Writes BACKUP_DIR/creditportal-<UTC time>/ (BACKUP_DIR defaults to var/backups):
#   database.dump      pg_dump --format=custom (restore with scripts/restore.sh, or pg_restore)
#   media/             a copy of the document store (issued PDFs, uploaded evidence and proofs)
#   documents.sha256   "<sha256>  <path under media/>" for every issued document, as the database records it;
#                      checked against the copy before the backup is declared good (sha256sum -c format)
#   counts.tsv         "<table>\t<rows>" for every table, read in the same snapshot as the dump's
#   BACKUP_OK          written last: a backup directory without it is incomplete
# The dump and the counts are taken in one repeatable-read snapshot (pg_dump --snapshot), so the counts are
# those of the dump even while people work. Documents are issued once and never change, so a PDF copied a
# moment later is the same file; a document issued after the snapshot is simply not in this backup's database.
# With S3 storage (STORAGE_BACKEND=s3) the document store is the bucket: version it (or replicate it) there,
# and run this script for the database and the manifest (set BACKUP_SKIP_MEDIA=1).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?set DATABASE_URL (postgres://...)}"
case "$DATABASE_URL" in postgres://* | postgresql://*) ;; *)
  echo "backup: DATABASE_URL must be a PostgreSQL URL" >&2
  exit 2
  ;;
esac
MEDIA_ROOT="${MEDIA_ROOT:-var/media}"
BACKUP_DIR="${1:-${BACKUP_DIR:-var/backups}}"
# libpq reads the URL; strip the query (Django-only options such as application_name are fine, others not).
DB="${DATABASE_URL%%\?*}"
TARGET="$BACKUP_DIR/creditportal-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$TARGET"
echo "backup: writing $TARGET"

# One snapshot for the dump and the counts: a psql session holds it open while pg_dump uses it.
coproc SNAPSHOT { psql "$DB" -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
# bash unsets SNAPSHOT_PID once the session ends, which may be before the wait below: keep the pid now.
snapshot_pid="$SNAPSHOT_PID"
to_session="${SNAPSHOT[1]}"
from_session="${SNAPSHOT[0]}"
{
  echo "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
  echo "SELECT pg_export_snapshot();"
} >&"$to_session"
snapshot=""
read -r -t 30 snapshot <&"$from_session" || true
case "$snapshot" in [0-9A-F]*-*) ;; *)
  echo "backup: could not open a snapshot: $snapshot" >&2
  exit 1
  ;;
esac

pg_dump "$DB" --format=custom --no-owner --no-privileges --snapshot="$snapshot" --file="$TARGET/database.dump"

# Row counts and the documents' manifest, in the same snapshot (the session above).
{
  echo "\\o $TARGET/counts.tsv"
  cat <<'SQL'
SELECT format('SELECT %L || E''\t'' || count(*) FROM %I.%I', table_name, table_schema, table_name)
FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
\gexec
SQL
  echo "\\o $TARGET/documents.sha256"
  echo "SELECT sha256 || '  ' || file FROM creditportal_issueddocument WHERE sha256 <> '' ORDER BY id;"
  echo "\\o"
  echo "COMMIT;"
  echo "SELECT 'done';"
} >&"$to_session"
done_marker=""
read -r -t 600 done_marker <&"$from_session" || true
[ "$done_marker" = "done" ] || {
  echo "backup: the counts and the manifest were not written: $done_marker" >&2
  exit 1
}
echo "\\q" >&"$to_session"
wait "$snapshot_pid" 2>/dev/null || true

if [ "${BACKUP_SKIP_MEDIA:-0}" != "1" ]; then
  mkdir -p "$TARGET/media"
  if [ -d "$MEDIA_ROOT" ]; then
    cp -a "$MEDIA_ROOT/." "$TARGET/media/"
  fi
  # Every issued document is in the copy with the SHA-256 it was issued with.
  if [ -s "$TARGET/documents.sha256" ]; then
    (cd "$TARGET/media" && sha256sum --check --quiet --strict ../documents.sha256) || {
      echo "backup: an issued document is missing or differs from its recorded SHA-256 (see above)" >&2
      exit 1
    }
  fi
fi

documents=$(grep -c . "$TARGET/documents.sha256" || true)
tables=$(grep -c . "$TARGET/counts.tsv" || true)
date -u +%Y-%m-%dT%H:%M:%SZ >"$TARGET/BACKUP_OK"
echo "backup: done, $documents issued documents verified, $tables tables counted: $TARGET"
