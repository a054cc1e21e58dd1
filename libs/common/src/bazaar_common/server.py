"""Start a service under uvicorn with production settings.

The port comes from ``PORT`` or else the service's catalog entry. On SIGTERM
the process first drains for ``DRAIN_SECONDS`` (not ready, still serving; see
``http/draining.py``), then uvicorn stops accepting, lets in-flight requests
finish for up to ``SHUTDOWN_GRACE_SECONDS``, then runs the lifespan's
shutdown, which stops the consumer and relay within ``STOP_TIMEOUT_SECONDS``.
The defaults (0 s + 10 s + 15 s) stay inside ECS's default 30 s stop timeout;
ECS has already taken the task out of its target group before SIGTERM. With
``WEB_CONCURRENCY`` above 1, uvicorn's worker supervisor handles the signals
and there is no drain.

An idle keep-alive connection is kept ``KEEP_ALIVE_SECONDS`` (75 s), longer
than the ALB keeps its side (60 s idle timeout): the balancer, not the
target, must be the one to close an idle connection, or a request it sends
on a connection uvicorn is closing at that moment comes back as a 502.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

import uvicorn
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bazaar_common.catalog import load_own_entry
from bazaar_common.http.draining import DrainingServer
from bazaar_common.settings import load_settings

# uvicorn's exit status for a server that did not start (uvicorn.run's own).
STARTUP_FAILURE = 3


class ServerSettings(BaseSettings):
    """How the process listens; checked like every other setting."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    host: str = "0.0.0.0"  # noqa: S104 - a container listens on all its interfaces
    port: int | None = Field(default=None, ge=1, le=65_535)
    web_concurrency: int = Field(default=1, ge=1, le=64)
    forwarded_allow_ips: str = "127.0.0.1"
    shutdown_grace_seconds: int = Field(default=10, ge=0, le=120)
    drain_seconds: float = Field(default=0, ge=0, le=120)
    keep_alive_seconds: int = Field(default=75, ge=1, le=4_000)


def uvicorn_options(server: ServerSettings, default_port: int) -> dict[str, Any]:
    """How every service runs uvicorn; make bench serves its bare baseline app the same way."""
    return {
        "host": server.host,
        "port": server.port or default_port,
        "workers": server.web_concurrency,
        "proxy_headers": True,
        "forwarded_allow_ips": server.forwarded_allow_ips,
        "server_header": False,
        "access_log": False,
        "log_config": None,
        "timeout_graceful_shutdown": server.shutdown_grace_seconds,
        "timeout_keep_alive": server.keep_alive_seconds,
    }


def serve(package: str, app_factory: str) -> None:
    entry = load_own_entry(package)
    server = load_settings(ServerSettings)
    options = uvicorn_options(server, entry.port)
    if server.web_concurrency > 1:
        uvicorn.run(app_factory, factory=True, **options)
        return
    config = uvicorn.Config(app_factory, factory=True, **options)
    draining = DrainingServer(config, drain_seconds=server.drain_seconds)
    with contextlib.suppress(KeyboardInterrupt):  # SIGINT, raised again after a clean stop
        draining.run()
    if not draining.started:  # as uvicorn.run: a failed start is not a clean exit
        sys.exit(STARTUP_FAILURE)
