"""What an environment's Terraform makes that is billed by the piece, counted from the code.

Each count walks the environment's root and its registry's through every
module they call (``configuration.placed``), so a module that gains a KMS
key, an alarm or an interface endpoint changes the estimate without
anyone writing a number down.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bazaar_cost.configuration import Placed, Scope, count, placed
from bazaar_cost.errors import InputError

# A target tracking policy makes two CloudWatch alarms (scale out, scale in),
# owned by Application Auto Scaling but billed as the account's own.
ALARMS_PER_TARGET_TRACKING_POLICY = 2


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


def footprint(roots: tuple[Scope, ...]) -> Footprint:
    def total(resource_type: str) -> int:
        return sum(count(root, resource_type) for root in roots)

    def every(resource_type: str) -> list[Placed]:
        return [found for root in roots for found in placed(root, resource_type)]

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
        dashboards=total("aws_cloudwatch_dashboard"),
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
