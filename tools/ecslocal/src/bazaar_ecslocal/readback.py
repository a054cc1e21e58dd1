"""The applied platform, read back from the emulator Terraform applied it to.

ECS services and their task definitions, the load balancer's HTTPS listener
rules and target groups, Cloud Map names, the Aurora cluster. What the
deploy's one-off tasks are comes from the platform's ``database_bootstrap``
output, as the deploy reads it.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

from bazaar_ecslocal import emulator
from bazaar_ecslocal.model import (
    Database,
    ListenerRule,
    LoadBalancing,
    OneOffTask,
    Platform,
    ServiceSpec,
    TargetGroup,
)
from bazaar_ecslocal.task_definitions import task_definition

CLIENTS = ("ecs", "elbv2", "servicediscovery", "rds")


class ReadbackError(RuntimeError):
    """The emulator does not hold a platform the runner can run."""


async def _task(ecs: Any, family_or_arn: str) -> Any:
    answer = await ecs.describe_task_definition(taskDefinition=family_or_arn)
    return task_definition(answer["taskDefinition"])


async def _dns_names(discovery: Any, registries: list[dict[str, Any]]) -> tuple[str, ...]:
    names = []
    for registry in registries:
        service_id = registry["registryArn"].rsplit("/", 1)[-1]
        service = (await discovery.get_service(Id=service_id))["Service"]
        namespace_id = service.get("NamespaceId") or service["DnsConfig"]["NamespaceId"]
        namespace = (await discovery.get_namespace(Id=namespace_id))["Namespace"]
        names.append(f"{service['Name']}.{namespace['Name']}")
    return tuple(names)


async def _services(ecs: Any, discovery: Any, cluster: str) -> tuple[ServiceSpec, ...]:
    arns = (await ecs.list_services(cluster=cluster, maxResults=100))["serviceArns"]
    if not arns:
        raise ReadbackError(f"cluster {cluster} has no services")
    described = []
    for start in range(0, len(arns), 10):
        page = await ecs.describe_services(cluster=cluster, services=arns[start : start + 10])
        described.extend(page["services"])
    services = []
    for service in sorted(described, key=lambda item: item["serviceName"]):
        services.append(
            ServiceSpec(
                name=service["serviceName"],
                desired_count=int(service["desiredCount"]),
                task=await _task(ecs, service["taskDefinition"]),
                load_balancing=tuple(
                    LoadBalancing(
                        target_group_arn=item["targetGroupArn"],
                        container_name=item["containerName"],
                        container_port=int(item["containerPort"]),
                    )
                    for item in service.get("loadBalancers") or []
                ),
                dns_names=await _dns_names(discovery, service.get("serviceRegistries") or []),
            )
        )
    return tuple(services)


async def _routing(elb: Any) -> tuple[tuple[ListenerRule, ...], tuple[TargetGroup, ...]]:
    balancers = (await elb.describe_load_balancers())["LoadBalancers"]
    if len(balancers) != 1:
        raise ReadbackError(f"expected one load balancer, found {len(balancers)}")
    listeners = (await elb.describe_listeners(LoadBalancerArn=balancers[0]["LoadBalancerArn"]))[
        "Listeners"
    ]
    https = [listener for listener in listeners if listener["Protocol"] == "HTTPS"]
    if len(https) != 1:
        raise ReadbackError(f"expected one HTTPS listener, found {len(https)}")
    rules = []
    for rule in (await elb.describe_rules(ListenerArn=https[0]["ListenerArn"]))["Rules"]:
        if rule["Priority"] == "default":
            continue
        patterns = [
            value
            for condition in rule["Conditions"]
            if condition["Field"] == "path-pattern"
            for value in condition.get("PathPatternConfig", {}).get("Values")
            or condition.get("Values", [])
        ]
        forwards = [action for action in rule["Actions"] if action["Type"] == "forward"]
        if len(rule["Conditions"]) != 1 or not patterns or len(forwards) != 1:
            raise ReadbackError(
                f"listener rule {rule['Priority']}: only one path-pattern condition "
                "forwarding to one target group is emulated"
            )
        rules.append(
            ListenerRule(
                priority=int(rule["Priority"]),
                path_patterns=tuple(sorted(patterns, key=len)),
                target_group_arn=forwards[0]["TargetGroupArn"],
            )
        )
    groups = tuple(
        TargetGroup(
            arn=group["TargetGroupArn"],
            name=group["TargetGroupName"],
            port=int(group["Port"]),
            health_path=group.get("HealthCheckPath", "/"),
            health_port=str(group.get("HealthCheckPort", "traffic-port")),
            interval=int(group.get("HealthCheckIntervalSeconds", 30)),
            timeout=int(group.get("HealthCheckTimeoutSeconds", 5)),
            healthy_threshold=int(group.get("HealthyThresholdCount", 5)),
            unhealthy_threshold=int(group.get("UnhealthyThresholdCount", 2)),
        )
        for group in (await elb.describe_target_groups())["TargetGroups"]
    )
    return tuple(sorted(rules, key=lambda rule: rule.priority)), groups


async def _database(rds: Any) -> Database:
    clusters = (await rds.describe_db_clusters())["DBClusters"]
    if len(clusters) != 1:
        raise ReadbackError(f"expected one database cluster, found {len(clusters)}")
    cluster = clusters[0]
    secret = cluster.get("MasterUserSecret") or {}
    if "SecretArn" not in secret:
        raise ReadbackError(f"{cluster['DBClusterIdentifier']} has no managed master secret")
    endpoints = tuple(
        dict.fromkeys(name for name in (cluster["Endpoint"], cluster.get("ReaderEndpoint")) if name)
    )
    return Database(
        endpoints=endpoints, port=int(cluster["Port"]), master_secret_arn=secret["SecretArn"]
    )


async def read_platform(
    endpoint_url: str, region: str, database_bootstrap: dict[str, Any]
) -> Platform:
    """Everything the runner starts, from the emulator at ``endpoint_url``."""
    cluster = database_bootstrap["cluster"]
    async with AsyncExitStack() as stack:
        ecs, elb, discovery, rds = [
            await stack.enter_async_context(emulator.client(name, endpoint_url, region))
            for name in CLIENTS
        ]
        services = await _services(ecs, discovery, cluster)
        rules, groups = await _routing(elb)
        database = await _database(rds)
        one_off = [
            OneOffTask(
                service=name,
                service_name=task["service_name"],
                task=await _task(ecs, task["task_definition"]),
            )
            for name, task in sorted(database_bootstrap["tasks"].items())
        ]
    return Platform(
        cluster=cluster,
        services=services,
        rules=rules,
        target_groups=groups,
        database=database,
        one_off_tasks=tuple(one_off),
    )
