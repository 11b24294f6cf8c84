# Playbook Studio — one target per chore. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
FRONTEND := editor/frontend
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint fmt bench e2e frontend system-test-deps migrate serve clean

help:
	@echo "make run    install, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   the whole suite on SQLite and on PostgreSQL + Redis"
	@echo "make lint   ruff + mypy          make fmt    ruff format + fix"
	@echo "make bench  performance figures as JSON"
	@echo "make e2e    only the browser tests (headless Chromium)"

# --- installation ---------------------------------------------------------------------
$(VENV)/.installed: requirements.txt scripts/find-python
	@PYBIN=$$(scripts/find-python) && { [ -x $(PY) ] && $(PY) -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null || $$PYBIN -m venv --clear $(VENV); }
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

# The front end is built from source on every machine (no build output is committed).
frontend: $(VENV)/.installed
	@if [ -f $(FRONTEND)/package.json ]; then \
	  scripts/apt-ensure npm nodejs npm && \
	  { [ -d $(FRONTEND)/node_modules ] && [ $(FRONTEND)/node_modules/.package-lock.json -nt $(FRONTEND)/package-lock.json ] || npm ci --prefix $(FRONTEND) --no-audit --no-fund --loglevel=error; } && \
	  npm run --prefix $(FRONTEND) --silent build; \
	fi

system-test-deps:
	@scripts/apt-ensure chromium chromium
	@scripts/apt-ensure rsvg-convert librsvg2-bin

migrate: $(VENV)/.installed
	$(MANAGE) migrate --noinput -v 0

# --- chores ---------------------------------------------------------------------------
run: $(VENV)/.installed frontend migrate
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --noinput -v 0
	@$(MANAGE) ensure_admin
	@echo "Serving Playbook Studio on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) soar.asgi:application

test: $(VENV)/.installed frontend system-test-deps
	scripts/test-all

e2e: $(VENV)/.installed frontend system-test-deps
	$(PY) -m pytest -m e2e

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy soar editor engine

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff format soar editor engine tests bench
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed frontend
	@scripts/apt-ensure wrk wrk
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var static/editor $(FRONTEND)/node_modules
