"""The whole platform from ``terraform apply`` to a confirmed order, on this machine.

Terraform applies infra/terraform/envs/moto (the platform module of dev,
staging and prod) to a moto server; tools/ecslocal reads back what it
rendered and runs it on Docker: PostgreSQL in Aurora's place, every
service's database bootstrap task, every service's tasks as their task
definitions say, and a gateway routed by the listener rules. Then the
post-deploy smoke test and an order, through that gateway.

Slow (minutes: images, the ALB's ~60 s in the provider) and needs a Docker
engine: marker ``platform`` (make test-platform).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import pytest
from aiobotocore.session import get_session
from botocore.exceptions import ClientError
from tests.platform.deployment import Deployment, new_deployment, run, timed
from tests.storefront import settled, stocked_product
from tests.terraform.cli import REPOSITORY_ROOT

from bazaar_common.catalog import discover
from bazaar_common.testing.moto import FAKE_CREDENTIALS
from bazaar_common.testing.ports import free_port

pytestmark = pytest.mark.platform

REGION = "eu-west-1"
# What the tests read back from the emulator.
AWS_APIS = [
    "ecs",
    "secretsmanager",
    "cloudwatch",
    "sns",
    "config",
    "cloudtrail",
    "backup",
    "events",
    "s3",
    "iam",
]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    run("scripts/docker/start_dockerd.sh", timeout=600)
    started = time.monotonic()
    run("scripts/docker/build_images.sh", timeout=3_600)
    timed("images built", started)
    platform = new_deployment(tmp_path_factory.mktemp("platform"))
    try:
        platform.start_moto()
        started = time.monotonic()
        applied = platform.apply()
        timed("terraform apply of envs/moto", started)
        for switch, setting in applied["emulator_switches"].items():
            print(
                f"platform: switched off for moto: {switch} = {setting['value']}: {setting['why']}"
            )
        platform.tag_images()
        started = time.monotonic()
        done = platform.up()
        print(done.stdout)
        assert done.returncode == 0, done.stderr
        timed("ecslocal up", started)
        yield platform
    finally:
        platform.down()


@pytest.fixture(scope="module")
async def aws(deployment: Deployment) -> AsyncIterator[dict[str, Any]]:
    """aiobotocore clients on the platform's moto server, by service."""
    async with AsyncExitStack() as stack:
        yield {
            name: await stack.enter_async_context(
                get_session().create_client(
                    name,
                    region_name=REGION,
                    endpoint_url=deployment.moto_url,
                    aws_access_key_id="testing",
                    aws_secret_access_key="testing",
                )
            )
            for name in AWS_APIS
        }


def containers(deployment: Deployment) -> list[dict[str, Any]]:
    names = run("docker", "ps", "-q", "--filter", f"label=bazaar.ecslocal={deployment.name}").stdout
    return json.loads(run("docker", "inspect", *names.split()).stdout)


@pytest.fixture(scope="module")
def tokens(deployment: Deployment, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A customer and an admin in the platform's pool, as the release's load test makes them."""
    assert deployment.outputs is not None
    path = tmp_path_factory.mktemp("tokens") / "tokens.json"
    run(
        sys.executable, "-m", "bazaar_delivery", "load-users",
        f"--pool-id={deployment.outputs['user_pool_id']}",
        f"--client-id={deployment.outputs['client_id']}",
        f"--region={REGION}", f"--endpoint-url={deployment.moto_url}",
        "--count=1", f"--out={path}",
        environment=FAKE_CREDENTIALS,
    )  # fmt: skip
    return json.loads(path.read_text())


def test_the_post_deploy_smoke_test_passes_through_the_load_balancer(deployment: Deployment):
    done = run(
        sys.executable, "-m", "bazaar_delivery", "smoke", deployment.gateway_url, timeout=180
    )
    print(done.stdout)
    assert done.returncode == 0


async def test_an_order_is_confirmed_through_the_load_balancer(deployment, tokens):
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    customer = {"Authorization": f"Bearer {tokens['customers'][0]}"}
    async with httpx.AsyncClient(base_url=deployment.gateway_url, timeout=15) as http:
        sku = await stocked_product(http, admin, units=3, prefix="PLATFORM")
        placed = await http.post(
            "/orders",
            json={"lines": [{"sku": sku, "quantity": 1}]},
            headers={**customer, "Idempotency-Key": str(uuid4())},
        )
        assert placed.status_code == 201, placed.text
        order = await settled(http, placed.json()["id"], customer, within=90)
    assert order["status"] == "CONFIRMED", order


async def test_every_task_runs_as_its_task_definition_says(deployment: Deployment, aws):
    ecs = aws["ecs"]
    assert deployment.outputs is not None
    cluster = deployment.outputs["cluster_name"]
    running = containers(deployment)
    for arn in (await ecs.list_services(cluster=cluster))["serviceArns"]:
        service = (await ecs.describe_services(cluster=cluster, services=[arn]))["services"][0]
        definition = (await ecs.describe_task_definition(taskDefinition=service["taskDefinition"]))[
            "taskDefinition"
        ]
        app = definition["containerDefinitions"][0]
        mine = [
            c
            for c in running
            if c["Config"]["Image"] == app["image"] and c["Name"].endswith(f"-{app['name']}")
        ]
        assert len(mine) == service["desiredCount"] >= 2, service["serviceName"]
        for container in mine:
            config, host = container["Config"], container["HostConfig"]
            assert config["User"] == app["user"] == "10001:10001"
            assert host["ReadonlyRootfs"] is app["readonlyRootFilesystem"] is True
            assert host["CapDrop"] == ["ALL"]
            names = {variable.split("=", 1)[0] for variable in config["Env"]}
            assert {item["name"] for item in app["environment"]} <= names
            # envs/moto is environment "local"; the image itself names none.
            assert "ENVIRONMENT=local" in config["Env"], service["serviceName"]
            assert {item["name"] for item in app["secrets"]} <= names


async def test_the_bootstrap_wrote_every_database_url_and_the_app_role_cannot_change_the_schema(
    deployment: Deployment, aws
):
    secrets = aws["secretsmanager"]
    for secret in (await secrets.list_secrets())["SecretList"]:
        if not secret["Name"].endswith("database-url"):
            continue
        url = (await secrets.get_secret_value(SecretId=secret["ARN"]))["SecretString"]
        assert url.startswith("postgresql+asyncpg://"), secret["Name"]
        assert url.endswith("?ssl=require"), secret["Name"]
    orders_url = (await secrets.get_secret_value(SecretId="bazaar-local/orders/database-url"))[
        "SecretString"
    ]
    parts = urlsplit(orders_url)
    refused = run(
        "docker", "exec", "-e", f"PGPASSWORD={parts.password}", f"{deployment.name}-database",
        "psql", "-h", "127.0.0.1", "-U", str(parts.username), "-d", "orders",
        "-v", "ON_ERROR_STOP=1", "-c", "CREATE TABLE intruder (id int)",
        check=False,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "permission denied" in refused.stderr


def test_a_second_bootstrap_run_changes_nothing(deployment: Deployment):
    done = deployment.ecslocal("bootstrap")
    assert done.returncode == 0, done.stderr
    ready = [line for line in done.stdout.splitlines() if ": ready, " in line]
    assert len(ready) == len(discover(REPOSITORY_ROOT)), done.stdout  # a database each
    assert all(line.endswith("ready, nothing to change") for line in ready), done.stdout


def test_cloud_map_names_resolve_to_every_task_of_the_service(deployment: Deployment):
    orders = next(
        c["Name"].lstrip("/")
        for c in containers(deployment)
        if c["Name"].endswith("orders-1-orders")
    )
    looked_up = run(
        "docker", "exec", orders, "getent", "ahostsv4", "inventory.local.bazaar.internal"
    )
    addresses = {line.split()[0] for line in looked_up.stdout.splitlines()}
    assert len(addresses) == 2


BROKEN = "bazaar-local-payments"


@pytest.fixture(scope="module")
async def rendered(deployment: Deployment, aws) -> str:
    """The task definition Terraform rendered for payments, before any test changes it."""
    assert deployment.outputs is not None
    described = await aws["ecs"].describe_services(
        cluster=deployment.outputs["cluster_name"], services=[BROKEN]
    )
    return str(described["services"][0]["taskDefinition"])


async def broken_revision(ecs: Any, cluster: str, rendered: str, change: Any) -> None:
    """A new revision of payments' rendered task definition, changed; the service on it."""
    definition = (await ecs.describe_task_definition(taskDefinition=rendered))["taskDefinition"]
    change(definition["containerDefinitions"][0])
    kept = ("family", "containerDefinitions", "networkMode", "cpu", "memory", "volumes",
            "requiresCompatibilities", "executionRoleArn", "taskRoleArn")  # fmt: skip
    revision = await ecs.register_task_definition(
        **{key: definition[key] for key in kept if key in definition}
    )
    arn = revision["taskDefinition"]["taskDefinitionArn"]
    await ecs.update_service(cluster=cluster, service=BROKEN, taskDefinition=arn)


@pytest.mark.parametrize(
    ("wiring_bug", "message"),
    [
        (
            lambda app: app.update(
                environment=[e for e in app["environment"] if e["name"] != "AUTH_ISSUER"]
            ),
            "AUTH_ISSUER",
        ),
        (
            lambda app: app.update(
                secrets=[
                    {
                        "name": "DATABASE_URL",
                        "valueFrom": app["secrets"][0]["valueFrom"] + "-nowhere",
                    }
                ]
            ),
            "can't find the specified secret",
        ),
        (
            lambda app: app.update(portMappings=[{"containerPort": 8999, "protocol": "tcp"}]),
            "the load balancer sends to payments:8003, which maps only (8999,)",
        ),
    ],
    ids=["missing environment variable", "secret that does not exist", "wrong port"],
)
async def test_a_wiring_bug_stops_the_platform_with_its_reason(
    deployment: Deployment, aws, rendered: str, wiring_bug, message
):
    """Last in the module: the running platform is taken down, and payments changed in moto.

    Each bug runs the platform again from what moto then holds, on the same
    network (moto's), as a run of its own that is removed afterwards.
    """
    assert deployment.outputs is not None
    deployment.ecslocal("down")
    await broken_revision(aws["ecs"], deployment.outputs["cluster_name"], rendered, wiring_bug)
    name = f"{deployment.name}-broken"
    try:
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bazaar_ecslocal", "up", f"--run={name}",
             f"--moto-url={deployment.moto_url}", f"--network={deployment.name}",
             f"--database-bootstrap={deployment.bootstrap_spec}",
             f"--gateway-port={free_port()}", "--timeout=120"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    finally:
        run(sys.executable, "-m", "bazaar_ecslocal", "down", f"--run={name}", check=False)
    assert done.returncode == 1, done.stdout
    assert message in done.stderr, done.stderr


async def test_what_operates_the_platform_is_applied_with_it(deployment: Deployment, aws):
    """The alarm topic, every alarm, the dashboard, the audit trail, AWS Config's rules, the
    bus archive and the backup vault, read back from the emulator as AWS gets them (what
    moto cannot make, the budget among them, is listed among emulator_switches)."""
    outputs = deployment.outputs
    assert outputs is not None
    alarms = await aws["cloudwatch"].describe_alarms(
        AlarmNamePrefix="bazaar-local-", MaxRecords=100
    )
    found = {alarm["AlarmName"]: alarm for alarm in alarms["MetricAlarms"]}
    assert set(outputs["alarm_names"]) <= set(found), set(outputs["alarm_names"]) - set(found)
    assert len(outputs["alarm_names"]) > 30
    topic = outputs["alarm_topic_arn"]
    assert all(found[name]["AlarmActions"] == [topic] for name in outputs["alarm_names"])
    attributes = (await aws["sns"].get_topic_attributes(TopicArn=topic))["Attributes"]
    assert attributes["KmsMasterKeyId"]
    dashboard = await aws["cloudwatch"].get_dashboard(DashboardName=outputs["dashboard_name"])
    assert all(service in dashboard["DashboardBody"] for service in outputs["repository_urls"])

    (trail,) = (await aws["cloudtrail"].describe_trails())["trailList"]
    assert trail["IsMultiRegionTrail"]
    assert trail["LogFileValidationEnabled"]
    assert trail["S3BucketName"] == outputs["audit_bucket_name"]
    lock = await aws["s3"].get_object_lock_configuration(Bucket=outputs["audit_bucket_name"])
    assert lock["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"
    rules = (await aws["config"].describe_config_rules())["ConfigRules"]
    identifiers = {rule["Source"]["SourceIdentifier"] for rule in rules}
    assert {"S3_BUCKET_SSL_REQUESTS_ONLY", "ECS_CONTAINERS_READONLY_ACCESS"} <= identifiers

    archive = await aws["events"].describe_archive(ArchiveName="bazaar-local")
    assert archive["ArchiveArn"] == outputs["event_archive_arn"]
    vault = await aws["backup"].describe_backup_vault(
        BackupVaultName=outputs["backup"]["vault_name"]
    )
    assert vault["EncryptionKeyArn"]


async def test_audit_alone_is_given_the_event_archive_which_keeps_every_batch_once(
    deployment: Deployment, aws
):
    """The S3 event archive as envs/moto makes it: object-locked, named in audit's task
    definition and policy alone; a batch written with If-None-Match cannot be written again."""
    outputs = deployment.outputs
    assert outputs is not None
    archive = outputs["event_archive_bucket"]
    assert archive["access"] == {"audit": "writer"}
    lock = await aws["s3"].get_object_lock_configuration(Bucket=archive["name"])
    retention = lock["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    assert (retention["Mode"], retention["Days"]) == (archive["lock_mode"], archive["lock_days"])

    for service in outputs["repository_urls"]:
        family = f"bazaar-local-{service}"
        definition = (await aws["ecs"].describe_task_definition(taskDefinition=family))[
            "taskDefinition"
        ]
        environment = {
            e["name"]: e["value"] for e in definition["containerDefinitions"][0]["environment"]
        }
        policies = (await aws["iam"].list_role_policies(RoleName=f"{family}-task"))["PolicyNames"]
        if service == "audit":
            assert environment["EVENT_ARCHIVE_BUCKET"] == archive["name"]
            assert f"{family}-event-archive" in policies
        else:
            assert "EVENT_ARCHIVE_BUCKET" not in environment, service
            assert f"{family}-event-archive" not in policies, service

    key = f"events/date=2026-01-01/type=OrderPlaced/{uuid4().hex}.jsonl.gz"
    await aws["s3"].put_object(Bucket=archive["name"], Key=key, Body=b"{}\n", IfNoneMatch="*")
    with pytest.raises(ClientError, match="PreconditionFailed"):
        await aws["s3"].put_object(Bucket=archive["name"], Key=key, Body=b"[]\n", IfNoneMatch="*")
