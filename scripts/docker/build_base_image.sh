#!/usr/bin/env bash
# Make the Python base image the service images build FROM.
#
# Normally that is the official python:3.11-slim, pulled from the registry.
# Where no registry answers (the project's sandboxes and CI), it is built
# here instead: a minimal Debian bookworm root from debootstrap, imported as
# bazaar/debian:bookworm, plus Debian's python3 (3.11 on bookworm) as
# bazaar/python:3.11-slim. Prints the image name to use as BASE_IMAGE.
set -euo pipefail

OFFICIAL=${OFFICIAL_BASE_IMAGE:-python:3.11-slim}
LOCAL_DEBIAN=bazaar/debian:bookworm
LOCAL_PYTHON=bazaar/python:3.11-slim
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)

if [[ "${BAZAAR_LOCAL_BASE:-auto}" != "1" ]]; then
  if docker image inspect "$OFFICIAL" >/dev/null 2>&1 \
     || timeout 60 docker pull -q "$OFFICIAL" >/dev/null 2>&1; then
    echo "$OFFICIAL"
    exit 0
  fi
  echo "build_base_image: $OFFICIAL cannot be pulled; building $LOCAL_PYTHON locally" >&2
fi

if ! docker image inspect "$LOCAL_DEBIAN" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  }
  root=$(mktemp -d /tmp/bazaar-rootfs.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  echo "build_base_image: debootstrap bookworm into $root" >&2
  debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$root.log" 2>&1 \
    || { tail -20 "$root.log" >&2; exit 1; }
  # The apt lists and caches are not part of an image: apt-get update refetches them.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
  # mktemp made the root 0700: the image's / would shut out non-root users.
  chmod 0755 "$root"
  tar -C "$root" -c . | docker import - "$LOCAL_DEBIAN" >/dev/null
  rm -f "$root.log"
fi

if ! docker image inspect "$LOCAL_PYTHON" >/dev/null 2>&1; then
  docker build -q -t "$LOCAL_PYTHON" --build-arg DEBIAN_IMAGE="$LOCAL_DEBIAN" \
    -f "$here/python-base.Dockerfile" "$here" >/dev/null
fi
echo "$LOCAL_PYTHON"
