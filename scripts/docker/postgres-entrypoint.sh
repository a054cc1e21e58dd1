#!/bin/sh
# Initialise the cluster on first start (password auth over TCP, the
# databases named in POSTGRES_DATABASES), then run postgres in the foreground
# with any arguments given (e.g. -c port=5433).
# The environment mirrors the official image's: POSTGRES_PASSWORD.
# POSTGRES_REQUIRE_TLS=1 refuses TCP clients without TLS, as Aurora with
# rds.force_ssl does (tools/ecslocal's stand-in), with the certificate
# Debian's ssl-cert made when the image was built.
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
if [ "${POSTGRES_REQUIRE_TLS:-0}" = 1 ]; then
  remote=hostssl
  set -- -c ssl=on -c ssl_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem \
    -c ssl_key_file=/etc/ssl/private/ssl-cert-snakeoil.key "$@"
else
  remote=host
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --username=postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  echo "$remote all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k /tmp" -w start >/dev/null
  for database in ${POSTGRES_DATABASES:-}; do
    psql -h /tmp -U postgres -qc "CREATE DATABASE \"$database\""
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -k /tmp "$@"
