"""docker-compose.yml and the service catalog agree, and every container is locked down.

The compose file must name its services (compose has no way to read the
catalog), so this holds each one to its catalog entry: image, build
arguments, port, database. The docker compose suite (tests/compose) runs the
file for real; this one fails in a second when the two drift.
"""

from __future__ import annotations

import pytest
import yaml

from bazaar_common.catalog import ServiceEntry, discover

# Containers that are not ours to lock down the same way: Postgres runs as its
# own user, the observability profile's images are upstream ones.
OWN_USER_EXEMPT = {"postgres", "otel-collector", "jaeger"}


@pytest.fixture(scope="module")
def compose(repository_root) -> dict:
    return yaml.safe_load((repository_root / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def entries(repository_root) -> list[ServiceEntry]:
    return discover(repository_root)


def test_every_catalog_service_runs_its_own_image_on_its_catalog_port(compose, entries):
    for entry in entries:
        service = compose["services"][entry.name]
        assert service["image"] == f"bazaar/{entry.name}:${{IMAGE_TAG:-local}}"
        assert service["build"]["args"]["SERVICE"] == entry.name
        assert service["build"]["args"]["SERVICE_PORT"] == str(entry.port)
        assert service["ports"] == [f"{entry.port}:{entry.port}"]


def test_every_service_uses_its_catalog_database(compose, entries):
    databases = compose["services"]["postgres"]["environment"]["POSTGRES_DATABASES"].split()
    assert sorted(databases) == sorted(entry.database for entry in entries)
    for entry in entries:
        url = compose["services"][entry.name]["environment"]["DATABASE_URL"]
        assert url.endswith(f"@postgres:5432/{entry.database}"), url


def test_every_service_is_told_it_runs_locally(compose, entries):
    # The image has no ENVIRONMENT and a service without one does not start.
    for entry in entries:
        assert compose["services"][entry.name]["environment"]["ENVIRONMENT"] == "local"


def test_services_start_after_postgres_and_the_bootstrap(compose, entries):
    for entry in entries:
        depends = compose["services"][entry.name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}
        assert depends["bootstrap"] == {"condition": "service_completed_successfully"}


def test_the_gateway_routes_every_catalog_service_once_all_are_healthy(compose, entries):
    gateway = compose["services"]["gateway"]
    assert "--hosts-by-name" in gateway["command"]
    assert not [part for part in gateway["command"] if part.startswith("--target")]
    assert gateway["depends_on"] == {
        entry.name: {"condition": "service_healthy"} for entry in entries
    }
    assert gateway["ports"] == ["8080:8080"]


def test_our_containers_are_non_root_on_a_read_only_root(compose):
    for name, service in compose["services"].items():
        assert service.get("read_only") is True, name
        assert not service.get("privileged"), name
        assert "cap_add" not in service, name
        if name not in OWN_USER_EXEMPT:
            assert service["user"] == "10001:10001", name


def test_the_observability_profile_is_opt_in_and_pinned(compose, entries):
    for name in ("otel-collector", "jaeger"):
        service = compose["services"][name]
        assert service["profiles"] == ["observability"]
        image = service["image"].split(":-", 1)[-1].rstrip("}")
        assert ":" in image, name
        assert not image.endswith(":latest"), name
    # Unset, the services export nothing; set, they export to the collector.
    for entry in entries:
        environment = compose["services"][entry.name]["environment"]
        assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == "${OTEL_EXPORTER_OTLP_ENDPOINT:-}"
