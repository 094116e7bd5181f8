#!/usr/bin/env bash
# Restore a creditportal backup (scripts/backup.sh) into a fresh database and document store, then verify it:
# every issued document's SHA-256 and every table's row count must match the backup's manifest.
#
#   DATABASE_URL=postgres://user@host:5432/creditportal_restored MEDIA_ROOT=/srv/creditportal/media \
#     scripts/restore.sh var/backups/creditportal-20261206T020000Z       # make restore BACKUP=... does this
#
# The target database is created when it does not exist and must be empty when it does (a restore never
# overwrites a live database: restore beside it, check, then point DATABASE_URL at it). The document store is
# copied into MEDIA_ROOT (which must be empty or absent). Exits non-zero, saying why, when anything differs.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKUP="${1:-${BACKUP:-}}"
[ -n "$BACKUP" ] || {
  echo "usage: scripts/restore.sh BACKUP_DIRECTORY (with DATABASE_URL and MEDIA_ROOT of the target)" >&2
  exit 2
}
[ -f "$BACKUP/BACKUP_OK" ] || {
  echo "restore: $BACKUP is not a complete backup (no BACKUP_OK)" >&2
  exit 2
}
: "${DATABASE_URL:?set DATABASE_URL to the database to restore into}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the document store to restore into}"
DB="${DATABASE_URL%%\?*}"
name="${DB##*/}"
server="${DB%/*}"

if ! psql "$DB" -X -q -A -t -c "SELECT 1" >/dev/null 2>&1; then
  echo "restore: creating database $name"
  psql "$server/postgres" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\"" >/dev/null
fi
tables=$(psql "$DB" -X -q -A -t -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
[ "$tables" = "0" ] || {
  echo "restore: database $name is not empty ($tables tables): restore into a fresh database" >&2
  exit 1
}
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "restore: $MEDIA_ROOT is not empty: restore into a fresh document store" >&2
  exit 1
fi

echo "restore: database $name from $BACKUP/database.dump"
pg_restore --dbname="$DB" --no-owner --no-privileges --exit-on-error "$BACKUP/database.dump"
if [ -d "$BACKUP/media" ]; then
  mkdir -p "$MEDIA_ROOT"
  cp -a "$BACKUP/media/." "$MEDIA_ROOT/"
fi

status=0
# 1. Every table has the rows it had when the backup was taken.
while IFS=$'\t' read -r table rows; do
  [ -n "$table" ] || continue
  now=$(psql "$DB" -X -q -A -t -c "SELECT count(*) FROM public.\"$table\"")
  if [ "$now" != "$rows" ]; then
    echo "restore: table $table has $now rows, the backup had $rows" >&2
    status=1
  fi
done <"$BACKUP/counts.tsv"

# 2. The restored database records exactly the documents of the manifest...
psql "$DB" -X -q -A -t -c \
  "SELECT sha256 || '  ' || file FROM creditportal_issueddocument WHERE sha256 <> '' ORDER BY id" \
  >"$MEDIA_ROOT/.restored-documents.sha256"
if ! cmp -s "$MEDIA_ROOT/.restored-documents.sha256" "$BACKUP/documents.sha256"; then
  echo "restore: the restored database's documents differ from the backup's manifest" >&2
  status=1
fi
rm -f "$MEDIA_ROOT/.restored-documents.sha256"
# 3. ...and every one of them is in the restored document store with the SHA-256 it was issued with.
documents=$(grep -c . "$BACKUP/documents.sha256" || true)
if [ "$documents" != "0" ]; then
  (cd "$MEDIA_ROOT" && sha256sum --check --quiet --strict "$(realpath "$BACKUP")/documents.sha256") || {
    echo "restore: an issued document is missing or differs from its SHA-256 (see above)" >&2
    status=1
  }
fi

if [ "$status" != "0" ]; then
  echo "restore: FAILED verification: do not use this restore" >&2
  exit "$status"
fi
echo "restore: verified, $documents issued documents match their SHA-256, $(grep -c . "$BACKUP/counts.tsv") tables have their row counts: $name, $MEDIA_ROOT"
