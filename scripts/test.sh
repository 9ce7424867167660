#!/usr/bin/env bash
# Set up and run the whole test suite (lint first). Installs Chromium and PostgreSQL on Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/system-deps.sh
.venv/bin/ruff check src tests bench eval
exec .venv/bin/python -m pytest -q "$@"
