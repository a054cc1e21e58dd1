"""The routes file of ``--routes``: an ALB's listener rules and target groups as JSON.

For a platform read back from the AWS API rather than from the catalog::

    {"routes": [{"name": "orders", "priority": 200,
                 "path_patterns": ["/orders", "/orders/*"],
                 "target": "http://orders.local.bazaar.internal:8002",
                 "health_path": "/healthz",
                 "health_check": {"interval_seconds": 5, "timeout_seconds": 2,
                                  "healthy_threshold": 2, "unhealthy_threshold": 2}}]}

Every field but ``health_check`` is required; ``target`` is one URL, a list
of them (a target group's several registered targets, each health-checked
on its own), or null or ``[]`` (a target group with nothing registered:
503). Read strictly, because a typo would otherwise route silently
elsewhere: unknown or repeated keys, wrong JSON types, NaN, and anything
:class:`~.routes.Route` refuses are errors.
An error is a value, one line naming the file and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bazaar_devstack.gateway.health import HealthCheckSettings
from bazaar_devstack.gateway.routes import Route, duplicates_problem
from bazaar_devstack.gateway.settings import Target

ROUTE_FIELDS = ("name", "priority", "path_patterns", "target", "health_path")
OPTIONAL_ROUTE_FIELDS = ("health_check",)
HEALTH_CHECK_FIELDS = (
    "interval_seconds",
    "timeout_seconds",
    "healthy_threshold",
    "unhealthy_threshold",
)


@dataclass(frozen=True)
class RoutesFileError:
    """Why a routes file cannot be served: one line, naming the file and the field."""

    message: str

    def __str__(self) -> str:
        return self.message


class _Invalid(Exception):
    """Raised deep in the document, returned as a RoutesFileError at the top."""


def read_routes(path: Path) -> list[Route] | RoutesFileError:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return RoutesFileError(f"{path}: no such routes file")
    except UnicodeDecodeError:
        return RoutesFileError(f"{path}: not UTF-8 text")
    except OSError as error:
        return RoutesFileError(f"{path}: cannot be read: {error.strerror}")
    return parse_routes(text, str(path))


def parse_routes(text: str, source: str) -> list[Route] | RoutesFileError:
    """The routes in ``text`` (the file ``source``), in the file's order."""
    try:
        document = json.loads(text, object_pairs_hook=_object, parse_constant=_no_constant)
        return _routes(document)
    except json.JSONDecodeError as error:
        return RoutesFileError(f"{source}: not valid JSON: {error}")
    except _Invalid as error:
        return RoutesFileError(f"{source}: {error}")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys; a file saying both is ambiguous.
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise _Invalid(f"the key {key!r} appears twice in one object")
        document[key] = value
    return document


def _no_constant(constant: str) -> None:
    raise _Invalid(f"{constant} is not a JSON number")


def _routes(document: object) -> list[Route]:
    fields = _fields(document, "the document", required=("routes",))
    items = fields["routes"]
    if not isinstance(items, list):
        raise _Invalid(f"routes: {_shown(items)} is not a list")
    routes = [_route(item, f"routes[{index}]") for index, item in enumerate(items)]
    problem = duplicates_problem(routes)
    if problem:
        raise _Invalid(problem)
    return routes


def _route(item: object, where: str) -> Route:
    fields = _fields(item, where, required=ROUTE_FIELDS, optional=OPTIONAL_ROUTE_FIELDS)
    name = _string(fields["name"], f"{where}.name")
    priority = _integer(fields["priority"], f"{where}.priority")
    patterns = _strings(fields["path_patterns"], f"{where}.path_patterns")
    targets = _targets(fields["target"], f"{where}.target")
    health_path = _string(fields["health_path"], f"{where}.health_path")
    health_check = (
        _health_check(fields["health_check"], f"{where}.health_check")
        if "health_check" in fields
        else None
    )
    try:
        return Route(name, priority, patterns, targets, health_path, health_check)
    except ValueError as error:
        raise _Invalid(f"{where}: {error}") from error


def _targets(value: object, where: str) -> tuple[Target, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(_target(item, f"{where}[{index}]") for index, item in enumerate(value))
    return (_target(value, where),)


def _target(value: object, where: str) -> Target:
    try:
        return Target.parse(_string(value, where))
    except ValueError as error:
        raise _Invalid(f"{where}: {error}") from error


def _health_check(value: object, where: str) -> HealthCheckSettings:
    fields = _fields(value, where, required=HEALTH_CHECK_FIELDS)
    try:
        return HealthCheckSettings(
            interval_seconds=_seconds(fields["interval_seconds"], f"{where}.interval_seconds"),
            timeout_seconds=_seconds(fields["timeout_seconds"], f"{where}.timeout_seconds"),
            healthy_threshold=_integer(fields["healthy_threshold"], f"{where}.healthy_threshold"),
            unhealthy_threshold=_integer(
                fields["unhealthy_threshold"], f"{where}.unhealthy_threshold"
            ),
        )
    except ValueError as error:
        raise _Invalid(f"{where}: {error}") from error


def _fields(
    value: object, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(f"{where}: {_shown(value)} is not an object")
    allowed = (*required, *optional)
    for key in value:
        if key not in allowed:
            raise _Invalid(f"{where}: unknown field {key!r} (known: {', '.join(allowed)})")
    for key in required:
        if key not in value:
            raise _Invalid(f"{where}: missing field {key!r}")
    return value


def _string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"{where}: {_shown(value)} is not a string")
    return value


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid(f"{where}: {_shown(value)} is not a list of strings")
    return tuple(value)


def _integer(value: object, where: str) -> int:
    # bool is an int to Python, not to JSON.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"{where}: {_shown(value)} is not an integer")
    return value


def _seconds(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"{where}: {_shown(value)} is not a number")
    return float(value)


def _shown(value: object, limit: int = 40) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
