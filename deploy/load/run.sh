#!/usr/bin/env bash
# make load: the load scenario (deploy/load/locustfile.py) against gunicorn (the deployment's deploy/gunicorn.conf.py)
# and a real Celery worker on PostgreSQL and Redis, then its figures into docs/benchmarks.md ("Load"). Locust lives
# in var/venv-load (requirements-load.lock), apart from the application's .venv.
#
#   LOAD_DATA=bench    (default) make bench's 1,000,000 subjects, built first when missing (about 15 minutes), with
#                      accounts of its departments made for the run (deploy/load/prepare.py); database
#                      postgres://postgres@127.0.0.1:5432/creditportal_bench unless LOAD_DATABASE_URL says otherwise
#   LOAD_DATA=demo     the demo data and accounts (seed_demo, idempotent); database …/creditportal_load
#   LOAD_USERS=200 (55 on the demo) LOAD_SPAWN_RATE=1 (people arrive one a second and sign in once) LOAD_TIME=10m
#   LOAD_WORKERS (gunicorn workers: the deployment's default, 2 × cores + 1) LOAD_WORKER_CONCURRENCY=2 (the documents
#   worker of docs/deployment.md) LOAD_AWAITING=100 (cases waiting for approval at the start) LOAD_BROKER=redis://…/14
#   LOAD_SMOKE=1       CI's check that the scenario still runs: the demo, 12 people for a minute, into a database of its
#                      own; the report goes to var/load/smoke.md (never docs/) and any failure fails the run
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -n "${LOAD_SMOKE:-}" ] && [ "${LOAD_SMOKE}" != 0 ]; then
  export LOAD_DATA=demo LOAD_DATABASE_URL="${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/creditportal_load_smoke}"
  export LOAD_USERS="${LOAD_USERS:-12}" LOAD_TIME="${LOAD_TIME:-60s}" LOAD_SPAWN_RATE="${LOAD_SPAWN_RATE:-4}"
  export LOAD_AWAITING="${LOAD_AWAITING:-4}" LOAD_WORKERS="${LOAD_WORKERS:-2}"
  SMOKE=--smoke
fi
DATA="${LOAD_DATA:-bench}"
case "$DATA" in
  bench) DB="${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/creditportal_bench}"; USERS="${LOAD_USERS:-200}" ;;
  demo) DB="${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/creditportal_load}"; USERS="${LOAD_USERS:-55}" ;;
  *) echo "LOAD_DATA is bench or demo, not '$DATA'" >&2; exit 2 ;;
esac
TIME="${LOAD_TIME:-10m}"
BROKER="${LOAD_BROKER:-redis://127.0.0.1:6379/14}"
PORT="${LOAD_PORT:-8055}"
OUT=var/load
mkdir -p "$OUT"
rm -f "$OUT"/locust_* "$OUT"/worker-rss.tsv

if [ -n "${SMOKE:-}" ]; then  # a smoke run starts from nothing: its documents live in this checkout's var/load/media
  psql "${DB%/*}/postgres" -X -q -c "DROP DATABASE IF EXISTS \"${DB##*/}\" WITH (FORCE)"
  rm -rf "$OUT/media"
fi
psql "${DB%/*}/postgres" -X -q -c "CREATE DATABASE \"${DB##*/}\"" 2>/dev/null || true
if [ "$DATA" = bench ]; then
  # make bench's generator: migrates, and builds the million subjects unless they are there (BENCH_REBUILD=1: again)
  DATABASE_URL="$DB" DJANGO_SETTINGS_MODULE=creditportal.settings.test .venv/bin/python scripts/bench data
fi
export DATABASE_URL="$DB" DJANGO_SETTINGS_MODULE=creditportal.settings.dev DEBUG=false LOG_LEVEL=WARNING
# One key for every run on this checkout: the development settings derive the identity numbers' keys from it, and
# the numbers sealed by the first run's seed must open on the next (creditportal.identity).
[ -s "$OUT/secret-key" ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(48))' >"$OUT/secret-key"
export CELERY_BROKER_URL="$BROKER" MEDIA_ROOT="$PWD/$OUT/media" SECRET_KEY="${SECRET_KEY:-$(cat "$OUT/secret-key")}"
export LOAD_ACCOUNTS="$PWD/$OUT/accounts.json"
redis-cli -u "$BROKER" flushdb >/dev/null
.venv/bin/python manage.py migrate --noinput -v0
if [ "$DATA" = demo ]; then .venv/bin/python manage.py seed_demo; fi
# The accounts (bench: one per simulated caseworker, one per supervisor, each with an authenticator) and the cases
# waiting for approval, walked there through the services (their prior notices rendered as the worker would).
.venv/bin/python deploy/load/prepare.py --data "$DATA" --caseworkers "$USERS" --supervisors $((USERS / 11 + 2)) \
  --awaiting "${LOAD_AWAITING:-100}" --out "$LOAD_ACCOUNTS"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS="${LOAD_WORKERS:-$(($(nproc) * 2 + 1))}" \
  .venv/bin/gunicorn -c deploy/gunicorn.conf.py creditportal.wsgi --access-logfile /dev/null --log-level warning \
  >"$OUT/gunicorn.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A creditportal worker --concurrency "${LOAD_WORKER_CONCURRENCY:-2}" --max-memory-per-child 400000 \
  --loglevel WARNING >"$OUT/worker.log" 2>&1 &
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
# The documents of the run's last acts get the time the worker needs (the report counts any still without a PDF).
for _ in $(seq 30); do
  [ "$(curl -fs "http://127.0.0.1:$PORT/healthz" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin).get("documents_pending", 0))' 2>/dev/null || echo 1)" = 0 ] && break
  sleep 2
done
pending=$(curl -fs "http://127.0.0.1:$PORT/healthz" || echo '{}')
.venv/bin/python deploy/load/report.py --started "$started" --users "$USERS" --time "$TIME" --data "$DATA" \
  --health "$pending" --out "$OUT" ${SMOKE:-}
