# DORIN portal: everyday commands. GNU make; needs only Python 3.11+.
#
#   make run            development server on http://127.0.0.1:8000 (demo data and Missions,
#                       an admin and a Mission analyst account; a task worker runs
#                       beside the server and stops with it, e-mails on the console)
#   make test           the whole pytest suite on SQLite      (make test ARGS="-k home")
#   make test-postgres  the same suite on PostgreSQL          (PG_URL=postgres://...)
#   make lint / format  ruff
#   make messages       refresh the Urdu catalogue from the code and compile it (GNU gettext)
#   make serve          gunicorn with production-like settings, and the task worker
#   make venv           create .venv and install the pinned requirements
#   make bench          benchmarks at 10^5 and 10^6 members (PostgreSQL; BENCHMARKS.md)
#   make bench-quick    the same at 10^5 members only (bench/results/quick.md)

SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

# Extra arguments for pytest, e.g. make test ARGS="-k privacy -x".
ARGS ?=
# pytest-xdist workers: one per core ("auto"); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
# Database for make test-postgres; pytest-django creates and drops test_<name>.
PG_URL ?= postgres://postgres@127.0.0.1:5432/dorin
# Demo members loaded by make run into an empty database.
MEMBERS ?= 300
# make serve: address and gunicorn workers (2 x cores + 1, gunicorn's advice),
# each with THREADS request threads. Threaded workers (gthread) keep telling
# the master they are alive while a thread streams a large CSV export for
# minutes; a sync worker would be killed after gunicorn's 30 s timeout.
BIND ?= 127.0.0.1:8000
WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 )))
THREADS ?= 4
GUNICORN_ARGS ?=
# gunicorn's access log (standard output): the common log format with the path
# alone (%(U)s) where it has the request line (%(r)s), and no referer, since
# both would carry query strings and a staff search's ?q= holds people's names.
ACCESS_LOG_FORMAT := %(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"

# make bench: its own virtualenv (runtime pins + bench/requirements.txt, which
# must never become runtime requirements) and a dedicated database that the
# harness drops and recreates.
BENCH_VENV := .venv-bench
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_STAMP := $(BENCH_VENV)/.installed
BENCH_DB_URL ?= postgres://postgres@127.0.0.1:5432/dorin_bench
BENCH_ARGS ?=

.PHONY: venv run test test-postgres lint format messages serve bench bench-quick bench-venv bench-tools

venv: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed since the last install.
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(STAMP)

# Background tasks (registration e-mails, invitations) go through the
# database queue and the worker (manage.py db_worker) started here, as in
# production; it stops with the development server. TASKS_BACKEND=immediate
# make run runs them inside the request instead. --no-reload: with DEBUG the
# worker would run under an autoreloader, and stopping that would leave the
# worker itself running (restart make run after changing a task).
run: export DJANGO_DEBUG = 1
run: export TASKS_BACKEND ?= database
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --members $(MEMBERS) --if-empty
	$(PY) manage.py ensure_dev_admin --mission-analyst
	{ $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000; }

# SQLite, whatever DATABASE_URL the developer's shell has.
test: venv
	env -u DATABASE_URL $(BIN)/pytest -n $(TEST_WORKERS) $(ARGS)

test-postgres: venv
	DATABASE_URL='$(PG_URL)' $(BIN)/pytest -n $(TEST_WORKERS) $(ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The Urdu catalogue: new strings from the code and templates (translate them
# in locale/ur/LC_MESSAGES/django.po, see docs/glossary.md), then the compiled
# .mo, which is committed so that a machine without gettext runs the portal.
# tests/portal/test_translations.py fails while a string is untranslated.
MESSAGES_IGNORE := --ignore=bench --ignore=tests --ignore=tools --ignore=docs \
	--ignore=static --ignore=staticfiles --ignore=node_modules
messages: export DJANGO_DEBUG = 1
messages: venv
	$(PY) manage.py makemessages --locale=ur --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages --locale=ur --ignore=".venv*" --ignore=node_modules

# Production settings on plain-HTTP localhost: no SSL redirect and no
# Secure-only cookies, since nothing terminates TLS here. SECRET_KEY comes from
# the environment or is generated for this run (sessions end with the server).
serve: export DJANGO_DEBUG = 0
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SECURE_SSL_REDIRECT ?= 0
serve: export SESSION_COOKIE_SECURE ?= 0
serve: export CSRF_COOKIE_SECURE ?= 0
# The task worker (manage.py db_worker) runs in the background: the survey
# and the link requests only queue their work. It stops when gunicorn does.
serve: venv
	export SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	$(PY) manage.py collectstatic --noinput -v 0 && \
	$(PY) manage.py migrate --noinput && \
	{ $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(BIN)/gunicorn portal.wsgi --bind $(BIND) --workers $(WORKERS) \
		--worker-class gthread --threads $(THREADS) \
		--access-logfile - --access-logformat '$(ACCESS_LOG_FORMAT)' $(GUNICORN_ARGS); }

bench-venv: $(BENCH_STAMP)

$(BENCH_PY):
	$(PYTHON) -m venv $(BENCH_VENV)

$(BENCH_STAMP): requirements.txt bench/requirements.txt | $(BENCH_PY)
	$(BENCH_PY) -m pip install --disable-pip-version-check -q -r requirements.txt -r bench/requirements.txt
	touch $(BENCH_STAMP)

# wrk (the survey's load generator) and curl (the export's client) come from
# Debian's packages; installed here when absent (needs root or sudo).
bench-tools:
	@missing=""; for tool in wrk curl; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi
	@command -v psql >/dev/null || { echo "psql (PostgreSQL's client) is required"; exit 1; }

# Both sizes; within 30 minutes on this 2-core machine when idle (the budget,
# section by section, is in bench/notes.md). Writes BENCHMARKS.md and
# bench/results/latest.json.
bench: bench-venv bench-tools
	$(BENCH_PY) -m bench.run --sizes 100000 1000000 --database-url '$(BENCH_DB_URL)' $(BENCH_ARGS)

# 10^5 members only, fewer repetitions, within 8 minutes (bench/notes.md);
# leaves BENCHMARKS.md alone. django-import-export and the naive export read
# their first 10,000 and 1,000 rows (extrapolated), the other sections take
# fewer rounds and shorter runs.
BENCH_QUICK_ARGS := --iie-full-max 0 --iie-cap-rows 10000 --naive-cap-rows 1000 \
	--search-runs 2 --admin-runs 10 --page-runs 10 --dashboard-runs 5 --ranking-runs 10 \
	--worker-max-s 30 --survey-seconds 5 --search-budget-s 90 --page-budget-s 40
bench-quick: bench-venv bench-tools
	$(BENCH_PY) -m bench.run --sizes 100000 --database-url '$(BENCH_DB_URL)' $(BENCH_QUICK_ARGS) \
		--out bench/results/quick.json --report bench/results/quick.md $(BENCH_ARGS)
