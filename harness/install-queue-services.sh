#!/usr/bin/env bash
# Queue mode runs on Debian's PostgreSQL and Redis; install them once when missing. The harness
# starts its own throwaway servers on loopback, so no system service is enabled or started.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/postgres > /dev/null 2>&1 && [ -x /usr/bin/redis-server ]; then exit 0; fi
echo "Installing Debian's postgresql and redis-server for the queue-mode tests…"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql redis-server > /dev/null
echo "installed: $(ls -d /usr/lib/postgresql/*/bin/postgres) and $(/usr/bin/redis-server --version | cut -d' ' -f1-3)"
