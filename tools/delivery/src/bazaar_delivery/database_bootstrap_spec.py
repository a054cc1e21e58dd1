"""What ``database-bootstrap`` runs: Terraform's ``database_bootstrap`` output, checked.

The document is ``terraform output -json database_bootstrap`` of an
environment::

    {"cluster": "bazaar-dev", "subnet_ids": ["subnet-..."],
     "tasks": {"orders": {"task_definition": "bazaar-dev-orders-database",
                          "security_group_ids": ["sg-..."],
                          "service_name": "bazaar-dev-orders"}}}

It is checked strictly before anything starts: a key missing or unknown, a
name ECS would refuse, an id of the wrong kind is a ``ValueError`` of one
line, so a Terraform change that renames something fails here, by name,
rather than halfway through starting tasks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# ECS: clusters, services and task definition families are up to 255
# letters, digits, hyphens and underscores.
ECS_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")
# The catalog's service names, as environment.sh checks image tags' keys.
CATALOG_NAME = re.compile(r"[a-z][a-z0-9-]{1,30}")
SUBNET_ID = re.compile(r"subnet-[0-9a-f]{8,17}")
SECURITY_GROUP_ID = re.compile(r"sg-[0-9a-f]{8,17}")
# awsvpc's own limits: RunTask refuses more.
MAX_SUBNETS = 16
MAX_SECURITY_GROUPS = 5

SPEC_KEYS = {"cluster", "subnet_ids", "tasks"}
TASK_KEYS = {"task_definition", "security_group_ids", "service_name"}


@dataclass(frozen=True)
class ServiceBootstrap:
    """One catalog service's bootstrap task and the ECS service that waits on it."""

    service: str  # the catalog's name, e.g. orders
    task_definition: str  # the family, e.g. bazaar-dev-orders-database
    security_group_ids: tuple[str, ...]
    service_name: str  # the ECS service, e.g. bazaar-dev-orders


@dataclass(frozen=True)
class BootstrapSpec:
    cluster: str
    subnet_ids: tuple[str, ...]
    tasks: tuple[ServiceBootstrap, ...]


def parse_spec(text: str) -> BootstrapSpec:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise ValueError(f"the spec is not JSON: {error}") from None
    return checked_spec(document)


def checked_spec(document: Any) -> BootstrapSpec:
    _check_keys(document, SPEC_KEYS, "the spec")
    cluster = _name(document["cluster"], ECS_NAME, "cluster", "an ECS cluster name")
    subnets = _ids(document["subnet_ids"], SUBNET_ID, "subnet_ids", "subnet-", MAX_SUBNETS)
    tasks = document["tasks"]
    if not isinstance(tasks, dict):
        raise ValueError("tasks must be an object of service names")
    if not tasks:
        raise ValueError("tasks is empty: there is no bootstrap task to run")
    checked = tuple(_task(service, tasks[service]) for service in sorted(tasks))
    for field in ("task_definition", "service_name"):
        values = [getattr(task, field) for task in checked]
        repeated = sorted({value for value in values if values.count(value) > 1})
        if repeated:
            raise ValueError(f"{field} {repeated[0]!r} is given to more than one service")
    return BootstrapSpec(cluster=cluster, subnet_ids=subnets, tasks=checked)


def _task(service: Any, task: Any) -> ServiceBootstrap:
    if not isinstance(service, str) or not CATALOG_NAME.fullmatch(service):
        raise ValueError(f"tasks: {service!r} is not a catalog service name")
    where = f"tasks.{service}"
    _check_keys(task, TASK_KEYS, where)
    return ServiceBootstrap(
        service=service,
        task_definition=_name(
            task["task_definition"],
            ECS_NAME,
            f"{where}.task_definition",
            "a task definition family",
        ),
        security_group_ids=_ids(
            task["security_group_ids"],
            SECURITY_GROUP_ID,
            f"{where}.security_group_ids",
            "sg-",
            MAX_SECURITY_GROUPS,
        ),
        service_name=_name(
            task["service_name"], ECS_NAME, f"{where}.service_name", "an ECS service name"
        ),
    )


def _check_keys(value: Any, expected: set[str], where: str) -> None:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be a JSON object, not {type(value).__name__}")
    missing = sorted(expected - value.keys())
    if missing:
        raise ValueError(f"{where} has no {', '.join(missing)}")
    unknown = sorted(str(key) for key in value.keys() - expected)
    if unknown:
        raise ValueError(f"{where} has unknown keys: {', '.join(unknown)}")


def _name(value: Any, pattern: re.Pattern[str], where: str, kind: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"{where}: {value!r} is not {kind} (letters, digits, - and _)")
    return value


def _ids(
    value: Any, pattern: re.Pattern[str], where: str, prefix: str, most: int
) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where} must be a non-empty list of {prefix}... ids")
    if len(value) > most:
        raise ValueError(f"{where} has {len(value)} ids: awsvpc takes at most {most}")
    for item in value:
        if not isinstance(item, str) or not pattern.fullmatch(item):
            raise ValueError(f"{where}: {item!r} is not a {prefix}... id")
    if len(set(value)) != len(value):
        raise ValueError(f"{where} names an id twice")
    return tuple(value)
