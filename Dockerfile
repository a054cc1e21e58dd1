# One image recipe for every Bazaar service (and the devstack bootstrap):
#
#   docker build --build-arg SERVICE=inventory --build-arg SERVICE_PORT=8001 \
#     -t bazaar/inventory .
#
# scripts/docker/build_images.sh builds them all, reading each port from the
# service catalog. BASE_IMAGE defaults to the official Python slim image; a
# machine without a registry passes the local one (build_base_image.sh).
ARG BASE_IMAGE=python:3.11-slim

# --- manifests: only what decides the dependencies --------------------------
# Copying the whole tree and keeping just the pyproject files lets the next
# stage's dependency layer stay cached while only source files change (the
# classic builder has no COPY --parents).
FROM ${BASE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name pyproject.toml ! -name uv.lock ! -name README.md -delete \
 && find . -type d -empty -delete

# --- builder: uv resolves from uv.lock into /app/.venv ----------------------
FROM ${BASE_IMAGE} AS builder
ARG UV_VERSION=0.13.9
# Build-time only. build_images.sh may place the host's CA bundle here when
# TLS to the package index is intercepted; this stage is discarded and the
# final stage copies nothing from /tmp. The [m] glob lets the file be absent.
COPY build-ca.pe[m] /tmp/
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_NATIVE_TLS=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
SHELL ["/bin/sh", "-eu", "-c"]
RUN if [ -s /tmp/build-ca.pem ]; then export SSL_CERT_FILE=/tmp/build-ca.pem PIP_CERT=/tmp/build-ca.pem; fi \
 && python3 -m venv /opt/uv \
 && /opt/uv/bin/pip install --quiet "uv==${UV_VERSION}"
# Declared after the uv layer so every service's build shares that layer.
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<name>" >&2; exit 1; }
WORKDIR /src
# The third-party dependencies first: this layer changes only with uv.lock.
COPY --from=manifests /src /src
RUN if [ -s /tmp/build-ca.pem ]; then export SSL_CERT_FILE=/tmp/build-ca.pem; fi \
 && /opt/uv/bin/uv sync --locked --no-dev --no-install-workspace --package "bazaar-${SERVICE}" \
      --python python3
# Then the workspace members this service depends on, installed as wheels
# (not editable), so /app/.venv is self-contained and /src can be dropped.
COPY . .
RUN if [ -s /tmp/build-ca.pem ]; then export SSL_CERT_FILE=/tmp/build-ca.pem; fi \
 && /opt/uv/bin/uv sync --locked --no-dev --no-editable --package "bazaar-${SERVICE}" \
      --python python3 \
 && ln -s "bazaar-${SERVICE}" /app/.venv/bin/bazaar-service \
 && mkdir -p /app/catalog \
 && if [ "${SERVICE}" = devstack ]; then \
      for file in services/*/src/*/service.yaml infra/terraform/modules/alb/rate_limit.json; do \
        mkdir -p "/app/catalog/$(dirname "$file")" && cp "$file" "/app/catalog/$file"; \
      done; \
    fi

# --- final: the interpreter, the venv, a non-root user ----------------------
FROM ${BASE_IMAGE}
# Programs from Debian a tool image needs beside Python: the devstack image
# carries nginx for the gateway (build_images.sh and docker-compose.yml pass
# it). Empty for the services, whose images add no package at all.
ARG SYSTEM_PACKAGES=""
# Not pinned (DL3008): bookworm's point releases replace these versions.
# hadolint ignore=DL3008
RUN if [ -n "${SYSTEM_PACKAGES}" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${SYSTEM_PACKAGES} \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# A fixed uid so volumes and Kubernetes/ECS securityContext can name it.
RUN groupadd --system --gid 10001 bazaar \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin bazaar \
 && mkdir -p /run/bazaar && chown 10001:10001 /run/bazaar
# Declared after the shared layers above, so every service's build reuses them.
ARG SERVICE
ARG SERVICE_PORT=8000
LABEL org.opencontainers.image.title="bazaar-${SERVICE}" \
      org.opencontainers.image.source="bazaar monorepo"
# /run/bazaar: the mount point of compose's shared bootstrap volume (the
# local pool's AUTH_* settings); a new volume takes this owner, so the
# non-root bootstrap can write it. Unused in AWS.
# /app/catalog holds the service catalog for the devstack bootstrap only
# (empty in service images), and the WAF's rate limit for its gateway; the
# services' own service.yaml and migrations are package data inside the venv.
COPY --from=builder /app /app
# PATH spelled out: a base imported from a root filesystem sets none.
# No ENVIRONMENT: whoever runs the image says where (compose: local, a task
# definition: its environment); a container nobody told refuses to start
# rather than skip the production checks (bazaar_common.settings).
ENV PATH=/app/.venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=${SERVICE_PORT}
WORKDIR /app
USER 10001:10001
EXPOSE ${SERVICE_PORT}
# /healthz: the process serves (readiness, with its database, is /readyz).
# urllib, because the image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['PORT'] + '/healthz', timeout=2)"]
# bazaar-service links to the package's console script, i.e. python -m bazaar_<service>.
CMD ["bazaar-service"]
