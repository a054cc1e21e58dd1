#!/usr/bin/env bash
# Installs what `make test` and `make run` need on a fresh Debian machine:
# uv (from PyPI), the PostgreSQL server binaries, nginx (the local
# gateway's proxy), wrk (make bench), Node.js with npm (make web) and
# Chromium (make test-web), from Debian. Safe to run again: it installs only
# what is missing.
set -euo pipefail

log() { printf 'bootstrap: %s\n' "$*" >&2; }

install_uv() {
  python3 -m pip install --quiet --disable-pip-version-check uv 2>/dev/null && return 0
  # A distribution's own Python refuses pip installs (PEP 668): give uv a venv.
  local venv="$HOME/.local/share/bazaar-uv"
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check uv \
    && mkdir -p "$HOME/.local/bin" && ln -sf "$venv/bin/uv" "$HOME/.local/bin/uv"
}

if ! command -v uv >/dev/null 2>&1; then
  log "installing uv from PyPI"
  install_uv || { log "could not install uv: install it (pip install uv) and retry"; exit 1; }
fi

# Debian packages install as root, or through sudo where it needs no password
# (a CI runner); anyone else is told what to install.
as_root=
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo -n"
fi
can_apt_install() {
  { [ "$(id -u)" -eq 0 ] || [ -n "$as_root" ]; } && command -v apt-get >/dev/null 2>&1
}
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { $as_root apt-get update -qq; apt_updated=1; }
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

have_postgres() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

# With DATABASE_URL the suite uses that server, but a few tests (a service's
# readiness while its database stops) run a server of their own: install the
# binaries whenever possible, require them only without DATABASE_URL.
if ! have_postgres; then
  if can_apt_install; then
    log "installing PostgreSQL server binaries from Debian"
    apt_install postgresql
  elif [ -n "${DATABASE_URL:-}" ]; then
    log "PostgreSQL binaries not found: the tests that start a server of their own will fail"
  else
    log "PostgreSQL binaries (initdb, pg_ctl) not found and cannot install them as $(id -un):"
    log "install PostgreSQL 15+ or set DATABASE_URL to a server where you may create databases"
    exit 1
  fi
fi

# The gateway finds nginx on PATH or at Debian's /usr/sbin/nginx.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if can_apt_install; then
    # With systemd, Debian also starts its default site (port 80); the gateway
    # does not use it: it runs nginx itself, with its own config.
    log "installing nginx from Debian (the local gateway's proxy)"
    apt_install nginx
  else
    log "nginx not found and cannot install it as $(id -un): install nginx 1.19.5+"
    log "(apt-get install nginx, brew install nginx) for the local gateway and its tests"
    exit 1
  fi
fi

# wrk (the load generator of make bench and its test); taskset comes with
# util-linux, on every Debian.
if ! command -v wrk >/dev/null 2>&1; then
  if can_apt_install; then
    log "installing wrk from Debian (make bench's load generator)"
    apt_install wrk
  else
    log "wrk not found and cannot install it as $(id -un): make bench needs it (apt-get install wrk)"
  fi
fi

# Node.js and npm build the browser app (make web); Chromium runs the
# browser tests (make test-web), driven by Playwright from the dev tools.
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if can_apt_install; then
      log "installing $tool from Debian (make web builds the browser app)"
      apt_install nodejs npm
    else
      log "$tool not found and cannot install it as $(id -un): make web needs Node.js 20+ and npm"
    fi
  fi
done
# GitHub's Ubuntu runners have Google Chrome (Ubuntu's chromium is a snap).
if ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  if can_apt_install; then
    log "installing chromium from Debian (the browser tests' browser)"
    apt_install chromium
  else
    log "chromium not found and cannot install it as $(id -un): make test-web needs it"
  fi
fi
