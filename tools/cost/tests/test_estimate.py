from __future__ import annotations

from pathlib import Path

import pytest

from bazaar_cost.estimate import EnvironmentEstimate, LineItem, estimate_environment
from bazaar_cost.prices import PriceTable, load_prices

from .conftest import footprint, service, settings

HOURS = 730


@pytest.fixture
def prices(price_file: Path) -> PriceTable:
    return load_prices(price_file)


def line(estimate: EnvironmentEstimate, name: str) -> LineItem:
    (found,) = [item for item in estimate.items if item.name == name]
    return found


def two_small_services() -> list:
    # 0.25 vCPU and 0.5 GB each, exactly 2 tasks (floor and ceiling).
    return [service(name, min_tasks=2, max_tasks=2) for name in ("audit", "orders")]


def test_two_services_of_two_tasks_on_x86_with_spot_weight_1(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "dev",
        two_small_services(),
        settings(fargate_spot_weight=1),
        footprint(),
        prices,
        prices.environments["dev"],
    )
    # Per service: the first task on-demand, the second half on Spot, half not:
    # 1.5 tasks on-demand and 0.5 on Spot, for 730 hours, twice.
    on_demand_vcpu = line(estimate, "Fargate vCPU, on-demand")
    assert on_demand_vcpu.quantity_low == pytest.approx(2 * 1.5 * 0.25 * HOURS)  # 547.5
    assert on_demand_vcpu.monthly_low == pytest.approx(547.5 * 0.04)  # 21.90
    assert line(estimate, "Fargate memory, on-demand").monthly_low == pytest.approx(
        2 * 1.5 * 0.5 * HOURS * 0.004  # 1,095 GB-hours: 4.38
    )
    # Spot at 75% off: a quarter of the price.
    assert line(estimate, "Fargate vCPU, Spot").monthly_low == pytest.approx(
        2 * 0.5 * 0.25 * HOURS * 0.04 * 0.25  # 182.5 vCPU-hours: 1.825
    )
    assert line(estimate, "Fargate memory, Spot").monthly_low == pytest.approx(
        2 * 0.5 * 0.5 * HOURS * 0.004 * 0.25  # 365 GB-hours: 0.365
    )
    fargate = sum(item.monthly_low for item in estimate.items if item.name.startswith("Fargate"))
    assert fargate == pytest.approx(21.90 + 4.38 + 1.825 + 0.365)
    assert estimate.warnings == ()


def test_arm64_tasks_split_between_on_demand_and_spot_at_arm64_prices(
    prices: PriceTable,
) -> None:
    estimate = estimate_environment(
        "dev",
        two_small_services(),
        settings(fargate_spot_weight=1, cpu_architecture="ARM64"),
        footprint(),
        prices,
        prices.environments["dev"],
    )
    # As on X86_64: 1.5 tasks a service on-demand and 0.5 on Spot, at ARM64's prices.
    assert line(estimate, "Fargate vCPU, on-demand").monthly_low == pytest.approx(
        2 * 1.5 * 0.25 * HOURS * 0.032  # 547.5 vCPU-hours: 17.52
    )
    assert line(estimate, "Fargate memory, Spot").monthly_low == pytest.approx(
        2 * 0.5 * 0.5 * HOURS * 0.0032 * 0.25  # 365 GB-hours at a quarter: 0.292
    )
    assert estimate.warnings == ()


def test_arm64_is_cheaper_than_x86_64(prices: PriceTable) -> None:
    def fargate(architecture: str) -> tuple[float, float]:
        estimate = estimate_environment(
            "dev",
            [service("orders", min_tasks=1, max_tasks=4), service("audit", cpu=1024, memory=2048)],
            settings(cpu_architecture=architecture),
            footprint(),
            prices,
            prices.environments["dev"],
        )
        items = [item for item in estimate.items if item.name.startswith("Fargate")]
        return sum(item.monthly_low for item in items), sum(item.monthly_high for item in items)

    arm_low, arm_high = fargate("ARM64")
    x86_low, x86_high = fargate("X86_64")
    assert 0 < arm_low < x86_low
    assert 0 < arm_high < x86_high
    # The test prices make ARM64 exactly 20% cheaper on both dimensions.
    assert arm_low == pytest.approx(0.8 * x86_low)


def test_low_is_the_floor_and_high_the_ceiling(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "dev",
        [service("orders", min_tasks=1, max_tasks=3)],
        settings(min_tasks_per_service=2),
        footprint(),
        prices,
        prices.environments["dev"],
    )
    vcpu = line(estimate, "Fargate vCPU, on-demand")
    assert (vcpu.quantity_low, vcpu.quantity_high) == (2 * 0.25 * HOURS, 3 * 0.25 * HOURS)
    assert (estimate.tasks_low, estimate.tasks_high) == (2, 3)
    logs = line(estimate, "CloudWatch Logs ingestion, tasks")
    assert logs.quantity_low == pytest.approx(2 * 0.1 * HOURS / 24)
    assert logs.quantity_high == pytest.approx(3 * 0.1 * HOURS / 24)
    assert estimate.monthly_low < estimate.monthly_high


def test_aurora_from_minimum_to_maximum_capacity(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "dev",
        [service("orders")],
        settings(db_min_capacity=1, db_max_capacity=8),
        footprint(db_instances=2),
        prices,
        prices.environments["dev"],
    )
    capacity = line(estimate, "Aurora Serverless v2 capacity")
    assert (capacity.quantity_low, capacity.quantity_high) == (2 * 1 * HOURS, 2 * 8 * HOURS)
    assert capacity.monthly_high == pytest.approx(11_680 * 0.1)
    assert line(estimate, "Aurora storage").monthly_low == pytest.approx(10 * 0.1)
    assert line(estimate, "Aurora I/O").monthly_low == pytest.approx(4 * 0.2)


def test_auto_pause_leaves_only_storage_in_the_low_figure(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "dev",
        [service("orders")],
        settings(db_min_capacity=0, db_max_capacity=2),
        footprint(),
        prices,
        prices.environments["dev"],
    )
    aurora = [item for item in estimate.items if item.name.startswith("Aurora")]
    assert sum(item.monthly_low for item in aurora) == pytest.approx(10 * 0.1)  # storage alone
    capacity = line(estimate, "Aurora Serverless v2 capacity")
    assert capacity.quantity_low == 0
    assert capacity.quantity_high == 2 * HOURS
    assert "auto-paused" in capacity.basis
    assert line(estimate, "Aurora I/O").quantity_low == 0
    assert line(estimate, "Aurora I/O").quantity_high == 4


def test_the_network_lines_follow_the_counted_resources(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "prod",
        [service("orders")],
        settings(az_count=3),
        footprint(
            nat_gateways=3, elastic_ips=3, interface_endpoints=("ecr.api", "ecr.dkr", "logs")
        ),
        prices,
        prices.environments["dev"],
    )
    assert line(estimate, "NAT gateways").monthly_low == pytest.approx(3 * HOURS * 0.05)
    # 3 Elastic IPs and the ALB's address in each of the 3 AZs.
    assert line(estimate, "Public IPv4 addresses").quantity_low == 6 * HOURS
    endpoints = line(estimate, "Interface VPC endpoints")
    assert endpoints.quantity_low == 3 * 3 * HOURS
    assert "ecr.api, ecr.dkr, logs" in endpoints.basis


def test_without_waf_its_lines_are_zero_and_say_why(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "dev",
        [service("orders")],
        settings(),
        footprint(web_acls=0, waf_rules=0),
        prices,
        prices.environments["dev"],
    )
    for name in ("WAF web ACL", "WAF rules", "WAF requests"):
        assert line(estimate, name).monthly_high == 0
        assert line(estimate, name).zero_reason == "none: no WAF web ACL (enable_waf = false)"


def test_the_fixed_lines(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "dev", [service("orders")], settings(), footprint(), prices, prices.environments["dev"]
    )
    assert line(estimate, "WAF web ACL").monthly_low == 5
    assert line(estimate, "WAF rules").monthly_low == 3
    assert line(estimate, "WAF requests").monthly_low == pytest.approx(2 * 0.6)
    assert line(estimate, "KMS keys").monthly_low == 4
    assert line(estimate, "Secrets Manager secrets").monthly_low == pytest.approx(5 * 0.4)
    assert line(estimate, "CloudWatch alarms").monthly_low == pytest.approx(6 * 0.1)
    assert line(estimate, "CloudWatch dashboards").zero_reason is not None
    assert line(estimate, "ALB capacity units").monthly_low == pytest.approx(0.5 * HOURS * 0.008)


def test_log_storage_is_retention_days_of_logs_compressed(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "dev",
        [service("orders", min_tasks=1, max_tasks=1)],
        settings(log_retention_days=365),
        footprint(),
        prices,
        prices.environments["dev"],
    )
    monthly_gb = 0.1 * HOURS / 24 + 3  # one task's logs and the platform's
    stored = line(estimate, "CloudWatch Logs storage")
    assert stored.quantity_low == pytest.approx(monthly_gb * 12 * 0.2)  # 365 days: 12 months


def test_a_zero_line_must_say_why_and_only_a_zero_line() -> None:
    with pytest.raises(ValueError, match="says why"):
        LineItem("KMS keys", "key-month", 0, 0, 1.0, "counted")
    with pytest.raises(ValueError, match="says why"):
        LineItem("KMS keys", "key-month", 1, 1, 1.0, "counted", zero_reason="none: no key")
    with pytest.raises(ValueError, match="quantities"):
        LineItem("KMS keys", "key-month", 2, 1, 1.0, "counted")
