#!/usr/bin/env bash
# Installs what `make test` and `make run` need on a fresh Debian machine:
# uv (from PyPI) and the PostgreSQL server binaries (from Debian) unless a
# DATABASE_URL names a server to use. Safe to run again: it installs only
# what is missing.
set -euo pipefail

log() { printf 'bootstrap: %s\n' "$*" >&2; }

if ! command -v uv >/dev/null 2>&1; then
  log "installing uv from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check uv \
    || python3 -m pip install --quiet --disable-pip-version-check --user uv
fi

have_postgres() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

if [ -z "${DATABASE_URL:-}" ] && ! have_postgres; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing PostgreSQL server binaries from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  else
    log "PostgreSQL binaries (initdb, pg_ctl) not found and cannot install them as $(id -un):"
    log "install PostgreSQL 15+ or set DATABASE_URL to a server where you may create databases"
    exit 1
  fi
fi
