# `make run` and `make test` set everything up themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
# `make serve`: gunicorn takes MLO_BIND, WEB_CONCURRENCY or MLO_WORKERS, MLO_THREADS from the
# environment (deploy/gunicorn.conf.py); the app, MLO_DATABASE_URL, MLO_REDIS_URL and the rest.
GUNICORN_CONFIG ?= deploy/gunicorn.conf.py
WSGI_APP ?= app:app

.PHONY: run test install catalogs database check-catalogs lint format bench bench-quick clean serve

run: install catalogs database
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production-style serving: the schema upgraded and the catalogs built first, no demo content.
serve: install catalogs
	$(FLASK) init-db
	exec $(BIN)/gunicorn --config $(GUNICORN_CONFIG) $(WSGI_APP)

test: install catalogs database check-catalogs lint
	$(BIN)/python -m pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

catalogs: install
	$(FLASK) translate compile

database: install
	$(FLASK) init-db
	$(FLASK) content demo

check-catalogs: install
	$(FLASK) translate check

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Long (the first run builds databases of up to 100,000 articles, kept in bench/.data/).
bench: install catalogs
	$(BIN)/python bench/search.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/scale.py

# The same scripts on small databases and short runs, to see that they work.
bench-quick: install catalogs
	$(BIN)/python bench/search.py --sizes 1000 --repeat 2
	$(BIN)/python bench/memory.py --sizes 1000 --articles 5 --sample 50
	$(BIN)/python bench/serve.py --sizes 1000 --seconds 3 --warmup 1 --renders 5
	$(BIN)/python bench/scale.py --sizes 1000 --renders 5

clean:
	rm -rf $(VENV) instance/mlo.sqlite3*
	find translations -name '*.mo' -delete
