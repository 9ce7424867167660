#!/usr/bin/env bash
# Set up and run the whole test suite (lint first). Installs Chromium and PostgreSQL on Debian when missing,
# and starts a throwaway PostgreSQL server (scripts/postgres.sh) for the store tests, stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system-deps.sh
.venv/bin/ruff check src tests bench eval
if [ -z "${CURBSIDE_TEST_POSTGRES_URL:-}" ]; then
  eval "$(bash scripts/postgres.sh start)"
  trap 'bash scripts/postgres.sh stop "$CURBSIDE_TEST_PGDATA"' EXIT
fi
export CURBSIDE_TEST_POSTGRES_URL CURBSIDE_TEST_REQUIRE_POSTGRES=1
.venv/bin/python -m pytest -q "$@"
