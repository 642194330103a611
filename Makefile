# Alongside: `make run` to try it, `make test` to test it. See the README.
#
# Every target works on a fresh Debian machine with Python 3.11, git and make: what else it needs
# (the virtualenv, npm packages, Chromium, GNU gettext, a PostgreSQL server) it installs itself,
# with apt-get when it is missing (as root, which CI is).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest workers: the machines have two cores.
JOBS ?= 2
STAMP := $(VENV)/.installed
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: help install setup demo run test test-postgres e2e lint messages bench clean

help:
	@echo "make run            set up and serve the site with demo data and the worker on http://$(HOST):$(PORT)"
	@echo "make test           run the whole test suite on SQLite"
	@echo "make test-postgres  the same suite on PostgreSQL (DATABASE_URL, else a local server)"
	@echo "make e2e            browser tests in Debian's Chromium (installed when missing)"
	@echo "make lint           ruff, formatting, mypy and a check for missing migrations"
	@echo "make messages       extract strings into the Arabic catalogue (needs GNU gettext)"
	@echo "make bench          measure the public pages' latency and weight"

# --- installation ---------------------------------------------------------------------------

# Debian's python3 needs python3-venv for `-m venv`; install it when the first try fails.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		apt-get update -qq && $(APT_INSTALL) python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || { apt-get update -qq && $(APT_INSTALL) npm; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch node_modules/.installed

# Debian's Chromium: Playwright never downloads a browser of its own here.
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core

# --- running --------------------------------------------------------------------------------

# Everything the site needs before it can serve: schema, cache table, translations, static files.
setup: install
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) createcachetable
	$(MANAGE) compile_translations
	$(MANAGE) collectstatic --noinput --verbosity 0

demo: setup
	$(MANAGE) load_demo

# The web server, the background worker and the scheduler of periodic tasks together. When
# one stops (or on Ctrl-C) the others are stopped too, so nothing is left running.
run: demo
	@echo "Alongside is starting on http://$(HOST):$(PORT) (demo accounts: see README.md). Ctrl-C stops it."
	@export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(MANAGE) db_worker --queue-name '*' --interval 2 & worker=$$!; \
	$(MANAGE) run_scheduler & scheduler=$$!; \
	$(VENV)/bin/gunicorn alongside.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
		--no-control-socket & web=$$!; \
	trap 'kill -TERM $$worker $$scheduler $$web 2>/dev/null || true; wait; exit 0' INT TERM; \
	wait -n $$worker $$scheduler $$web || true; \
	echo "One process stopped; stopping the others."; \
	kill -TERM $$worker $$scheduler $$web 2>/dev/null || true; wait || true; exit 1

# --- checking -------------------------------------------------------------------------------

test: install
	$(MANAGE) compile_translations --verbosity 0
	$(PY) -m pytest -n $(JOBS) -q

# DATABASE_URL when given (any server; pytest-django creates and drops its test database there),
# else the local server on 127.0.0.1:5432, installed and started when none answers.
test-postgres: install
	$(MANAGE) compile_translations --verbosity 0
	url="$${DATABASE_URL:-}"; \
	if [ -z "$$url" ]; then url="$$($(PY) .ci/postgres_url.py)"; fi; \
	case "$$url" in postgres*) ;; *) echo "DATABASE_URL is not a PostgreSQL URL" >&2; exit 2;; esac; \
	DATABASE_URL="$$url" $(PY) -m pytest -n $(JOBS) -q

e2e: install node_modules/.installed /usr/bin/chromium
	$(MANAGE) compile_translations --verbosity 0
	$(PY) -m pytest e2e -q -p no:xdist

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy alongside e2e bench .ci/postgres_url.py
	$(MANAGE) makemigrations --check --dry-run

messages: install
	command -v xgettext >/dev/null || { apt-get update -qq && $(APT_INSTALL) gettext; }
	$(MANAGE) makemessages --locale ar --no-obsolete --no-location \
		--ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'e2e/*' --ignore 'bench/*'
	$(MANAGE) compile_translations

bench: install
	$(MANAGE) compile_translations --verbosity 0
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var/static e2e/artifacts
