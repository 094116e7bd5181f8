#!/usr/bin/env bash
# The scale-out layout of docs/deployment.md, on this one machine, from one command (issue 23):
#   a PostgreSQL primary and a streaming replica (two clusters of their own), PgBouncer in transaction pooling in front
#   of the primary, Redis (broker and cache), two gunicorn app servers behind the shipped nginx configuration
#   (deploy/nginx.conf: TLS with a self-signed certificate), two Celery workers and one beat; every process on the
#   production settings (creditportal.settings.production), with keys made for this copy. The demo data is seeded
#   once. Nothing of the machine's own PostgreSQL or Redis is touched: all of it lives under var/scale-out/.
#
#   make scale-out                  start it all and serve https://127.0.0.1:8443/ until Ctrl-C, then stop it all
#   scripts/scale_out.sh --check    start it all, check that each part answers and works with the others, stop
#   scripts/scale_out.sh --reset    remove var/scale-out/ (its databases, keys and logs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
STATE="$ROOT/var/scale-out"
PY="$ROOT/.venv/bin/python"
MODE="${1:-serve}"

PRIMARY_PORT=5442
REPLICA_PORT=5443
BOUNCER_PORT=6442
REDIS_PORT=6390
APP_PORTS=(8101 8102)
HTTP_PORT=8080
HTTPS_PORT=8443

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# PostgreSQL and PgBouncer refuse to run as root: as root, they run as the postgres account.
# (From /: the checkout may be a directory that account cannot enter; every path given is absolute.)
as_db() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
say() { echo "scale-out: $*"; }

if [ "$MODE" = "--reset" ]; then
  rm -rf "$STATE" "/var/tmp/creditportal-scale-out-$(printf %s "$ROOT" | sha256sum | cut -c1-12)"
  say "removed $STATE"
  exit 0
fi
[ -x "$PY" ] || { echo "scale-out: run 'make scale-out' (it installs the virtualenv first)" >&2; exit 2; }

install_packages() {
  local missing=()
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]} (not started as services)"
  # policy-rc.d 101: the packages' scripts start no service of their own
  as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null || status=$?
  as_root rm -f /usr/sbin/policy-rc.d
  [ "${status:-0}" -eq 0 ] || exit "$status"
}
install_packages
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
PGBOUNCER="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

mkdir -p "$STATE"/{logs,media,anchors,signing,nginx/tls,nginx/logs}
# The clusters and PgBouncer run as postgres: in var/scale-out/pg when that account can reach it, else (a checkout
# under a private home directory) in a directory of their own under /var/tmp.
PGSTATE="$STATE/pg"
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$STATE"; then
  PGSTATE="/var/tmp/creditportal-scale-out-$(printf %s "$ROOT" | sha256sum | cut -c1-12)"
  say "PostgreSQL's files are in $PGSTATE (postgres cannot reach $STATE)"
fi
install -d -m 0700 "$PGSTATE"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PGSTATE"
as_db mkdir -p "$PGSTATE/run" "$PGSTATE/logs"

# --- keys of this copy (made once; never a deployment's) ------------------------------------------------------------
if [ ! -f "$STATE/env" ]; then
  "$PY" - > "$STATE/env" <<'PY'
import secrets
from cryptography.fernet import Fernet
print("SECRET_KEY=" + secrets.token_urlsafe(64))
print("PORTAL_IDENTITY_KEYS=" + Fernet.generate_key().decode())
print("PORTAL_IDENTITY_HASH_KEY=" + secrets.token_urlsafe(64))
PY
  chmod 0600 "$STATE/env"
fi
set -a
# shellcheck disable=SC1091
. "$STATE/env"
DJANGO_SETTINGS_MODULE=creditportal.settings.production
DATABASE_URL="postgres://postgres@127.0.0.1:$BOUNCER_PORT/creditportal"
DATABASE_PGBOUNCER=true
DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/creditportal"
CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
CACHE_URL="redis://127.0.0.1:$REDIS_PORT/1"
ALLOWED_HOSTS="127.0.0.1,localhost"
MEDIA_ROOT="$STATE/media"
SIGNING_DIR="$STATE/signing"
AUDIT_ANCHOR_DIR="$STATE/anchors"
EMAIL_LINK_BASE_URL="https://127.0.0.1:$HTTPS_PORT"
LOG_FORMAT=text
set +a
# Migrations, collectstatic and the seed talk to the primary itself, not through PgBouncer (docs/deployment.md).
DIRECT_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/creditportal"

PIDS=()
stop_all() {
  trap - EXIT INT TERM
  say "stopping"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$STATE/nginx/nginx.pid" ] && "$NGINX" -q -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" -s stop 2>/dev/null || true
  [ -f "$PGSTATE/run/pgbouncer.pid" ] && kill -TERM "$(cat "$PGSTATE/run/pgbouncer.pid")" 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  as_db "$PGBIN/pg_ctl" -D "$PGSTATE/replica" -m fast -w stop >/dev/null 2>&1 || true
  as_db "$PGBIN/pg_ctl" -D "$PGSTATE/primary" -m fast -w stop >/dev/null 2>&1 || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() {  # wait_for <what> <seconds> <command…>
  local what="$1" seconds="$2"
  shift 2
  for _ in $(seq $((seconds * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "scale-out: $what did not answer within $seconds s; see $STATE/logs/ and $PGSTATE/logs/" >&2
  return 1
}

# --- PostgreSQL: the primary, and a replica that streams from it -----------------------------------------------------
if [ ! -s "$PGSTATE/primary/PG_VERSION" ]; then
  say "creating the primary cluster (port $PRIMARY_PORT)"
  as_db "$PGBIN/initdb" -D "$PGSTATE/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_db sh -c "cat >> '$PGSTATE/primary/postgresql.conf'" <<CONF
port = $PRIMARY_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGSTATE/run'
wal_level = replica
max_wal_senders = 4
max_connections = 100
CONF
  as_db sh -c "echo 'host replication all 127.0.0.1/32 trust' >> '$PGSTATE/primary/pg_hba.conf'"
fi
as_db "$PGBIN/pg_ctl" -D "$PGSTATE/primary" -l "$PGSTATE/logs/primary.log" -w start >/dev/null
"$PGBIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'creditportal'" |
  grep -q 1 || "$PGBIN/createdb" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres creditportal
if [ ! -s "$PGSTATE/replica/PG_VERSION" ]; then
  say "creating the replica from a base backup (port $REPLICA_PORT)"
  as_db "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$PGSTATE/replica" -R -X stream
  as_db sh -c "echo 'port = $REPLICA_PORT' >> '$PGSTATE/replica/postgresql.auto.conf'"
fi
as_db "$PGBIN/pg_ctl" -D "$PGSTATE/replica" -l "$PGSTATE/logs/replica.log" -w start >/dev/null

# --- PgBouncer in transaction pooling, and Redis ------------------------------------------------------------------------
as_db sh -c "cat > '$PGSTATE/pgbouncer.ini'" <<CONF
[databases]
creditportal = host=127.0.0.1 port=$PRIMARY_PORT dbname=creditportal
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $PGSTATE/userlist.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
pidfile = $PGSTATE/run/pgbouncer.pid
logfile = $PGSTATE/logs/pgbouncer.log
CONF
as_db sh -c "echo '\"postgres\" \"\"' > '$PGSTATE/userlist.txt'"
as_db "$PGBOUNCER" -d -q "$PGSTATE/pgbouncer.ini"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
  --dir "$STATE" --logfile "$STATE/logs/redis.log" >/dev/null
wait_for "PgBouncer" 20 "$PGBIN/psql" -h 127.0.0.1 -p "$BOUNCER_PORT" -U postgres -d creditportal -Atqc "SELECT 1"
wait_for "Redis" 20 redis-cli -p "$REDIS_PORT" ping

# --- the release steps: migrate, static files, the demo data once --------------------------------------------------------
say "migrating the primary"
DATABASE_URL="$DIRECT_URL" "$PY" manage.py migrate --noinput -v0
DATABASE_URL="$DIRECT_URL" "$PY" manage.py collectstatic --noinput -v0
if [ ! -f "$STATE/.seeded" ]; then
  say "seeding the demo data"
  # The demo's departments get their signing certificates from the demo root as the seed issues their first
  # documents: that takes the demo settings (the production settings refuse a demo root); the app servers and
  # workers then sign with those certificates, from SIGNING_DIR, like a deployment's own.
  DATABASE_URL="$DIRECT_URL" DJANGO_SETTINGS_MODULE=creditportal.settings.dev DEBUG=false SIGNING_DEMO_CA=true \
    "$PY" manage.py seed_demo > "$STATE/logs/seed.log"
  touch "$STATE/.seeded"
fi

# --- the processes ---------------------------------------------------------------------------------------------------
for port in "${APP_PORTS[@]}"; do
  # each app server's workers add up their metrics in a directory of its own, emptied before it starts
  rm -rf "$STATE/metrics-$port" && mkdir -p "$STATE/metrics-$port"
  PROMETHEUS_MULTIPROC_DIR="$STATE/metrics-$port" GUNICORN_BIND="127.0.0.1:$port" GUNICORN_WORKERS=2 \
    "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py creditportal.wsgi > "$STATE/logs/app-$port.log" 2>&1 &
  PIDS+=($!)
done
"$ROOT/.venv/bin/celery" -A creditportal worker -n "documents@%h" -Q documents,imports --concurrency 1 \
  --loglevel=INFO > "$STATE/logs/worker-documents.log" 2>&1 &
PIDS+=($!)
"$ROOT/.venv/bin/celery" -A creditportal worker -n "sweeps@%h" -Q sweeps,mail,celery --concurrency 1 \
  --loglevel=INFO > "$STATE/logs/worker-sweeps.log" 2>&1 &
PIDS+=($!)
# The beat's scheduler lock is a session lock (creditportal/celery.py): it connects to the primary itself, since
# PgBouncer's transaction pooling would lend its server connection, and the lock with it, to other clients.
DATABASE_URL="$DIRECT_URL" DATABASE_PGBOUNCER=false "$ROOT/.venv/bin/celery" -A creditportal beat --schedule "$STATE/beat-schedule" --loglevel=INFO \
  > "$STATE/logs/beat.log" 2>&1 &
PIDS+=($!)

# nginx with the shipped configuration: the two app servers as its upstream, this copy's ports and certificate.
if [ ! -f "$STATE/nginx/tls/credit.example.gov.cn.crt" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
    -keyout "$STATE/nginx/tls/credit.example.gov.cn.key" -out "$STATE/nginx/tls/credit.example.gov.cn.crt" 2>/dev/null
fi
# Host as the browser sent it, port included: on a port other than 443, the Origin of a form (Django's CSRF check)
# names that port.
sed 's/proxy_set_header Host \$host;/proxy_set_header Host $http_host;/' deploy/creditportal_proxy_params \
  > "$STATE/nginx/creditportal_proxy_params"
"$PY" - "$STATE" "$HTTP_PORT" "$HTTPS_PORT" "${APP_PORTS[@]}" > "$STATE/nginx/creditportal.conf" <<'PY'
import re, sys
state, http, https, *apps = sys.argv[1:]
text = open("deploy/nginx.conf").read()
# the upstream's example servers (the lines with max_fails) become this copy's app servers
servers = "".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in apps)
lines = re.findall(r"^ *server \S+ max_fails[^\n]*\n", text, flags=re.M)
text = text.replace(lines[0], servers)
for line in lines[1:]:
    text = text.replace(line, "")
text = text.replace("listen 80;", f"listen 127.0.0.1:{http};").replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
text = text.replace("https://$host$request_uri", f"https://$host:{https}$request_uri")
text = text.replace("/etc/nginx/tls/", f"{state}/nginx/tls/")
text = text.replace("/etc/nginx/creditportal_proxy_params", f"{state}/nginx/creditportal_proxy_params")
text = re.sub(r"allow 10\.0\.9\.0/24;", "allow 127.0.0.1;", text)
print(text)
PY
cat > "$STATE/nginx/nginx.conf" <<CONF
pid $STATE/nginx/nginx.pid;
error_log $STATE/logs/nginx-error.log;
events {}
http {
    access_log $STATE/logs/nginx-access.log;
    include $STATE/nginx/creditportal.conf;
}
CONF
"$NGINX" -q -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf"

for port in "${APP_PORTS[@]}"; do
  # as nginx asks it (the production settings send a request that did not come over HTTPS there)
  wait_for "app server :$port" 60 curl -sf -H "X-Forwarded-Proto: https" "http://127.0.0.1:$port/healthz"
done
wait_for "nginx" 20 curl -skf "https://127.0.0.1:$HTTPS_PORT/healthz"

if [ "$MODE" = "--check" ]; then
  say "checking"
  DATABASE_URL="$DIRECT_URL" SCALE_OUT_HTTPS="https://127.0.0.1:$HTTPS_PORT" SCALE_OUT_HTTP="http://127.0.0.1:$HTTP_PORT" \
    SCALE_OUT_APPS="${APP_PORTS[*]}" \
    SCALE_OUT_REPLICA="$DATABASE_REPLICA_URL" "$PY" scripts/scale_out_check.py
  say "every check passed"
  exit 0
fi

say "serving https://127.0.0.1:$HTTPS_PORT/ (self-signed certificate: accept it once). Demo users: README.md."
say "logs: $STATE/logs/. Ctrl-C stops it all; the data stays for the next start (scripts/scale_out.sh --reset)."
wait -n "${PIDS[@]}" || true
say "a process stopped; see $STATE/logs/"
