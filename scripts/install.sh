#!/usr/bin/env bash
# Create .venv from a Python 3.10 and install the pinned dependency set.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
    PY=$(scripts/find_python310.sh)
    echo "Creating $VENV with $PY" >&2
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "pip==24.0"
echo "Installing pinned dependencies (a few minutes on a fresh machine)" >&2
"$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt -c requirements.lock
"$VENV/bin/pip" check >/dev/null || { "$VENV/bin/pip" check; exit 1; }
