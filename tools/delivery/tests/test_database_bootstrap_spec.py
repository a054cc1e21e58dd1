"""The database_bootstrap output is checked strictly, each mistake named in one line."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from bazaar_delivery.database_bootstrap_spec import parse_spec

GOOD: dict[str, Any] = {
    "cluster": "bazaar-dev",
    "subnet_ids": ["subnet-0a1b2c3d4e5f60718", "subnet-12345678"],
    "tasks": {
        "orders": {
            "task_definition": "bazaar-dev-orders-database",
            "security_group_ids": ["sg-0a1b2c3d4e5f60718"],
            "service_name": "bazaar-dev-orders",
        },
        "inventory": {
            "task_definition": "bazaar-dev-inventory-database",
            "security_group_ids": ["sg-0a1b2c3d4e5f60719", "sg-87654321"],
            "service_name": "bazaar-dev-inventory",
        },
    },
}


def changed(change: Callable[[dict[str, Any]], object]) -> str:
    document = copy.deepcopy(GOOD)
    change(document)
    return json.dumps(document)


def test_the_terraform_output_becomes_the_spec_in_service_order() -> None:
    spec = parse_spec(json.dumps(GOOD))
    assert spec.cluster == "bazaar-dev"
    assert spec.subnet_ids == ("subnet-0a1b2c3d4e5f60718", "subnet-12345678")
    assert [task.service for task in spec.tasks] == ["inventory", "orders"]
    inventory = spec.tasks[0]
    assert inventory.task_definition == "bazaar-dev-inventory-database"
    assert inventory.security_group_ids == ("sg-0a1b2c3d4e5f60719", "sg-87654321")
    assert inventory.service_name == "bazaar-dev-inventory"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the spec is not JSON"),
        ("[]", "the spec must be a JSON object, not list"),
        (changed(lambda d: d.pop("cluster")), "the spec has no cluster"),
        (changed(lambda d: d.update(region="eu-west-1")), "the spec has unknown keys: region"),
        (changed(lambda d: d.update(tasks={})), "tasks is empty"),
        (changed(lambda d: d.update(tasks=[])), "tasks must be an object"),
        (changed(lambda d: d.update(cluster="bazaar dev")), "cluster: 'bazaar dev' is not an ECS"),
        (changed(lambda d: d.update(cluster="")), "cluster: '' is not an ECS cluster name"),
        (changed(lambda d: d.update(subnet_ids=[])), "subnet_ids must be a non-empty list"),
        (changed(lambda d: d.update(subnet_ids="subnet-12345678")), "subnet_ids must be"),
        (
            changed(lambda d: d.update(subnet_ids=["sg-12345678"])),
            "subnet_ids: 'sg-12345678' is not a subnet-... id",
        ),
        (
            changed(lambda d: d.update(subnet_ids=["subnet-12345678", "subnet-12345678"])),
            "subnet_ids names an id twice",
        ),
        (
            changed(lambda d: d.update(subnet_ids=[f"subnet-{n:08x}" for n in range(17)])),
            "subnet_ids has 17 ids: awsvpc takes at most 16",
        ),
        (
            changed(lambda d: d["tasks"].update(Orders=d["tasks"]["orders"])),
            "tasks: 'Orders' is not a catalog service name",
        ),
        (
            changed(lambda d: d["tasks"]["orders"].pop("service_name")),
            "tasks.orders has no service_name",
        ),
        (
            changed(lambda d: d["tasks"]["orders"].update(command=["sh"])),
            "tasks.orders has unknown keys: command",
        ),
        (
            changed(lambda d: d["tasks"].update(orders="bazaar-dev-orders-database")),
            "tasks.orders must be a JSON object, not str",
        ),
        (
            changed(lambda d: d["tasks"]["orders"].update(task_definition="bazaar:dev")),
            "tasks.orders.task_definition: 'bazaar:dev' is not a task definition family",
        ),
        (
            changed(lambda d: d["tasks"]["orders"].update(service_name="a/b")),
            "tasks.orders.service_name: 'a/b' is not an ECS service name",
        ),
        (
            changed(lambda d: d["tasks"]["orders"].update(service_name="x" * 256)),
            "is not an ECS service name",
        ),
        (
            changed(lambda d: d["tasks"]["orders"].update(security_group_ids=["subnet-12345678"])),
            "tasks.orders.security_group_ids: 'subnet-12345678' is not a sg-... id",
        ),
        (
            changed(lambda d: d["tasks"]["orders"].update(security_group_ids=["sg-XYZ"])),
            "is not a sg-... id",
        ),
        (
            changed(lambda d: d["tasks"]["orders"].update(security_group_ids=[])),
            "tasks.orders.security_group_ids must be a non-empty list of sg-... ids",
        ),
        (
            changed(
                lambda d: d["tasks"]["orders"].update(
                    task_definition="bazaar-dev-inventory-database"
                )
            ),
            "task_definition 'bazaar-dev-inventory-database' is given to more than one service",
        ),
    ],
)
def test_a_bad_spec_is_refused_in_one_line_naming_what(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        parse_spec(text)
    assert "\n" not in str(refused.value)
