"""The gateway's one notion of a route, and how a catalog entry becomes one."""

from __future__ import annotations

import subprocess

import pytest

from bazaar_devstack.gateway.config import RunDirectory, render
from bazaar_devstack.gateway.health import HealthCheck, HealthCheckSettings
from bazaar_devstack.gateway.nginx import find_nginx
from bazaar_devstack.gateway.routes import Route, RouteTarget, catalog_routes
from bazaar_devstack.gateway.runner import Gateway, health_checks
from bazaar_devstack.gateway.settings import GatewaySettings, Target

# Every character ALB allows in a path pattern, wildcards too.
EVERY_ALB_CHARACTER = "/Az09_-.$/~\"'@:+&*?"


def test_a_catalog_entry_becomes_its_listener_rule(catalog):
    orders = next(entry for entry in catalog if entry.name == "orders")
    target = Target("orders", 8002)

    route = Route.of(orders, [target])

    assert route == Route(
        name="orders",
        priority=orders.route.priority,
        path_patterns=(orders.route.path_prefix, orders.route.path_prefix + "/*"),
        targets=(target,),
        health_path=orders.health_path,
    )
    assert route.health_url(target) == f"http://orders:8002{orders.health_path}"


def test_every_catalog_service_gets_a_route_with_or_without_a_target(catalog):
    routes = catalog_routes(catalog, {"orders": [Target("127.0.0.1", 8002)]})

    assert [route.name for route in routes] == [entry.name for entry in catalog]
    assert {route.name for route in routes if route.targets} == {"orders"}


def test_a_target_for_no_catalog_service_is_refused(catalog):
    with pytest.raises(ValueError, match="no service named billing in the catalog"):
        catalog_routes(catalog, {"billing": [Target("127.0.0.1", 1)]})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Orders"}, "name 'Orders'"),
        ({"priority": 0}, "priority 0"),
        ({"path_patterns": ("/orders{",)}, "a character ALB does not allow"),
        ({"path_patterns": ()}, "1 to 5 path patterns"),
        ({"health_path": "readyz"}, "does not start with '/'"),
        (
            {"targets": (Target("127.0.0.1", 1), Target("127.0.0.1", 1))},
            "target http://127.0.0.1:1 is registered twice",
        ),
    ],
)
def test_a_route_cannot_be_built_wrong(changes, message):
    fields = {
        "name": "orders",
        "priority": 200,
        "path_patterns": ("/orders",),
        "targets": (),
        "health_path": "/readyz",
    }
    with pytest.raises(ValueError, match=message):
        Route(**{**fields, **changes})


def test_the_gateway_refuses_routes_sharing_a_name_or_a_priority(tmp_path):
    first = Route("orders", 1, ("/orders",), (), "/readyz")
    with pytest.raises(ValueError, match="two routes are named 'orders'"):
        Gateway([first, Route("orders", 2, ("/o",), (), "/readyz")], tmp_path)
    with pytest.raises(ValueError, match="share priority 1"):
        Gateway([first, Route("audit", 1, ("/audit",), (), "/readyz")], tmp_path)


def test_each_route_is_checked_with_its_own_settings_or_the_default():
    own = HealthCheckSettings(interval_seconds=30, timeout_seconds=5, healthy_threshold=5)
    default = HealthCheckSettings()
    two = (Target("10.0.0.4", 8004), Target("10.0.0.5", 8004))
    routes = [
        Route("orders", 1, ("/orders",), (Target("orders", 8002),), "/healthz", own),
        Route("audit", 2, ("/audit",), two, "/readyz"),
        Route("payments", 3, ("/payments",), (), "/readyz"),
    ]

    # Each target of a route on its own, with the route's settings.
    assert health_checks(routes, default) == {
        RouteTarget("orders", Target("orders", 8002)): HealthCheck(
            "http://orders:8002/healthz", own
        ),
        RouteTarget("audit", two[0]): HealthCheck("http://10.0.0.4:8004/readyz", default),
        RouteTarget("audit", two[1]): HealthCheck("http://10.0.0.5:8004/readyz", default),
    }


def test_a_target_by_dns_name_is_an_upstream_of_that_name(tmp_path):
    route = Route("orders", 1, ("/orders",), (Target("orders.local.bazaar.internal", 8002),), "/")

    text = render([route], set(route.registered), GatewaySettings(), RunDirectory(tmp_path))

    # nginx resolves it to all its addresses and balances across them.
    assert "server orders.local.bazaar.internal:8002 max_fails=0;" in text


def test_every_alb_path_character_renders_a_config_nginx_accepts(tmp_path):
    route = Route("odd", 1, (EVERY_ALB_CHARACTER,), (Target("127.0.0.1", 9),), "/")
    run = RunDirectory(tmp_path)
    run.temp.mkdir()

    run.config.write_text(render([route], set(route.registered), GatewaySettings(), run))

    # '"' is escaped for nginx's string; nginx hands PCRE a plain '"'.
    expected = r"""location ~ "(?s)^(?:/Az09_\-\.\$/\~\"'@:\+\&.*.)\z" {"""
    assert expected in run.config.read_text()
    command = [find_nginx(), "-t", "-q", "-p", str(tmp_path), "-c", str(run.config)]
    checked = subprocess.run([*command, "-e", str(run.error_log)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr.decode()
