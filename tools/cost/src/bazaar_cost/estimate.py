"""One environment's monthly bill, line by line: the arithmetic, and nothing read here.

Every line has a low and a high figure. Low: each service at its floor of
tasks, Aurora at db_min_capacity (nothing but storage when that is 0 and
the cluster auto-pauses), the tasks' logs of that fleet. High: each
service at its autoscaling ceiling, Aurora at db_high_acu_share of the way
to db_max_capacity. Everything else is the same in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bazaar_common.catalog import ServiceEntry
from bazaar_cost.environment import Settings
from bazaar_cost.fleet import Fleet, fleet, service_tasks
from bazaar_cost.footprint import Footprint
from bazaar_cost.prices import EnvironmentUsage, PriceTable

HOURS_PER_DAY = 24
REQUESTS_PER_MILLION = 1_000_000


@dataclass(frozen=True)
class LineItem:
    name: str
    unit: str  # what the quantity counts and the unit price is per
    quantity_low: float
    quantity_high: float
    unit_price: float
    basis: str  # where the quantity comes from
    zero_reason: str | None = None  # why the line costs nothing, when it does not

    def __post_init__(self) -> None:
        if not 0 <= self.quantity_low <= self.quantity_high:
            raise ValueError(f"{self.name}: quantities {self.quantity_low}-{self.quantity_high}")
        if (self.monthly_high == 0) != (self.zero_reason is not None):
            raise ValueError(f"{self.name}: a zero line says why, and only a zero line")

    @property
    def monthly_low(self) -> float:
        return self.quantity_low * self.unit_price

    @property
    def monthly_high(self) -> float:
        return self.quantity_high * self.unit_price


@dataclass(frozen=True)
class EnvironmentEstimate:
    name: str
    settings: Settings
    services: int
    tasks_low: int
    tasks_high: int
    items: tuple[LineItem, ...]
    warnings: tuple[str, ...]

    @property
    def monthly_low(self) -> float:
        return sum(item.monthly_low for item in self.items)

    @property
    def monthly_high(self) -> float:
        return sum(item.monthly_high for item in self.items)


def _item(
    name: str,
    unit: str,
    price: float,
    *,
    low: float,
    high: float | None = None,
    basis: str,
    when_zero: str,
) -> LineItem:
    """A line (high defaults to low); ``when_zero`` is its reason should it come to nothing."""
    high = low if high is None else high
    return LineItem(name, unit, low, high, price, basis, when_zero if high * price == 0 else None)


def estimate_environment(
    name: str,
    entries: Sequence[ServiceEntry],
    settings: Settings,
    footprint: Footprint,
    prices: PriceTable,
    usage: EnvironmentUsage,
    warnings: Sequence[str] = (),
) -> EnvironmentEstimate:
    notes = list(warnings)
    services = [
        service_tasks(
            entry, settings.min_tasks_per_service, autoscaling=settings.enable_autoscaling
        )
        for entry in entries
    ]
    # FARGATE_SPOT takes ARM64 tasks too, on platform version 1.4.0 (the
    # services' LATEST): ECS API reference, CapacityProviderStrategyItem.
    spot_weight = settings.fargate_spot_weight
    low = fleet(services, spot_weight, at_ceiling=False)
    high = fleet(services, spot_weight, at_ceiling=True)
    items = [
        *_fargate(settings, spot_weight, low, high, prices, len(services)),
        *_aurora(settings, footprint, prices, usage),
        *_network(settings, footprint, prices, usage),
        *_edge(footprint, prices, usage),
        *_observability(settings, footprint, prices, usage, low, high),
        *_keys_and_secrets(footprint, prices, len(services)),
    ]
    return EnvironmentEstimate(
        name, settings, len(services), low.tasks, high.tasks, tuple(items), tuple(notes)
    )


def _fargate(
    settings: Settings,
    spot_weight: int,
    low: Fleet,
    high: Fleet,
    prices: PriceTable,
    services: int,
) -> list[LineItem]:
    hours = prices.usage.hours_per_month
    fargate = prices.fargate
    architecture = settings.cpu_architecture
    arm = architecture == "ARM64"
    vcpu_price = fargate.arm64_vcpu_hour if arm else fargate.x86_64_vcpu_hour
    gb_price = fargate.arm64_gb_hour if arm else fargate.x86_64_gb_hour
    spot_price_share = 1 - fargate.spot_discount
    tasks = f"{services} services, {low.tasks}-{high.tasks} tasks, {architecture}"
    if spot_weight:
        tasks += f"; Spot: {spot_weight} in {spot_weight + 1} past each service's first"
    if spot_weight:
        no_spot = "none: no service runs more than its first (on-demand) task"
    else:
        no_spot = "none: fargate_spot_weight = 0"
    spot_basis = f"{fargate.spot_discount:.0%} off on-demand"
    return [
        _item(
            "Fargate vCPU, on-demand",
            "vCPU-hour",
            vcpu_price,
            low=low.on_demand_vcpu * hours,
            high=high.on_demand_vcpu * hours,
            basis=tasks,
            when_zero="none: no service in the catalog",
        ),
        _item(
            "Fargate memory, on-demand",
            "GB-hour",
            gb_price,
            low=low.on_demand_gb * hours,
            high=high.on_demand_gb * hours,
            basis="the task sizes: app and ADOT collector together",
            when_zero="none: no service in the catalog",
        ),
        _item(
            "Fargate vCPU, Spot",
            "vCPU-hour",
            vcpu_price * spot_price_share,
            low=low.spot_vcpu * hours,
            high=high.spot_vcpu * hours,
            basis=spot_basis,
            when_zero=no_spot,
        ),
        _item(
            "Fargate memory, Spot",
            "GB-hour",
            gb_price * spot_price_share,
            low=low.spot_gb * hours,
            high=high.spot_gb * hours,
            basis=spot_basis,
            when_zero=no_spot,
        ),
    ]


def _aurora(
    settings: Settings, footprint: Footprint, prices: PriceTable, usage: EnvironmentUsage
) -> list[LineItem]:
    hours = prices.usage.hours_per_month
    instances = footprint.db_instances
    low_acu = settings.db_min_capacity
    high_acu = low_acu + prices.usage.db_high_acu_share * (settings.db_max_capacity - low_acu)
    # Capacity 0 is auto-pause: no ACU and no I/O while paused, only storage.
    paused = low_acu == 0
    storage = usage.db_storage_gb if instances else 0
    io = usage.db_io_million_per_month if instances else 0
    no_cluster = "none: the environment has no Aurora instance"
    return [
        _item(
            "Aurora Serverless v2 capacity",
            "ACU-hour",
            prices.aurora.acu_hour,
            low=instances * low_acu * hours,
            high=instances * high_acu * hours,
            basis=f"{instances} instance(s) x {low_acu:g}-{high_acu:g} ACU"
            + (" (0: auto-paused)" if paused else ""),
            when_zero=no_cluster,
        ),
        _item(
            "Aurora storage",
            "GB-month",
            prices.aurora.storage_gb_month,
            low=storage,
            basis="usage: db_storage_gb",
            when_zero=no_cluster if not instances else "none: usage db_storage_gb = 0",
        ),
        _item(
            "Aurora I/O",
            "million requests",
            prices.aurora.io_million_requests,
            low=0 if paused else io,
            high=io,
            basis="usage: db_io_million_per_month" + ("; none while paused" if paused else ""),
            when_zero=no_cluster if not instances else "none: usage db_io_million_per_month = 0",
        ),
    ]


def _network(
    settings: Settings, footprint: Footprint, prices: PriceTable, usage: EnvironmentUsage
) -> list[LineItem]:
    hours = prices.usage.hours_per_month
    nat = footprint.nat_gateways
    # The internet-facing ALB has a public address in each AZ's public subnet.
    addresses = footprint.elastic_ips + footprint.internet_facing_load_balancers * settings.az_count
    endpoints = footprint.interface_endpoints
    return [
        _item(
            "NAT gateways",
            "gateway-hour",
            prices.nat_gateway.hour,
            low=nat * hours,
            basis=f"{nat} for {settings.az_count} AZs"
            + (" (single_nat_gateway)" if nat == 1 and settings.az_count > 1 else ""),
            when_zero="none: no NAT gateway",
        ),
        _item(
            "NAT data processed",
            "GB",
            prices.nat_gateway.gb_processed,
            low=usage.nat_gb_per_month if nat else 0,
            basis="usage: nat_gb_per_month",
            when_zero="none: usage nat_gb_per_month = 0" if nat else "none: no NAT gateway",
        ),
        _item(
            "Public IPv4 addresses",
            "address-hour",
            prices.public_ipv4.address_hour,
            low=addresses * hours,
            basis=f"{footprint.elastic_ips} NAT Elastic IP(s), the ALB's 1 per AZ",
            when_zero="none: no public address",
        ),
        _item(
            "Interface VPC endpoints",
            "endpoint-AZ-hour",
            prices.vpc_endpoint.interface_az_hour,
            low=len(endpoints) * settings.az_count * hours,
            basis=f"{len(endpoints)} x {settings.az_count} AZs: {', '.join(endpoints)}",
            when_zero="none: no interface endpoint (enable_interface_endpoints)",
        ),
        _item(
            "Interface endpoint data",
            "GB",
            prices.vpc_endpoint.gb_processed,
            low=usage.endpoint_gb_per_month if endpoints else 0,
            basis="usage: endpoint_gb_per_month",
            when_zero="none: usage endpoint_gb_per_month = 0"
            if endpoints
            else "none: no interface endpoint",
        ),
    ]


def _edge(footprint: Footprint, prices: PriceTable, usage: EnvironmentUsage) -> list[LineItem]:
    hours = prices.usage.hours_per_month
    balancers = footprint.internet_facing_load_balancers
    acls = footprint.web_acls
    no_waf = "none: no WAF web ACL (enable_waf = false)"
    return [
        _item(
            "Application Load Balancer",
            "ALB-hour",
            prices.alb.hour,
            low=balancers * hours,
            basis=f"{balancers} internet-facing",
            when_zero="none: no internet-facing ALB",
        ),
        _item(
            "ALB capacity units",
            "LCU-hour",
            prices.alb.lcu_hour,
            low=balancers * usage.alb_average_lcu * hours,
            basis=f"usage: alb_average_lcu = {usage.alb_average_lcu:g}",
            when_zero="none: usage alb_average_lcu = 0" if balancers else "none: no ALB",
        ),
        _item(
            "WAF web ACL",
            "ACL-month",
            prices.waf.web_acl_month,
            low=acls,
            basis=f"{acls} in front of the ALB",
            when_zero=no_waf,
        ),
        _item(
            "WAF rules",
            "rule-month",
            prices.waf.rule_month,
            low=footprint.waf_rules,
            basis="the web ACL's rules; a managed group is one",
            when_zero="none: the web ACL has no rule" if acls else no_waf,
        ),
        _item(
            "WAF requests",
            "million requests",
            prices.waf.million_requests,
            low=usage.requests_per_month / REQUESTS_PER_MILLION if acls else 0,
            basis="usage: requests_per_month",
            when_zero="none: usage requests_per_month = 0" if acls else no_waf,
        ),
    ]


def _observability(
    settings: Settings,
    footprint: Footprint,
    prices: PriceTable,
    usage: EnvironmentUsage,
    low: Fleet,
    high: Fleet,
) -> list[LineItem]:
    days = prices.usage.hours_per_month / HOURS_PER_DAY
    per_task = prices.usage.log_gb_per_task_day * days
    platform_logs = usage.platform_log_gb_per_month
    # The steady state: log_retention_days of logs kept, compressed.
    stored_per_ingested = prices.usage.log_stored_share * settings.log_retention_days / days
    cloudwatch = prices.cloudwatch
    return [
        _item(
            "CloudWatch Logs ingestion, tasks",
            "GB",
            cloudwatch.logs_ingest_gb,
            low=low.tasks * per_task,
            high=high.tasks * per_task,
            basis=f"usage: {prices.usage.log_gb_per_task_day:g} GB per task-day",
            when_zero="none: no task, or usage log_gb_per_task_day = 0",
        ),
        _item(
            "CloudWatch Logs ingestion, platform",
            "GB",
            cloudwatch.logs_ingest_gb,
            low=platform_logs,
            basis="usage: VPC flow, WAF and PostgreSQL logs",
            when_zero="none: usage platform_log_gb_per_month = 0",
        ),
        _item(
            "CloudWatch Logs storage",
            "GB-month",
            cloudwatch.logs_storage_gb_month,
            low=(low.tasks * per_task + platform_logs) * stored_per_ingested,
            high=(high.tasks * per_task + platform_logs) * stored_per_ingested,
            basis=f"{settings.log_retention_days} days kept, "
            f"compressed to {prices.usage.log_stored_share:g}",
            when_zero="none: nothing logged, or usage log_stored_share = 0",
        ),
        _item(
            "CloudWatch alarms",
            "alarm-metric-month",
            cloudwatch.alarm_metric_month,
            low=footprint.alarm_metrics,
            basis="each alarm's metrics; 2 alarms per target tracking policy",
            when_zero="none: no alarm in the environment's Terraform",
        ),
        _item(
            "CloudWatch dashboards",
            "dashboard-month",
            cloudwatch.dashboard_month,
            low=footprint.dashboards,
            basis=f"{footprint.dashboards} in the environment's Terraform",
            when_zero="none: no aws_cloudwatch_dashboard in the environment's Terraform",
        ),
    ]


def _keys_and_secrets(footprint: Footprint, prices: PriceTable, services: int) -> list[LineItem]:
    return [
        _item(
            "KMS keys",
            "key-month",
            prices.kms.key_month,
            low=footprint.kms_keys,
            basis="customer managed, the registry's included",
            when_zero="none: no aws_kms_key",
        ),
        _item(
            "Secrets Manager secrets",
            "secret-month",
            prices.secrets_manager.secret_month,
            low=footprint.secrets + footprint.managed_secrets,
            basis=f"{footprint.secrets} in Terraform ({services} services), "
            f"{footprint.managed_secrets} RDS-managed",
            when_zero="none: no secret",
        ),
    ]
