from dataclasses import replace

from bazaar_ecslocal.gateway import health_url, routes_document
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
from bazaar_ecslocal.wiring import problems

from .definitions import task_document

TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/bazaar-local-orders/1"


def platform(**changes) -> Platform:
    task = task_definition(task_document())
    service = ServiceSpec(
        name="bazaar-local-orders",
        desired_count=2,
        task=task,
        load_balancing=(LoadBalancing(TG, "orders", 8002),),
        dns_names=("orders.local.bazaar.internal",),
    )
    bootstrap = task_definition(task_document(family="bazaar-local-orders-database"))
    built = Platform(
        cluster="bazaar-local",
        services=(service,),
        rules=(ListenerRule(200, ("/orders", "/orders/*"), TG),),
        target_groups=(
            TargetGroup(TG, "bazaar-local-orders", 8002, "/healthz", "traffic-port", 15, 5, 2, 3),
        ),
        database=Database(("db.cluster-x.rds.amazonaws.com",), 5432, "arn:master"),
        one_off_tasks=(OneOffTask("orders", "bazaar-local-orders", bootstrap),),
    )
    return replace(built, **changes)


def test_a_platform_wired_right_has_no_problem():
    assert problems(platform()) == []


def test_a_load_balancer_port_the_container_does_not_map_is_a_problem():
    wired = platform()
    service = replace(wired.services[0], load_balancing=(LoadBalancing(TG, "orders", 8009),))
    found = problems(replace(wired, services=(service,)))
    assert (
        "bazaar-local-orders: the load balancer sends to orders:8009, which maps only (8002,)"
        in found
    )
    assert any(
        "target group bazaar-local-orders port 8002 is not the container port 8009" in p
        for p in found
    )


def test_a_rule_to_a_target_group_no_service_serves_is_a_problem():
    wired = platform()
    service = replace(wired.services[0], load_balancing=())
    assert problems(replace(wired, services=(service,))) == [
        "listener rule 200: its target group is served by 0 services (none)"
    ]


def test_a_bootstrap_task_of_another_image_is_a_problem():
    wired = platform()
    other = task_definition(task_document(family="x-database"))
    other = replace(
        other, containers=tuple(replace(c, image="elsewhere:1") for c in other.containers)
    )
    found = problems(
        replace(wired, one_off_tasks=(OneOffTask("orders", "bazaar-local-orders", other),))
    )
    assert found
    assert all("image elsewhere:1 is not one bazaar-local-orders runs" in p for p in found)


def test_each_rule_becomes_a_route_to_its_target_groups_tasks():
    assert routes_document(platform()) == {
        "routes": [
            {
                "name": "bazaar-local-orders",
                "priority": 200,
                "path_patterns": ["/orders", "/orders/*"],
                "target": "http://bazaar-local-orders.targets:8002",
                "health_path": "/healthz",
                "health_check": {
                    "interval_seconds": 15,
                    "timeout_seconds": 5,
                    "healthy_threshold": 2,
                    "unhealthy_threshold": 3,
                },
            }
        ]
    }


def test_the_health_check_asks_each_task_on_the_traffic_port():
    group = platform().target_groups[0]
    assert health_url(group, "r-orders-1") == "http://r-orders-1:8002/healthz"
    assert health_url(replace(group, health_port="9000"), "t") == "http://t:9000/healthz"
