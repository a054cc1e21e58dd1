"""The catalog and the code agree: every service is described once and truly."""

from __future__ import annotations

import tomllib

import pytest

from bazaar_common.catalog import discover, load_own_entry
from bazaar_common.settings import Environment


@pytest.fixture(scope="module")
def entries(repository_root):
    return discover(repository_root)


def test_every_service_folder_has_a_catalog_entry(entries, repository_root):
    folders = sorted(p.name for p in (repository_root / "services").iterdir() if p.is_dir())
    assert [entry.name for entry in entries] == folders


def test_entry_package_is_the_service_package(entries, repository_root):
    for entry in entries:
        project = tomllib.loads(
            (repository_root / "services" / entry.name / "pyproject.toml").read_text()
        )["project"]
        assert project["name"] == f"bazaar-{entry.name}"
        assert load_own_entry(entry.package) == entry


def test_routes_live_under_the_catalog_prefix(entries, monkeypatch):
    import importlib

    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    for entry in entries:
        main = importlib.import_module(f"{entry.package}.main")
        settings_module = importlib.import_module(f"{entry.package}.settings")
        settings_class = next(
            value
            for name, value in vars(settings_module).items()
            if name.endswith("Settings") and value.__module__ == settings_module.__name__
        )
        # Required settings a service adds to the shared ones.
        own_required = {"inventory_url": "http://127.0.0.1:1"}
        settings = settings_class(
            environment=Environment.TEST,
            database_url=f"postgresql+asyncpg://u@localhost/{entry.database}",
            auth_issuer="http://127.0.0.1:1",
            auth_client_ids=["c"],
            **{k: v for k, v in own_required.items() if k in settings_class.model_fields},
        )
        app = main.create_app(settings)
        paths = set(app.openapi()["paths"]) | {app.openapi_url, app.docs_url}
        prefix = entry.route.path_prefix
        outside = {p for p in paths if p != prefix and not p.startswith(prefix + "/")}
        assert not outside, f"{entry.name} serves paths outside its prefix: {outside}"
