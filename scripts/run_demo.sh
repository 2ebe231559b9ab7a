#!/usr/bin/env bash
# `make run`: generate the OLTP source at scale 1 if it does not exist yet, load the
# warehouse on the embedded DuckDB target with the orchestrator, apply incremental wave 1
# to a freshly generated source and load again. Each run prints its own summary table.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
export DBT_PROFILES_DIR="$PWD"
source_path="${ETL_OLTP_DUCKDB_PATH:-data/ecommerce_oltp.duckdb}"
mkdir -p data
fresh=no
if [ ! -f "$source_path" ]; then
    echo "==> generating the OLTP source (scale ${SCALE:-1}) into $source_path"
    "$bin/python" -m generator --target duckdb --scale "${SCALE:-1}" --duckdb-path "$source_path"
    fresh=yes
else
    echo "==> OLTP source found at $source_path (delete it to generate a new one)"
fi
echo "==> run 1: python orchestrator/run.py --entity all"
"$bin/python" orchestrator/run.py --entity all
if [ "$fresh" = yes ]; then
    echo "==> applying incremental wave 1 to the source"
    "$bin/python" -m generator --wave 1 --duckdb-path "$source_path"
    echo "==> run 2: python orchestrator/run.py --entity all"
    "$bin/python" orchestrator/run.py --entity all
fi
