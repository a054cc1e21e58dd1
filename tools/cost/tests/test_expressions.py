from __future__ import annotations

from typing import Any

import pytest

from bazaar_cost.expressions import UnsupportedExpression, evaluate

VALUES: dict[str, Any] = {
    "var.enable_waf": True,
    "var.off": False,
    "var.kms_key_arn": None,
    "var.instance_count": 2,
    "var.services": ["ecr.api", "logs", "logs"],
    "var.queues": {"orders": {}, "audit": {}},
    "var.architecture": "ARM64",
    "var.catalog": {"audit": {"consumes": ["OrderPlaced"]}, "orders": {"consumes": []}},
}


def value(expression: Any) -> Any:
    def resolve(reference: str) -> Any:
        if reference not in VALUES:
            raise UnsupportedExpression(reference)
        return VALUES[reference]

    return evaluate(expression, resolve)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (3, 3),
        ("X86_64", "X86_64"),
        ("${var.instance_count}", 2),
        ("${var.enable_waf ? 1 : 0}", 1),
        ("${var.off ? 1 : 0}", 0),
        ("${var.kms_key_arn == null}", True),
        ("${var.kms_key_arn != null ? 1 : 0}", 0),
        ("${var.enable_waf && !var.off ? 1 : 0}", 1),
        ("${var.off || var.enable_waf}", True),
        ("${(var.off || var.enable_waf) && var.off}", False),
        ('${var.architecture == "ARM64"}', True),
        ("${var.enable_waf ? toset(var.services) : toset([])}", ["ecr.api", "logs"]),
        ("${var.off ? var.queues : {}}", {}),
        ("${length(var.queues)}", 2),
        ("${var.enable_waf ? var.off ? 2 : 1 : 0}", 1),
        ('${toset(["a", "b", "a"])}', ["a", "b"]),
        ("${var.instance_count >= 2 ? 1 : 0}", 1),
        ("${length(keys(var.queues))}", 2),
        # The catalog's consumers, as a module would filter them.
        (
            "${{ for key, service in var.catalog : key => service"
            " if length(service.consumes) > 0 }}",
            {"audit": {"consumes": ["OrderPlaced"]}},
        ),
        ('${[for name in var.services : name if name != "logs"]}', ["ecr.api"]),
        ("${[for key, queue in var.queues : key]}", ["audit", "orders"]),
        # Only the branch taken is evaluated, as Terraform does.
        ("${var.off ? var.unknown : 1}", 1),
    ],
)
def test_the_counting_language(expression: Any, expected: Any) -> None:
    assert value(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "${{ for name in var.services : name => name... }}",  # grouping
        "${max(var.instance_count, 1)}",  # a function it does not know
        "${var.instance_count ? 1 : 0}",  # a condition that is no bool
        "${var.unknown}",  # a reference nobody answers
        "prefix-${var.instance_count}",  # a template
        "${var.instance_count + 1}",  # arithmetic
    ],
)
def test_anything_else_is_refused_not_guessed(expression: str) -> None:
    with pytest.raises(UnsupportedExpression):
        value(expression)
