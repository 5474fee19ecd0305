# Developer loop. Two commands matter: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: messages demo serve test test-sqlite test-postgres lint install install-dev browser poppler templates bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Builds a demo region on SQLite (db.sqlite3), computes everything, serves it with the
# background-task worker beside the development server (one Ctrl+C stops both).
# The address it prints and encodes in posters and QR codes is NOK_SITE_URL, by default the one
# it serves on (`make demo PORT=8123`).
demo: export NOK_SITE_URL ?= http://$(HOST):$(PORT)
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_region
	@echo "Открывайте $(NOK_SITE_URL)/ (Ctrl+C — остановить)"
	@deploy/with-worker $(BIN)/python $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The real server: gunicorn (deploy/gunicorn.conf.py) and the background-task worker on the
# configured database (DATABASE_URL, else db.sqlite3), after applying migrations.
serve: install
	$(BIN)/python manage.py migrate --noinput
	@echo "gunicorn on $${NOK_BIND:-$(HOST):$(PORT)} and the task worker (Ctrl+C stops both)"
	@NOK_BIND=$${NOK_BIND:-$(HOST):$(PORT)} deploy/with-worker $(BIN)/python $(BIN)/gunicorn -c deploy/gunicorn.conf.py config.wsgi

# Chromium for browser tests: Debian's package (Playwright drives /usr/bin/chromium).
browser:
	@bash .ci/ensure-chromium

# pdftoppm for the document tests (they render the first page of every PDF they make).
poppler:
	@bash .ci/ensure-poppler

# Rewrites the shipped DOCX templates (documents/templates/*.docx) from their build script.
templates: install
	$(BIN)/python -m documents.templates.build

# Lint, type checks, the import boundary, then the whole suite on SQLite and on PostgreSQL at the
# same time (two processes: the PostgreSQL run, with the browser tests, is the longer one; each
# run's output is printed whole when it ends).
test: install-dev browser poppler lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lint:
	$(BIN)/ruff check .
	$(BIN)/mypy scoring siteaudit documents cli nok config
	$(BIN)/lint-imports

test-sqlite:
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || (echo "Missing migrations: run manage.py makemigrations" && exit 1)
	NOK_ENV=test $(BIN)/pytest -q

test-postgres:
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL: $(PG_URL)"; \
		NOK_ENV=test DATABASE_URL=$(PG_URL) $(BIN)/pytest -q; \
	elif [ -n "$$CI" ]; then \
		echo "ERROR: PostgreSQL at $(PG_URL) is not reachable; CI must run the suite on PostgreSQL too." >&2; exit 1; \
	else \
		echo "WARNING: PostgreSQL at $(PG_URL) is not reachable: the PostgreSQL run was NOT done (set PG_URL)." >&2; \
	fi

# The Russian plural forms (locale/ru): collect the texts with a number, then compile them.
messages: install
	$(BIN)/python manage.py makemessages -l ru --ignore=.venv --ignore="*/tests/*" --ignore=bench --no-obsolete --no-wrap
	$(BIN)/python manage.py compilemessages -l ru --ignore=.venv

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 media test-artifacts
