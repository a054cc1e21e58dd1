# A stand-in for the official python:3.11-slim, for machines that reach
# Debian's mirror but no container registry (see build_base_image.sh).
# Debian bookworm's python3 is 3.11, the version the services target.
ARG DEBIAN_IMAGE=bazaar/debian:bookworm
FROM ${DEBIAN_IMAGE}

# Not pinned (DL3008): bookworm's point releases replace these versions, so
# exact pins break the build on every security update.
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-venv ca-certificates \
 && ln -s /usr/bin/python3 /usr/local/bin/python \
 && rm -rf /var/lib/apt/lists/*

# An imported root filesystem carries no environment; these match the official image.
ENV LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["python3"]
