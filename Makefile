# One command to set up and run, one to set up and test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= 1
TARGET ?= duckdb
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup setup-spark run test lint docs monitor dashboards alerts bench clean roles

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/activate
	bash scripts/install_system_packages.sh
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Spark (the spark extra and a Java runtime): for `--target spark` and the test suite; the
# default install stays without it.
$(VENV)/.spark-installed: $(VENV)/.installed
	bash scripts/install_system_packages.sh --spark
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,spark]'
	touch $@

setup-spark: $(VENV)/.spark-installed

run: setup
	bash scripts/run_demo.sh

LINT_DIR := target/lint

# sqlfluff renders the models through dbt: it needs a (empty) warehouse and source to attach.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p $(LINT_DIR)
	$(BIN)/python -c "import duckdb; duckdb.connect('$(LINT_DIR)/oltp.duckdb').close()"
	ETL_DUCKDB_PATH=$(LINT_DIR)/dw.duckdb ETL_OLTP_DUCKDB_PATH=$(LINT_DIR)/oltp.duckdb \
		DBT_TARGET_PATH=$(LINT_DIR)/dbt $(BIN)/sqlfluff lint models tests/dbt

# Two workers (one per core): most of the suite is dbt start-up and compilation, which
# is single-threaded; each test file stays on one worker, the longest files first
# (tests/conftest.py, LONGEST_FIRST). The 25 slowest tests are listed at the end, to keep
# the suite's time in view.
test: setup-spark lint
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=25

docs: setup
	$(BIN)/dbt docs generate --target $(TARGET)
	$(BIN)/dbt docs serve --port 8080 --host 127.0.0.1

# The Streamlit ETL monitor on http://127.0.0.1:8501 (ETL_TARGET, DuckDB by default).
monitor: setup
	ETL_TARGET="$${ETL_TARGET:-$(TARGET)}" $(BIN)/streamlit run dashboards/monitor/app.py \
		--server.address 127.0.0.1 --server.port 8501 --server.headless true \
		--browser.gatherUsageStats false

# The business dashboards, in the foreground until Ctrl-C: Vendas http://127.0.0.1:8502,
# Metas :8503, Descontos e ROI :8504 (ETL_TARGET, DuckDB by default).
dashboards: setup
	ETL_TARGET="$${ETL_TARGET:-$(TARGET)}" $(BIN)/python -m dashboards.serve

# The SLA alert runner, every ETL_ALERT_INTERVAL_SECONDS (300) to ETL_ALERT_WEBHOOK_URL.
alerts: setup
	ETL_TARGET="$${ETL_TARGET:-$(TARGET)}" $(BIN)/python orchestrator/alerts.py \
		--interval $${ETL_ALERT_INTERVAL_SECONDS:-300}

# PostgreSQL logins etl_user, etl_monitor, bi_reader and etl_backup with their grants on the
# database of ETL_PG_DATABASE (idempotent; passwords from ETL_PG_*_PASSWORD): scripts/roles.py.
roles: setup
	$(BIN)/python scripts/roles.py

# make bench [SCALE="1 10"] [TARGET=duckdb|postgres|spark] [REPEAT=3]: results in bench/results/.
# On spark the default scale is 0.01, each run beside the same run on DuckDB.
REPEAT ?= 3
BENCH_SCALES = $(if $(filter command line environment,$(origin SCALE)),$(SCALE),$(if $(filter spark,$(TARGET)),0.01,1 10))
bench: $(if $(filter spark,$(TARGET)),setup-spark,setup)
	$(BIN)/python -m bench --target $(TARGET) --repeat $(REPEAT) $(foreach s,$(BENCH_SCALES),--scale $(s))

clean:
	rm -rf target logs data
