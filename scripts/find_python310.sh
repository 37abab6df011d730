#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter, or explain what to install and fail.
# Rasa Open Source 3.6 supports Python 3.8-3.10 only; we standardise on 3.10.
set -euo pipefail

is_py310() {
    # A pyenv shim can exist on PATH and still fail, so run the interpreter to be sure.
    "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1
}

candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
    root="$(pyenv root)"
    for dir in $(ls -d "$root"/versions/3.10.* 2>/dev/null | sort -Vr); do
        candidates+=("$dir/bin/python3.10" "$dir/bin/python")
    done
fi
for dir in $(ls -d "$HOME"/.pyenv/versions/3.10.* 2>/dev/null | sort -Vr); do
    candidates+=("$dir/bin/python")
done
command -v python3 >/dev/null 2>&1 && candidates+=("$(command -v python3)")

for candidate in "${candidates[@]}"; do
    if is_py310 "$candidate"; then
        echo "$candidate"
        exit 0
    fi
done

cat >&2 <<'MSG'
ERROR: no Python 3.10 interpreter found (Rasa Open Source 3.6 needs Python 3.10).
Install one of these, then run the command again:
  - Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv   (deadsnakes PPA on Ubuntu)
  - pyenv:          pyenv install 3.10.13
  - or point PYTHON310 at an interpreter:  make install PYTHON310=/path/to/python3.10
MSG
exit 1
