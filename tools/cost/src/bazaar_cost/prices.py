"""The price table and the usage assumptions (prices.toml), read and checked.

Every key is required and no other is accepted, so a typo or a price left
out is an error naming it, not a line silently priced at zero.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

from bazaar_cost.errors import InputError

DEFAULT_PRICES = Path(__file__).with_name("prices.toml")


@dataclass(frozen=True)
class Fargate:
    x86_64_vcpu_hour: float
    x86_64_gb_hour: float
    arm64_vcpu_hour: float
    arm64_gb_hour: float
    spot_discount: float  # the share FARGATE_SPOT takes off the on-demand price


@dataclass(frozen=True)
class Aurora:
    acu_hour: float
    storage_gb_month: float
    io_million_requests: float


@dataclass(frozen=True)
class NatGateway:
    hour: float
    gb_processed: float


@dataclass(frozen=True)
class PublicIpv4:
    address_hour: float


@dataclass(frozen=True)
class VpcEndpoint:
    interface_az_hour: float
    gb_processed: float


@dataclass(frozen=True)
class LoadBalancer:
    hour: float
    lcu_hour: float


@dataclass(frozen=True)
class Waf:
    web_acl_month: float
    rule_month: float
    million_requests: float


@dataclass(frozen=True)
class Backup:
    aurora_gb_month: float  # Aurora backup storage past the free 100%, and AWS Backup's snapshots
    copy_gb_month: float  # the same, in the copy vault's region
    inter_region_gb: float  # data transfer out of the region, per GB copied


@dataclass(frozen=True)
class Config:
    continuous_item: float  # a configuration item recorded, CONTINUOUS recording
    daily_item: float  # the same, DAILY recording
    rule_evaluation: float
    rule_evaluation_tier: float  # evaluations a month at rule_evaluation; past them, cheaper


@dataclass(frozen=True)
class CloudTrail:
    extra_copy_event: float  # a management event in a second trail (the first copy is free)


@dataclass(frozen=True)
class S3:
    standard_gb_month: float


@dataclass(frozen=True)
class EventBridge:
    archive_processing_gb: float
    archive_storage_gb_month: float


@dataclass(frozen=True)
class CloudWatch:
    logs_ingest_gb: float
    logs_storage_gb_month: float
    alarm_metric_month: float
    dashboard_month: float
    custom_metric_month: float
    custom_metric_tier: float  # metrics at custom_metric_month; past them, cheaper


@dataclass(frozen=True)
class Budgets:
    budget_day: float
    free_budgets: float  # an account's first budgets cost nothing


@dataclass(frozen=True)
class Sns:
    email_notification: float
    free_email_notifications: float  # a month, per account


@dataclass(frozen=True)
class Kms:
    key_month: float


@dataclass(frozen=True)
class SecretsManager:
    secret_month: float


@dataclass(frozen=True)
class Usage:
    """Assumptions that hold in every environment."""

    hours_per_month: float
    log_gb_per_task_day: float
    emf_gb_per_task_day: float
    log_stored_share: float
    db_high_acu_share: float
    event_kb: float
    config_item_kb: float
    saga_outcomes: float


@dataclass(frozen=True)
class EnvironmentUsage:
    """Assumptions about one environment's traffic and data."""

    requests_per_month: float
    alb_average_lcu: float
    nat_gb_per_month: float
    endpoint_gb_per_month: float
    platform_log_gb_per_month: float
    db_storage_gb: float
    db_io_million_per_month: float
    db_daily_change_share: float
    events_per_month: float
    config_items_per_month: float
    config_resources: float
    config_evaluations_per_rule_month: float
    audit_log_gb_per_month: float
    alarm_notifications_per_month: float


@dataclass(frozen=True)
class PriceTable:
    path: Path
    region: str
    currency: str
    as_of: str
    source: str
    fargate: Fargate
    aurora: Aurora
    nat_gateway: NatGateway
    public_ipv4: PublicIpv4
    vpc_endpoint: VpcEndpoint
    alb: LoadBalancer
    waf: Waf
    backup: Backup
    config: Config
    cloudtrail: CloudTrail
    s3: S3
    eventbridge: EventBridge
    cloudwatch: CloudWatch
    budgets: Budgets
    sns: Sns
    kms: Kms
    secrets_manager: SecretsManager
    usage: Usage
    environments: Mapping[str, EnvironmentUsage]  # in the file's order
    # Per environment, the GitHub variables its deploy passes as TF_VAR_<name>
    # (deploy-environment.yml): no file of the repository holds them.
    deploy_variables: Mapping[str, Mapping[str, str]]


_HEADER = ("region", "currency", "as_of", "source")
# The share-like keys: fractions of something, so at most 1.
_SHARES = {"spot_discount", "log_stored_share", "db_high_acu_share", "db_daily_change_share"}
_Section = TypeVar("_Section")


def load_prices(path: Path) -> PriceTable:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read the price table {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path} is not valid TOML: {error}") from None
    usage = document.get("usage")
    if not isinstance(usage, dict):
        raise InputError(f"{path}: no [usage] table")
    per_environment = {key: value for key, value in usage.items() if isinstance(value, dict)}
    shared_usage = {key: value for key, value in usage.items() if not isinstance(value, dict)}
    tables = {field.name for field in fields(PriceTable)} - {"environments", "path"}
    unknown = set(document) - tables
    if unknown:
        raise InputError(f"{path}: unknown table or key {', '.join(sorted(unknown))}")
    header: dict[str, str] = {}
    for key in _HEADER:
        value = document.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{path}: {key} must be a non-empty string")
        header[key] = value
    if not per_environment:
        raise InputError(f"{path}: no [usage.<environment>] table")
    return PriceTable(
        path,
        **header,
        fargate=_section(path, "fargate", document.get("fargate"), Fargate),
        aurora=_section(path, "aurora", document.get("aurora"), Aurora),
        nat_gateway=_section(path, "nat_gateway", document.get("nat_gateway"), NatGateway),
        public_ipv4=_section(path, "public_ipv4", document.get("public_ipv4"), PublicIpv4),
        vpc_endpoint=_section(path, "vpc_endpoint", document.get("vpc_endpoint"), VpcEndpoint),
        alb=_section(path, "alb", document.get("alb"), LoadBalancer),
        waf=_section(path, "waf", document.get("waf"), Waf),
        backup=_section(path, "backup", document.get("backup"), Backup),
        config=_section(path, "config", document.get("config"), Config),
        cloudtrail=_section(path, "cloudtrail", document.get("cloudtrail"), CloudTrail),
        s3=_section(path, "s3", document.get("s3"), S3),
        eventbridge=_section(path, "eventbridge", document.get("eventbridge"), EventBridge),
        cloudwatch=_section(path, "cloudwatch", document.get("cloudwatch"), CloudWatch),
        budgets=_section(path, "budgets", document.get("budgets"), Budgets),
        sns=_section(path, "sns", document.get("sns"), Sns),
        kms=_section(path, "kms", document.get("kms"), Kms),
        secrets_manager=_section(
            path, "secrets_manager", document.get("secrets_manager"), SecretsManager
        ),
        usage=_section(path, "usage", shared_usage, Usage),
        environments={
            name: _section(path, f"usage.{name}", table, EnvironmentUsage)
            for name, table in per_environment.items()
        },
        deploy_variables=_deploy_variables(
            path, document.get("deploy_variables", {}), per_environment
        ),
    )


def _deploy_variables(
    path: Path, tables: Any, environments: Mapping[str, Any]
) -> dict[str, dict[str, str]]:
    """``[deploy_variables.<env>]``: name = "value", for environments of [usage]."""
    if not isinstance(tables, dict):
        raise InputError(f"{path}: deploy_variables must be tables, one per environment")
    found: dict[str, dict[str, str]] = {}
    for name, table in tables.items():
        if name not in environments:
            raise InputError(f"{path}: [deploy_variables.{name}] has no [usage.{name}]")
        if not isinstance(table, dict):
            raise InputError(f"{path}: deploy_variables.{name} is not a table")
        for key, value in table.items():
            # GitHub variables are strings; Terraform reads TF_VAR_ strings as such.
            if not isinstance(value, str):
                raise InputError(
                    f"{path}: [deploy_variables.{name}] {key} is {value!r}, not a string"
                )
        found[name] = dict(table)
    return found


def _section(path: Path, name: str, table: Any, kind: type[_Section]) -> _Section:
    if not isinstance(table, dict):
        raise InputError(f"{path}: no [{name}] table")
    expected = [field.name for field in fields(kind)]  # type: ignore[arg-type]
    missing = [key for key in expected if key not in table]
    unknown = sorted(set(table) - set(expected))
    if missing or unknown:
        problems = [f"missing {', '.join(missing)}"] if missing else []
        problems += [f"unknown {', '.join(unknown)}"] if unknown else []
        raise InputError(f"{path}: [{name}] {'; '.join(problems)}")
    # A price of 0 would make a line cost nothing without saying why: what is
    # free is not in the table at all. A usage of 0 says why itself.
    is_usage = name.startswith("usage")
    values: dict[str, float] = {}
    for key in expected:
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"{path}: [{name}] {key} is {value!r}, not a number")
        if key in _SHARES:
            if not 0 <= value <= 1:
                raise InputError(f"{path}: [{name}] {key} is {value}, a share: 0 to 1")
        elif is_usage and value < 0:
            raise InputError(f"{path}: [{name}] {key} is {value}, not 0 or more")
        elif not is_usage and value <= 0:
            raise InputError(f"{path}: [{name}] {key} is {value}, not a price above 0")
        values[key] = float(value)
    if name == "usage" and values["hours_per_month"] <= 0:
        raise InputError(f"{path}: [usage] hours_per_month must be above 0")
    return kind(**values)
