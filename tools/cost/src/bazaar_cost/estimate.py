"""One environment's monthly bill, line by line: the arithmetic, and nothing read here.

Every line has a low and a high figure. Low: each service at its floor of
tasks, Aurora at db_min_capacity (nothing but storage when that is 0 and
the cluster auto-pauses), the tasks' logs of that fleet. High: each
service at its autoscaling ceiling, Aurora at db_high_acu_share of the way
to db_max_capacity. Everything else is the same in both.

Stored things (logs, audit files, archived events, backups) are priced at
their steady state: a month's worth times the months they are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from bazaar_common.catalog import ServiceEntry
from bazaar_common.observability.metrics import ConsumerOutcome
from bazaar_cost.environment import Settings
from bazaar_cost.errors import InputError
from bazaar_cost.fleet import Fleet, fleet, service_tasks
from bazaar_cost.footprint import Footprint
from bazaar_cost.prices import EnvironmentUsage, PriceTable

HOURS_PER_DAY = 24
REQUESTS_PER_MILLION = 1_000_000
KB_PER_GB = 1_000_000  # AWS's GB of stored and processed data is decimal
MONTHS_KEPT_FOR_EVER = 12  # what "kept for ever" is priced as: a year of it, with a warning
AURORA_DEFAULT_AUTO_PAUSE_SECONDS = 300  # when seconds_until_auto_pause is left null


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
    deploy_variables: tuple[str, ...] = ()  # assumed set, as the price table gives them

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
    deploy_variables: Sequence[str] = (),
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
        *_backups(footprint, prices, usage),
        *_network(settings, footprint, prices, usage),
        *_edge(footprint, prices, usage),
        *_observability(settings, footprint, prices, usage, low, high),
        *_metrics_and_alerts(entries, footprint, prices, usage, notes),
        *_audit(footprint, prices, usage, notes),
        *_event_archive(footprint, prices, usage, notes),
        *_keys_and_secrets(footprint, prices, len(services)),
    ]
    return EnvironmentEstimate(
        name,
        settings,
        len(services),
        low.tasks,
        high.tasks,
        tuple(items),
        tuple(notes),
        tuple(deploy_variables),
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
    pause_after = settings.db_seconds_until_auto_pause or AURORA_DEFAULT_AUTO_PAUSE_SECONDS
    return [
        _item(
            "Aurora Serverless v2 capacity",
            "ACU-hour",
            prices.aurora.acu_hour,
            low=instances * low_acu * hours,
            high=instances * high_acu * hours,
            basis=f"{instances} instance(s) x {low_acu:g}-{high_acu:g} ACU"
            + (
                f" (low: auto-paused all month, 0 ACU; it pauses after {pause_after:g} s idle)"
                if paused
                else ""
            ),
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


def _backups(footprint: Footprint, prices: PriceTable, usage: EnvironmentUsage) -> list[LineItem]:
    """Aurora's backup storage past the free 100%, and AWS Backup's copies to another region.

    The model, per cluster of S GB whose pages change by a share r a day:
    the point-in-time window of D days (Aurora's automated backups, which
    AWS Backup's continuous rule manages) holds S x r x D of changes; a
    daily snapshot kept N days holds S x (1 + r x N), one whole copy and
    each day's changes after it. Up to S of it all is free. A copy kept M
    days in the second region holds S x (1 + r x M) there too, and each
    day's copy sends the whole snapshot, S GB, across: Aurora copies
    cluster snapshots between regions whole, not incrementally.
    """
    days = prices.usage.hours_per_month / HOURS_PER_DAY
    size = usage.db_storage_gb if footprint.db_instances else 0
    change = usage.db_daily_change_share
    snapshots = [rule for rule in footprint.backup_rules if not rule.continuous]
    continuous = [rule.retention_days for rule in footprint.backup_rules if rule.continuous]
    window = max([footprint.db_backup_retention_days, *continuous])
    held = size * change * window + sum(
        size * (1 + change * rule.retention_days) for rule in snapshots
    )
    billed = max(0.0, held - size)
    copies = [copy for rule in snapshots for copy in rule.copies]
    copy_storage = sum(size * (1 + change * copy.retention_days) for copy in copies)
    regions = ", ".join(sorted({copy.region for copy in copies}))
    kept = ", ".join(f"{rule.retention_days}" for rule in snapshots)
    if not footprint.db_instances:
        no_backup = no_copy = "none: the environment has no Aurora instance"
    elif not size:
        no_backup = no_copy = "none: usage db_storage_gb = 0"
    elif not footprint.backup_rules:
        no_backup = (
            f"none: no aws_backup plan; Aurora's own {footprint.db_backup_retention_days} days "
            f"of backups ({size * change * window:g} GB of changes) are within the free 100% "
            f"of its {size:g} GB"
        )
        no_copy = "none: no aws_backup plan"
    else:
        no_backup = f"none: within the free 100% of the cluster's {size:g} GB"
        no_copy = "none: no copy_action (backup_copy_vault_arn not set)"
    # The model written out: S x (r x D + (1 + r x N) per snapshot rule) - S.
    basis = (
        f"{size:g} GB x ({change:g} x {window} days point-in-time"
        + "".join(f" + 1 + {change:g} x {rule.retention_days} days" for rule in snapshots)
        + f") - {size:g} GB free"
        + (f"; daily snapshots kept {kept} days" if snapshots else "")
    )
    return [
        _item(
            "Aurora backup storage",
            "GB-month",
            prices.backup.aurora_gb_month,
            low=billed,
            basis=basis,
            when_zero=no_backup,
        ),
        _item(
            "Backup copies, second region",
            "GB-month",
            prices.backup.copy_gb_month,
            low=copy_storage,
            basis="".join(
                f"{size:g} GB x (1 + {change:g} x {copy.retention_days} days) in {copy.region}; "
                for copy in copies
            )
            + f"{_plural(len(copies), 'daily copy', 'daily copies')} (copy_vault_arn set)",
            when_zero=no_copy,
        ),
        _item(
            "Backup copies, transfer",
            "GB",
            prices.backup.inter_region_gb,
            low=len(copies) * days * size,
            basis=f"the whole {size:g} GB snapshot, {days:.1f} times a month, to {regions}: "
            "Aurora copies whole snapshots between regions",
            when_zero=no_copy,
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
    # The collector's EMF lines go to a metrics log group of the service, kept
    # as long as its logs: ingested and stored like them.
    emf_per_task = prices.usage.emf_gb_per_task_day * days if footprint.emf_metrics else 0
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
            "CloudWatch Logs ingestion, EMF metrics",
            "GB",
            cloudwatch.logs_ingest_gb,
            low=low.tasks * emf_per_task,
            high=high.tasks * emf_per_task,
            basis=f"the ADOT collector's EMF lines: usage {prices.usage.emf_gb_per_task_day:g} "
            "GB per task-day",
            when_zero="none: no awsemf metric declared"
            if not footprint.emf_metrics
            else "none: no task, or usage emf_gb_per_task_day = 0",
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
            low=(low.tasks * (per_task + emf_per_task) + platform_logs) * stored_per_ingested,
            high=(high.tasks * (per_task + emf_per_task) + platform_logs) * stored_per_ingested,
            basis=f"{settings.log_retention_days} days kept, "
            f"compressed to {prices.usage.log_stored_share:g}",
            when_zero="none: nothing logged, or usage log_stored_share = 0",
        ),
    ]


def _metrics_and_alerts(
    entries: Sequence[ServiceEntry],
    footprint: Footprint,
    prices: PriceTable,
    usage: EnvironmentUsage,
    notes: list[str],
) -> list[LineItem]:
    cloudwatch = prices.cloudwatch
    metrics, metrics_basis = custom_metrics(entries, footprint, prices.usage.saga_outcomes)
    if metrics > cloudwatch.custom_metric_tier:
        notes.append(
            f"{metrics:g} custom metrics: past the first {cloudwatch.custom_metric_tier:g} "
            "they cost less than the price used, so the line is high"
        )
    days = prices.usage.hours_per_month / HOURS_PER_DAY
    free_budgets = prices.budgets.free_budgets
    billed_budgets = max(0.0, footprint.budgets - free_budgets)
    emails = usage.alarm_notifications_per_month * footprint.email_subscriptions
    free_emails = prices.sns.free_email_notifications
    return [
        _item(
            "CloudWatch custom metrics",
            "metric-month",
            cloudwatch.custom_metric_month,
            low=metrics,
            basis=metrics_basis,
            when_zero="none: the collector exports no metric (no awsemf declaration)",
        ),
        _item(
            "CloudWatch alarms",
            "alarm-metric-month",
            cloudwatch.alarm_metric_month,
            low=footprint.alarm_metrics,
            basis="each alarm's metrics (a metric math alarm: each metric it reads); "
            "2 alarms per target tracking policy",
            when_zero="none: no alarm in the environment's Terraform",
        ),
        _item(
            "CloudWatch dashboards",
            "dashboard-month",
            cloudwatch.dashboard_month,
            low=footprint.dashboards,
            basis=f"{footprint.dashboards} in Terraform, ${cloudwatch.dashboard_month:g} each: "
            "the free 3 (up to 50 metrics each) are not counted",
            when_zero="none: no aws_cloudwatch_dashboard in the environment's Terraform",
        ),
        _item(
            "AWS Budgets",
            "budget-month",
            prices.budgets.budget_day * days,
            low=billed_budgets,
            basis=f"{_plural(footprint.budgets, 'budget')}, the first {free_budgets:g} free",
            when_zero=f"none: {_plural(footprint.budgets, 'budget')}, within the account's "
            f"first {free_budgets:g} free (no budget actions)",
        ),
        _item(
            "SNS e-mail notifications",
            "notification",
            prices.sns.email_notification,
            low=max(0.0, emails - free_emails),
            basis=f"{emails:,.0f} a month (usage alarm_notifications_per_month x "
            f"{_plural(footprint.email_subscriptions, 'e-mail subscription')}), less the "
            f"free {free_emails:,.0f}",
            when_zero=f"none: {emails:,.0f} e-mails a month (usage alarm_notifications_per_month "
            f"x {_plural(footprint.email_subscriptions, 'e-mail subscription')}), within the "
            f"free {free_emails:,.0f}; publishes within the free million",
        ),
    ]


# Who records each of bazaar_common.observability.metrics' instruments: the
# outbox relay runs in a service that publishes, the consumer in one that
# consumes, the archive writer in the one service that writes the event
# archive (audit; the platform allows one). So the services a service.name
# dimension takes.
_RECORDED_BY = {
    "bazaar.outbox.": "publishes",
    "bazaar.consumer.": "consumes",
    "bazaar.archive.": "archives",
}


def custom_metrics(
    entries: Sequence[ServiceEntry], footprint: Footprint, saga_outcomes: float
) -> tuple[float, str]:
    """CloudWatch's custom metrics from the collector's EMF: one per metric name and
    dimension set and combination of the dimensions' values, as CloudWatch bills them."""
    publishers = sum(1 for entry in entries if entry.events.publishes)
    consumers = sum(1 for entry in entries if entry.events.consumes)
    recorders = {"publishes": publishers, "consumes": consumers, "archives": 1}
    # The consumer's outcomes are a Literal in bazaar_common: what it can record.
    consumer_outcomes = len(get_args(ConsumerOutcome))
    total = 0.0
    for metric in footprint.emf_metrics:
        combinations = 1.0
        for dimension in metric.dimensions:
            if dimension == "service.name":
                role = next(
                    (
                        role
                        for prefix, role in _RECORDED_BY.items()
                        if metric.name.startswith(prefix)
                    ),
                    None,
                )
                if role is None:
                    raise InputError(f"{metric.name}: the estimate knows no service recording it")
                values = float(recorders[role])
            elif dimension == "outcome" and metric.name.startswith("bazaar.consumer."):
                values = consumer_outcomes
            elif dimension == "outcome" and metric.name.startswith("bazaar.saga."):
                values = saga_outcomes
            elif dimension == "saga":
                values = footprint.sagas
            else:
                raise InputError(
                    f"{metric.name}: the estimate knows no values of its dimension {dimension!r}"
                )
            combinations *= values
        total += combinations
    names = len({metric.name for metric in footprint.emf_metrics})
    # A metric is billed for the hours it is sent: one for a rare outcome
    # costs less than a month's. All of them all month is the ceiling.
    basis = (
        f"{len(footprint.emf_metrics)} dimension sets of {names} EMF metrics over "
        f"{publishers} publishing and {consumers} consuming services, {consumer_outcomes} "
        f"consumer and {saga_outcomes:g} saga outcomes, {_plural(footprint.sagas, 'saga')}; "
        "each sent all month"
    )
    return total, basis


def _plural(count: float, singular: str, plural: str | None = None) -> str:
    return f"{count:g} {singular if count == 1 else plural or singular + 's'}"


def _steady(gb_per_month: float, retention_days: int | None, days: float) -> float:
    """GB-months held when each month's GB is kept retention_days (None: for ever)."""
    if retention_days is None or retention_days == 0:
        return gb_per_month * MONTHS_KEPT_FOR_EVER
    return gb_per_month * retention_days / days


def _audit(
    footprint: Footprint, prices: PriceTable, usage: EnvironmentUsage, notes: list[str]
) -> list[LineItem]:
    days = prices.usage.hours_per_month / HOURS_PER_DAY
    config = prices.config
    recorders = footprint.config_recorders
    continuous = recorders.count("CONTINUOUS")
    daily = recorders.count("DAILY")
    items = usage.config_items_per_month
    periodic_runs = sum(
        prices.usage.hours_per_month / hours for hours in footprint.config_periodic_rule_hours
    )
    evaluations = (
        footprint.config_rules_on_change * usage.config_evaluations_per_rule_month + periodic_runs
    )
    if evaluations > config.rule_evaluation_tier:
        notes.append(
            f"{evaluations:,.0f} Config rule evaluations: past the first "
            f"{config.rule_evaluation_tier:,.0f} they cost less, so the line is high"
        )
    rules = footprint.config_rules_on_change + len(footprint.config_periodic_rule_hours)
    management = [trail for trail in footprint.trails if trail.management_events]
    if len(management) > 1:
        notes.append(
            f"{len(management)} trails log management events: each copy past the first is "
            f"billed per event (${prices.cloudtrail.extra_copy_event * 100_000:g} per 100,000), "
            "which needs an event count this estimate does not have"
        )
    trail_gb = sum(
        _steady(usage.audit_log_gb_per_month, trail.retention_days, days)
        for trail in footprint.trails
    )
    config_gb = sum(
        _steady(
            (
                items
                + usage.config_resources * prices.usage.hours_per_month / delivery.snapshot_hours
            )
            * prices.usage.config_item_kb
            / KB_PER_GB,
            delivery.retention_days,
            days,
        )
        for delivery in footprint.config_deliveries
    )
    forever = [trail for trail in footprint.trails if trail.retention_days is None] + [
        delivery for delivery in footprint.config_deliveries if delivery.retention_days is None
    ]
    if forever:
        notes.append(
            f"an audit bucket keeps its files for ever: priced as {MONTHS_KEPT_FOR_EVER} "
            "months of them, and it grows every month"
        )
    trail_days = ", ".join(f"{trail.retention_days or 'for ever'}" for trail in footprint.trails)
    config_days = ", ".join(
        f"{delivery.retention_days or 'for ever'}" for delivery in footprint.config_deliveries
    )
    no_recorder = "none: no AWS Config recorder in the environment's Terraform"
    return [
        _item(
            "AWS Config configuration items",
            "item",
            config.continuous_item,
            low=items * continuous,
            basis=f"usage: config_items_per_month; {_plural(continuous, 'recorder')}, CONTINUOUS",
            when_zero=no_recorder if not continuous else "none: usage config_items_per_month = 0",
        ),
        *(
            [
                _item(
                    "AWS Config configuration items, daily",
                    "item",
                    config.daily_item,
                    low=items * daily,
                    basis=f"usage: config_items_per_month; {_plural(daily, 'recorder')}, DAILY",
                    when_zero="none: usage config_items_per_month = 0",
                )
            ]
            if daily
            else []
        ),
        _item(
            "AWS Config rule evaluations",
            "evaluation",
            config.rule_evaluation,
            low=evaluations,
            basis=f"{rules} rules: {footprint.config_rules_on_change} change-triggered x "
            f"{usage.config_evaluations_per_rule_month:g} (usage), "
            f"{len(footprint.config_periodic_rule_hours)} periodic x "
            f"{periodic_runs / max(1, len(footprint.config_periodic_rule_hours)):.1f} runs",
            when_zero="none: no Config rule in the environment's Terraform"
            if not rules
            else "none: usage config_evaluations_per_rule_month = 0 and no periodic rule",
        ),
        _item(
            "CloudTrail management events",
            "event (extra copy)",
            prices.cloudtrail.extra_copy_event,
            low=0,
            basis="",
            when_zero="none: the first copy of management events is free "
            f"({_plural(len(management), 'trail')} logging them)"
            if management
            else "none: no trail logs management events",
        ),
        _item(
            "S3, CloudTrail logs",
            "GB-month",
            prices.s3.standard_gb_month,
            low=trail_gb,
            basis=f"usage: audit_log_gb_per_month, kept {trail_days} days",
            when_zero="none: no CloudTrail trail"
            if not footprint.trails
            else "none: usage audit_log_gb_per_month = 0",
        ),
        _item(
            "S3, Config deliveries",
            "GB-month",
            prices.s3.standard_gb_month,
            low=config_gb,
            basis=f"config items, and a snapshot of {usage.config_resources:g} resources every "
            + ", ".join(
                f"{delivery.snapshot_hours:g} h" for delivery in footprint.config_deliveries
            )
            + f", {prices.usage.config_item_kb:g} KB an item, kept {config_days} days",
            when_zero=no_recorder
            if not footprint.config_deliveries
            else "none: nothing recorded (usage)",
        ),
    ]


def _event_archive(
    footprint: Footprint, prices: PriceTable, usage: EnvironmentUsage, notes: list[str]
) -> list[LineItem]:
    days = prices.usage.hours_per_month / HOURS_PER_DAY
    archives = footprint.event_archives
    gb = usage.events_per_month * prices.usage.event_kb / KB_PER_GB
    if 0 in archives:
        notes.append(
            f"an event archive keeps events for ever (retention 0): priced as "
            f"{MONTHS_KEPT_FOR_EVER} months of them, and it grows every month"
        )
    kept = ", ".join(f"{retention or 'for ever'}" for retention in archives)
    no_archive = "none: no EventBridge archive (event_archive_retention_days = null)"
    no_events = "none: usage events_per_month = 0"
    return [
        _item(
            "EventBridge archive processing",
            "GB",
            prices.eventbridge.archive_processing_gb,
            low=gb * len(archives),
            basis=f"usage: {usage.events_per_month:,.0f} events of "
            f"{prices.usage.event_kb:g} KB a month",
            when_zero=no_archive if not archives else no_events,
        ),
        _item(
            "EventBridge archive storage",
            "GB-month",
            prices.eventbridge.archive_storage_gb_month,
            low=sum(_steady(gb, retention, days) for retention in archives),
            basis=f"kept {kept} days",
            when_zero=no_archive if not archives else no_events,
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
