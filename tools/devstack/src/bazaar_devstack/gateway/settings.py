"""What the gateway listens on, where its targets are, and its ALB-like limits."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bazaar_devstack.gateway.rate_limit import RateLimit

if TYPE_CHECKING:
    from bazaar_devstack.gateway.web_app import WebApp

# ALB's defaults: a 60 s idle timeout, 10 s to connect to a target.
ALB_IDLE_TIMEOUT_SECONDS = 60.0
ALB_CONNECT_TIMEOUT_SECONDS = 10.0
# Larger than the services' own MAX_BODY_BYTES (64 KiB), so the service's
# 413 (with its request id) is what a client normally sees; this bound only
# keeps nginx's buffering in memory.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# A DNS name or IPv4 address: labels of letters, digits, '-' and '_' (docker
# compose names containers with underscores). Nothing nginx's config syntax
# could mistake for more than a host.
_HOST_NAME = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9_-]{1,63}(?:\.[A-Za-z0-9_-]{1,63})*\.?\Z")


@dataclass(frozen=True)
class Target:
    """A route's target: a plain HTTP server on ``host:port``.

    The host may be a DNS name with several addresses: nginx balances across
    all of them, as a target group does across its registered tasks.
    """

    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> Target:
        not_a_target = ValueError(f"target {url!r} is not of the form http://host:port")
        try:
            parts = urlsplit(url)
        except ValueError as error:  # a bracketed host that is no IPv6 address
            raise not_a_target from error
        if (
            parts.scheme != "http"
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or parts.username is not None
            or not _is_host(parts.hostname)
        ):
            raise not_a_target
        try:
            port = parts.port
        except ValueError as error:
            raise ValueError(f"target {url!r} has an invalid port") from error
        if port is None:
            raise ValueError(f"target {url!r} names no port")
        if port == 0:
            raise ValueError(f"target {url!r} has an invalid port")
        return cls(parts.hostname, port)

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"


def _is_host(host: str) -> bool:
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    return bool(_HOST_NAME.match(host))


@dataclass(frozen=True)
class GatewaySettings:
    port: int = 8080
    host: str = "127.0.0.1"
    idle_timeout_seconds: float = ALB_IDLE_TIMEOUT_SECONDS
    connect_timeout_seconds: float = ALB_CONNECT_TIMEOUT_SECONDS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    worker_processes: int = 1
    access_log: bool = False
    # None: no limit (a test's gateway); the command reads the WAF's.
    rate_limit: RateLimit | None = None
    # The browser app at every path no route takes (CloudFront's part in
    # AWS); None: ALB's fixed 404 there.
    web: WebApp | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65_535:
            raise ValueError(f"port {self.port} is out of range")
        if self.idle_timeout_seconds <= 0 or self.connect_timeout_seconds <= 0:
            raise ValueError("timeouts must be positive")
        if self.max_body_bytes < 1024:
            raise ValueError("max_body_bytes must be at least 1024")
        if not 1 <= self.worker_processes <= 64:
            raise ValueError("worker_processes must be between 1 and 64")
