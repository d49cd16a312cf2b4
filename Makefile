# The commands the README names. Everything is installed by these targets on a fresh machine.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTHON ?= python3

.PHONY: install run test lint translations compile-translations chromium bench clean

install: $(STAMP) compile-translations

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	@touch $(STAMP)

compile-translations: $(STAMP)
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile --statistics -d translations 2>&1 | tail -n 1; fi

# Serve on http://localhost:$(PORT) with demo data. Passkeys refuse an IP address as the site,
# so every link says localhost; werkzeug binds "localhost" as IPv4, i.e. 127.0.0.1 only.
run: export FLASK_DEBUG = 1
run: export SURVIVORAPP_ORIGIN ?= http://localhost:$(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	@# Reminders go out every minute while the app runs; the loop stops with it.
	$(FLASK) reminders run --every 60 & trap 'kill $$! 2>/dev/null' EXIT; \
		$(FLASK) run --host localhost --port $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

test: install chromium
	$(BIN)/pytest $(PYTEST_ARGS)

# Seed a large organisation, serve it with gunicorn, load it with wrk. SCALE=0.1 make bench
bench: install
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r survivorapp
	$(PY) scripts/audit.py

translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	@for po in translations/*/LC_MESSAGES/messages.po; do \
		[ -f "$$po" ] || continue; \
		lang=$$(basename $$(dirname $$(dirname $$po))); \
		$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations -l $$lang; \
	done
	$(MAKE) compile-translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
