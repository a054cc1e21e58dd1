from __future__ import annotations

import pytest

from bazaar_cost.fleet import fleet, service_tasks, split

from .conftest import service


def test_the_floor_is_the_higher_of_the_catalog_and_the_environment() -> None:
    assert service_tasks(service("orders", min_tasks=1), 2, autoscaling=True).floor == 2
    assert service_tasks(service("orders", min_tasks=3), 2, autoscaling=True).floor == 3


def test_the_ceiling_is_max_tasks_but_never_below_the_floor() -> None:
    assert service_tasks(service("orders", max_tasks=4), 2, autoscaling=True).ceiling == 4
    assert service_tasks(service("orders", max_tasks=2), 3, autoscaling=True).ceiling == 3


def test_without_autoscaling_a_service_stays_at_its_floor() -> None:
    tasks = service_tasks(service("orders", min_tasks=1, max_tasks=4), 2, autoscaling=False)
    assert (tasks.floor, tasks.ceiling) == (2, 2)


def test_task_size_is_counted_in_vcpu_and_gb() -> None:
    tasks = service_tasks(service("orders", cpu=512, memory=1536), 1, autoscaling=True)
    assert (tasks.vcpu, tasks.memory_gb) == (0.5, 1.5)


@pytest.mark.parametrize(
    ("tasks", "weight", "on_demand", "spot"),
    [
        (4, 0, 4, 0),  # no Spot at all
        (1, 3, 1, 0),  # the first task is always on-demand (base 1)
        (2, 1, 1.5, 0.5),  # the one beyond it: half on Spot
        (5, 3, 2, 3),  # 4 beyond the first: 3 in 4 on Spot
        (3, 1, 2, 1),
    ],
)
def test_spot_takes_its_weight_of_the_tasks_beyond_the_first(
    tasks: int, weight: int, on_demand: float, spot: float
) -> None:
    share = split(tasks, weight)
    assert share.on_demand == pytest.approx(on_demand)
    assert share.spot == pytest.approx(spot)
    assert share.on_demand + share.spot == pytest.approx(tasks)


def test_a_fleet_adds_its_services_up() -> None:
    services = [
        service_tasks(service("orders", min_tasks=1, max_tasks=3), 1, autoscaling=True),
        service_tasks(service("audit", cpu=512, memory=1024, max_tasks=1), 1, autoscaling=True),
    ]
    low = fleet(services, 1, at_ceiling=False)
    high = fleet(services, 1, at_ceiling=True)
    assert (low.tasks, high.tasks) == (2, 4)
    assert (low.on_demand_vcpu, low.spot_vcpu) == (0.75, 0)
    # orders at 3 tasks: 1 + 1 on-demand, 1 on Spot; audit's one task on-demand.
    assert high.on_demand_vcpu == pytest.approx(2 * 0.25 + 0.5)
    assert high.spot_vcpu == pytest.approx(0.25)
    assert high.spot_gb == pytest.approx(0.5)
