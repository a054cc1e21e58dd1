"""The service catalog: each service describes itself once, in ``service.yaml``.

The file sits in the service's package, next to its code. The service reads
its own entry at start; the local runtime, the gateway, Terraform and CI read
all of them (Terraform with ``yamldecode``). Nothing about a service is
written down anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

CATALOG_FILE = "service.yaml"
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Route(_Strict):
    """An ALB listener rule: requests whose path starts with the prefix go here."""

    path_prefix: str = Field(pattern=r"^/[a-z][a-z0-9-]*$")
    priority: int = Field(ge=1, le=50_000)

    @property
    def path_patterns(self) -> list[str]:
        """The listener rule's ALB path patterns: the prefix itself and everything under it.

        Not ``prefix*``: ``/inventoryx`` belongs to no one. The gateway and
        Terraform both build their rules from this one list.
        """
        return [self.path_prefix, self.path_prefix + "/*"]


class Resources(_Strict):
    """Fargate task size (CPU units and MiB) and task count bounds."""

    cpu: int = Field(ge=256, le=16_384)
    memory: int = Field(ge=512, le=122_880)
    min_tasks: int = Field(default=1, ge=0, le=100)
    max_tasks: int = Field(default=4, ge=1, le=100)


EventTypeName = Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]{1,63}$")]


class Events(_Strict):
    """What the service puts on the bus and what it takes off it.

    From this come the EventBridge rules, the service's SQS queue and DLQ,
    and the check that its code handles exactly what it says it consumes.
    """

    publishes: list[EventTypeName] = Field(default_factory=list)
    consumes: list[EventTypeName] = Field(default_factory=list)
    consumes_point_to_point: list[EventTypeName] = Field(default_factory=list)
    """Of ``consumes``, the types its publisher's relay sends straight to this
    service's queue instead of through the bus's rule: commands and replies
    meant for this service alone. A type has at most one such receiver; the
    bus still carries it for audit and the archive (docs/adr/0017)."""
    max_receive_count: int = Field(default=5, ge=1, le=1_000)
    visibility_timeout_seconds: int = Field(default=30, ge=1, le=43_200)

    @model_validator(mode="after")
    def _point_to_point_types_are_consumed(self) -> Events:
        strays = sorted(set(self.consumes_point_to_point) - set(self.consumes))
        if strays:
            raise ValueError(
                f"consumes_point_to_point lists {strays}, which are not in consumes: "
                "a service receives point to point only types it consumes"
            )
        return self

    @property
    def consumes_from_bus(self) -> list[str]:
        """The consumed types its EventBridge rule delivers: all but the point-to-point ones."""
        direct = set(self.consumes_point_to_point)
        return [name for name in self.consumes if name not in direct]


class ServiceEntry(_Strict):
    name: Name
    description: str = Field(min_length=1, max_length=200)
    package: str = Field(pattern=r"^bazaar_[a-z0-9_]+$")
    port: int = Field(ge=1_024, le=65_535)
    route: Route
    health_path: str = Field(default="/healthz", pattern=r"^/[a-z/]*$")
    database: Name
    resources: Resources
    events: Events = Field(default_factory=Events)


def parse_entry(text: str, source: str) -> ServiceEntry:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"{source}: not valid YAML: {error}") from error
    return ServiceEntry.model_validate(document, context={"source": source})


def load_own_entry(package: str) -> ServiceEntry:
    """A service's own entry, read from its installed package."""
    text = resources.files(package).joinpath(CATALOG_FILE).read_text(encoding="utf-8")
    entry = parse_entry(text, f"{package}/{CATALOG_FILE}")
    if entry.package != package:
        raise ValueError(f"{package}/{CATALOG_FILE} names package {entry.package!r}")
    return entry


def discover(repository_root: Path) -> list[ServiceEntry]:
    """Every service's entry in a checkout, checked for clashes, sorted by name."""
    paths = sorted(repository_root.glob(f"services/*/src/*/{CATALOG_FILE}"))
    entries = [parse_entry(path.read_text(encoding="utf-8"), str(path)) for path in paths]
    _require_unique(entries, lambda entry: entry.name, "name")
    _require_unique(entries, lambda entry: entry.port, "port")
    _require_unique(entries, lambda entry: entry.database, "database")
    _require_unique(entries, lambda entry: entry.route.path_prefix, "route.path_prefix")
    _require_unique(entries, lambda entry: entry.route.priority, "route.priority")
    return sorted(entries, key=lambda entry: entry.name)


def _require_unique(
    entries: list[ServiceEntry], key: Callable[[ServiceEntry], object], label: str
) -> None:
    seen: dict[object, str] = {}
    for entry in entries:
        value = key(entry)
        if value in seen:
            raise ValueError(f"services {seen[value]} and {entry.name} share {label} {value!r}")
        seen[value] = entry.name
