"""The walls between parts of the code base, held by a test.

A service never imports another service; libs/common never imports a
service or the contracts; the contracts import only libs/common; a domain
package imports nothing that does I/O; events reach the outbox only through
the unit of work; every third-party import of a member is declared in that
member's own pyproject.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IO_MODULES = {"sqlalchemy", "asyncpg", "fastapi", "starlette", "httpx", "alembic", "uvicorn"}
DOMAIN_MAY_USE_FROM_COMMON = {"bazaar_common.errors", "bazaar_common.clock"}
# Event schemas are pure pydantic: an aggregate may record them as its events.
DOMAIN_MAY_USE_LIBS = {"bazaar_contracts"}
SHARED_BY_SERVICES = {"bazaar_common", "bazaar_contracts"}
MAY_IMPORT = {
    "common": {"bazaar_common"},
    "contracts": {"bazaar_contracts", "bazaar_common"},
    # The local runtime drives services from outside (processes, HTTP), never by import.
    "devstack": {"bazaar_devstack", "bazaar_common"},
    # Delivery reads the catalog and the repository's files, never a service's code.
    "delivery": {"bazaar_delivery", "bazaar_common"},
    # make bench runs the system (devstack) and measures it from outside.
    "bench": {"bazaar_bench", "bazaar_common", "bazaar_devstack"},
    # Runs the applied platform on Docker; the database stand-in uses common's SCRAM verifier.
    "ecslocal": {"bazaar_ecslocal", "bazaar_common"},
    # make cost reads the catalog and the repository's Terraform, never a service's code.
    "cost": {"bazaar_cost", "bazaar_common"},
    # make new-service reads the catalog and the contracts (which names exist).
    "scaffold": {"bazaar_scaffold", "bazaar_common", "bazaar_contracts"},
}


def members() -> list[Path]:
    return sorted(
        path for folder in ("libs", "services", "tools") for path in (ROOT / folder).glob("*")
    )


def package_of(member: Path) -> str:
    (package,) = [p.name for p in (member / "src").iterdir() if p.is_dir()]
    return package


def imports_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def source_files(member: Path) -> list[Path]:
    return sorted((member / "src").rglob("*.py"))


@pytest.mark.parametrize("member", members(), ids=lambda m: m.name)
def test_no_member_imports_another_service(member):
    if member.parent.name == "services":
        allowed = {package_of(member)} | SHARED_BY_SERVICES
    else:
        allowed = MAY_IMPORT[member.name]
    offenders = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in source_files(member)
        for module in imports_in(path)
        if module.startswith("bazaar_") and module.split(".")[0] not in allowed
    }
    assert not offenders


@pytest.mark.parametrize("service", sorted((ROOT / "services").glob("*")), ids=lambda m: m.name)
def test_domain_imports_no_io(service):
    package = package_of(service)
    domain = service / "src" / package / "domain"
    offenders = set()
    for path in sorted(domain.rglob("*.py")):
        for module in imports_in(path):
            top = module.split(".")[0]
            if top in IO_MODULES:
                offenders.add(f"{path.name}: {module}")
            if top == "bazaar_common" and module not in DOMAIN_MAY_USE_FROM_COMMON:
                offenders.add(f"{path.name}: {module}")
            if top.startswith("bazaar_") and top not in {package, "bazaar_common"} | (
                DOMAIN_MAY_USE_LIBS
            ):
                offenders.add(f"{path.name}: {module}")
            if top == package and not module.startswith(f"{package}.domain"):
                offenders.add(f"{path.name}: {module}")
    assert not offenders


UNIT_OF_WORK = ROOT / "libs/common/src/bazaar_common/db/unit_of_work.py"


def _name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def outbox_writes_in(path: Path) -> list[int]:
    """Lines that call ``add`` on an outbox: ``uow.outbox.add(event)``, ``outbox.add(event)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "add"
        and "outbox" in _name_of(node.func.value).lower()
    ]


def test_the_unit_of_work_is_where_events_are_written():
    """Else the rule below would hold for want of a match, not for want of a call."""
    assert outbox_writes_in(UNIT_OF_WORK)


@pytest.mark.parametrize("member", members(), ids=lambda m: m.name)
def test_events_reach_the_outbox_only_through_the_unit_of_work(member):
    """Aggregates record events; ``SqlUnitOfWork.commit`` writes them, in one place."""
    offenders = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in source_files(member)
        if path != UNIT_OF_WORK
        for line in outbox_writes_in(path)
    }
    assert not offenders


def declared_distributions(member: Path) -> set[str]:
    project = tomllib.loads((member / "pyproject.toml").read_text())["project"]
    names = set()
    for requirement in project.get("dependencies", []):
        name = requirement.split(";")[0].split("[")[0]
        for separator in "<>=!~ ":
            name = name.split(separator)[0]
        names.add(name.strip().lower().replace("_", "-"))
    return names


@pytest.mark.parametrize("member", members(), ids=lambda m: m.name)
def test_every_third_party_import_is_declared(member):
    distributions_of = importlib.metadata.packages_distributions()
    declared = declared_distributions(member)
    own = package_of(member)
    undeclared = set()
    for path in source_files(member):
        if "testing" in path.relative_to(member).parts:
            continue  # the pytest plugin uses the `testing` extra
        for module in imports_in(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top in {own, "__future__"}:
                continue
            providers = {d.lower().replace("_", "-") for d in distributions_of.get(top, [top])}
            if not providers & declared:
                undeclared.add(f"{path.relative_to(ROOT)}: {module}")
    assert not undeclared
