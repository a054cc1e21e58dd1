"""What the gateway listens on, where its targets are, and its ALB-like limits."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# ALB's defaults: a 60 s idle timeout, 10 s to connect to a target.
ALB_IDLE_TIMEOUT_SECONDS = 60.0
ALB_CONNECT_TIMEOUT_SECONDS = 10.0
# Larger than the services' own MAX_BODY_BYTES (64 KiB), so the service's
# 413 (with its request id) is what a client normally sees; this bound only
# keeps nginx's buffering in memory.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Target:
    """One service's target: a plain HTTP server on ``host:port``."""

    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname or parts.path not in ("", "/"):
            raise ValueError(f"target {url!r} is not of the form http://host:port")
        try:
            port = parts.port
        except ValueError as error:
            raise ValueError(f"target {url!r} has an invalid port") from error
        if port is None:
            raise ValueError(f"target {url!r} names no port")
        return cls(parts.hostname, port)

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"


@dataclass(frozen=True)
class GatewaySettings:
    port: int = 8080
    host: str = "127.0.0.1"
    idle_timeout_seconds: float = ALB_IDLE_TIMEOUT_SECONDS
    connect_timeout_seconds: float = ALB_CONNECT_TIMEOUT_SECONDS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    worker_processes: int = 1
    access_log: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65_535:
            raise ValueError(f"port {self.port} is out of range")
        if self.idle_timeout_seconds <= 0 or self.connect_timeout_seconds <= 0:
            raise ValueError("timeouts must be positive")
        if self.max_body_bytes < 1024:
            raise ValueError("max_body_bytes must be at least 1024")
        if not 1 <= self.worker_processes <= 64:
            raise ValueError("worker_processes must be between 1 and 64")
