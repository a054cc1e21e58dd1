#!/usr/bin/env bash
# Start a Docker engine when none answers, and wait until it does.
#
# On a developer's machine Docker Desktop or the system service already runs,
# so this does nothing. On CI and the project's sandboxes there is no init
# system: it installs docker.io from Debian if missing and runs dockerd in the
# background with the vfs storage driver (overlayfs is not available inside
# the sandbox). Its log goes to $DOCKERD_LOG.
set -euo pipefail

DOCKERD_LOG=${DOCKERD_LOG:-/tmp/bazaar-dockerd.log}
STORAGE_DRIVER=${DOCKER_STORAGE_DRIVER:-vfs}

if docker info >/dev/null 2>&1; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "start_dockerd: installing docker.io" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

echo "start_dockerd: starting dockerd (storage driver $STORAGE_DRIVER, log $DOCKERD_LOG)" >&2
# setsid: the engine outlives this script and is not killed with its group.
setsid dockerd --storage-driver "$STORAGE_DRIVER" >"$DOCKERD_LOG" 2>&1 < /dev/null &
echo $! > /tmp/bazaar-dockerd.pid

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "start_dockerd: dockerd did not answer within 60 s; see $DOCKERD_LOG" >&2
tail -20 "$DOCKERD_LOG" >&2
exit 1
