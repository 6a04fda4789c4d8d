# Set-up and everyday commands. Needs only python3 (3.11+) on the machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv lint format typecheck migrate seed worker worker-heavy worker-light bench loadtest clean backup restore

$(STAMP): requirements.txt
	@echo "==> [1/4] Виртуальное окружение $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "==> [2/4] Установка зависимостей (первый раз — несколько минут)"
	$(BIN)/python -m pip install --progress-bar on --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	@echo "==> [3/4] Миграции базы данных"
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	@echo "==> [4/4] Демо-данные (повторный запуск ничего не дублирует)"
	$(BIN)/python manage.py seed_demo

## make run [PORT=8000] [HOST=127.0.0.1]: install, migrate, load demo data and serve
run: seed
	@echo "==> Портал: http://$(HOST):$(PORT)/  (остановить — Ctrl+C)"
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

## make backup: a dump of the PostgreSQL database in DATABASE_URL (pg_dump -Fc) to var/backups/
BACKUP_DIR ?= var/backups
backup:
	@test -n "$$DATABASE_URL" || { echo "Укажите DATABASE_URL (postgres://…) — резервная копия делается только для PostgreSQL."; exit 1; }
	@mkdir -p $(BACKUP_DIR)
	pg_dump --format=custom --no-owner --no-privileges --dbname="$$DATABASE_URL" \
		--file=$(BACKUP_DIR)/rcro-$$(date +%Y%m%d-%H%M%S).dump
	@ls -1t $(BACKUP_DIR)/*.dump | head -n1

## make restore BACKUP=var/backups/rcro-….dump: restore a dump into DATABASE_URL (replaces its objects)
restore:
	@test -n "$$DATABASE_URL" || { echo "Укажите DATABASE_URL (postgres://…)."; exit 1; }
	@test -n "$(BACKUP)" || { echo "Укажите файл: make restore BACKUP=var/backups/rcro-….dump"; exit 1; }
	pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
		--dbname="$$DATABASE_URL" "$(BACKUP)"

## make worker-heavy / worker-light: workers for one queue each (on their own machines); run beat once
worker-heavy: venv
	$(BIN)/celery -A rcro_portal worker -Q heavy --concurrency=$${CONCURRENCY:-2} --loglevel=info

worker-light: venv
	$(BIN)/celery -A rcro_portal worker -Q light,celery --beat --loglevel=info

## make bench SCHOOLS=4000 [BRANCHES=800 RUNS=3]: the benchmark (data set in the configured database)
SCHOOLS ?= 4000
BRANCHES ?= $(shell expr $(SCHOOLS) / 5)
RUNS ?= 3
bench: migrate
	$(BIN)/python manage.py bench --schools $(SCHOOLS) --branches $(BRANCHES) --runs $(RUNS)

## make loadtest [USERS=50 DURATION=60 SCHOOLS=4000]: locust headless against gunicorn on 127.0.0.1,
## then every acknowledged save is looked up in the database (needs DATABASE_URL and REDIS_URL)
USERS ?= 50
DURATION ?= 60
loadtest:
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) \
		echo "Нагрузочный тест идёт на PostgreSQL и Redis, как в работе: укажите DATABASE_URL=postgres://… и REDIS_URL=redis://…,"; \
		echo "например: make loadtest DATABASE_URL=postgres://postgres@127.0.0.1:5432/rcro REDIS_URL=redis://127.0.0.1:6379/0"; \
		exit 1;; esac
	@test -n "$$REDIS_URL" || { echo "Укажите REDIS_URL=redis://… — сессии и кэш, как в работе, лежат в Redis."; exit 1; }
	@$(MAKE) -s migrate
	$(BIN)/python manage.py loadtest --users $(USERS) --duration $(DURATION) --schools $(SCHOOLS) --branches $(BRANCHES)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
