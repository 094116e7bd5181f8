# creditportal: the two commands of the README's quick start, and a few helpers.
#   make run    set up (venv, system packages, translations, database, demo data) and serve on :8000 as users
#               see it: DEBUG off (error pages, no tracebacks), static files served by WhiteNoise
#   make dev    the same with DEBUG on (Django's debug pages), for development
#   make test   set up and run the whole suite on PostgreSQL, one test process per core
#   make lint   ruff (lint rules; formatting is not enforced yet) and mypy with django-stubs, as CI runs them
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev test bench install system-deps messages check-database migrate seed lint clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	@touch $(STAMP)

install: $(STAMP)

system-deps:
	@scripts/system-deps.sh

messages: install system-deps
	@$(BIN)/python manage.py compilemessages --ignore '.venv/*' -v0

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: DEBUG_MODE := false
dev: DEBUG_MODE := true
run dev: install system-deps messages
	$(BIN)/python manage.py migrate --noinput
	@if [ ! -f var/.demo-seeded ]; then $(BIN)/python manage.py seed_demo && touch var/.demo-seeded; \
	  else echo "Demo data already seeded (delete var/.demo-seeded to seed again; seeding twice changes nothing)."; fi
	@echo "creditportal: open http://$(HOST):$(PORT)/ (demo users and password: README.md; DEBUG=$(DEBUG_MODE))"
	DEBUG=$(DEBUG_MODE) $(BIN)/python manage.py runserver $(HOST):$(PORT)

check-database: install
	@DJANGO_SETTINGS_MODULE=creditportal.settings.test $(BIN)/python scripts/check_database.py

# The suite in two passes: one test process per core (pytest-xdist) for everything but the tests that start servers,
# workers or a browser, then those alone (conftest.ONE_PROCESS). TEST_PROCESSES=0: the first pass in one process.
# The migrations run once, into a template database every test process copies (scripts/test_database_template.py).
# Distribution stays xdist's ``load``: it hands the tests out in pytest-django's order, the transactional ones last on
# each worker (``worksteal`` let a worker take plain tests after its transactional ones had emptied the migrations'
# rows: the jurisdiction profiles' tests failed).
TEST_PROCESSES ?= auto
test: install system-deps messages check-database
	@DJANGO_SETTINGS_MODULE=creditportal.settings.test $(BIN)/python scripts/test_database_template.py
	TEST_DATABASE_TEMPLATE=1 $(BIN)/python -m pytest -n $(TEST_PROCESSES) --suite-pass=parallel $(PYTEST_ARGS) || [ $$? -eq 5 ]
	TEST_DATABASE_TEMPLATE=1 $(BIN)/python -m pytest -p no:xdist --suite-pass=one-process $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: install system-deps check-database
	DJANGO_SETTINGS_MODULE=creditportal.settings.test $(BIN)/python scripts/bench

clean:
	rm -rf $(VENV) var/staticfiles var/.demo-seeded

# Operations (issue 12; docs/deployment.md). DATABASE_URL and MEDIA_ROOT say what to back up or restore into.
.PHONY: backup restore
backup:
	scripts/backup.sh $(BACKUP_DIR)

restore:
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=var/backups/creditportal-<time> (DATABASE_URL, MEDIA_ROOT: the target)"; exit 2; }
	scripts/restore.sh $(BACKUP)

# The load scenario (issues 12 and 23; deploy/load/run.sh): 200 people on make bench's million subjects for 10 minutes
# (LOAD_DATA=demo: the demo data). Locust in its own venv (requirements-load.lock), never installed by make test.
.PHONY: load
var/venv-load/.installed: requirements-load.lock
	@test -x var/venv-load/bin/python || $(PYTHON) -m venv var/venv-load
	var/venv-load/bin/python -m pip install --quiet --requirement requirements-load.lock
	@touch $@

load: install system-deps messages var/venv-load/.installed
	deploy/load/run.sh

# The scale-out layout of docs/deployment.md on this one machine (issue 23): a primary and a streaming replica,
# PgBouncer, Redis, two app servers behind the shipped nginx configuration, two workers and a beat, on the production
# settings, all under var/scale-out/. `make scale-out-check` starts it, checks it and stops it.
.PHONY: scale-out scale-out-check
scale-out: install system-deps messages
	scripts/scale_out.sh

scale-out-check: install system-deps messages
	scripts/scale_out.sh --check
