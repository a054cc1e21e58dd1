"""A module sees a value converted to its variable's type: optional attributes filled in."""

from __future__ import annotations

from typing import Any

import pytest

from bazaar_cost.variable_types import convert, parse_type

BACKUP = (
    "${object({daily_retention_days = number, continuous = optional(bool, false), "
    "copy_retention_days = optional(number)})}"
)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        # Left out: the declared default, or null; given: kept.
        (
            BACKUP,
            {"daily_retention_days": 35},
            {"daily_retention_days": 35, "continuous": False, "copy_retention_days": None},
        ),
        (
            BACKUP,
            {"daily_retention_days": 90, "continuous": True, "copy_retention_days": 90},
            {"daily_retention_days": 90, "continuous": True, "copy_retention_days": 90},
        ),
        # An explicit null takes the default too, as in Terraform.
        (
            BACKUP,
            {"daily_retention_days": 7, "continuous": None},
            {"daily_retention_days": 7, "continuous": False, "copy_retention_days": None},
        ),
        (BACKUP, None, None),
        # Attributes the type does not declare are dropped.
        ("${object({name = string})}", {"name": "orders", "cpu": 256}, {"name": "orders"}),
        # Inside collections, each element.
        (
            "${list(object({protocol = string, raw = optional(bool, false)}))}",
            [{"protocol": "email"}],
            [{"protocol": "email", "raw": False}],
        ),
        (
            "${map(object({publishes = optional(list(string), [])}))}",
            {"orders": {}},
            {"orders": {"publishes": []}},
        ),
        # Primitives stay as they are.
        ("${number}", 3, 3),
        ("${string}", "ARM64", "ARM64"),
    ],
)
def test_a_value_converted_to_its_type(kind: str, value: Any, expected: Any) -> None:
    assert convert(value, parse_type(kind)) == expected
