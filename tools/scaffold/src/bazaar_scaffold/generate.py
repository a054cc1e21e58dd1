"""A new service planned whole, then written: a refusal leaves the repository untouched."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from bazaar_common.catalog import CATALOG_FILE, ServiceEntry, discover
from bazaar_contracts import ALL_EVENTS
from bazaar_scaffold import wiring
from bazaar_scaffold.blueprint import Blueprint
from bazaar_scaffold.consumed import consumed_events
from bazaar_scaffold.names import check_name
from bazaar_scaffold.refusal import Refusal
from bazaar_scaffold.render import render_one, render_service

CONTRACTS = Path("libs/contracts/src/bazaar_contracts")


def plan(root: Path, name: str, consumes: list[str], now: datetime) -> dict[Path, str]:
    """Every file to write, new or edited, by absolute path; raises ``Refusal``."""
    entries = discover(root)
    check_name(name, entries, root)
    blueprint = Blueprint.of(name, entries, consumed_events(consumes), now)
    if blueprint.event_type in {event_class.event_type for event_class in ALL_EVENTS}:
        raise Refusal(f"{name!r} would publish {blueprint.event_type}, which exists already")
    files = {root / path: text for path, text in render_service(blueprint).items()}
    files[root / CONTRACTS / f"{name}.py"] = render_one("contracts.py.j2", blueprint)
    files.update(_edits(root, entries, blueprint))
    return files


def _edits(root: Path, entries: list[ServiceEntry], blueprint: Blueprint) -> dict[Path, str]:
    name = blueprint.name
    pyproject, compose = root / "pyproject.toml", root / "docker-compose.yml"
    contracts = root / CONTRACTS / "__init__.py"
    edited = {
        pyproject: wiring.register_in_root_pyproject(_read(pyproject), name),
        compose: wiring.add_to_compose(
            _read(compose), name, render_one("compose_service.yml.j2", blueprint)
        ),
        contracts: wiring.register_contracts_module(_read(contracts), name),
    }
    for entry in _hearing_everything(entries):
        path = root / "services" / entry.name / "src" / entry.package / CATALOG_FILE
        edited[path] = wiring.hear_everything(_read(path), blueprint.event_type)
    return edited


def _hearing_everything(entries: list[ServiceEntry]) -> list[ServiceEntry]:
    """Services that consume every published type (audit): they hear the new one too."""
    published = {event for entry in entries for event in entry.events.publishes}
    return [entry for entry in entries if published and published <= set(entry.events.consumes)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Refusal(f"{path} is missing: is --root the repository?") from None


def write(files: Mapping[Path, str]) -> None:
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def tidy(paths: list[Path]) -> None:
    """Imports sorted and code formatted by the repository's ruff, as ``make fmt`` would.

    The templates cannot know where ``bazaar_<name>`` sorts among the other
    imports, nor how long a line a name makes; ruff decides both.
    """
    python = [str(path) for path in paths if path.suffix == ".py"]
    # Our own interpreter's ruff, on the files just written: no outside input.
    ruff = [sys.executable, "-m", "ruff"]
    sort_imports = [*ruff, "check", "--quiet", "--fix", "--select", "I", *python]
    subprocess.run(sort_imports, check=True)  # noqa: S603
    subprocess.run([*ruff, "format", "--quiet", *python], check=True)  # noqa: S603
