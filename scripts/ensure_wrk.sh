#!/usr/bin/env bash
# Install Debian's wrk (HTTP load generator used by bench/profile_api.py) when missing.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q wrk >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null; $SUDO apt-get install -y -q wrk >/dev/null; }
