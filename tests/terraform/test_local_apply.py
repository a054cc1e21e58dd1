"""``terraform apply`` of envs/local on moto, compared with the Python bootstrap, destroyed.

make run and docker compose create the messaging resources from Python
(bazaar_common.messaging.provisioning); AWS gets them from Terraform. Both
are applied here to one moto server under two prefixes, and every queue,
DLQ, rule and target must come out the same once the prefix is taken out.
Then the rules must route each detail-type to exactly its consumers' queues,
the user pool must be the one the services expect, and ``destroy`` must leave
nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from aiobotocore.session import get_session
from tests.terraform.cli import (
    REPOSITORY_ROOT,
    TERRAFORM_ROOT,
    copy_configuration,
    init,
    outputs,
    terraform,
)

from bazaar_common.catalog import discover
from bazaar_common.messaging.provisioning import provision
from bazaar_common.messaging.topology import Topology, build_topology
from bazaar_common.testing.moto import REGION

pytestmark = pytest.mark.slow

LOCAL = TERRAFORM_ROOT / "envs" / "local"
# What SQS reports that differs between any two queues, whoever made them.
VOLATILE = {"CreatedTimestamp", "LastModifiedTimestamp", "QueueArn"}


def topology_of(prefix: str) -> Topology:
    return build_topology(discover(REPOSITORY_ROOT), prefix=prefix)


class Local:
    """envs/local applied under one prefix, from a copy in a folder of the test's."""

    def __init__(self, moto_url: str, prefix: str, folder: Path) -> None:
        copy_configuration(LOCAL, folder)
        self.folder = folder
        state = str(folder / "terraform.tfstate")
        self.prefix = prefix
        self.arguments = [
            "-input=false",
            f"-var=aws_endpoint_url={moto_url}",
            f"-var=resource_prefix={prefix}",
            f"-state={state}",
        ]
        self.state = state
        self.destroyed = False

    def apply(self) -> dict[str, Any]:
        init(self.folder)
        terraform(self.folder, "apply", "-auto-approve", *self.arguments, timeout=900)
        return outputs(self.folder, Path(self.state))

    def destroy(self) -> None:
        if not self.destroyed:
            terraform(self.folder, "destroy", "-auto-approve", *self.arguments, timeout=900)
            self.destroyed = True


@pytest.fixture(scope="module")
async def aws(moto_server) -> AsyncIterator[dict[str, Any]]:
    async with AsyncExitStack() as stack:
        session = get_session()
        yield {
            name: await stack.enter_async_context(
                session.create_client(name, region_name=REGION, endpoint_url=moto_server.url)
            )
            for name in ("events", "sqs", "cognito-idp")
        }


@pytest.fixture(scope="module")
def local(moto_server, tmp_path_factory) -> Iterator[Local]:
    stack = Local(moto_server.url, f"tf{uuid4().hex[:6]}", tmp_path_factory.mktemp("local-env"))
    yield stack
    stack.destroy()


@pytest.fixture(scope="module")
def applied(local: Local) -> dict[str, Any]:
    return local.apply()


@pytest.fixture(scope="module")
async def bootstrapped(aws) -> str:
    prefix = f"py{uuid4().hex[:6]}"
    await provision(aws["events"], aws["sqs"], topology_of(prefix))
    return prefix


async def queue(aws, name: str) -> dict[str, str]:
    url = (await aws["sqs"].get_queue_url(QueueName=name))["QueueUrl"]
    attributes = await aws["sqs"].get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    return attributes["Attributes"]


def without_prefix(value: Any, prefix: str) -> Any:
    """The same document with the prefix's names replaced by a placeholder."""
    text = json.dumps(value, sort_keys=True)
    return json.loads(text.replace(f"{prefix}-", "PREFIX-").replace(f"/{prefix}/", "/PREFIX/"))


async def messaging_of(aws, prefix: str) -> dict[str, Any]:
    """Every queue, DLQ, rule and target of a prefix, in a form two prefixes can be compared in."""
    described: dict[str, Any] = {}
    for spec in topology_of(prefix).queues:
        attributes = await queue(aws, spec.queue_name)
        dlq = await queue(aws, spec.dlq_name)
        policy = json.loads(attributes.pop("Policy"))
        redrive = json.loads(attributes.pop("RedrivePolicy"))
        rule = await aws["events"].describe_rule(Name=spec.rule_name, EventBusName=prefix)
        targets = await aws["events"].list_targets_by_rule(Rule=spec.rule_name, EventBusName=prefix)
        described[spec.service] = without_prefix(
            {
                "queue": {k: v for k, v in attributes.items() if k not in VOLATILE},
                "dlq": {k: v for k, v in dlq.items() if k not in VOLATILE},
                "redrive": {
                    "dlq": redrive["deadLetterTargetArn"].rsplit(":", 1)[-1],
                    "max_receive_count": int(redrive["maxReceiveCount"]),
                },
                "policy": [
                    {
                        "principal": statement["Principal"],
                        "action": statement["Action"],
                        "source": statement["Condition"]["ArnLike"]["aws:SourceArn"],
                    }
                    for statement in policy["Statement"]
                ],
                "rule": {
                    "pattern": json.loads(rule["EventPattern"]),
                    "state": rule["State"],
                    "description": rule.get("Description"),
                },
                "targets": [
                    {"id": target["Id"], "queue": target["Arn"].rsplit(":", 1)[-1]}
                    for target in targets["Targets"]
                ],
            },
            prefix,
        )
    return described


def flat(document: Any, path: str = "") -> dict[str, Any]:
    """Leaf values by path, so a difference names the one attribute that differs."""
    if isinstance(document, dict):
        return {
            k: v for key, value in document.items() for k, v in flat(value, f"{path}.{key}").items()
        }
    if isinstance(document, list):
        return {
            k: v for i, value in enumerate(document) for k, v in flat(value, f"{path}[{i}]").items()
        }
    return {path: document}


async def test_terraform_makes_exactly_what_the_python_bootstrap_makes(
    applied, local, bootstrapped, aws
):
    made_by_terraform = await messaging_of(aws, local.prefix)
    made_by_python = await messaging_of(aws, bootstrapped)

    assert set(made_by_terraform) == {q.service for q in topology_of(local.prefix).queues}
    assert flat(made_by_terraform) == flat(made_by_python)


async def test_the_outputs_name_every_consumers_queue(applied, local, aws):
    expected = {spec.service: spec.queue_name for spec in topology_of(local.prefix).queues}
    assert {service: url.rsplit("/", 1)[-1] for service, url in applied["queue_urls"].items()} == (
        expected
    )
    assert applied["bus_name"] == local.prefix


async def test_each_detail_type_on_the_bus_reaches_exactly_the_rules_that_take_it(
    applied, local, aws
):
    """A point-to-point type (CapturePayment, StockReserved) reaches audit, not its receiver.

    Its receiver gets it from the sending relay (docs/adr/0017); its rule
    takes it only when an archive replays it.
    """
    topology = topology_of(local.prefix)
    for event_type in ("OrderPlaced", "CapturePayment", "StockReserved"):
        await aws["events"].put_events(
            Entries=[
                {
                    "EventBusName": local.prefix,
                    "Source": "bazaar.test",
                    "DetailType": event_type,
                    "Detail": json.dumps({"probe": event_type}),
                }
            ]
        )
    for spec in topology.queues:
        url = (await aws["sqs"].get_queue_url(QueueName=spec.queue_name))["QueueUrl"]
        received = await aws["sqs"].receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        )
        types = sorted(
            json.loads(message["Body"])["detail-type"] for message in received.get("Messages", [])
        )
        expected = sorted(
            t for t in ("OrderPlaced", "CapturePayment", "StockReserved") if t in spec.bus_types
        )
        assert types == expected, spec.service


async def test_the_user_pool_has_the_groups_and_the_client_the_services_expect(applied, aws):
    auth = applied["auth_environment"]
    pool_id = applied["user_pool_id"]
    assert auth["AUTH_ISSUER"] == f"https://cognito-idp.{REGION}.amazonaws.com/{pool_id}"
    assert auth["AUTH_JWKS_URL"].endswith(f"/{pool_id}/.well-known/jwks.json")
    groups = await aws["cognito-idp"].list_groups(UserPoolId=pool_id)
    assert {group["GroupName"] for group in groups["Groups"]} == {"admins", "customers"}
    client = await aws["cognito-idp"].describe_user_pool_client(
        UserPoolId=pool_id, ClientId=auth["AUTH_CLIENT_IDS"]
    )
    assert "ClientSecret" not in client["UserPoolClient"]
    assert "ALLOW_USER_PASSWORD_AUTH" in client["UserPoolClient"]["ExplicitAuthFlows"]


async def test_destroy_leaves_nothing_behind(applied, local, aws):
    local.destroy()

    names = (await aws["sqs"].list_queues(QueueNamePrefix=f"{local.prefix}-")).get("QueueUrls", [])
    assert names == []
    buses = await aws["events"].list_event_buses(NamePrefix=local.prefix)
    assert [bus["Name"] for bus in buses["EventBuses"]] == []
    pools = await aws["cognito-idp"].list_user_pools(MaxResults=60)
    assert local.prefix + "-users" not in {pool["Name"] for pool in pools["UserPools"]}
