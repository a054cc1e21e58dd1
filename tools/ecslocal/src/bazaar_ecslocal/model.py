"""The applied platform as the runner sees it: plain values, read once from the emulator."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Condition(StrEnum):
    """ECS container dependency conditions."""

    START = "START"
    COMPLETE = "COMPLETE"
    SUCCESS = "SUCCESS"
    HEALTHY = "HEALTHY"


@dataclass(frozen=True)
class HealthCheck:
    command: tuple[str, ...]  # ["CMD", ...] or ["CMD-SHELL", "..."]
    interval: int
    timeout: int
    retries: int
    start_period: int


@dataclass(frozen=True)
class Dependency:
    container: str
    condition: Condition


@dataclass(frozen=True)
class ContainerSpec:
    """One container definition, only the fields the runner honours (the rest are refused)."""

    name: str
    image: str
    essential: bool
    command: tuple[str, ...] | None
    entry_point: tuple[str, ...] | None
    environment: tuple[tuple[str, str], ...]
    secrets: tuple[tuple[str, str], ...]  # (variable, valueFrom)
    user: str | None
    read_only: bool
    health: HealthCheck | None
    stop_timeout: int | None
    depends_on: tuple[Dependency, ...]
    scratch_paths: tuple[str, ...]  # mount points of task volumes with no host path
    drop_capabilities: tuple[str, ...]
    init: bool
    container_ports: tuple[int, ...]
    memory_mib: int | None


@dataclass(frozen=True)
class TaskDefinition:
    family: str
    revision: int
    memory_mib: int
    containers: tuple[ContainerSpec, ...]

    @property
    def label(self) -> str:
        return f"{self.family}:{self.revision}"

    def container(self, name: str) -> ContainerSpec:
        for container in self.containers:
            if container.name == name:
                return container
        raise KeyError(f"{self.label} has no container {name!r}")


@dataclass(frozen=True)
class LoadBalancing:
    """The ECS service's registration in a target group."""

    target_group_arn: str
    container_name: str
    container_port: int


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    desired_count: int
    task: TaskDefinition
    load_balancing: tuple[LoadBalancing, ...]
    dns_names: tuple[str, ...]  # Cloud Map: <service>.<namespace>


@dataclass(frozen=True)
class TargetGroup:
    arn: str
    name: str
    port: int
    health_path: str
    health_port: str  # "traffic-port" or a number
    interval: int
    timeout: int
    healthy_threshold: int
    unhealthy_threshold: int

    @property
    def alias(self) -> str:
        """The network name every registered task answers to (the ALB's target list)."""
        return f"{self.name}.targets"


@dataclass(frozen=True)
class ListenerRule:
    priority: int
    path_patterns: tuple[str, ...]
    target_group_arn: str


@dataclass(frozen=True)
class Database:
    endpoints: tuple[str, ...]  # writer, reader
    port: int
    master_secret_arn: str


@dataclass(frozen=True)
class OneOffTask:
    """A task the deploy runs to completion (a service's database bootstrap)."""

    service: str
    service_name: str  # the ECS service whose database it readies
    task: TaskDefinition


@dataclass(frozen=True)
class Platform:
    cluster: str
    services: tuple[ServiceSpec, ...]
    rules: tuple[ListenerRule, ...]
    target_groups: tuple[TargetGroup, ...]
    database: Database
    one_off_tasks: tuple[OneOffTask, ...]

    def target_group(self, arn: str) -> TargetGroup:
        for group in self.target_groups:
            if group.arn == arn:
                return group
        raise KeyError(f"no target group {arn}")
