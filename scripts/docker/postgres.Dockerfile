# PostgreSQL for docker compose where the official postgres image cannot be
# pulled: Debian bookworm's postgresql (15) on the same local base.
# docker-compose.yml uses POSTGRES_IMAGE to pick this or the official one.
ARG DEBIAN_IMAGE=bazaar/debian:bookworm
FROM ${DEBIAN_IMAGE}

# Not pinned (DL3008): bookworm's point releases replace these versions, so
# exact pins break the build on every security update.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*

COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint.sh
# A new volume mounted here takes this owner and mode, so initdb may use it.
RUN install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
# The package picks the postgres uid at install time; the name is what is stable.
# hadolint ignore=DL3066
USER postgres
EXPOSE 5432
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD ["pg_isready", "-h", "127.0.0.1", "-U", "postgres"]
ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]
