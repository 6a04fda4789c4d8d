# Set-up and everyday commands. Needs only python3 (3.11+) on the machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv lint format typecheck migrate seed worker clean

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

## make run: install, migrate, load demo data and serve on http://127.0.0.1:8000
run: seed
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: the whole suite on SQLite (browser tests skip when Chromium is missing)
test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

## make typecheck: mypy with django-stubs over the apps (settings in pyproject.toml)
typecheck: venv
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make worker: a Celery worker with beat (needs REDIS_URL)
worker: venv
	$(BIN)/celery -A rcro_portal worker --beat --loglevel=info

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
