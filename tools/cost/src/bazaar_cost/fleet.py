"""The ECS tasks an environment runs: how many per service, and on which capacity.

The counts follow modules/platform/main.tf: a service runs at least
max(catalog min_tasks, min_tasks_per_service) tasks, and autoscaling takes
it up to max(catalog max_tasks, that floor). Fargate bills the task size
(the catalog's cpu and memory), which holds the app and its ADOT collector
sidecar both, so the task size is what is counted.

The capacity split follows the platform's capacity provider strategy: with
a Spot weight w > 0, the first task of a service is on-demand FARGATE
(base 1) and of the tasks beyond it FARGATE_SPOT takes w in w + 1. ECS
places whole tasks; the split is the long-run share, so a fraction of a
task is an average, not a mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bazaar_common.catalog import ServiceEntry

CPU_UNITS_PER_VCPU = 1024
MIB_PER_GB = 1024  # Fargate's "GB" of memory is a GiB: 512 MiB bills as 0.5 GB


@dataclass(frozen=True)
class ServiceTasks:
    name: str
    vcpu: float
    memory_gb: float
    floor: int
    ceiling: int


@dataclass(frozen=True)
class Split:
    on_demand: float
    spot: float


def service_tasks(
    entry: ServiceEntry, min_tasks_per_service: int, *, autoscaling: bool
) -> ServiceTasks:
    floor = max(entry.resources.min_tasks, min_tasks_per_service)
    # Without autoscaling the service stays at its desired count, the floor.
    ceiling = max(entry.resources.max_tasks, floor) if autoscaling else floor
    return ServiceTasks(
        name=entry.name,
        vcpu=entry.resources.cpu / CPU_UNITS_PER_VCPU,
        memory_gb=entry.resources.memory / MIB_PER_GB,
        floor=floor,
        ceiling=ceiling,
    )


def split(tasks: int, spot_weight: int) -> Split:
    """On-demand and Spot tasks of one service running ``tasks`` tasks."""
    if spot_weight <= 0 or tasks <= 1:
        return Split(on_demand=float(tasks), spot=0.0)
    spot = (tasks - 1) * spot_weight / (spot_weight + 1)
    return Split(on_demand=tasks - spot, spot=spot)


@dataclass(frozen=True)
class Fleet:
    """What an environment's tasks hold at one moment: vCPU and GB, on-demand and on Spot."""

    on_demand_vcpu: float
    on_demand_gb: float
    spot_vcpu: float
    spot_gb: float
    tasks: int


def fleet(services: Sequence[ServiceTasks], spot_weight: int, *, at_ceiling: bool) -> Fleet:
    on_demand_vcpu = on_demand_gb = spot_vcpu = spot_gb = 0.0
    tasks = 0
    for service in services:
        count = service.ceiling if at_ceiling else service.floor
        share = split(count, spot_weight)
        on_demand_vcpu += share.on_demand * service.vcpu
        on_demand_gb += share.on_demand * service.memory_gb
        spot_vcpu += share.spot * service.vcpu
        spot_gb += share.spot * service.memory_gb
        tasks += count
    return Fleet(on_demand_vcpu, on_demand_gb, spot_vcpu, spot_gb, tasks)
