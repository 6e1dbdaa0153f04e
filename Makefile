# Quick start: `make run` (serve the portal with worker and beat) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export DJANGO_DEBUG ?= 1

.PHONY: run test setup migrate seed lint format bench messages lock clean schema

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runportal 127.0.0.1:8000

test: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# PostgreSQL + Redis, both scales, ~25 min; `make bench BENCH_SCALES=11 BENCH_QUICK=1` for a quick look.
# Never part of `make test`.
bench: setup
	$(PY) -m benchmarks

messages: setup
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages_py

# Regenerate the locks after editing requirements.in or requirements-dev.in.
lock: setup
	$(VENV)/bin/uv pip compile --quiet --no-header --python-version 3.11 requirements.in -o requirements.txt
	$(VENV)/bin/uv pip compile --quiet --no-header --python-version 3.11 requirements-dev.in -o requirements-dev.txt

clean:
	rm -rf $(VENV) var

schema: setup
	$(PY) manage.py spectacular --lang vi --validate --fail-on-warn --file api/schema.yml
