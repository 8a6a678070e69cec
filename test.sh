#!/usr/bin/env bash
# Set up what is missing (test extra included), then run the whole test suite
# headless. Extra arguments go to pytest. pytest's own exit status is returned:
# any failure, and "no tests collected" (5), fails the run.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check app kiosk drivers ui bench tests
.venv/bin/mypy kiosk drivers ui app
exec .venv/bin/python -m pytest "$@"
