"""ECS container definitions, as DescribeTaskDefinition gives them, into ContainerSpec.

Strict on purpose: a field that would change how the container runs and that
the runner does not emulate is refused by name, so a task definition never
runs here differently from how it would run on Fargate without saying so.
"""

from __future__ import annotations

from typing import Any

from bazaar_ecslocal.model import Condition, ContainerSpec, Dependency, HealthCheck, TaskDefinition


class UnsupportedDefinition(ValueError):
    """A task definition asks for something the runner cannot do faithfully."""


# Read and honoured.
HONOURED = {
    "name",
    "image",
    "essential",
    "command",
    "entryPoint",
    "environment",
    "secrets",
    "user",
    "readonlyRootFilesystem",
    "healthCheck",
    "stopTimeout",
    "dependsOn",
    "mountPoints",
    "linuxParameters",
    "portMappings",
    "memory",
}
# Present, and without effect on what the container does: CPU units are a
# share of a Fargate task's vCPUs (the runner does not ration this machine's
# cores), awslogs is where Fargate ships stdout (here: docker logs).
IGNORED = {"cpu", "memoryReservation", "logConfiguration", "dockerLabels"}
LINUX_PARAMETERS = {"capabilities", "initProcessEnabled"}


def _pairs(items: list[dict[str, str]] | None, key: str, value: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((item[key], item[value]) for item in items or []))


def _health(document: dict[str, Any] | None) -> HealthCheck | None:
    if not document:
        return None
    return HealthCheck(
        command=tuple(document["command"]),
        interval=int(document.get("interval", 30)),
        timeout=int(document.get("timeout", 5)),
        retries=int(document.get("retries", 3)),
        start_period=int(document.get("startPeriod", 0)),
    )


def container_spec(
    document: dict[str, Any], scratch_volumes: set[str], label: str
) -> ContainerSpec:
    name = document["name"]
    where = f"{label} container {name}"
    # Empty values (moto's [] and {} defaults) ask for nothing.
    unknown = {key for key, value in document.items() if key not in HONOURED | IGNORED and value}
    if unknown:
        raise UnsupportedDefinition(f"{where}: not emulated: {', '.join(sorted(unknown))}")
    linux = document.get("linuxParameters") or {}
    if set(linux) - LINUX_PARAMETERS:
        extra = ", ".join(sorted(set(linux) - LINUX_PARAMETERS))
        raise UnsupportedDefinition(f"{where}: linuxParameters not emulated: {extra}")
    capabilities = linux.get("capabilities") or {}
    if capabilities.get("add"):
        raise UnsupportedDefinition(f"{where}: added capabilities are not emulated")
    scratch = []
    for mount in document.get("mountPoints") or []:
        if mount["sourceVolume"] not in scratch_volumes:
            raise UnsupportedDefinition(
                f"{where}: volume {mount['sourceVolume']} is not a task-scoped scratch volume"
            )
        scratch.append(mount["containerPath"])
    return ContainerSpec(
        name=name,
        image=document["image"],
        essential=bool(document.get("essential", True)),
        command=tuple(document["command"]) if document.get("command") else None,
        entry_point=tuple(document["entryPoint"]) if document.get("entryPoint") else None,
        environment=_pairs(document.get("environment"), "name", "value"),
        secrets=_pairs(document.get("secrets"), "name", "valueFrom"),
        user=document.get("user"),
        read_only=bool(document.get("readonlyRootFilesystem", False)),
        health=_health(document.get("healthCheck")),
        stop_timeout=document.get("stopTimeout"),
        depends_on=tuple(
            Dependency(item["containerName"], Condition(item["condition"]))
            for item in document.get("dependsOn") or []
        ),
        scratch_paths=tuple(scratch),
        drop_capabilities=tuple(capabilities.get("drop") or ()),
        init=bool(linux.get("initProcessEnabled", False)),
        container_ports=tuple(
            int(mapping["containerPort"]) for mapping in document.get("portMappings") or []
        ),
        memory_mib=document.get("memory"),
    )


def task_definition(document: dict[str, Any]) -> TaskDefinition:
    label = f"{document['family']}:{document['revision']}"
    if document.get("networkMode") != "awsvpc":
        raise UnsupportedDefinition(f"{label}: network mode {document.get('networkMode')!r}")
    scratch_volumes = set()
    for volume in document.get("volumes") or []:
        if volume.get("host", {}).get("sourcePath") or volume.get("efsVolumeConfiguration"):
            raise UnsupportedDefinition(f"{label}: volume {volume['name']} is not scratch space")
        scratch_volumes.add(volume["name"])
    containers = tuple(
        container_spec(item, scratch_volumes, label) for item in document["containerDefinitions"]
    )
    names = {container.name for container in containers}
    for container in containers:
        for dependency in container.depends_on:
            if dependency.container not in names:
                raise UnsupportedDefinition(
                    f"{label} container {container.name} depends on an unknown container "
                    f"{dependency.container}"
                )
    return TaskDefinition(
        family=document["family"],
        revision=int(document["revision"]),
        memory_mib=int(document.get("memory") or 0),
        containers=containers,
    )
