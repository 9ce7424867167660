#!/usr/bin/env bash
# Create .venv and install curbside with everything it uses (idempotent; re-runs when pyproject.toml changes).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.curbside-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing curbside and its dependencies into .venv" >&2
  .venv/bin/pip install --quiet --disable-pip-version-check -e ".[dense,web,store,corpus,dev]" 2>&1 \
    | grep -v "^WARNING: Location" >&2 || true
  .venv/bin/python -c "import curbside, bm25s, onnxruntime, fastapi, sqlalchemy" \
    || { echo "setup: installation failed" >&2; exit 1; }
  touch "$stamp"
fi
