#!/usr/bin/env bash
# Queue mode runs on Debian's PostgreSQL, Redis and nginx; install them once when missing. The
# harness runs its own throwaway instances on loopback ports, whatever the packages set up.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/postgres > /dev/null 2>&1 && [ -x /usr/bin/redis-server ] && [ -x /usr/sbin/nginx ]; then exit 0; fi
echo "Installing Debian's postgresql, redis-server and nginx for the queue-mode tests…"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql redis-server nginx > /dev/null
echo "installed: $(ls -d /usr/lib/postgresql/*/bin/postgres), $(/usr/bin/redis-server --version | cut -d' ' -f1-3), $(/usr/sbin/nginx -v 2>&1)"
