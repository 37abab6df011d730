#!/usr/bin/env bash
# Make sure a Chromium exists for the browser tests (tests/e2e/test_browser.py drives it with
# Playwright through `executable_path`, so Playwright never downloads a browser). Installs
# Debian's chromium package when missing; CHROMIUM=/path/to/chrome uses another one.
set -euo pipefail
if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
echo "chromium not found: installing Debian's chromium package (about a minute)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "ERROR: need root (or sudo) to apt-get install chromium; install it, then re-run." >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q chromium >/dev/null
}
command -v chromium >/dev/null
