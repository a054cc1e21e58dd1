"""Start a service under uvicorn with production settings.

The port comes from ``PORT`` or else the service's catalog entry. On SIGTERM
uvicorn stops accepting, lets in-flight requests finish for up to
``SHUTDOWN_GRACE_SECONDS`` (below ECS's stop timeout), then runs the lifespan's
shutdown.
"""

from __future__ import annotations

import os

import uvicorn

from bazaar_common.catalog import load_own_entry

DEFAULT_SHUTDOWN_GRACE_SECONDS = 20


def serve(package: str, app_factory: str) -> None:
    entry = load_own_entry(package)
    uvicorn.run(
        app_factory,
        factory=True,
        host=os.environ.get("HOST", "0.0.0.0"),  # noqa: S104 - a container listens on all
        port=int(os.environ.get("PORT", entry.port)),
        workers=int(os.environ.get("WEB_CONCURRENCY", "1")),
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        server_header=False,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=int(
            os.environ.get("SHUTDOWN_GRACE_SECONDS", DEFAULT_SHUTDOWN_GRACE_SECONDS)
        ),
    )
