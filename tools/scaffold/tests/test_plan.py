"""What a new service is made of, and how the files that name every service learn of it."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bazaar_common.catalog import discover
from bazaar_scaffold.__main__ import main
from bazaar_scaffold.generate import plan, tidy, write

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
SERVICE = Path("services/loyalty/src/bazaar_loyalty")


def planned(root: Path, consumes: list[str]) -> dict[Path, str]:
    files = plan(root, "loyalty", consumes, NOW)
    write(files)
    return {path.relative_to(root): text for path, text in files.items()}


def test_the_service_takes_the_next_port_and_priority_and_its_events(wired_copy):
    before = {entry.name: entry for entry in discover(wired_copy)}

    planned(wired_copy, ["OrderConfirmed"])

    after = {entry.name: entry for entry in discover(wired_copy)}
    entry = after["loyalty"]
    assert entry.port == max(other.port for other in before.values()) + 1
    assert entry.route.priority == max(other.route.priority for other in before.values()) + 100
    assert (entry.route.path_prefix, entry.database) == ("/loyalty", "loyalty")
    assert (entry.events.publishes, entry.events.consumes) == (
        ["LoyaltyCreated"],
        ["OrderConfirmed"],
    )
    # Audit hears every type there is, the new one too.
    assert "LoyaltyCreated" in after["audit"].events.consumes
    assert set(after["audit"].events.consumes) - {"LoyaltyCreated"} == set(
        before["audit"].events.consumes
    )


def test_the_files_every_service_is_named_in_name_it(wired_copy):
    planned(wired_copy, [])

    compose = yaml.safe_load((wired_copy / "docker-compose.yml").read_text())
    service = compose["services"]["loyalty"]
    assert service["image"] == "bazaar/loyalty:${IMAGE_TAG:-local}"
    assert service["environment"]["DATABASE_URL"].endswith("@postgres:5432/loyalty")
    assert service["environment"]["ENVIRONMENT"] == "local"
    assert service["depends_on"]["bootstrap"] == {"condition": "service_completed_successfully"}
    assert "loyalty" in compose["services"]["postgres"]["environment"]["POSTGRES_DATABASES"].split()
    assert compose["services"]["gateway"]["depends_on"]["loyalty"] == {
        "condition": "service_healthy"
    }
    project = tomllib.loads((wired_copy / "pyproject.toml").read_text())
    assert project["tool"]["uv"]["sources"]["bazaar-loyalty"] == {"workspace": True}
    assert "services/loyalty/src" in project["tool"]["mypy"]["mypy_path"].split(":")
    contracts = (wired_copy / "libs/contracts/src/bazaar_contracts/__init__.py").read_text()
    tree = ast.parse(contracts)
    imported = {
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "bazaar_contracts"
        for alias in node.names
    }
    assert "loyalty" in imported
    assert "*loyalty.PUBLISHED" in contracts
    (exported,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__"
    ]
    assert "loyalty" in ast.literal_eval(exported)


def test_a_service_that_consumes_nothing_has_no_consumer_tests(wired_copy):
    files = planned(wired_copy, [])

    assert Path("services/loyalty/tests/api/test_records.py") in files
    assert not any(path.name == "test_consuming.py" for path in files)
    assert "consumes: []" in files[SERVICE / "service.yaml"]
    assert "HANDLERS" in files[SERVICE / "entrypoints/event_handlers.py"]


def test_each_consumed_event_gets_a_handler_with_its_owner_if_it_names_one(wired_copy):
    files = planned(wired_copy, ["OrderConfirmed", "StockReserved"])

    handlers = files[SERVICE / "entrypoints/event_handlers.py"]
    assert "await records.record_event(uow, origin, event.customer_id)" in handlers
    assert "await records.record_event(uow, origin, None)" in handlers
    assert "OrderConfirmed: record_order_confirmed," in handlers
    assert "StockReserved: record_stock_reserved," in handlers
    assert Path("services/loyalty/tests/integration/test_consuming.py") in files


def test_the_same_name_twice_is_refused_the_second_time(wired_copy, capsys):
    planned(wired_copy, [])

    assert main(["new", "loyalty", "--root", str(wired_copy)]) == 2
    assert "exists already (services/loyalty)" in capsys.readouterr().err


def test_what_it_writes_passes_ruff_with_or_without_consumed_events(wired_copy):
    for name, consumes in (("gifts", []), ("loyalty", ["OrderConfirmed", "StockReserved"])):
        files = plan(wired_copy, name, consumes, NOW)
        write(files)
        python = sorted(path for path in files if path.suffix == ".py")
        tidy(python)
        # The copy holds the root pyproject.toml: the repository's own rules.
        checked = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", *map(str, python)],
            cwd=wired_copy,
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout
