"""A route: one ALB listener rule and its target group, the gateway's only notion of where to send.

Built from the service catalog (:meth:`Route.of`, for ``make run`` and docker
compose) or read from a routes file (:mod:`.routes_file`, for a platform read
back from the AWS API). Either way the renderer, the runner and the health
checker see the same value, so the two ways cannot behave differently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bazaar_common.catalog import ServiceEntry
from bazaar_devstack.gateway.health import HealthCheckSettings
from bazaar_devstack.gateway.settings import Target

# ALB's limits for a listener rule.
MIN_PRIORITY, MAX_PRIORITY = 1, 50_000
MAX_PATH_PATTERN_LENGTH = 128
# A rule has at most five condition values, and path patterns are ours only.
MAX_PATH_PATTERNS = 5
# ALB's health check path may be up to 1024 characters.
MAX_HEALTH_PATH_LENGTH = 1024
# The characters ALB allows in a path pattern ('*' and '?' are its wildcards).
_PATH_PATTERN = re.compile(r"/[A-Za-z0-9_\-.$/~\"'@:+&*?]*\Z")
# Lower case only: nginx compares upstream names case-insensitively, so
# "Orders" and "orders" would be one upstream. No '_': "a-b" and "a_b" would be too.
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,31}\Z")
# What an HTTP request target may hold, without spaces or control characters.
_HEALTH_PATH = re.compile(r"/[\x21-\x7e]*\Z")


@dataclass(frozen=True)
class Route:
    """Requests whose path matches one of ``path_patterns`` go to one of ``targets``.

    Rules are tried by ascending ``priority``, as an ALB tries its listener
    rules; the first match wins. ``targets`` are the target group's
    registered targets (several tasks of one service, as during a rolling
    restart): each is health-checked at ``health_path`` on its own, and
    requests go to the healthy ones. A route with no target registered, or
    none healthy, answers 503. ``health_check`` None means the gateway's default.
    """

    name: str
    priority: int
    path_patterns: tuple[str, ...]
    targets: tuple[Target, ...]
    health_path: str
    health_check: HealthCheckSettings | None = None

    def __post_init__(self) -> None:
        problem = route_problem(self)
        if problem:
            raise ValueError(problem)

    @classmethod
    def of(cls, entry: ServiceEntry, targets: Sequence[Target] = ()) -> Route:
        """The catalog entry's listener rule (the one Terraform creates), to ``targets``."""
        return cls(
            name=entry.name,
            priority=entry.route.priority,
            path_patterns=tuple(entry.route.path_patterns),
            targets=tuple(targets),
            health_path=entry.health_path,
        )

    @property
    def registered(self) -> tuple[RouteTarget, ...]:
        return tuple(RouteTarget(self.name, target) for target in self.targets)

    def health_url(self, target: Target) -> str:
        return target.url + self.health_path


@dataclass(frozen=True)
class RouteTarget:
    """One registered target of one route: what is health-checked and served on its own.

    The same address may be a target of two routes (two target groups), and
    each route's check of it is its own, as each target group's is.
    """

    route: str
    target: Target

    def __str__(self) -> str:
        return f"{self.route} {self.target.url}"


def catalog_routes(
    entries: Iterable[ServiceEntry], targets: Mapping[str, Sequence[Target]]
) -> list[Route]:
    """One route per catalog service; a service missing from ``targets`` has none (503)."""
    entries = list(entries)
    unknown = sorted(set(targets) - {entry.name for entry in entries})
    if unknown:
        known = ", ".join(sorted(entry.name for entry in entries))
        raise ValueError(f"no service named {', '.join(unknown)} in the catalog ({known})")
    return [Route.of(entry, targets.get(entry.name, ())) for entry in entries]


def by_priority(routes: Iterable[Route]) -> list[Route]:
    return sorted(routes, key=lambda route: route.priority)


def route_problem(route: Route) -> str | None:
    """Why ``route`` is no ALB listener rule the gateway can serve, or None."""
    return (
        _name_problem(route.name)
        or _priority_problem(route.priority)
        or _path_patterns_problem(route.path_patterns)
        or _health_path_problem(route.health_path)
        or _targets_problem(route.targets)
    )


def _targets_problem(targets: Sequence[Target]) -> str | None:
    # Registered twice, one target would take two shares of the requests.
    seen: set[Target] = set()
    for target in targets:
        if target in seen:
            return f"target {target.url} is registered twice"
        seen.add(target)
    return None


def _name_problem(name: str) -> str | None:
    if _NAME.match(name):
        return None
    return f"name {name!r} is not 1 to 32 lower-case letters, digits and '-', starting alphanumeric"


def _priority_problem(priority: int) -> str | None:
    if MIN_PRIORITY <= priority <= MAX_PRIORITY:
        return None
    return f"priority {priority} is outside ALB's {MIN_PRIORITY} to {MAX_PRIORITY}"


def _path_patterns_problem(patterns: Sequence[str]) -> str | None:
    if not 1 <= len(patterns) <= MAX_PATH_PATTERNS:
        return f"a rule has 1 to {MAX_PATH_PATTERNS} path patterns, not {len(patterns)}"
    return next(filter(None, map(_path_pattern_problem, patterns)), None)


def _path_pattern_problem(pattern: str) -> str | None:
    if not pattern.startswith("/"):
        return f"path pattern {pattern!r} does not start with '/'"
    if len(pattern) > MAX_PATH_PATTERN_LENGTH:
        return f"path pattern {pattern[:20]!r}... is longer than ALB's {MAX_PATH_PATTERN_LENGTH}"
    if not _PATH_PATTERN.match(pattern):
        return (
            f"path pattern {pattern!r} has a character ALB does not allow "
            "(only letters, digits, _ - . $ / ~ \" ' @ : + & and the wildcards * ?)"
        )
    return None


def _health_path_problem(path: str) -> str | None:
    if not path.startswith("/"):
        return f"health path {path!r} does not start with '/'"
    if len(path) > MAX_HEALTH_PATH_LENGTH:
        return f"health path {path[:20]!r}... is longer than ALB's {MAX_HEALTH_PATH_LENGTH}"
    if not _HEALTH_PATH.match(path):
        return f"health path {path!r} has a space or a character outside printable ASCII"
    return None


def duplicates_problem(routes: Sequence[Route]) -> str | None:
    """Two routes with one name would share an upstream; with one priority, no order."""
    seen_names: set[str] = set()
    seen_priorities: dict[int, str] = {}
    for route in routes:
        if route.name in seen_names:
            return f"two routes are named {route.name!r}"
        if route.priority in seen_priorities:
            other = seen_priorities[route.priority]
            return f"routes {other!r} and {route.name!r} share priority {route.priority}"
        seen_names.add(route.name)
        seen_priorities[route.priority] = route.name
    return None
