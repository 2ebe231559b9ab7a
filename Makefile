# One command to set up and run, one to set up and test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= 1
TARGET ?= duckdb
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup run test lint docs clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/activate
	bash scripts/install_system_packages.sh
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

run: setup
	bash scripts/run_demo.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models tests/dbt

test: setup lint
	$(BIN)/pytest

docs: setup
	$(BIN)/dbt docs generate --target $(TARGET)
	$(BIN)/dbt docs serve --port 8080 --host 127.0.0.1

clean:
	rm -rf target logs data
