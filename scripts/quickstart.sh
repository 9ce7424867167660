#!/usr/bin/env bash
# Quickstart: set up, build what is needed, and answer the model question in the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CURBSIDE_DATA_DIR=${CURBSIDE_DATA_DIR:-$PWD/.data}
.venv/bin/curbside kb check | tail -n 2
MEDQUAD=${CURBSIDE_MEDQUAD:-../shared/data/medquad/medquad.jsonl.gz}
if [ -f "$MEDQUAD" ]; then
  .venv/bin/curbside ingest medquad "$MEDQUAD"
else
  echo "note: no MedQuAD file at $MEDQUAD (set CURBSIDE_MEDQUAD); answering from the curated knowledge base only" >&2
fi
QUESTION=${1:-"What is the best management approach for a patient with chronic back pain, considering non-pharmacological and pharmacological interventions?"}
.venv/bin/curbside ask "$QUESTION"
echo
echo "Next: .venv/bin/curbside ask \"your question\"   |   CURBSIDE_DATA_DIR=$CURBSIDE_DATA_DIR .venv/bin/curbside serve  (http://127.0.0.1:8000)"
