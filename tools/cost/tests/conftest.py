"""Hand-made catalogs, settings and price tables, and a copy of the repository's Terraform."""

from __future__ import annotations

from pathlib import Path

import pytest

from bazaar_common.catalog import ServiceEntry
from bazaar_common.testing.files import copy_matching
from bazaar_cost.environment import Settings
from bazaar_cost.footprint import Footprint
from bazaar_cost.prices import DEFAULT_PRICES

REPOSITORY = Path(__file__).resolve().parents[3]
# What the estimate reads: the catalog and the Terraform (not its tests or examples).
COPIED = [
    "services/*/src/*/service.yaml",
    "infra/terraform/**/*.tf",
    "infra/terraform/**/*.tfvars",
    "infra/terraform/**/*.tftpl",  # the ADOT collector's configuration: its EMF metrics
]


def service(
    name: str,
    *,
    cpu: int = 256,
    memory: int = 512,
    min_tasks: int = 1,
    max_tasks: int = 4,
    consumes: bool = False,
    publishes: bool = False,
) -> ServiceEntry:
    """A catalog entry with only what the estimate reads chosen."""
    number = sum(ord(letter) for letter in name)
    return ServiceEntry.model_validate(
        {
            "name": name,
            "description": f"the {name} service",
            "package": f"bazaar_{name}",
            "port": 8000 + number % 1000,
            "route": {"path_prefix": f"/{name}", "priority": 1 + number % 1000},
            "database": name,
            "resources": {
                "cpu": cpu,
                "memory": memory,
                "min_tasks": min_tasks,
                "max_tasks": max_tasks,
            },
            "events": {
                "consumes": ["SomethingHappened"] if consumes else [],
                "publishes": ["SomethingElseHappened"] if publishes else [],
            },
        }
    )


def settings(**changes: object) -> Settings:
    values: dict[str, object] = {
        "az_count": 2,
        "min_tasks_per_service": 1,
        "enable_autoscaling": True,
        "fargate_spot_weight": 0,
        "cpu_architecture": "X86_64",
        "db_min_capacity": 0.5,
        "db_max_capacity": 2.0,
        "log_retention_days": 30,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


def footprint(**changes: object) -> Footprint:
    values: dict[str, object] = {
        "nat_gateways": 1,
        "elastic_ips": 1,
        "interface_endpoints": ("ecr.api", "logs"),
        "internet_facing_load_balancers": 1,
        "web_acls": 1,
        "waf_rules": 3,
        "db_instances": 1,
        "kms_keys": 4,
        "secrets": 4,
        "managed_secrets": 1,
        "alarm_metrics": 6,
        "dashboards": 0,
    }
    values.update(changes)
    return Footprint(**values)  # type: ignore[arg-type]


# Round prices, so a test's expected figure is plain arithmetic.
PRICE_TABLE = """
region = "eu-west-1"
currency = "USD"
as_of = "2026-01-01"
source = "made up for the tests"

[fargate]
x86_64_vcpu_hour = 0.04
x86_64_gb_hour = 0.004
arm64_vcpu_hour = 0.032
arm64_gb_hour = 0.0032
spot_discount = 0.75

[aurora]
acu_hour = 0.1
storage_gb_month = 0.1
io_million_requests = 0.2

[nat_gateway]
hour = 0.05
gb_processed = 0.05

[public_ipv4]
address_hour = 0.005

[vpc_endpoint]
interface_az_hour = 0.01
gb_processed = 0.01

[alb]
hour = 0.025
lcu_hour = 0.008

[waf]
web_acl_month = 5
rule_month = 1
million_requests = 0.6

[backup]
aurora_gb_month = 0.02
copy_gb_month = 0.03
inter_region_gb = 0.02

[config]
continuous_item = 0.003
daily_item = 0.012
rule_evaluation = 0.001
rule_evaluation_tier = 100_000

[cloudtrail]
extra_copy_event = 0.00002

[s3]
standard_gb_month = 0.02

[eventbridge]
archive_processing_gb = 0.1
archive_storage_gb_month = 0.02

[cloudwatch]
logs_ingest_gb = 0.5
logs_storage_gb_month = 0.03
alarm_metric_month = 0.1
dashboard_month = 3
custom_metric_month = 0.3
custom_metric_tier = 10_000

[budgets]
budget_day = 0.02
free_budgets = 2

[sns]
email_notification = 0.00002
free_email_notifications = 1_000

[kms]
key_month = 1

[secrets_manager]
secret_month = 0.4

[usage]
hours_per_month = 730
log_gb_per_task_day = 0.1
emf_gb_per_task_day = 0.01
log_stored_share = 0.2
db_high_acu_share = 1.0
event_kb = 2
config_item_kb = 1
saga_outcomes = 5

[usage.dev]
requests_per_month = 2_000_000
alb_average_lcu = 0.5
nat_gb_per_month = 10
endpoint_gb_per_month = 20
platform_log_gb_per_month = 3
db_storage_gb = 10
db_io_million_per_month = 4
db_daily_change_share = 0.01
events_per_month = 1_000_000
config_items_per_month = 2_000
config_resources = 100
config_evaluations_per_rule_month = 50
audit_log_gb_per_month = 2
alarm_notifications_per_month = 600

[deploy_variables.dev]
alarm_email = "team@example.com"
"""


@pytest.fixture
def price_file(tmp_path: Path) -> Path:
    path = tmp_path / "prices.toml"
    path.write_text(PRICE_TABLE, encoding="utf-8")
    return path


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A copy of the checkout's catalog and Terraform, to change a file of."""
    return copy_matching(
        REPOSITORY,
        tmp_path / "repo",
        COPIED,
        leave_out=lambda relative: bool({".terraform", "tests", "examples"} & set(relative.parts)),
    )


@pytest.fixture
def shipped_prices() -> Path:
    return DEFAULT_PRICES
