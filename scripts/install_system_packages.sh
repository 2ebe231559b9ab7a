#!/usr/bin/env bash
# System packages the project needs, from Debian's apt:
#   unixodbc  - pyodbc (the SQL Server driver manager) cannot be imported without it.
#   chromium  - the real headless browser of the monitor's end-to-end test (Playwright
#               drives it; a test tool's own browser download does not work here).
#   docker-compose, shellcheck - the test suite validates docker/compose.yaml with
#               `docker-compose config` (no Docker engine needed) and lints the shell scripts.
#   openjdk-17-jre-headless - with --spark only: the Java runtime of Spark (the spark
#               extra; the test suite runs the project on a local Spark).
# Skipped with a note where apt is not available (macOS, other distributions).
set -euo pipefail
packages=(unixodbc chromium docker-compose shellcheck)
if [ "${1:-}" = "--spark" ]; then
    packages=(openjdk-17-jre-headless)
fi
missing=()
if ! command -v dpkg >/dev/null 2>&1; then
    echo "note: not a Debian-like system; install these yourself if missing: ${packages[*]}" >&2
    exit 0
fi
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
