"""How many of each resource a Terraform root configuration makes, without Terraform.

A ``Scope`` is one instance of a module: its variables come from the
caller's arguments (evaluated in the caller's scope, only when asked for)
or from their defaults; its locals from its own files. ``placed`` walks a
root and every module it calls, instance by instance (``for_each`` and
``count`` on module blocks included), and yields each resource block of a
type with how many instances it has there.

Where the configuration takes the catalog's collections from a module's
outputs or ``merge``s into them (``module.catalog.queues``,
``local.services``), which the evaluator does not follow, the walk is
given them from ``bazaar_common.catalog`` instead (``known``): the catalog
module reads the same ``service.yaml`` files, and tests/terraform holds the
two to each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bazaar_cost.errors import InputError
from bazaar_cost.expressions import UnsupportedExpression, evaluate
from bazaar_cost.terraform_files import Block, Module, TerraformFiles
from bazaar_cost.variable_types import convert, parse_type

# Arguments of a module block that are not the module's variables.
META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "depends_on", "providers"})
_UNSET = object()

# A reference the evaluator cannot compute, answered for one scope.
Known = Mapping[str, Callable[["Scope"], Any]]


class Scope:
    """One instance of a module, and where its variables' values come from."""

    def __init__(
        self,
        files: TerraformFiles,
        module: Module,
        variables: Callable[[str], Any],
        known: Mapping[str, Known],
        each: tuple[Any, Any] | None = None,
    ) -> None:
        self.files = files
        self.module = module
        self._variables = variables  # name -> value, or _UNSET when not given
        self._known = known
        self._each = each
        self._locals: dict[str, Any] = {}
        self._evaluating: set[str] = set()

    @property
    def each_key(self) -> Any:
        if self._each is None:
            raise UnsupportedExpression("each.key outside a for_each")
        return self._each[0]

    def with_each(self, key: Any, value: Any) -> Scope:
        return Scope(self.files, self.module, self._variables, self._known, (key, value))

    def value(self, expression: Any, what: str, names: Mapping[str, Any] | None = None) -> Any:
        """An expression of this module evaluated; ``what`` says where it is written.

        ``names`` holds what a ``dynamic`` block's content also sees: its
        iterator (``copy_action`` => {"key": ..., "value": ...}).
        """
        resolve = self.resolve
        if names:

            def resolve(reference: str) -> Any:
                head, _, rest = reference.partition(".")
                if head not in names:
                    return self.resolve(reference)
                found = names[head]
                for attribute in rest.split(".") if rest else []:
                    if not isinstance(found, dict) or attribute not in found:
                        raise UnsupportedExpression(f"`{reference}` (no {attribute!r} there)")
                    found = found[attribute]
                return found

        try:
            return evaluate(expression, resolve)
        except UnsupportedExpression as error:
            raise InputError(
                f"{what}: cannot evaluate {error} (bazaar_cost.expressions knows the "
                "switches and counts the repository uses; extend it for this one)"
            ) from None

    def variable(self, name: str, *, default: Any = _UNSET) -> Any:
        """A variable's value here, converted to its type; ``default`` when there is no such
        variable."""
        declared = self.module.variables.get(name)
        given = self._variables(name)
        if given is not _UNSET:
            return _typed(given, declared)
        if declared is None:
            if default is not _UNSET:
                return default
            raise UnsupportedExpression(f"var.{name} (not a variable of {self.module.label})")
        if "default" not in declared:
            raise UnsupportedExpression(f"var.{name} (no value given and no default)")
        return _typed(evaluate(declared["default"], self.resolve), declared)

    def resolve(self, reference: str) -> Any:
        known = self._known.get(self.module.label, {})
        if reference in known:
            return known[reference](self)
        head, _, rest = reference.partition(".")
        name, *attributes = rest.split(".") if rest else [""]
        if head == "var" and name.isidentifier():
            value = self.variable(name)
        elif head == "local" and name.isidentifier():
            value = self._local(name)
        elif head == "each" and name == "key":
            value = self.each_key
        elif head == "each" and name == "value":
            if self._each is None:
                raise UnsupportedExpression("each.value outside a for_each")
            value = self._each[1]
        else:
            raise UnsupportedExpression(f"`{reference}`")
        for attribute in attributes:
            if not isinstance(value, dict) or attribute not in value:
                raise UnsupportedExpression(f"`{reference}` (no {attribute!r} there)")
            value = value[attribute]
        return value

    def _local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        if name not in self.module.locals:
            raise UnsupportedExpression(f"local.{name} (not a local of {self.module.label})")
        if name in self._evaluating:
            raise UnsupportedExpression(f"local.{name} (refers to itself)")
        self._evaluating.add(name)
        try:
            result = evaluate(self.module.locals[name], self.resolve)
        finally:
            self._evaluating.discard(name)
        self._locals[name] = result
        return result

    def instances(self, block: Block) -> list[tuple[Any, Any]]:
        """A block's instances as (key, each.value): one (None, None), or count's, or for_each's."""
        what = f"{block.file}: {block.type} {block.name!r}"
        if "count" in block.body and "for_each" in block.body:
            raise InputError(f"{what} has both count and for_each")
        if "count" in block.body:
            count = self.value(block.body["count"], f"{what} count")
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise InputError(f"{what}: count is {count!r}, not a whole number")
            return [(index, index) for index in range(count)]
        if "for_each" in block.body:
            collection = self.value(block.body["for_each"], f"{what} for_each")
            if isinstance(collection, dict):
                return list(collection.items())
            if isinstance(collection, list):
                return [(key, key) for key in dict.fromkeys(collection)]
            raise InputError(f"{what}: for_each is {collection!r}, not a map or set")
        return [(None, None)]

    def setting(self, name: str, what: str, *, default: Any = _UNSET) -> Any:
        """A variable's value for a caller outside Terraform; ``default`` if it is not declared."""
        try:
            return self.variable(name, default=default)
        except UnsupportedExpression as error:
            raise InputError(f"{what}: cannot evaluate {error}") from None

    def children(self) -> Iterator[Scope]:
        """Every instance of every module this one calls, as scopes of their own."""
        for call in self.module.calls:
            source = call.body.get("source")
            if not isinstance(source, str) or not source.startswith(("./", "../")):
                raise InputError(
                    f"{call.file}: module {call.name!r} has source {source!r}: only "
                    "modules of this repository (./ or ../) can be walked"
                )
            child = self.files.module(self.module.directory / source)
            for key, value in self.instances(call):
                caller = self.with_each(key, value) if key is not None else self
                yield Scope(self.files, child, _arguments(caller, call), self._known)


def _typed(value: Any, declared: Mapping[str, Any] | None) -> Any:
    """A value as the module sees it: optional attributes of its type filled in."""
    if declared is None or "type" not in declared:
        return value
    try:
        kind = parse_type(declared["type"])
    except UnsupportedExpression:
        # A type this does not model converts nothing; should the module
        # read an attribute the conversion would have given, that reference
        # stops the estimate by name.
        return value
    return convert(value, kind)


def _arguments(caller: Scope, call: Block) -> Callable[[str], Any]:
    def variable(name: str) -> Any:
        if name in META_ARGUMENTS or name not in call.body:
            return _UNSET
        return evaluate(call.body[name], caller.resolve)

    return variable


@dataclass(frozen=True)
class Placed:
    """A resource block in one module instance, and its instances (key, each.value) there."""

    block: Block
    scope: Scope
    instances: tuple[tuple[Any, Any], ...]

    @property
    def keys(self) -> tuple[Any, ...]:
        return tuple(key for key, _ in self.instances)

    @property
    def count(self) -> int:
        return len(self.instances)

    @property
    def what(self) -> str:
        return f"{self.block.file}: {self.block.type} {self.block.name}"

    def attribute(self, name: str) -> Any:
        """An argument that is the same in every instance (it reads no ``each``)."""
        return self.scope.value(self.block.body.get(name), self.what)

    def each(self) -> Iterator[Scope]:
        """The scope of each instance: ``each.key`` and ``each.value`` answered."""
        for key, value in self.instances:
            yield self.scope.with_each(key, value) if key is not None else self.scope


def placed(scope: Scope, resource_type: str) -> Iterator[Placed]:
    """Every block of a resource type in a root and the modules it calls, with its count."""
    for block in scope.module.resources:
        if block.type == resource_type:
            yield Placed(block, scope, tuple(scope.instances(block)))
    for child in scope.children():
        yield from placed(child, resource_type)


def scopes(scope: Scope) -> Iterator[Scope]:
    """A root and every module instance under it."""
    yield scope
    for child in scope.children():
        yield from scopes(child)


def nested_blocks(
    scope: Scope,
    body: Mapping[str, Any],
    block_type: str,
    what: str,
    names: Mapping[str, Any] | None = None,
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """The ``block_type`` blocks of a body: written ones, then each instance of a
    ``dynamic`` one, with the names its content sees (its iterator added)."""
    outer = dict(names or {})
    for written in body.get(block_type, []):
        yield written, outer
    for dynamic in body.get("dynamic", []):
        for content_type, generator in dynamic.items():
            if content_type != block_type:
                continue
            where = f"{what} dynamic {block_type!r}"
            if "iterator" in generator:
                raise InputError(f"{where}: an iterator argument is not followed")
            collection = scope.value(generator.get("for_each"), f"{where} for_each", outer)
            if isinstance(collection, dict):
                pairs = list(collection.items())
            elif isinstance(collection, list):
                pairs = list(enumerate(collection))
            else:
                raise InputError(f"{where}: for_each is {collection!r}, not a map or list")
            (content,) = generator.get("content", [{}])
            for key, value in pairs:
                yield content, {**outer, block_type: {"key": key, "value": value}}


def count(scope: Scope, resource_type: str) -> int:
    return sum(found.count for found in placed(scope, resource_type))


def root_scope(
    files: TerraformFiles,
    directory: Path,
    variables: Mapping[str, Any],
    known: Mapping[str, Known],
) -> Scope:
    """A root configuration whose variables are set (e.g. by terraform.tfvars) or defaulted."""
    return Scope(files, files.module(directory), lambda name: variables.get(name, _UNSET), known)
