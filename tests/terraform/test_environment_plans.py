"""The plans of dev, staging and prod: tags, alarms, dashboard, event archive, web app.

Each environment's own configuration (its main.tf, variables and
terraform.tfvars) is planned as it is, against a moto server instead of AWS:
a copy under .local/ gets an override file that swaps the S3 backend for a
local one and points the provider's endpoints at moto (its module sources
are re-pointed relative to the copy: Terraform takes only relative local
module paths). Nothing else changes, so
the plan is the one a deploy would make in an empty account, read from
``terraform show -json``.
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from tests.terraform.cli import REPOSITORY_ROOT, TERRAFORM_ROOT, copy_configuration, terraform

from bazaar_common.catalog import discover
from bazaar_common.testing.moto import MotoServer

pytestmark = pytest.mark.slow

ENVIRONMENTS = ("dev", "staging", "prod")
STANDARD_TAGS = {"project": "bazaar", "managed-by": "terraform"}
# Every AWS API the platform's modules call, all at moto.
ENDPOINTS = [
    "acm",
    "appautoscaling",
    "backup",
    "budgets",
    "cloudfront",
    "cloudtrail",
    "cloudwatch",
    "cognitoidp",
    "configservice",
    "ec2",
    "ecr",
    "ecs",
    "elb",
    "elbv2",
    "events",
    "iam",
    "kms",
    "logs",
    "rds",
    "route53",
    "s3",
    "secretsmanager",
    "servicediscovery",
    "sns",
    "sqs",
    "sts",
    "wafv2",
]

OVERRIDE = """
terraform {{
  backend "local" {{}}
}}

provider "aws" {{
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true

  endpoints {{
{endpoints}
  }}
}}
"""


def planned(environment: str, moto_url: str, folder: Path, services: list[str]) -> dict[str, Any]:
    """``terraform show -json`` of the environment's plan against moto."""
    copy_configuration(TERRAFORM_ROOT / "envs" / environment, folder)
    endpoints = "\n".join(f"    {name} = {json.dumps(moto_url)}" for name in ENDPOINTS)
    (folder / "moto_override.tf").write_text(OVERRIDE.format(endpoints=endpoints))
    terraform(folder, "init", "-input=false")
    image_tags = json.dumps(dict.fromkeys(services, "plan-test"))
    terraform(
        folder,
        "plan",
        "-input=false",
        "-out=tfplan",
        f"-var=image_tags={image_tags}",
        "-var=certificate_arn=arn:aws:acm:eu-west-1:123456789012:certificate/plan-test",
        "-var=alarm_email=oncall@example.com",
        timeout=600,
    )
    shown = terraform(folder, "show", "-json", "tfplan").stdout
    return dict(json.loads(shown))


@pytest.fixture(scope="module")
def catalog(repository_root: Path) -> dict[str, Any]:
    return {entry.name: entry for entry in discover(repository_root)}


@pytest.fixture(scope="module")
def plans(moto_server: MotoServer, catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    run = REPOSITORY_ROOT / ".local" / "terraform-plans" / uuid4().hex[:8]
    folders = {env: run / env for env in ENVIRONMENTS}
    for folder in folders.values():
        folder.mkdir(parents=True)
    try:
        with ThreadPoolExecutor(max_workers=len(ENVIRONMENTS)) as pool:
            futures = {
                env: pool.submit(planned, env, moto_server.url, folders[env], sorted(catalog))
                for env in ENVIRONMENTS
            }
            return {env: future.result() for env, future in futures.items()}
    finally:
        shutil.rmtree(run, ignore_errors=True)


def created(plan: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [
        change
        for change in plan["resource_changes"]
        if change["type"] == resource_type and change["change"]["actions"] == ["create"]
    ]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_taggable_resource_carries_the_standard_tags(plans, environment):
    untagged = []
    taggable = 0
    for change in plans[environment]["resource_changes"]:
        after, unknown = change["change"]["after"] or {}, change["change"]["after_unknown"] or {}
        if "tags_all" not in after and "tags_all" not in unknown:
            continue
        taggable += 1
        tags = after.get("tags_all") or {}
        expected = {**STANDARD_TAGS, "environment": environment}
        if '.module.service["' in change["address"]:
            expected["Service"] = change["address"].split('.module.service["')[1].split('"')[0]
        missing = {key: value for key, value in expected.items() if tags.get(key) != value}
        if missing:
            untagged.append(f"{change['address']}: lacks {missing} (has {tags})")
    assert taggable > 150, f"only {taggable} taggable resources planned"
    assert not untagged, "\n".join(untagged)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_alarm_family_exists_for_each_service_and_notifies_the_topic(
    plans, catalog, environment
):
    alarms = {
        change["change"]["after"]["alarm_name"]: change["change"]
        for change in created(plans[environment], "aws_cloudwatch_metric_alarm")
    }
    prefix = f"bazaar-{environment}"
    expected = {f"{prefix}-db-cpu", f"{prefix}-db-acu-at-max", f"{prefix}-db-connections"}
    expected.add(f"{prefix}-saga-order-step-timeouts")
    expected.add(f"{prefix}-event-archive-lag")
    for name, entry in catalog.items():
        expected |= {
            f"{prefix}-{name}-{family}"
            for family in ("5xx-rate", "latency-p99", "unhealthy-hosts", "tasks-below-desired")
        }
        if entry.events.publishes:
            expected.add(f"{prefix}-{name}-outbox-lag")
        if entry.events.consumes:
            expected |= {
                f"{prefix}-{name}-consumer-lag",
                f"{prefix}-{name}-dlq-not-empty",
                f"{prefix}-{name}-oldest-message",
            }
    assert expected <= set(alarms), f"missing alarms: {sorted(expected - set(alarms))}"
    silent = [
        name
        for name, change in alarms.items()
        if not (
            change["after_unknown"].get("alarm_actions")
            and change["after_unknown"].get("ok_actions")
        )
    ]
    assert not silent, f"alarms that notify no topic: {silent}"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_one_dashboard_and_the_saved_queries(plans, environment):
    """Their bodies name the load balancer and cluster, known only after apply; the
    module's own tests (modules/observability) read a rendered body widget by widget."""
    (dashboard,) = created(plans[environment], "aws_cloudwatch_dashboard")
    assert dashboard["change"]["after"]["dashboard_name"] == f"bazaar-{environment}"
    queries = {
        change["change"]["after"]["name"]
        for change in created(plans[environment], "aws_cloudwatch_query_definition")
    }
    assert {
        f"bazaar-{environment}/{query}"
        for query in ("errors-by-service", "request-by-trace-id", "slowest-routes")
    } <= queries, queries


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_audit_trail_the_bus_archive_and_the_backups_each_environment_asks_for(
    plans, environment
):
    plan = plans[environment]
    # One account holds every environment (the bootstrap's default): prod keeps its audit.
    trails = created(plan, "aws_cloudtrail")
    assert len(trails) == (1 if environment == "prod" else 0)
    assert len(created(plan, "aws_config_configuration_recorder")) == len(trails)
    assert len(created(plan, "aws_backup_plan")) == (0 if environment == "dev" else 1)
    assert len(created(plan, "aws_cloudwatch_event_archive")) == 1
    if environment != "prod":
        return
    (trail,) = trails
    assert trail["change"]["after"]["is_multi_region_trail"]
    assert trail["change"]["after"]["enable_log_file_validation"]
    rules = {
        change["change"]["after"]["source"][0]["source_identifier"]
        for change in created(plan, "aws_config_config_rule")
    }
    assert {
        "S3_BUCKET_SSL_REQUESTS_ONLY",
        "ECS_CONTAINERS_READONLY_ACCESS",
        "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
    } <= rules
    assert "RDS_CLUSTER_DELETION_PROTECTION_ENABLED" in rules
    (backup_plan,) = created(plan, "aws_backup_plan")
    rule_names = {rule["rule_name"] for rule in backup_plan["change"]["after"]["rule"]}
    assert rule_names == {"daily", "continuous"}


# What each environment's terraform.tfvars asks of the S3 event archive
# (modules/event-archive's README says why).
EVENT_ARCHIVE_LOCKS = {
    "dev": ("GOVERNANCE", 30),
    "staging": ("GOVERNANCE", 90),
    "prod": ("COMPLIANCE", 365),
}
EVENT_ARCHIVE = "module.platform.module.event_archive"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_event_archive_is_locked_as_the_environment_asks_and_audit_alone_writes_it(
    plans, environment
):
    plan = plans[environment]
    changes = {change["address"]: change["change"] for change in plan["resource_changes"]}
    mode, days = EVENT_ARCHIVE_LOCKS[environment]

    bucket = changes[f"{EVENT_ARCHIVE}.aws_s3_bucket.this"]["after"]
    name = bucket["bucket"]
    assert name.startswith(f"bazaar-{environment}-event-archive-"), name
    assert bucket["object_lock_enabled"] is True
    # Only dev is disposable, and even its destroy leaves what a lock still holds.
    assert bucket["force_destroy"] is (environment == "dev")
    lock = changes[f"{EVENT_ARCHIVE}.aws_s3_bucket_object_lock_configuration.this[0]"]["after"]
    assert lock["rule"][0]["default_retention"] == [{"mode": mode, "days": days, "years": None}]
    assert f"{EVENT_ARCHIVE}.aws_s3_bucket_policy.this[0]" in changes

    # audit's task role, and no other, gets the archive's policy (its JSON names
    # the archive's key, known only once made: the module's tests read it).
    archive_policies = {
        change["address"].split('.module.service["')[1].split('"')[0]: change["change"]["after"]
        for change in created(plan, "aws_iam_role_policy")
        if change["address"].endswith('.aws_iam_role_policy.extra["event-archive"]')
    }
    assert set(archive_policies) == {"audit"}, archive_policies
    assert archive_policies["audit"]["name"] == f"bazaar-{environment}-audit-event-archive"

    # The output the operators read, and the wiring behind audit's EVENT_ARCHIVE_BUCKET.
    archive = plan["output_changes"]["event_archive_bucket"]["after"]
    assert archive["name"] == name
    assert (archive["lock_mode"], archive["lock_days"]) == (mode, days)
    assert archive["access"] == {"audit": "writer"}
    assert archive["environment"] == {"audit": {"EVENT_ARCHIVE_BUCKET": name}}


WEB = "module.platform.module.web[0]"
# CloudFront's managed policies, by their fixed IDs (modules/web).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_web_app_is_a_private_bucket_behind_one_distribution_with_the_api_on_its_origin(
    plans, catalog, environment
):
    plan = plans[environment]
    changes = {change["address"]: change["change"] for change in plan["resource_changes"]}

    bucket = changes[f"{WEB}.aws_s3_bucket.this"]["after"]
    assert bucket["bucket"].startswith(f"bazaar-{environment}-web-"), bucket["bucket"]
    assert bucket["force_destroy"] is (environment == "dev")
    blocked = changes[f"{WEB}.aws_s3_bucket_public_access_block.this"]["after"]
    assert all(
        blocked[key]
        for key in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    ), blocked
    assert f"{WEB}.aws_s3_bucket_policy.this" in changes
    oac = changes[f"{WEB}.aws_cloudfront_origin_access_control.this"]["after"]
    assert (oac["origin_access_control_origin_type"], oac["signing_protocol"]) == ("s3", "sigv4")

    distribution = changes[f"{WEB}.aws_cloudfront_distribution.this"]["after"]
    default = distribution["default_cache_behavior"][0]
    assert default["viewer_protocol_policy"] == "redirect-to-https"
    assert default["cache_policy_id"] == CACHING_OPTIMIZED
    assert [f["event_type"] for f in default["function_association"]] == ["viewer-request"]
    assert distribution["custom_error_response"] == []
    # One behaviour per catalog service, each to the ALB, never cached.
    behaviours = distribution["ordered_cache_behavior"]
    assert sorted(b["path_pattern"] for b in behaviours) == sorted(
        f"{entry.route.path_prefix}*" for entry in catalog.values()
    )
    assert all(
        b["target_origin_id"] == "api"
        and b["cache_policy_id"] == CACHING_DISABLED
        and b["origin_request_policy_id"] == ALL_VIEWER_EXCEPT_HOST_HEADER
        and b["viewer_protocol_policy"] == "redirect-to-https"
        for b in behaviours
    ), behaviours
    (api,) = [origin for origin in distribution["origin"] if origin["origin_id"] == "api"]
    assert api["custom_origin_config"][0]["origin_protocol_policy"] == "https-only"

    headers = changes[f"{WEB}.aws_cloudfront_response_headers_policy.security"]["after"]
    security = headers["security_headers_config"][0]
    csp = security["content_security_policy"][0]["content_security_policy"]
    assert "frame-ancestors 'none'" in csp, csp
    assert security["strict_transport_security"][0]["preload"] is True

    # config.json is Terraform's, never cached long.
    config = changes[f"{WEB}.aws_s3_object.config"]["after"]
    assert (config["key"], config["cache_control"]) == ("config.json", "no-cache")

    # The browser signs in through the hosted UI with a public client of its own.
    (browser,) = [
        change["change"]["after"]
        for change in created(plan, "aws_cognito_user_pool_client")
        if change["address"] == "module.platform.aws_cognito_user_pool_client.browser[0]"
    ]
    assert browser["name"] == f"bazaar-{environment}-browser"
    assert browser["generate_secret"] is False
    assert browser["allowed_oauth_flows"] == ["code"]
    (domain,) = created(plan, "aws_cognito_user_pool_domain")
    assert domain["change"]["after"]["domain"].startswith(f"bazaar-{environment}-")

    for name in ("web_url", "web_bucket", "web_distribution_id"):
        assert name in plan["output_changes"], name
    assert plan["output_changes"]["web_bucket"]["after"] == bucket["bucket"]
