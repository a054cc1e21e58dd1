"""Terraform configurations read with python-hcl2, as plain Python values.

A module is a directory of ``.tf`` files; what the estimate needs of one is
its variables (and their defaults), its locals, its resources and the
modules it calls. Every file is parsed once per run (python-hcl2 is not
fast), and only the files of modules the walk reaches.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2

from bazaar_cost.errors import InputError

# Strings without their quotes, so "X86_64" reads as X86_64 and an
# expression stays "${...}"; blocks as plain lists of dicts.
_OPTIONS = hcl2.SerializationOptions(
    with_comments=False, strip_string_quotes=True, explicit_blocks=False
)


def read_hcl(path: Path, shown: str) -> dict[str, Any]:
    """One HCL file (a .tf or a .tfvars) as a dict; ``shown`` names it in errors."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read {shown}: {error.strerror}") from None
    try:
        document = _parsed(text)
    except Exception as error:  # python-hcl2 raises lark's parse errors, and others
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"{shown} is not valid HCL: {reason}") from None
    if not isinstance(document, dict):
        raise InputError(f"{shown} is not valid HCL: not a document of attributes and blocks")
    return document


# By content: the same text (another environment's walk of a module, a
# test's copy of the repository) is parsed once. Callers only read the result.
@functools.lru_cache(maxsize=1024)
def _parsed(text: str) -> Any:
    return hcl2.loads(text, serialization_options=_OPTIONS)


@dataclass(frozen=True)
class Block:
    """A resource or module block: its type (resource type, or "module"), name and body."""

    type: str
    name: str
    body: Mapping[str, Any]
    file: str  # where it is written, for messages


@dataclass(frozen=True)
class Module:
    directory: Path
    label: str  # its path under the repository root, for messages
    variables: Mapping[str, Mapping[str, Any]]
    locals: Mapping[str, Any]
    resources: tuple[Block, ...]
    calls: tuple[Block, ...]


def _named_blocks(document: Mapping[str, Any], key: str) -> list[tuple[str, Any]]:
    """The ``name => body`` pairs of a one-label block kind (variable, module)."""
    return [
        (name, body)
        for entry in document.get(key, [])
        if isinstance(entry, dict)
        for name, body in entry.items()
    ]


class TerraformFiles:
    """The repository's Terraform modules, each parsed when first needed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._modules: dict[Path, Module] = {}

    def shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def module(self, directory: Path) -> Module:
        directory = directory.resolve()
        if directory not in self._modules:
            self._modules[directory] = self._load(directory)
        return self._modules[directory]

    def _load(self, directory: Path) -> Module:
        label = self.shown(directory)
        files = sorted(directory.glob("*.tf"))
        if not files:
            raise InputError(f"{label}: no Terraform module there (no .tf file)")
        variables: dict[str, Mapping[str, Any]] = {}
        local_values: dict[str, Any] = {}
        resources: list[Block] = []
        calls: list[Block] = []
        for path in files:
            shown = self.shown(path)
            document = read_hcl(path, shown)
            for name, body in _named_blocks(document, "variable"):
                variables[name] = body if isinstance(body, dict) else {}
            for entry in document.get("locals", []):
                local_values.update(entry)
            for name, body in _named_blocks(document, "module"):
                calls.append(Block("module", name, body, shown))
            for entry in document.get("resource", []):
                for resource_type, named in entry.items():
                    for name, body in named.items():
                        resources.append(Block(resource_type, name, body, shown))
        return Module(directory, label, variables, local_values, tuple(resources), tuple(calls))
