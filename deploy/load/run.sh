#!/usr/bin/env bash
# make load: the issue-12 load scenario (deploy/load/locustfile.py) against gunicorn and a real Celery worker on
# PostgreSQL and Redis, then its figures into docs/benchmarks.md ("Load"). Locust lives in var/venv-load
# (requirements-load.lock), apart from the application's .venv.
#
#   LOAD_DATABASE_URL  the database to load (default postgres://postgres@127.0.0.1:5432/creditportal_load);
#                      migrated and seeded with the demo data (seed_demo, idempotent) first
#   LOAD_USERS=55 LOAD_SPAWN_RATE=1 (users started a second: people arrive, log in once) LOAD_TIME=10m LOAD_WORKERS=3 (gunicorn workers) LOAD_BROKER=redis://127.0.0.1:6379/14
set -euo pipefail
cd "$(dirname "$0")/../.."

DB="${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/creditportal_load}"
USERS="${LOAD_USERS:-55}"
TIME="${LOAD_TIME:-10m}"
BROKER="${LOAD_BROKER:-redis://127.0.0.1:6379/14}"
PORT="${LOAD_PORT:-8055}"
OUT=var/load
mkdir -p "$OUT"
rm -f "$OUT"/locust_* "$OUT"/worker-rss.tsv

psql "${DB%/*}/postgres" -X -q -c "CREATE DATABASE \"${DB##*/}\"" 2>/dev/null || true
export DATABASE_URL="$DB" DJANGO_SETTINGS_MODULE=creditportal.settings.dev DEBUG=false LOG_LEVEL=WARNING
export CELERY_BROKER_URL="$BROKER" MEDIA_ROOT="$PWD/$OUT/media" SECRET_KEY="${SECRET_KEY:-load-test-only-$(date +%s)-not-secret}"
redis-cli -u "$BROKER" flushdb >/dev/null
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
.venv/bin/gunicorn creditportal.wsgi --bind "127.0.0.1:$PORT" --workers "${LOAD_WORKERS:-3}" --timeout 60 \
  --log-level warning >"$OUT/gunicorn.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A creditportal worker --concurrency 1 --loglevel WARNING >"$OUT/worker.log" 2>&1 &
worker=$!
pids+=("$worker")
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done
# What the two-minute outbox sweep of beat would do: queue every document still without its PDF (the seed's).
.venv/bin/celery -A creditportal call creditportal.documents_render_pending --args='[0]' >/dev/null

# The worker's memory (all its processes), every 10 s.
(
  while kill -0 "$worker" 2>/dev/null; do
    rss=$(ps -o rss= --pid "$worker" --ppid "$worker" | awk '{s+=$1} END {print s}')
    printf '%s\t%s\n' "$(date +%s)" "$rss" >>"$OUT/worker-rss.tsv"
    sleep 10
  done
) &
pids+=($!)

started=$(date +%s)
var/venv-load/bin/locust -f deploy/load/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate "${LOAD_SPAWN_RATE:-1}" --run-time "$TIME" --csv "$OUT/locust" --only-summary || true
pending=$(curl -fs "http://127.0.0.1:$PORT/healthz" || echo '{}')
.venv/bin/python deploy/load/report.py --started "$started" --users "$USERS" --time "$TIME" \
  --health "$pending" --out "$OUT"
