#!/usr/bin/env bash
# Make sure Node.js and npm exist: the web page's chat widget (rasa-webchat) is installed from
# npm with `npm ci` in webchat/. Installs Debian's nodejs and npm packages when missing.
set -euo pipefail
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    exit 0
fi
echo "node or npm not found: installing Debian's nodejs and npm packages"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "ERROR: need root (or sudo) to apt-get install nodejs npm; install them, then re-run." >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q nodejs npm >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q nodejs npm >/dev/null
}
echo "node $(node --version), npm $(npm --version)"
