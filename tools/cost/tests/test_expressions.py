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
    "var.empty": "",
    "var.email": "team@example.com",
    "var.subscriptions": [{"protocol": "email", "endpoint": "a@example.com"}],
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
        # Objects, and the audit module's rules merged from them.
        ('${{identifier = "A", "b-c" = null}}', {"identifier": "A", "b-c": None}),
        (
            '${merge({"a" = {types = ["AWS::S3::Bucket"]}}, var.enable_waf ? {"b" = {}} : {})}',
            {"a": {"types": ["AWS::S3::Bucket"]}, "b": {}},
        ),
        ('${merge({"a" = 1}, var.off ? {"b" = 2} : {})}', {"a": 1}),
        # A GitHub variable left empty is null; one set is itself.
        ("${try(coalesce(var.empty), null)}", None),
        ("${try(coalesce(var.email), null)}", "team@example.com"),
        ("${coalesce(var.kms_key_arn, var.instance_count)}", 2),
        (
            '${var.email == "" ? [] : [{protocol = "email", endpoint = var.email}]}',
            [{"protocol": "email", "endpoint": "team@example.com"}],
        ),
        # Interpolations in a string: a subscription's key.
        (
            '${{ for sub in var.subscriptions : "${sub.protocol}:${sub.endpoint}" => sub }}',
            {"email:a@example.com": {"protocol": "email", "endpoint": "a@example.com"}},
        ),
        ('${"${var.instance_count}"}', 2),
        ('${"n-${var.instance_count}"}', "n-2"),
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
        "${coalesce(var.empty, var.kms_key_arn)}",  # Terraform's own error, outside a try
        "${try(var.unknown, 1)}",  # try answers Terraform's errors, not what it cannot compute
        '${"n-${var.enable_waf}"}',  # a bool interpolated
        "${{ key }}",  # an object without a value
    ],
)
def test_anything_else_is_refused_not_guessed(expression: str) -> None:
    with pytest.raises(UnsupportedExpression):
        value(expression)
