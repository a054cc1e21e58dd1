"""database-bootstrap's real AWS path (aiobotocore, the ECS API) against a moto server.

What moto shows, and is checked here: the task RunTask starts (launch type,
startedBy, the ENI it puts in the first subnet with the security groups),
the task going to STOPPED, StopTask's reason, RunTask's errors, and the
DescribeServices / UpdateService documents the recovery reads and sends.

What moto does not emulate (moto 5.2): it runs no container. Every
container reports exitCode 0 and lastStatus PENDING whatever happens; a
task steps RUNNING, DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED, one
step per DescribeTasks (its state manager's default), never carries a
stopCode and has a stoppedReason only after StopTask; RunTask never answers
with ``failures`` (a missing task definition, cluster or subnet is an
error instead); DescribeTasks leaves unknown ARNs out instead of reporting
them MISSING; assignPublicIp is accepted and shown nowhere. A service runs
no task either: its runningCount and its deployment's failedTasks are the
server's MOTO_ECS_SERVICE_RUNNING / MOTO_ECS_SERVICE_FAILED_TASKS settings,
its rollout is IN_PROGRESS or COMPLETED, never FAILED (no circuit
breaker), and forceNewDeployment only renews the PRIMARY deployment's id.
Exit codes, stop reasons, time limits, FAILED rollouts and the rest are
the unit tests' (a scripted ECS behind the same port).

moto also needs, to run an awsvpc task at all: a memory size on the
container definition (not only the task's) and a VPC with DNS hostnames.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from aiobotocore.session import get_session

from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer
from bazaar_delivery.__main__ import main
from bazaar_delivery.database_bootstrap import bootstrap_on_aws
from bazaar_delivery.database_bootstrap_spec import checked_spec
from bazaar_delivery.database_tasks import Polling

pytestmark = pytest.mark.slow

# moto's tasks stop after four DescribeTasks: ask quickly, not every 5-20 s.
QUICK = Polling(first_seconds=0.05, growth=1.0, most_seconds=0.05)
CONTAINER = "database-bootstrap"


@asynccontextmanager
async def clients(url: str) -> AsyncIterator[tuple[Any, Any]]:
    session = get_session()
    options = {"region_name": REGION, "endpoint_url": url}
    async with (
        session.create_client("ecs", **options) as ecs,
        session.create_client("ec2", **options) as ec2,
    ):
        yield ecs, ec2


@pytest.fixture
async def aws(moto_server: MotoServer) -> AsyncIterator[tuple[Any, Any]]:
    async with clients(moto_server.url) as pair:
        yield pair


async def environment(ecs: Any, ec2: Any, services: tuple[str, ...]) -> dict[str, Any]:
    """A cluster of its own, as Terraform makes it; the database_bootstrap output of it."""
    prefix = f"t{uuid4().hex[:8]}"
    vpc = (await ec2.create_vpc(CidrBlock="10.0.0.0/16"))["Vpc"]["VpcId"]
    await ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [
        (await ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24"))["Subnet"]["SubnetId"]
        for n in (1, 2)
    ]
    await ecs.create_cluster(clusterName=prefix)
    tasks = {}
    for service in services:
        group = await ec2.create_security_group(
            GroupName=f"{prefix}-{service}-database", Description="bootstrap", VpcId=vpc
        )
        family = f"{prefix}-{service}-database"
        await ecs.register_task_definition(
            family=family,
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="256",
            memory="512",
            containerDefinitions=[
                {
                    "name": CONTAINER,
                    "image": f"123456789012.dkr.ecr.{REGION}.amazonaws.com/{service}:abc",
                    "essential": True,
                    "memory": 512,
                    "command": ["python", "-m", "bazaar_common.db.bootstrap"],
                    "logConfiguration": {
                        "logDriver": "awslogs",
                        "options": {
                            "awslogs-group": f"/{prefix}/{service}",
                            "awslogs-region": REGION,
                            "awslogs-stream-prefix": "database",
                        },
                    },
                }
            ],
        )
        await ecs.create_service(
            cluster=prefix,
            serviceName=f"{prefix}-{service}",
            taskDefinition=family,
            desiredCount=2,
            launchType="FARGATE",
            networkConfiguration={
                "awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group["GroupId"]]}
            },
        )
        tasks[service] = {
            "task_definition": family,
            "security_group_ids": [group["GroupId"]],
            "service_name": f"{prefix}-{service}",
        }
    return {"cluster": prefix, "subnet_ids": subnets, "tasks": tasks}


async def started(ecs: Any, cluster: str) -> list[dict[str, Any]]:
    """The tasks the deploy started in the cluster, as DescribeTasks shows them."""
    arns = (await ecs.list_tasks(cluster=cluster, startedBy="bazaar-deploy"))["taskArns"]
    if not arns:
        return []
    described: list[dict[str, Any]] = (await ecs.describe_tasks(cluster=cluster, tasks=arns))[
        "tasks"
    ]
    return described


def attached(task: dict[str, Any], name: str) -> str:
    (attachment,) = task["attachments"]
    return next(d["value"] for d in attachment["details"] if d["name"] == name)


def cli(url: str, spec: Path | str, *arguments: str) -> int:
    """The command as make deploy-database runs it (its own event loop: call it off the tests')."""
    return main(
        [
            "database-bootstrap",
            f"--spec={spec}",
            f"--region={REGION}",
            f"--endpoint-url={url}",
            *arguments,
        ]
    )


async def bootstrapped(output: dict[str, Any], url: str) -> tuple[bool, list[str]]:
    """The command's AWS path on moto at ``url``: whether it succeeded, and what it said."""
    lines: list[str] = []
    succeeded = await bootstrap_on_aws(
        checked_spec(output),
        region=REGION,
        endpoint_url=url,
        time_limit=60.0,
        report=lines.append,
        polling=QUICK,
    )
    return succeeded, lines


async def test_each_task_runs_once_on_its_network_and_is_judged_stopped(
    aws: tuple[Any, Any], moto_server: MotoServer
) -> None:
    ecs, ec2 = aws
    output = await environment(ecs, ec2, ("orders", "payments"))
    succeeded, lines = await bootstrapped(output, moto_server.url)
    assert succeeded, lines
    tasks = {
        task["group"].removeprefix("family:"): task
        for task in await started(ecs, output["cluster"])
    }
    assert set(tasks) == {
        f"{output['cluster']}-orders-database",
        f"{output['cluster']}-payments-database",
    }
    for service, spec in output["tasks"].items():
        task = tasks[spec["task_definition"]]
        assert task["launchType"] == "FARGATE"
        assert task["startedBy"] == "bazaar-deploy"
        assert task["lastStatus"] == "STOPPED"
        assert task["overrides"] == {}  # moto echoes RunTask's overrides: none were sent
        # moto puts the task's one ENI in the first subnet, with the groups asked for.
        assert attached(task, "subnetId") == output["subnet_ids"][0]
        interface = (
            await ec2.describe_network_interfaces(
                NetworkInterfaceIds=[attached(task, "networkInterfaceId")]
            )
        )["NetworkInterfaces"][0]
        assert [group["GroupId"] for group in interface["Groups"]] == spec["security_group_ids"]
        assert any(line.startswith(f"{service}: database bootstrap succeeded") for line in lines)
    # moto's services run nothing and failed nothing: neither is redeployed.
    assert (
        sum(
            "needs no new deployment (0 of 2 tasks running, rollout IN_PROGRESS)" in line
            for line in lines
        )
        == 2
    )


async def test_a_task_outliving_the_time_limit_is_stopped_with_the_reason(
    aws: tuple[Any, Any],
    moto_server: MotoServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ecs, ec2 = aws
    output = await environment(ecs, ec2, ("orders",))
    spec = tmp_path / "database_bootstrap.json"
    spec.write_text(json.dumps(output), encoding="utf-8")
    # The CLI's own polling (first look after 5 s) against a 0.5 s limit:
    # one DescribeTasks, at the limit, and the task is still running on moto.
    code = await asyncio.to_thread(cli, moto_server.url, spec, "--timeout=0.5")
    printed = capsys.readouterr()
    assert code == 1
    (task,) = await started(ecs, output["cluster"])
    assert task["lastStatus"] == "STOPPED"
    assert (
        task["stoppedReason"] == "bazaar-deploy: the database bootstrap did not finish within 0.5 s"
    )
    assert "still DEACTIVATING after 0.5 s" in printed.out
    assert (
        f"logs of {CONTAINER}: CloudWatch group /{output['cluster']}/orders ({REGION}), "
        f"stream database/{CONTAINER}/{task['taskArn'].rsplit('/', 1)[-1]}"
    ) in printed.out
    assert "no service was redeployed" in printed.out
    assert "database-bootstrap failed" in printed.err


async def test_a_task_that_cannot_start_fails_and_the_others_still_run(
    aws: tuple[Any, Any], moto_server: MotoServer
) -> None:
    ecs, ec2 = aws
    output = await environment(ecs, ec2, ("orders", "payments"))
    output["tasks"]["payments"]["task_definition"] = f"{output['cluster']}-never-registered"
    succeeded, lines = await bootstrapped(output, moto_server.url)
    assert not succeeded
    assert (
        f"payments: database bootstrap FAILED to start {output['cluster']}-never-registered: "
        "RunTask: ClientException: Unable to describe task definition."
    ) in lines
    (task,) = await started(ecs, output["cluster"])
    assert task["group"] == f"family:{output['cluster']}-orders-database"
    assert lines[-1] == "database bootstrap failed for payments: no service was redeployed"


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda o: o["tasks"]["orders"].update(security_group_ids=o["subnet_ids"]),
            "is not a sg-... id",
        ),
        (
            lambda o: o.update(subnet_ids=["sg-12345678"]),
            "subnet_ids: 'sg-12345678' is not a subnet-",
        ),
        (lambda o: o["tasks"]["orders"].pop("service_name"), "tasks.orders has no service_name"),
        (lambda o: o.update(tasks={}), "tasks is empty"),
    ],
    ids=["subnet-as-security-group", "sg-as-subnet", "missing-key", "no-task"],
)
async def test_a_bad_spec_starts_nothing(
    aws: tuple[Any, Any],
    moto_server: MotoServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    breakage: Any,
    message: str,
) -> None:
    ecs, ec2 = aws
    output = await environment(ecs, ec2, ("orders",))
    cluster = output["cluster"]
    breakage(output)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(output), encoding="utf-8")
    assert await asyncio.to_thread(cli, moto_server.url, spec) == 2
    err = capsys.readouterr().err
    assert err.startswith("bazaar-delivery: ")
    assert message in err
    assert err.count("\n") == 1
    assert await started(ecs, cluster) == []


@pytest.fixture(scope="module")
def moto_with_failed_service_tasks() -> Iterator[MotoServer]:
    """A moto server of its own whose services report 3 failed tasks and none running."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in FAKE_CREDENTIALS.items():
            patch.setenv(name, value)  # for the clients, as the session's moto_server does
        patch.setenv("MOTO_ECS_SERVICE_FAILED_TASKS", "3")  # read by the server's process
        server = MotoServer().start()
        patch.delenv("MOTO_ECS_SERVICE_FAILED_TASKS")
        try:
            yield server
        finally:
            server.stop()


async def test_a_service_whose_tasks_failed_gets_a_new_deployment(
    moto_with_failed_service_tasks: MotoServer,
) -> None:
    url = moto_with_failed_service_tasks.url
    async with clients(url) as (ecs, ec2):
        output = await environment(ecs, ec2, ("orders",))
        name = output["tasks"]["orders"]["service_name"]
        (before,) = (await ecs.describe_services(cluster=output["cluster"], services=[name]))[
            "services"
        ]
        assert (before["runningCount"], before["deployments"][0]["failedTasks"]) == (0, 3)
        succeeded, lines = await bootstrapped(output, url)
        assert succeeded, lines
        (after,) = (await ecs.describe_services(cluster=output["cluster"], services=[name]))[
            "services"
        ]
    assert after["deployments"][0]["id"] != before["deployments"][0]["id"]
    assert (
        f"orders: service {name}: forcing a new deployment: none of its 2 desired tasks runs; "
        f"deployment {before['deployments'][0]['id']} has 3 failed tasks"
    ) in lines
