"""What an environment's Terraform makes that is billed by the piece, counted from the code.

Each count walks the environment's root and its registry's through every
module they call (``configuration.placed``), so a module that gains a KMS
key, an alarm or an interface endpoint changes the estimate without
anyone writing a number down. What is priced by how long it is kept is read
the same way: the AWS Backup plan's rules and copies, Aurora's backup
retention, the event archives', and the audit buckets' lifecycle.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bazaar_cost.configuration import Placed, Scope, count, nested_blocks, placed, scopes
from bazaar_cost.errors import InputError

# A target tracking policy makes two CloudWatch alarms (scale out, scale in),
# owned by Application Auto Scaling but billed as the account's own.
ALARMS_PER_TARGET_TRACKING_POLICY = 2

# AWS Config's periodic frequencies (maximum_execution_frequency,
# delivery_frequency), in hours.
CONFIG_FREQUENCY_HOURS = {
    "One_Hour": 1,
    "Three_Hours": 3,
    "Six_Hours": 6,
    "Twelve_Hours": 12,
    "TwentyFour_Hours": 24,
}
# SNS protocols that deliver an e-mail, which SNS bills per notification.
EMAIL_PROTOCOLS = frozenset({"email", "email-json"})
# An AWS Backup (or EventBridge) cron that fires once a day: fixed minute
# and hour, every day of every month.
_DAILY_CRON = re.compile(r"^cron\(\d+ \d+ [*?] \* [*?] \*\)$")


@dataclass(frozen=True)
class BackupCopy:
    region: str  # of the destination vault, from its ARN
    retention_days: int


@dataclass(frozen=True)
class BackupRule:
    """A rule of an AWS Backup plan that has a resource selected (the Aurora cluster)."""

    continuous: bool  # point-in-time recovery, else a daily snapshot
    retention_days: int
    copies: tuple[BackupCopy, ...] = ()


@dataclass(frozen=True)
class Trail:
    management_events: bool
    retention_days: int | None  # of its bucket's objects; None: kept for ever


@dataclass(frozen=True)
class ConfigDelivery:
    snapshot_hours: float  # a configuration snapshot of every resource, this often
    retention_days: int | None  # of its bucket's objects; None: kept for ever


@dataclass(frozen=True)
class EmfMetric:
    """A metric and one dimension set the ADOT collector exports it with."""

    name: str
    dimensions: tuple[str, ...]


@dataclass(frozen=True)
class Footprint:
    nat_gateways: int
    elastic_ips: int
    interface_endpoints: tuple[str, ...]  # the services; each has a network interface per AZ
    internet_facing_load_balancers: int
    web_acls: int
    waf_rules: int  # a managed rule group is one rule on the bill
    db_instances: int
    kms_keys: int
    secrets: int  # made by Terraform
    managed_secrets: int  # made by a service for itself: RDS's master user secret
    alarm_metrics: int  # CloudWatch bills an alarm per metric it watches
    dashboards: int
    # What the platform's observability, audit, backup and archive add; each
    # defaults to none, a platform without them.
    db_backup_retention_days: int = 0  # Aurora's automated backups, the longest cluster's
    backup_rules: tuple[BackupRule, ...] = ()
    event_archives: tuple[int, ...] = ()  # each archive's retention days, 0: for ever
    config_recorders: tuple[str, ...] = ()  # each recorder's recording_frequency
    config_rules_on_change: int = 0
    config_periodic_rule_hours: tuple[float, ...] = ()  # each periodic rule's frequency
    config_deliveries: tuple[ConfigDelivery, ...] = ()
    trails: tuple[Trail, ...] = ()
    email_subscriptions: int = 0
    budgets: int = 0
    emf_metrics: tuple[EmfMetric, ...] = ()
    sagas: int = 0  # the values of the saga dimension (modules/observability's sagas)


def footprint(roots: tuple[Scope, ...]) -> Footprint:
    def total(resource_type: str) -> int:
        return sum(count(root, resource_type) for root in roots)

    def every(resource_type: str) -> list[Placed]:
        return [found for root in roots for found in placed(root, resource_type)]

    dashboards = every("aws_cloudwatch_dashboard")

    endpoints: list[str] = []
    for found in every("aws_vpc_endpoint"):
        if found.attribute("vpc_endpoint_type") == "Interface":
            endpoints.extend(str(key) for key in found.keys)

    load_balancers = sum(
        found.count
        for found in every("aws_lb")
        if found.attribute("load_balancer_type") in (None, "application")
        and found.attribute("internal") is not True
    )
    acls = every("aws_wafv2_web_acl")
    managed_master_secrets = sum(
        found.count
        for found in every("aws_rds_cluster")
        if found.attribute("manage_master_user_password") is True
    )
    alarm_metrics = sum(
        found.count * _alarm_metrics(found.block.body)
        for found in every("aws_cloudwatch_metric_alarm")
    ) + sum(
        found.count * ALARMS_PER_TARGET_TRACKING_POLICY * _tracked_metrics(found)
        for found in every("aws_appautoscaling_policy")
        if found.attribute("policy_type") == "TargetTrackingScaling"
    )
    return Footprint(
        nat_gateways=total("aws_nat_gateway"),
        elastic_ips=total("aws_eip"),
        interface_endpoints=tuple(sorted(endpoints)),
        internet_facing_load_balancers=load_balancers,
        web_acls=sum(found.count for found in acls),
        waf_rules=sum(found.count * len(found.block.body.get("rule", [])) for found in acls),
        db_instances=total("aws_rds_cluster_instance"),
        kms_keys=total("aws_kms_key"),
        secrets=total("aws_secretsmanager_secret"),
        managed_secrets=managed_master_secrets,
        alarm_metrics=alarm_metrics,
        dashboards=sum(found.count for found in dashboards),
        db_backup_retention_days=max(
            (
                int(instance.value(found.block.body.get("backup_retention_period", 1), found.what))
                for found in every("aws_rds_cluster")
                for instance in found.each()
            ),
            default=0,
        ),
        backup_rules=tuple(rule for found in every("aws_backup_plan") for rule in _rules(found)),
        event_archives=tuple(
            int(instance.value(found.block.body.get("retention_days", 0), found.what))
            for found in every("aws_cloudwatch_event_archive")
            for instance in found.each()
        ),
        config_recorders=tuple(
            _recording_frequency(found, instance)
            for found in every("aws_config_configuration_recorder")
            for instance in found.each()
        ),
        config_rules_on_change=sum(
            1 for hours in _config_rules(every("aws_config_config_rule")) if hours is None
        ),
        config_periodic_rule_hours=tuple(
            hours for hours in _config_rules(every("aws_config_config_rule")) if hours is not None
        ),
        config_deliveries=tuple(_deliveries(every("aws_config_delivery_channel"))),
        trails=tuple(_trails(every("aws_cloudtrail"))),
        email_subscriptions=sum(
            1
            for found in every("aws_sns_topic_subscription")
            for instance in found.each()
            if instance.value(found.block.body.get("protocol"), found.what) in EMAIL_PROTOCOLS
        ),
        budgets=total("aws_budgets_budget"),
        emf_metrics=_emf_metrics(roots),
        sagas=_sagas(dashboards),
    )


def _alarm_metrics(body: Mapping[str, Any]) -> int:
    """A metric alarm watches one metric, or each ``metric_query`` that names one."""
    queries = body.get("metric_query", [])
    return sum(1 for query in queries if query.get("metric")) or 1


def _tracked_metrics(found: Placed) -> int:
    """A predefined metric is one; a customized one is each metric its math reads."""
    configurations = found.block.body.get("target_tracking_scaling_policy_configuration", [])
    if len(configurations) != 1:
        raise InputError(
            f"{found.block.file}: {found.block.type} {found.block.name} has "
            f"{len(configurations)} target_tracking_scaling_policy_configuration blocks, not 1"
        )
    customized = configurations[0].get("customized_metric_specification", [])
    if not customized:
        return 1
    metrics = customized[0].get("metrics", [])
    return sum(1 for metric in metrics if metric.get("metric_stat")) or 1


def _days(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InputError(f"{what} is {value!r}, not a number of days")
    return int(value)


def _rules(plan: Placed) -> Iterator[BackupRule]:
    """A plan's rules, if a selection puts a resource in it (else it backs up nothing)."""
    selections = sum(
        len(plan.scope.instances(block))
        for block in plan.scope.module.resources
        if block.type == "aws_backup_selection"
    )
    if not plan.count or not selections:
        return
    for instance in plan.each():
        for rule, names in nested_blocks(instance, plan.block.body, "rule", plan.what):
            name = instance.value(rule.get("rule_name"), plan.what, names)
            what = f"{plan.what} rule {name!r}"
            continuous = instance.value(rule.get("enable_continuous_backup", False), what, names)
            schedule = instance.value(rule.get("schedule"), what, names)
            if not continuous and not _DAILY_CRON.match(str(schedule)):
                raise InputError(
                    f"{what}: schedule {schedule!r}; the estimate prices a daily snapshot "
                    "(cron(M H * * ? *)) and knows no other"
                )
            copies = tuple(
                BackupCopy(
                    region=_vault_region(
                        instance.value(copy.get("destination_vault_arn"), what, copy_names), what
                    ),
                    retention_days=_delete_after(instance, copy, f"{what} copy_action", copy_names),
                )
                for copy, copy_names in nested_blocks(instance, rule, "copy_action", what, names)
            )
            yield BackupRule(
                continuous=continuous is True,
                retention_days=_delete_after(instance, rule, what, names),
                copies=copies,
            )


def _delete_after(scope: Scope, body: Mapping[str, Any], what: str, names: Any) -> int:
    for lifecycle, _ in nested_blocks(scope, body, "lifecycle", what, names):
        if "delete_after" in lifecycle:
            return _days(
                scope.value(lifecycle["delete_after"], what, names), f"{what} delete_after"
            )
    raise InputError(f"{what}: no lifecycle delete_after, so kept for ever: not estimated")


def _vault_region(arn: Any, what: str) -> str:
    parts = str(arn).split(":")
    if len(parts) < 4 or not parts[3]:
        raise InputError(f"{what}: destination_vault_arn {arn!r} names no region")
    return parts[3]


def _recording_frequency(found: Placed, instance: Scope) -> str:
    modes = found.block.body.get("recording_mode", [])
    if not modes:
        return "CONTINUOUS"  # AWS Config's default
    frequency = instance.value(modes[0].get("recording_frequency", "CONTINUOUS"), found.what)
    if frequency not in ("CONTINUOUS", "DAILY"):
        raise InputError(f"{found.what}: recording_frequency {frequency!r}")
    return str(frequency)


def _config_rules(rules: list[Placed]) -> Iterator[float | None]:
    """Each rule's period in hours, or None for a rule triggered by changes."""
    for found in rules:
        for instance in found.each():
            frequency = instance.value(
                found.block.body.get("maximum_execution_frequency"), found.what
            )
            if frequency is None:
                yield None
            elif frequency in CONFIG_FREQUENCY_HOURS:
                yield CONFIG_FREQUENCY_HOURS[frequency]
            else:
                raise InputError(f"{found.what}: maximum_execution_frequency {frequency!r}")


def _expiration_days(scope: Scope, bucket: Any) -> int | None:
    """How long a bucket keeps its objects: its lifecycle configuration's expiration.

    A trail or a delivery channel names its bucket by the reference its
    lifecycle configuration uses too (``aws_s3_bucket.trail[0].id``), so the
    configuration is the one of the same module written with that expression.
    """
    found: list[int] = []
    for block in scope.module.resources:
        if (
            block.type != "aws_s3_bucket_lifecycle_configuration"
            or block.body.get("bucket") != bucket
        ):
            continue
        if not scope.instances(block):
            continue
        what = f"{block.file}: {block.type} {block.name}"
        for rule, names in nested_blocks(scope, block.body, "rule", what):
            if scope.value(rule.get("status"), what, names) != "Enabled":
                continue
            for expiration, _ in nested_blocks(scope, rule, "expiration", what, names):
                if "days" in expiration:
                    found.append(_days(scope.value(expiration["days"], what, names), what))
    return min(found, default=None)


def _deliveries(channels: list[Placed]) -> Iterator[ConfigDelivery]:
    for found in channels:
        for instance in found.each():
            hours = 24.0  # AWS Config's default delivery frequency
            for properties, _ in nested_blocks(
                instance, found.block.body, "snapshot_delivery_properties", found.what
            ):
                frequency = instance.value(properties.get("delivery_frequency"), found.what)
                if frequency is not None:
                    if frequency not in CONFIG_FREQUENCY_HOURS:
                        raise InputError(f"{found.what}: delivery_frequency {frequency!r}")
                    hours = CONFIG_FREQUENCY_HOURS[frequency]
            yield ConfigDelivery(
                hours, _expiration_days(instance, found.block.body.get("s3_bucket_name"))
            )


def _trails(trails: list[Placed]) -> Iterator[Trail]:
    for found in trails:
        for instance in found.each():
            if found.block.body.get("advanced_event_selector"):
                raise InputError(f"{found.what}: advanced event selectors are not estimated")
            selectors = list(
                nested_blocks(instance, found.block.body, "event_selector", found.what)
            )
            management = not selectors or any(
                instance.value(selector.get("include_management_events", True), found.what, names)
                is True
                for selector, names in selectors
            )
            if any(selector.get("data_resource") for selector, _ in selectors):
                raise InputError(f"{found.what}: data events are not estimated")
            yield Trail(
                management, _expiration_days(instance, found.block.body.get("s3_bucket_name"))
            )


def _emf_metrics(roots: tuple[Scope, ...]) -> tuple[EmfMetric, ...]:
    """The metrics the ADOT collector's awsemf exporter sends, from the configuration
    template a module instance renders (templatefile in its locals)."""
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    seen: set[Any] = set()
    for root in roots:
        for scope in scopes(root):
            module = scope.module
            if module.directory in seen:
                continue
            seen.add(module.directory)
            written = " ".join(str(value) for value in module.locals.values())
            for template in sorted(module.directory.glob("*.tftpl")):
                if "templatefile(" not in written or template.name not in written:
                    continue
                for metric in _declarations(template):
                    found[(metric.name, metric.dimensions)] = None
    return tuple(EmfMetric(name, dimensions) for name, dimensions in found)


def _declarations(template: Path) -> Iterator[EmfMetric]:
    """The awsemf exporter's ``metric_declarations``, read line by line.

    No YAML library is a dependency of this tool, and the block is small and
    regular: a list of ``- dimensions: [[...]]`` (a JSON array) each with
    ``metric_name_selectors:`` and its ``- "^name$"`` items (JSON strings).
    Written any other way, the estimate stops rather than guess.
    """
    try:
        text = template.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read {template}: {error.strerror}") from None
    lines = [
        (len(line) - len(line.lstrip()), line.strip(), number)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]
    starts = [index for index, (_, line, _) in enumerate(lines) if line == "metric_declarations:"]
    if "awsemf" in text and not starts:
        # Without declarations awsemf sends every metric with every label.
        raise InputError(f"{template}: awsemf declares no metric_declarations")
    for start in starts:
        declarations: list[dict[str, Any]] = []
        item_indent: int | None = None
        for indent, line, number in lines[start + 1 :]:
            if indent <= lines[start][0]:
                break
            where = f"{template}:{number}"
            item_indent = indent if item_indent is None else item_indent
            if indent == item_indent:
                if not line.startswith("- "):
                    raise InputError(f"{where}: a declaration starts with '- '")
                declarations.append({"dimensions": [], "metric_name_selectors": []})
                line = line[2:]
            if not declarations:
                raise InputError(f"{where}: not in a declaration")
            declaration = declarations[-1]
            if line.startswith("dimensions:"):
                declaration["dimensions"] = _json(line.partition(":")[2], where)
            elif line == "metric_name_selectors:":
                continue
            elif line.startswith("- "):
                declaration["metric_name_selectors"].append(_json(line[2:], where))
            else:
                raise InputError(f"{where}: {line!r} is not read by the estimate")
        for declaration in declarations:
            for selector in declaration["metric_name_selectors"]:
                metric = _metric_name(selector, template)
                for dimensions in declaration["dimensions"]:
                    yield EmfMetric(metric, tuple(dimensions))


def _json(value: str, where: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise InputError(f"{where}: {value.strip()!r} is not a JSON-style value") from None


def _metric_name(selector: Any, template: Path) -> str:
    literal = re.fullmatch(r"\^((?:[\w-]|\\\.)+)\$", str(selector))
    if literal is None:
        raise InputError(
            f"{template}: metric_name_selectors {selector!r} is not one name (^name$): "
            "the estimate counts names, not patterns"
        )
    return literal.group(1).replace("\\.", ".")


def _sagas(dashboards: list[Placed]) -> int:
    """The sagas the dashboard and alarms read (modules/observability's ``sagas``)."""
    sagas: set[Any] = set()
    for found in dashboards:
        if found.count:
            value = found.scope.setting("sagas", found.what, default=[])
            sagas.update(value if isinstance(value, list) else [])
    return len(sagas)
