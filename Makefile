# Alongside: `make run` to try it, `make test` to test it. See the README.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/alongside_test
STAMP := $(VENV)/.installed

.PHONY: help install run serve setup demo test test-postgres e2e lint messages bench clean

help:
	@echo "make run            set up and serve the site with demo data and the worker on http://$(HOST):$(PORT)"
	@echo "make test           run the whole test suite on SQLite"
	@echo "make test-postgres  run the same suite on PostgreSQL (DATABASE_URL or the local server)"
	@echo "make e2e            browser tests in Debian's Chromium (installs it when missing)"
	@echo "make lint           ruff, mypy and a check for missing migrations"
	@echo "make messages       extract strings and update the Arabic catalogue"
	@echo "make bench          measure page speed under load"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Everything the site needs before it can serve: schema, cache table, translations, static files.
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) compile_translations
	$(MANAGE) collectstatic --noinput --verbosity 0

demo: setup
	$(MANAGE) load_demo

# Web server and background worker together; Ctrl-C stops both.
run: demo
	@echo "Alongside is starting on http://$(HOST):$(PORT) (demo accounts: see README.md)"
	@trap 'kill 0' EXIT INT TERM; \
	$(MANAGE) db_worker --queue-name '*' & \
	$(VENV)/bin/gunicorn alongside.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
		--access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s' & \
	wait

test: install
	$(MANAGE) compile_translations
	$(PY) -m pytest -n 2 -q

test-postgres: install
	$(MANAGE) compile_translations
	DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(PY) -m pytest -n 2 -q

node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	npm ci --no-audit --no-fund --silent
	touch node_modules/.installed

/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver

e2e: install node_modules/.installed /usr/bin/chromium
	$(MANAGE) compile_translations
	$(PY) -m pytest e2e -q -p no:xdist

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy alongside
	$(MANAGE) makemigrations --check --dry-run

messages: install
	command -v xgettext >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	$(MANAGE) makemessages --locale ar --no-obsolete --no-location --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*'
	$(MANAGE) compile_translations

bench: demo
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var/static
