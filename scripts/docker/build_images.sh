#!/usr/bin/env bash
# Build bazaar/<service>:local for every service in the catalog, plus
# bazaar/devstack:local (the compose bootstrap step), from the root Dockerfile.
#
#   scripts/docker/build_images.sh [service ...]
#
# BASE_IMAGE: the Python base; default: what build_base_image.sh provides
# (the official image, or a local one where no registry answers).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BASE_IMAGE=${BASE_IMAGE:-$(scripts/docker/build_base_image.sh)}
TAG=${IMAGE_TAG:-local}

if [[ $# -gt 0 ]]; then
  services=("$@")
else
  services=()
  for dir in services/*/; do services+=("$(basename "$dir")"); done
  services+=(devstack)
fi

# Where TLS to the package index goes through an intercepting proxy, the
# builder stage needs the host's CA bundle. It sits in the context only for
# the build and never reaches a final image (see the Dockerfile).
ca=${BUILD_CA_BUNDLE:-${SSL_CERT_FILE:-}}
if [[ -n "$ca" && -s "$ca" ]]; then
  cp "$ca" build-ca.pem
  trap 'rm -f "$root/build-ca.pem"' EXIT
fi

# Postgres for compose: Debian's postgresql on the same Debian the base came
# from (the official postgres image is the alternative: POSTGRES_IMAGE).
if [[ -z "${SKIP_POSTGRES_IMAGE:-}" ]]; then
  if [[ "$BASE_IMAGE" == bazaar/* ]]; then debian=bazaar/debian:bookworm; else debian=debian:bookworm-slim; fi
  start=$(date +%s)
  docker build --quiet --build-arg DEBIAN_IMAGE="$debian" -t bazaar/postgres:15 \
    -f scripts/docker/postgres.Dockerfile scripts/docker >/dev/null
  echo "built bazaar/postgres:15 in $(( $(date +%s) - start )) s" >&2
fi

# Each image's --build-arg values (port from the catalog, devstack's nginx)
# come from bazaar_delivery, which CI's image builds read too.
build_args_of() {
  uv run --no-sync --quiet python -m bazaar_delivery build-args "$1" | sed 's/^/--build-arg=/'
}

for service in "${services[@]}"; do
  start=$(date +%s)
  mapfile -t args < <(build_args_of "$service")
  [[ ${#args[@]} -gt 0 ]] || { echo "build_images: no build arguments for $service" >&2; exit 1; }
  # shellcheck disable=SC2086 # DOCKER_BUILD_FLAGS is a list of flags (CI's cache options)
  docker build --quiet ${DOCKER_BUILD_FLAGS:-} --build-arg BASE_IMAGE="$BASE_IMAGE" "${args[@]}" \
    -t "bazaar/$service:$TAG" . >/dev/null
  echo "built bazaar/$service:$TAG in $(( $(date +%s) - start )) s" >&2
done
