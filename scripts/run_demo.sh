#!/usr/bin/env bash
# `make run`: generate the OLTP source at scale 1 if it does not exist yet, build the
# warehouse on the embedded DuckDB target, and print what was loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
export DBT_PROFILES_DIR="$PWD"
source_path="${ETL_OLTP_DUCKDB_PATH:-data/ecommerce_oltp.duckdb}"
mkdir -p data
if [ ! -f "$source_path" ]; then
    echo "==> generating the OLTP source (scale ${SCALE:-1}) into $source_path"
    "$bin/python" -m generator --target duckdb --scale "${SCALE:-1}" --duckdb-path "$source_path"
else
    echo "==> OLTP source found at $source_path (delete it to generate a new one)"
fi
echo "==> building the warehouse (dbt build, target duckdb)"
"$bin/dbt" build --target duckdb --quiet
echo "==> loaded in this run"
"$bin/python" -m orchestrator.summary --target duckdb
