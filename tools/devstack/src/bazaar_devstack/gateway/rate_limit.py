"""The per-client rate limit: WAF's ``rate-limit-per-ip`` rule, from the file Terraform reads.

AWS WAF counts each client address's requests over a sliding window
(``window_seconds``) and answers 429 once there were more than ``requests``.
The numbers are written once, in ``infra/terraform/modules/alb/rate_limit.json``:
Terraform's alb module and this gateway both read that file, so the limit a
client meets locally is the one AWS applies.

nginx has no sliding-window counter; it has a leaky bucket (``limit_req``).
The translation (see :mod:`.config`): a bucket of ``requests`` that drains at
``requests / window_seconds`` per second. A client may send ``requests`` at
once and then ``requests`` per window, as under WAF; unlike WAF, a client
that starts with a full burst and keeps sending at the drain rate gets up to
twice ``requests`` in its first window, and a limited client is served again
as soon as one slot has drained rather than when its oldest requests leave
the window. WAF evaluates every few seconds, so it lets some excess through
too; neither is exact to the request.
"""

from __future__ import annotations

import ipaddress
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Relative to the repository root (the gateway's --root).
RATE_LIMIT_FILE = Path("infra/terraform/modules/alb/rate_limit.json")
# What WAF accepts for a rate-based rule.
MIN_REQUESTS, MAX_REQUESTS = 10, 2_000_000_000
WINDOWS_SECONDS = (60, 120, 300, 600)
_FIELDS = {"description", "requests_per_ip", "window_seconds", "retry_after_seconds"}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` per client address per ``window_seconds``; ``exempt`` not counted."""

    requests: int
    window_seconds: int
    retry_after_seconds: int
    exempt: tuple[Network, ...] = ()

    def __post_init__(self) -> None:
        if not MIN_REQUESTS <= self.requests <= MAX_REQUESTS:
            raise ValueError(
                f"a rate limit of {self.requests} is outside WAF's {MIN_REQUESTS} to {MAX_REQUESTS}"
            )
        if self.window_seconds not in WINDOWS_SECONDS:
            raise ValueError(
                f"a rate window of {self.window_seconds} s is none of WAF's {WINDOWS_SECONDS}"
            )
        # A limited client told to come back after Retry-After must find a
        # slot drained by then.
        if self.retry_after_seconds < math.ceil(self.window_seconds / self.requests):
            raise ValueError(
                f"Retry-After {self.retry_after_seconds} s is shorter than the "
                f"{self.window_seconds / self.requests:g} s one request's slot takes to drain"
            )

    def with_requests(self, requests: int) -> RateLimit:
        return RateLimit(requests, self.window_seconds, self.retry_after_seconds, self.exempt)

    def with_exempt(self, cidrs: Iterable[str]) -> RateLimit:
        return RateLimit(
            self.requests,
            self.window_seconds,
            self.retry_after_seconds,
            (*self.exempt, *map(exempt_network, cidrs)),
        )


def exempt_network(cidr: str) -> Network:
    """A client network to exempt: an address or a CIDR, IPv4 or IPv6, host bits zero."""
    try:
        return ipaddress.ip_network(cidr)
    except ValueError as error:
        raise ValueError(f"rate limit exemption {cidr!r} is not an address or CIDR") from error


def read_rate_limit(root: Path) -> RateLimit:
    """The limit in the repository at ``root``; ValueError naming the file if it is not one."""
    path = root / RATE_LIMIT_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ValueError(f"no {RATE_LIMIT_FILE} under {root}: pass --root") from error
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: cannot be read as JSON: {error}") from error
    if not isinstance(document, dict) or set(document) != _FIELDS:
        raise ValueError(f"{path}: its fields must be exactly {', '.join(sorted(_FIELDS))}")
    numbers = [
        document[key] for key in ("requests_per_ip", "window_seconds", "retry_after_seconds")
    ]
    if not all(type(number) is int for number in numbers):
        raise ValueError(
            f"{path}: requests_per_ip, window_seconds and retry_after_seconds must be integers"
        )
    try:
        return RateLimit(*numbers)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from error
