"""``--routes FILE``: parsed strictly, every refusal one clear line; equal routes, equal config."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bazaar_devstack.gateway.__main__ import USAGE_ERROR, main
from bazaar_devstack.gateway.config import RunDirectory, render
from bazaar_devstack.gateway.health import HealthCheckSettings
from bazaar_devstack.gateway.routes import Route, catalog_routes
from bazaar_devstack.gateway.routes_file import RoutesFileError, parse_routes, read_routes
from bazaar_devstack.gateway.settings import GatewaySettings, Target

from .conftest import every_target

ORDERS: dict[str, Any] = {
    "name": "orders",
    "priority": 200,
    "path_patterns": ["/orders", "/orders/*"],
    "target": "http://orders.local.bazaar.internal:8002",
    "health_path": "/healthz",
}
INVENTORY: dict[str, Any] = {
    "name": "inventory",
    "priority": 100,
    "path_patterns": ["/inventory", "/inventory/*"],
    "target": None,
    "health_path": "/readyz",
    "health_check": {
        "interval_seconds": 5,
        "timeout_seconds": 2.5,
        "healthy_threshold": 3,
        "unhealthy_threshold": 2,
    },
}


REMOVED = object()


def _document(**changes: Any) -> dict[str, Any]:
    """The two routes above, with ``orders``' fields changed (or REMOVED)."""
    orders = {key: value for key, value in {**ORDERS, **changes}.items() if value is not REMOVED}
    return {"routes": [orders, INVENTORY]}


def _error(document: object) -> str:
    parsed = parse_routes(json.dumps(document), "routes.json")
    assert isinstance(parsed, RoutesFileError), parsed
    message = str(parsed)
    assert message.startswith("routes.json: ")
    assert "\n" not in message
    return message


def test_a_valid_file_gives_its_routes_in_the_file_order():
    routes = parse_routes(json.dumps(_document()), "routes.json")

    assert routes == [
        Route(
            "orders",
            200,
            ("/orders", "/orders/*"),
            (Target("orders.local.bazaar.internal", 8002),),
            "/healthz",
        ),
        Route(
            "inventory",
            100,
            ("/inventory", "/inventory/*"),
            (),
            "/readyz",
            HealthCheckSettings(5.0, 2.5, 3, 2),
        ),
    ]


def test_a_target_group_may_list_several_targets_or_none():
    two = ["http://10.0.1.7:8002", "http://10.0.2.9:8002"]

    routes = parse_routes(json.dumps(_document(target=two)), "routes.json")
    empty = parse_routes(json.dumps(_document(target=[])), "routes.json")

    assert not isinstance(routes, RoutesFileError), routes
    assert routes[0].targets == (Target("10.0.1.7", 8002), Target("10.0.2.9", 8002))
    assert not isinstance(empty, RoutesFileError), empty
    assert empty[0].targets == ()


def test_an_empty_listener_is_valid():
    assert parse_routes('{"routes": []}', "routes.json") == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # Unknown, missing and mistyped fields.
        ({"weight": 1}, "routes[0]: unknown field 'weight'"),
        ({"health_path": REMOVED}, "routes[0]: missing field 'health_path'"),
        ({"target": REMOVED}, "routes[0]: missing field 'target'"),
        ({"name": 7}, "routes[0].name: 7 is not a string"),
        ({"priority": "200"}, 'routes[0].priority: "200" is not an integer'),
        ({"priority": 200.0}, "routes[0].priority: 200.0 is not an integer"),
        ({"priority": True}, "routes[0].priority: true is not an integer"),
        ({"path_patterns": "/orders"}, 'routes[0].path_patterns: "/orders" is not a list of'),
        ({"path_patterns": ["/orders", 1]}, 'routes[0].path_patterns: ["/orders", 1] is not'),
        ({"target": 8002}, "routes[0].target: 8002 is not a string"),
        ({"target": ["http://a:1", 2]}, "routes[0].target[1]: 2 is not a string"),
        ({"target": ["http://a:1", "a:2"]}, "routes[0].target[1]: target 'a:2' is not of"),
        ({"target": ["http://a:1", "http://a:1"]}, "target http://a:1 is registered twice"),
        # The name and priority of an ALB rule.
        ({"name": "Orders"}, "name 'Orders' is not 1 to 32 lower-case letters"),
        ({"name": "o" * 33}, "is not 1 to 32 lower-case letters"),
        ({"name": "-orders"}, "starting alphanumeric"),
        ({"name": "inventory"}, "two routes are named 'inventory'"),
        ({"priority": 100}, "routes 'orders' and 'inventory' share priority 100"),
        ({"priority": 0}, "priority 0 is outside ALB's 1 to 50000"),
        ({"priority": 50_001}, "priority 50001 is outside ALB's 1 to 50000"),
        # Path patterns as ALB allows them.
        ({"path_patterns": []}, "a rule has 1 to 5 path patterns, not 0"),
        ({"path_patterns": [f"/{n}" for n in range(6)]}, "1 to 5 path patterns, not 6"),
        ({"path_patterns": ["orders/*"]}, "path pattern 'orders/*' does not start with '/'"),
        ({"path_patterns": [""]}, "path pattern '' does not start with '/'"),
        ({"path_patterns": ["/" + "o" * 128]}, "is longer than ALB's 128"),
        ({"path_patterns": ["/orders lines"]}, "has a character ALB does not allow"),
        ({"path_patterns": ["/orders/{id}"]}, "has a character ALB does not allow"),
        ({"path_patterns": ["/orders%2F*"]}, "has a character ALB does not allow"),
        ({"path_patterns": ["/orders;x"]}, "has a character ALB does not allow"),
        ({"path_patterns": ["/orders\n"]}, "has a character ALB does not allow"),
        ({"path_patterns": ["/ördérs"]}, "has a character ALB does not allow"),
        # A target is http://host:port and nothing else.
        ({"target": "https://orders:8002"}, "target 'https://orders:8002' is not of the form"),
        ({"target": "orders:8002"}, "is not of the form http://host:port"),
        ({"target": "http://orders"}, "target 'http://orders' names no port"),
        ({"target": "http://orders:0"}, "target 'http://orders:0' has an invalid port"),
        ({"target": "http://orders:99999"}, "has an invalid port"),
        ({"target": "http://orders:8002/api"}, "is not of the form http://host:port"),
        ({"target": "http://orders:8002?x=1"}, "is not of the form http://host:port"),
        ({"target": "http://user@orders:8002"}, "is not of the form http://host:port"),
        ({"target": "http://ord;ers:8002"}, "is not of the form http://host:port"),
        ({"target": "http://[::zz]:8002"}, "is not of the form http://host:port"),
        ({"target": ""}, "is not of the form http://host:port"),
        # A health path is a request path.
        ({"health_path": "healthz"}, "health path 'healthz' does not start with '/'"),
        ({"health_path": ""}, "health path '' does not start with '/'"),
        ({"health_path": "/health z"}, "has a space or a character outside printable ASCII"),
        ({"health_path": "/" + "h" * 1024}, "is longer than ALB's 1024"),
        # A target group's health check: all four settings, and possible ones.
        ({"health_check": {"interval_seconds": 5}}, "missing field 'timeout_seconds'"),
        (
            {"health_check": {**INVENTORY["health_check"], "path": "/x"}},
            "routes[0].health_check: unknown field 'path'",
        ),
        (
            {"health_check": {**INVENTORY["health_check"], "timeout_seconds": 6}},
            "routes[0].health_check: health check timeout must be positive and at most",
        ),
        (
            {"health_check": {**INVENTORY["health_check"], "healthy_threshold": 0}},
            "health check thresholds must be at least 1",
        ),
        (
            {"health_check": {**INVENTORY["health_check"], "interval_seconds": "5"}},
            'routes[0].health_check.interval_seconds: "5" is not a number',
        ),
        (
            {"health_check": {**INVENTORY["health_check"], "unhealthy_threshold": 2.5}},
            "routes[0].health_check.unhealthy_threshold: 2.5 is not an integer",
        ),
        ({"health_check": None}, "routes[0].health_check: null is not an object"),
    ],
)
def test_a_bad_route_is_refused_with_one_line(changes, message):
    assert message in _error(_document(**changes))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "the document: [] is not an object"),
        ({}, "the document: missing field 'routes'"),
        ({"routes": [], "listener": 80}, "the document: unknown field 'listener'"),
        ({"routes": {}}, "routes: {} is not a list"),
        ({"routes": ["orders"]}, 'routes[0]: "orders" is not an object'),
    ],
)
def test_a_bad_document_is_refused_with_one_line(document, message):
    assert message in _error(document)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "routes.json: not valid JSON: Expecting value: line 1 column 1"),
        ('{"routes": [}', "routes.json: not valid JSON: "),
        ('{"routes": [], "routes": []}', "routes.json: the key 'routes' appears twice"),
        ('{"routes": [{"priority": NaN}]}', "routes.json: NaN is not a JSON number"),
    ],
)
def test_text_that_is_not_json_is_refused_with_one_line(text, message):
    parsed = parse_routes(text, "routes.json")
    assert isinstance(parsed, RoutesFileError)
    assert message in str(parsed)
    assert "\n" not in str(parsed)


def test_a_missing_file_or_a_folder_is_refused(tmp_path):
    assert str(read_routes(tmp_path / "absent.json")) == (
        f"{tmp_path}/absent.json: no such routes file"
    )
    assert str(read_routes(tmp_path)).startswith(f"{tmp_path}: cannot be read: ")
    (tmp_path / "latin1.json").write_bytes(b'{"routes": ["\xe9"]}')
    assert str(read_routes(tmp_path / "latin1.json")).endswith(": not UTF-8 text")


def test_routes_equal_to_the_catalog_render_the_same_config(catalog, tmp_path):
    """What Terraform makes of the catalog, read back from a file, is what make run serves."""
    targets = {entry.name: [Target("127.0.0.1", entry.port)] for entry in catalog}
    del targets["payments"]  # a target group with nothing registered
    document = {
        "routes": [
            {
                "name": entry.name,
                "priority": entry.route.priority,
                "path_patterns": entry.route.path_patterns,
                "target": targets[entry.name][0].url if entry.name in targets else None,
                "health_path": entry.health_path,
            }
            for entry in reversed(catalog)
        ]
    }
    (tmp_path / "routes.json").write_text(json.dumps(document))
    from_file = read_routes(tmp_path / "routes.json")
    from_catalog = catalog_routes(catalog, targets)
    assert not isinstance(from_file, RoutesFileError), from_file
    assert sorted(from_file, key=lambda route: route.name) == from_catalog

    settings, run = GatewaySettings(), RunDirectory(tmp_path / "run")
    for names in [set(), {"inventory", "audit"}, set(targets)]:
        healthy = every_target(from_catalog, names)
        expected = render(from_catalog, healthy, settings, run)
        assert render(from_file, healthy, settings, run) == expected


def test_a_bad_file_exits_2_and_starts_nothing(tmp_path, capsys):
    routes = tmp_path / "routes.json"
    routes.write_text(json.dumps(_document(path_patterns=["orders"])))
    run = tmp_path / "run"

    status = main(["--routes", str(routes), "--run-dir", str(run), "--port", "1"])

    assert status == USAGE_ERROR
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"gateway: {routes}: routes[0]: path pattern 'orders' does not start with '/'"]
    assert not run.exists()


@pytest.mark.parametrize(
    "catalog_option", ["--target=orders=http://127.0.0.1:1", "--hosts-by-name"]
)
def test_routes_and_the_catalog_options_exclude_each_other(tmp_path, capsys, catalog_option):
    routes = tmp_path / "routes.json"
    routes.write_text(json.dumps(_document()))

    with pytest.raises(SystemExit) as exited:
        main(["--routes", str(routes), catalog_option, "--run-dir", str(tmp_path / "run")])

    assert exited.value.code == USAGE_ERROR
    error = capsys.readouterr().err.splitlines()[-1]
    assert error.endswith(
        "error: --routes cannot be combined with --target or --hosts-by-name: "
        "the routes file names every route's target"
    )
    assert not (tmp_path / "run").exists()
