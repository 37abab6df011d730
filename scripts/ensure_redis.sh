#!/usr/bin/env bash
# Make sure a redis-server binary exists: tests start their own throwaway server on loopback,
# and `REDIS_URL` deployments use a real one. Installs Debian's package when missing.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
    exit 0
fi
echo "redis-server not found: installing Debian's redis-server package"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "ERROR: need root (or sudo) to apt-get install redis-server; install it, then re-run." >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q redis-server >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q redis-server >/dev/null
}
command -v redis-server >/dev/null
