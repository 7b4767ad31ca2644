# `make run` and `make test` set everything up themselves on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

.PHONY: run test install catalogs database check-catalogs lint format bench clean

run: install catalogs database
	$(FLASK) run --host 127.0.0.1 --port 5000

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

bench: install catalogs
	$(BIN)/python bench/search.py
	$(BIN)/python bench/memory.py

clean:
	rm -rf $(VENV) instance/mlo.sqlite3*
	find translations -name '*.mo' -delete
