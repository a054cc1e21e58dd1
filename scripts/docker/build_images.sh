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

port_of() {
  local yaml
  yaml=$(ls services/"$1"/src/*/service.yaml 2>/dev/null | head -1)
  # devstack is no server; 8080 is the gateway port it will serve later.
  [[ -n "$yaml" ]] || { echo 8080; return; }
  sed -n 's/^port: *\([0-9]*\).*/\1/p' "$yaml"
}

# Postgres for compose: Debian's postgresql on the same Debian the base came
# from (the official postgres image is the alternative: POSTGRES_IMAGE).
if [[ -z "${SKIP_POSTGRES_IMAGE:-}" ]]; then
  if [[ "$BASE_IMAGE" == bazaar/* ]]; then debian=bazaar/debian:bookworm; else debian=debian:bookworm-slim; fi
  start=$(date +%s)
  docker build --quiet --build-arg DEBIAN_IMAGE="$debian" -t bazaar/postgres:15 \
    -f scripts/docker/postgres.Dockerfile scripts/docker >/dev/null
  echo "built bazaar/postgres:15 in $(( $(date +%s) - start )) s" >&2
fi

# The devstack image also runs the gateway, which is nginx.
system_packages_of() {
  if [[ "$1" == devstack ]]; then echo nginx-light; fi
}

for service in "${services[@]}"; do
  start=$(date +%s)
  docker build --quiet \
    --build-arg BASE_IMAGE="$BASE_IMAGE" \
    --build-arg SERVICE="$service" \
    --build-arg SERVICE_PORT="$(port_of "$service")" \
    --build-arg SYSTEM_PACKAGES="$(system_packages_of "$service")" \
    -t "bazaar/$service:$TAG" . >/dev/null
  echo "built bazaar/$service:$TAG in $(( $(date +%s) - start )) s" >&2
done
