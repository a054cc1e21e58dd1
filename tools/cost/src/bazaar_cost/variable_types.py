"""A variable's type, as far as it changes the value a module sees: optional attributes.

Terraform converts every value a module receives to the variable's type:
an object attribute declared ``optional(bool, false)`` and not given reads
as ``false``, one declared ``optional(number)`` as null, and attributes the
type does not declare are dropped. ``var.aws_backup.continuous`` is then
``false`` where terraform.tfvars leaves it out; without the conversion the
estimate would find no such attribute and stop.

Only what conversion needs is modelled: objects (with optional
attributes and their defaults), lists, sets, maps and tuples of them.
Primitive types leave a value as it is: the estimate never relies on
``"2"`` becoming ``2``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bazaar_cost.expressions import Function, UnsupportedExpression, evaluate

PRIMITIVES = frozenset({"string", "number", "bool", "any"})


@dataclass(frozen=True)
class Attribute:
    type: Any  # a type, as below
    optional: bool = False
    default: Any = None


@dataclass(frozen=True)
class ObjectType:
    attributes: Mapping[str, Attribute]


@dataclass(frozen=True)
class CollectionType:
    kind: str  # list, set or map
    element: Any


@dataclass(frozen=True)
class TupleType:
    elements: tuple[Any, ...]


@dataclass(frozen=True)
class _Optional:
    """``optional(type, default)`` before the object it is an attribute of takes it."""

    type: Any
    default: Any


def _object(attributes: Any) -> ObjectType:
    if not isinstance(attributes, dict):
        raise UnsupportedExpression(f"object({attributes!r})")
    return ObjectType(
        {
            name: Attribute(kind.type, optional=True, default=kind.default)
            if isinstance(kind, _Optional)
            else Attribute(kind)
            for name, kind in attributes.items()
        }
    )


def _optional(kind: Any, default: Any = None) -> _Optional:
    return _Optional(kind, default)


def _tuple(elements: Any) -> TupleType:
    if not isinstance(elements, list):
        raise UnsupportedExpression(f"tuple({elements!r})")
    return TupleType(tuple(elements))


_TYPE_FUNCTIONS: dict[str, Function] = {
    "object": _object,
    "optional": _optional,
    "list": lambda element: CollectionType("list", element),
    "set": lambda element: CollectionType("set", element),
    "map": lambda element: CollectionType("map", element),
    "tuple": _tuple,
}


def _primitive(reference: str) -> str:
    if reference not in PRIMITIVES:
        raise UnsupportedExpression(f"the type {reference!r}")
    return reference


def parse_type(expression: Any) -> Any:
    """A variable's ``type``, as python-hcl2 gives it (``"${object({...})}"``)."""
    if isinstance(expression, str):
        return _parsed(expression)
    return evaluate(expression, _primitive, _TYPE_FUNCTIONS)


# Every value a module receives is converted: a type is parsed once.
@functools.lru_cache(maxsize=512)
def _parsed(expression: str) -> Any:
    return evaluate(expression, _primitive, _TYPE_FUNCTIONS)


def convert(value: Any, kind: Any) -> Any:
    """``value`` as a module whose variable is of type ``kind`` sees it."""
    if value is None:
        return None
    if isinstance(kind, ObjectType) and isinstance(value, dict):
        converted: dict[str, Any] = {}
        for name, attribute in kind.attributes.items():
            if name in value and value[name] is not None:
                converted[name] = convert(value[name], attribute.type)
            elif attribute.optional:
                converted[name] = convert(attribute.default, attribute.type)
            elif name in value:
                converted[name] = None
            # A required attribute missing is Terraform's error at plan; left
            # out here, a reference to it stops the estimate by name.
        return converted
    if isinstance(kind, CollectionType):
        if kind.kind == "map" and isinstance(value, dict):
            return {key: convert(item, kind.element) for key, item in value.items()}
        if kind.kind in ("list", "set") and isinstance(value, list):
            return [convert(item, kind.element) for item in value]
    if isinstance(kind, TupleType) and isinstance(value, list):
        return [convert(item, element) for item, element in zip(value, kind.elements, strict=False)]
    return value
