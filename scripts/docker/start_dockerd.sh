#!/usr/bin/env bash
# Start a Docker engine when none answers, and wait until it does.
#
# On a developer's machine Docker Desktop or the system service already runs,
# so this does nothing. On CI and the project's sandboxes there is no init
# system: it installs docker.io from Debian if missing and runs dockerd in the
# background. Its log goes to $DOCKERD_LOG.
#
# Storage driver: overlay2 where the kernel mounts overlayfs on the
# filesystem under /var/lib/docker, else vfs. The difference is large: vfs
# copies the whole root filesystem for every layer, so an image took 6-11
# minutes to build here on vfs and ~30 s on overlay2.
# DOCKER_STORAGE_DRIVER overrides the choice.
set -euo pipefail

DOCKERD_LOG=${DOCKERD_LOG:-/tmp/bazaar-dockerd.log}
DATA_ROOT=/var/lib/docker

overlay_works() {
  mkdir -p "$DATA_ROOT"
  local probe
  probe=$(mktemp -d "$DATA_ROOT/.overlay-probe.XXXXXX")
  mkdir "$probe"/{lower,upper,work,merged}
  local status=1
  if mount -t overlay overlay \
       -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" \
       2>/dev/null; then
    umount "$probe/merged"
    status=0
  fi
  rm -rf "$probe"
  return "$status"
}

if docker info >/dev/null 2>&1; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "start_dockerd: installing docker.io" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi

if [[ -n "${DOCKER_STORAGE_DRIVER:-}" ]]; then
  STORAGE_DRIVER=$DOCKER_STORAGE_DRIVER
elif overlay_works; then
  STORAGE_DRIVER=overlay2
else
  STORAGE_DRIVER=vfs
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
