# The two commands of README.md: `make run` and `make test`. Both set up .venv by themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
TEST_SETTINGS := DJANGO_SETTINGS_MODULE=config.settings.test
PORT   ?= 8000

AXE    := node_modules/axe-core/axe.min.js

.PHONY: run test checks browser worker messages clean

## run: install, migrate, load the demo data and serve the portal on http://127.0.0.1:$(PORT) (SQLite, eager Celery; PORT=8001 make run for another port)
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: install, then lint, check and run the whole suite (browser tests included) against PostgreSQL and Redis
test: $(VENV)/.installed-dev browser $(AXE)
	$(BIN)/python scripts/with_services.py $(MAKE) --no-print-directory checks

checks:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(TEST_SETTINGS) $(BIN)/python manage.py check --fail-level WARNING
	$(TEST_SETTINGS) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

## browser: Debian's chromium and CJK fonts for tests/e2e, nginx for the production smoke test (apt, when missing; Playwright downloads no browser)
browser:
	@sh scripts/install_browser.sh

# axe-core from the npm registry, pinned in package.json/package-lock.json: the browser tests inject it to check
# WCAG 2.1 AA (tests/e2e/axe.py). Without npm they skip on a developer's machine and fail under CI=true.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund && touch $@; \
	else echo "no npm to install axe-core (apt-get install nodejs npm): the browser tests will skip" >&2; fi

## worker: a Celery worker with the beat scheduler (needs REDIS_URL)
worker: $(VENV)/.installed
	$(BIN)/celery -A config worker -B --loglevel=INFO

## messages: refresh the zh_Hans catalogue after changing user-facing text (needs GNU gettext)
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location -i ".venv/*"
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore ".venv/*"

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1)); set PYTHON=python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: requirements.txt $(VENV)/.python-ok
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.python-ok
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache node_modules
