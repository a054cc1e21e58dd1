from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bazaar_cost.errors import InputError
from bazaar_cost.estimate import EnvironmentEstimate, LineItem, estimate_environment
from bazaar_cost.footprint import BackupCopy, BackupRule, ConfigDelivery, EmfMetric, Trail
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


DAYS = HOURS / 24  # 30.42: the month the test table's hours make


def estimate_with(prices: PriceTable, entries: list | None = None, **changes: object):
    return estimate_environment(
        "dev",
        entries or [service("orders", min_tasks=1, max_tasks=1)],
        settings(),
        footprint(**changes),
        prices,
        prices.environments["dev"],
    )


def test_aurora_backup_storage_is_what_exceeds_the_free_100_percent(prices: PriceTable) -> None:
    # 10 GB changing 1% a day: 14 days of point-in-time (AWS Backup's continuous
    # rule, longer than Aurora's own 7) hold 10 x 0.01 x 14 = 1.4 GB; the daily
    # snapshots kept 35 days 10 x (1 + 0.01 x 35) = 13.5 GB; less the free 10 GB.
    estimate = estimate_with(
        prices,
        db_backup_retention_days=7,
        backup_rules=(BackupRule(continuous=False, retention_days=35), BackupRule(True, 14)),
    )
    storage = line(estimate, "Aurora backup storage")
    assert storage.quantity_low == pytest.approx(4.9)
    assert storage.monthly_low == pytest.approx(4.9 * 0.02)  # 0.098
    assert "10 GB x (0.01 x 14 days point-in-time + 1 + 0.01 x 35 days)" in storage.basis
    for name in ("Backup copies, second region", "Backup copies, transfer"):
        assert line(estimate, name).zero_reason == (
            "none: no copy_action (backup_copy_vault_arn not set)"
        )


def test_without_aws_backup_aurora_s_own_backups_stay_free_and_the_lines_say_why(
    prices: PriceTable,
) -> None:
    estimate = estimate_with(prices, db_backup_retention_days=7)
    storage = line(estimate, "Aurora backup storage")
    assert storage.monthly_high == 0
    # 10 x 0.01 x 7 = 0.7 GB of changes, under the cluster's 10 GB.
    assert storage.zero_reason is not None
    assert "7 days of backups (0.7 GB of changes) are within the free 100%" in storage.zero_reason
    for name in ("Backup copies, second region", "Backup copies, transfer"):
        assert line(estimate, name).zero_reason == "none: no aws_backup plan"


def test_a_long_point_in_time_window_of_a_busy_database_exceeds_the_free_100_percent(
    prices: PriceTable,
) -> None:
    busy = replace(prices.environments["dev"], db_daily_change_share=0.1)
    estimate = estimate_environment(
        "dev",
        [service("orders")],
        settings(),
        footprint(db_backup_retention_days=35),
        prices,
        busy,
    )
    # 10 x 0.1 x 35 = 35 GB of changes, 25 past the free 10.
    assert line(estimate, "Aurora backup storage").monthly_low == pytest.approx(25 * 0.02)


def test_a_copy_to_a_second_region_is_its_storage_there_and_a_whole_snapshot_a_day(
    prices: PriceTable,
) -> None:
    copy = BackupCopy(region="eu-central-1", retention_days=90)
    estimate = estimate_with(
        prices,
        db_backup_retention_days=7,
        backup_rules=(BackupRule(continuous=False, retention_days=35, copies=(copy,)),),
    )
    stored = line(estimate, "Backup copies, second region")
    assert stored.quantity_low == pytest.approx(10 * (1 + 0.01 * 90))  # 19 GB
    assert stored.monthly_low == pytest.approx(19 * 0.03)  # 0.57
    assert "eu-central-1" in stored.basis
    transfer = line(estimate, "Backup copies, transfer")
    assert transfer.quantity_low == pytest.approx(DAYS * 10)  # 304.17 GB
    assert transfer.monthly_low == pytest.approx(DAYS * 10 * 0.02)  # 6.08


def test_the_event_archive_is_processed_once_and_kept_its_retention(
    prices: PriceTable,
) -> None:
    # 1,000,000 events of 2 KB: 2 GB a month, of which 30 days are kept.
    estimate = estimate_with(prices, event_archives=(30,))
    assert line(estimate, "EventBridge archive processing").monthly_low == pytest.approx(2 * 0.1)
    storage = line(estimate, "EventBridge archive storage")
    assert storage.quantity_low == pytest.approx(2 * 30 / DAYS)  # 1.97 GB
    assert storage.monthly_low == pytest.approx(2 * 30 / DAYS * 0.02)
    assert estimate.warnings == ()


def test_an_archive_kept_for_ever_is_priced_as_a_year_with_a_warning(prices: PriceTable) -> None:
    estimate = estimate_with(prices, event_archives=(0,))
    assert line(estimate, "EventBridge archive storage").quantity_low == pytest.approx(2 * 12)
    (warning,) = estimate.warnings
    assert "for ever" in warning


def test_without_an_archive_its_lines_are_zero_and_say_why(prices: PriceTable) -> None:
    estimate = estimate_with(prices)
    for name in ("EventBridge archive processing", "EventBridge archive storage"):
        assert line(estimate, name).zero_reason == (
            "none: no EventBridge archive (event_archive_retention_days = null)"
        )


def test_aws_config_items_rule_evaluations_and_its_bucket(prices: PriceTable) -> None:
    estimate = estimate_with(
        prices,
        config_recorders=("CONTINUOUS",),
        config_rules_on_change=10,
        config_periodic_rule_hours=(24.0, 12.0),
        config_deliveries=(ConfigDelivery(snapshot_hours=24, retention_days=365),),
    )
    assert line(estimate, "AWS Config configuration items").monthly_low == pytest.approx(
        2_000 * 0.003  # 6.00
    )
    # 10 rules x 50 changes, a daily rule's 30.42 runs and a twice-daily one's 60.83.
    evaluations = line(estimate, "AWS Config rule evaluations")
    assert evaluations.quantity_low == pytest.approx(500 + DAYS + 2 * DAYS)
    assert evaluations.monthly_low == pytest.approx((500 + 3 * DAYS) * 0.001)
    assert "12 rules" in evaluations.basis
    # Items and a daily snapshot of 100 resources, 1 KB each, kept a year.
    deliveries = line(estimate, "S3, Config deliveries")
    monthly_gb = (2_000 + 100 * DAYS) / 1_000_000
    assert deliveries.quantity_low == pytest.approx(monthly_gb * 365 / DAYS)
    assert deliveries.monthly_low == pytest.approx(monthly_gb * 365 / DAYS * 0.02)
    assert not [item for item in estimate.items if item.name.endswith(", daily")]


def test_a_daily_recorder_is_priced_per_daily_item(prices: PriceTable) -> None:
    estimate = estimate_with(prices, config_recorders=("DAILY",))
    assert line(estimate, "AWS Config configuration items").zero_reason is not None
    assert line(estimate, "AWS Config configuration items, daily").monthly_low == pytest.approx(
        2_000 * 0.012
    )


def test_the_first_trail_s_management_events_are_free_and_its_logs_kept_in_s3(
    prices: PriceTable,
) -> None:
    estimate = estimate_with(prices, trails=(Trail(management_events=True, retention_days=365),))
    events = line(estimate, "CloudTrail management events")
    assert events.monthly_high == 0
    assert events.zero_reason == (
        "none: the first copy of management events is free (1 trail logging them)"
    )
    # 2 GB of logs a month, a year of them: 24 GB.
    assert line(estimate, "S3, CloudTrail logs").quantity_low == pytest.approx(2 * 365 / DAYS)
    assert line(estimate, "S3, CloudTrail logs").monthly_low == pytest.approx(24 * 0.02)
    assert estimate.warnings == ()
    second = estimate_with(prices, trails=(Trail(True, 30), Trail(True, 30)))
    (warning,) = second.warnings
    assert "2 trails log management events" in warning


def test_without_audit_its_lines_are_zero_and_say_why(prices: PriceTable) -> None:
    estimate = estimate_with(prices)
    recorder = "none: no AWS Config recorder in the environment's Terraform"
    assert line(estimate, "AWS Config configuration items").zero_reason == recorder
    assert line(estimate, "S3, Config deliveries").zero_reason == recorder
    assert line(estimate, "S3, CloudTrail logs").zero_reason == "none: no CloudTrail trail"
    assert line(estimate, "AWS Config rule evaluations").zero_reason == (
        "none: no Config rule in the environment's Terraform"
    )


def test_custom_metrics_are_each_dimension_set_s_combinations(prices: PriceTable) -> None:
    entries = [
        service("orders", consumes=True, publishes=True),
        service("audit", consumes=True),
        service("web"),
    ]
    estimate = estimate_with(
        prices,
        entries,
        emf_metrics=(
            EmfMetric("bazaar.outbox.lag", ("service.name",)),
            EmfMetric("bazaar.consumer.messages", ("service.name", "outcome")),
            EmfMetric("bazaar.saga.outcomes", ("saga",)),
            EmfMetric("bazaar.saga.outcomes", ("saga", "outcome")),
        ),
        sagas=1,
    )
    # outbox lag: 1 publisher; messages: 2 consumers x 4 outcomes (acked,
    # duplicate, failed, poison); the saga's total and its 5 outcomes.
    metrics = line(estimate, "CloudWatch custom metrics")
    assert metrics.quantity_low == 1 + 2 * 4 + 1 + 5
    assert metrics.monthly_low == pytest.approx(15 * 0.3)  # 4.50
    # Their EMF lines: three tasks' 0.01 GB a day.
    assert line(estimate, "CloudWatch Logs ingestion, EMF metrics").monthly_low == pytest.approx(
        3 * 0.01 * DAYS * 0.5
    )


def test_a_metric_dimension_it_knows_no_values_of_stops_it(prices: PriceTable) -> None:
    with pytest.raises(InputError, match=r"bazaar\.saga\.outcomes: .* dimension 'region'"):
        estimate_with(prices, emf_metrics=(EmfMetric("bazaar.saga.outcomes", ("region",)),))
    with pytest.raises(InputError, match=r"bazaar\.http\.requests: .* no service recording it"):
        estimate_with(prices, emf_metrics=(EmfMetric("bazaar.http.requests", ("service.name",)),))


def test_without_emf_there_are_no_custom_metrics_nor_their_logs(prices: PriceTable) -> None:
    estimate = estimate_with(prices)
    assert line(estimate, "CloudWatch custom metrics").zero_reason is not None
    assert line(estimate, "CloudWatch Logs ingestion, EMF metrics").zero_reason == (
        "none: no awsemf metric declared"
    )


def test_budgets_past_the_free_two_and_e_mails_past_the_free_thousand(
    prices: PriceTable,
) -> None:
    estimate = estimate_with(prices, budgets=3, email_subscriptions=2)
    budgets = line(estimate, "AWS Budgets")
    assert budgets.quantity_low == 1
    assert budgets.monthly_low == pytest.approx(0.02 * DAYS)  # 0.61
    # 600 notifications a month to 2 addresses: 1,200 e-mails, 200 past the free 1,000.
    emails = line(estimate, "SNS e-mail notifications")
    assert emails.quantity_low == 200
    assert emails.monthly_low == pytest.approx(200 * 0.00002)


def test_one_budget_and_one_address_cost_nothing_and_say_why(prices: PriceTable) -> None:
    estimate = estimate_with(prices, budgets=1, email_subscriptions=1)
    assert line(estimate, "AWS Budgets").zero_reason == (
        "none: 1 budget, within the account's first 2 free (no budget actions)"
    )
    emails = line(estimate, "SNS e-mail notifications").zero_reason
    assert emails is not None
    assert emails.startswith("none: 600 e-mails a month")
    assert "within the free 1,000" in emails


def test_the_dashboard_says_plainly_what_it_costs(prices: PriceTable) -> None:
    dashboards = line(estimate_with(prices, dashboards=1), "CloudWatch dashboards")
    assert dashboards.monthly_low == 3
    assert "$3 each" in dashboards.basis
    assert "the free 3" in dashboards.basis


def test_auto_pause_is_said_in_the_capacity_basis(prices: PriceTable) -> None:
    estimate = estimate_environment(
        "dev",
        [service("orders")],
        settings(db_min_capacity=0, db_seconds_until_auto_pause=900),
        footprint(),
        prices,
        prices.environments["dev"],
    )
    capacity = line(estimate, "Aurora Serverless v2 capacity")
    assert "low: auto-paused all month, 0 ACU; it pauses after 900 s idle" in capacity.basis
