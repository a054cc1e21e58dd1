"""The rendered nginx.conf: what it must say, checked by reading it (and by nginx -t)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from bazaar_devstack.gateway.config import RunDirectory, alb_pattern_regex, render
from bazaar_devstack.gateway.nginx import find_nginx
from bazaar_devstack.gateway.routes import RouteTarget, catalog_routes
from bazaar_devstack.gateway.settings import GatewaySettings, Target

from .conftest import every_target

TARGETS = {
    "inventory": [Target.parse("http://127.0.0.1:8001")],
    "orders": [Target.parse("http://127.0.0.1:8002")],
    "audit": [Target.parse("http://127.0.0.1:8004")],
}


@pytest.fixture
def rendered(catalog, tmp_path) -> str:
    settings = GatewaySettings(port=8080, idle_timeout_seconds=1.5, max_body_bytes=65_536)
    routes = catalog_routes(catalog, TARGETS)
    return render(
        routes, every_target(routes, {"inventory", "audit"}), settings, RunDirectory(tmp_path)
    )


def _as_python(regex: str) -> re.Pattern[str]:
    # PCRE's \z is Python's \Z (the very end, never before a final newline).
    return re.compile(regex.replace(r"\z", r"\Z"))


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("/inventory", True),
        ("/inventory/", True),
        ("/inventory/products/a/b", True),
        ("/inventory/\n", True),
        ("/inventoryx", False),
        ("/inventory\n", False),
        ("/Inventory", False),
        ("/x/inventory", False),
    ],
)
def test_alb_patterns_translate_to_an_anchored_regex(path, matches):
    regex = _as_python(alb_pattern_regex(["/inventory", "/inventory/*"]))
    assert bool(regex.match(path)) is matches


def test_alb_wildcards_and_literals():
    regex = _as_python(alb_pattern_regex(["/a?c.d"]))
    assert regex.match("/abc.d")
    assert not regex.match("/abcxd")


def test_one_location_per_rule_in_priority_order(rendered, catalog):
    comments = re.findall(r'location ~ "[^"]+" \{  # ([a-z-]+), priority (\d+)', rendered)
    priorities = [int(priority) for _, priority in comments]
    assert [name for name, _ in comments] == [
        entry.name for entry in sorted(catalog, key=lambda entry: entry.route.priority)
    ]
    assert priorities == sorted(priorities)


def _location(rendered: str, service: str) -> str:
    match = re.search(rf'location ~ "[^"]+" \{{  # {service},.*?\n {{8}}\}}', rendered, re.S)
    assert match, service
    return match.group(0)


def test_healthy_services_proxy_and_others_answer_503(rendered):
    assert "proxy_pass http://target_inventory;" in _location(rendered, "inventory")
    assert "proxy_pass http://target_audit;" in _location(rendered, "audit")
    orders = _location(rendered, "orders")
    assert "proxy_pass " not in orders
    assert "return 503" in orders
    assert "orders has no healthy target." in orders
    assert "payments has no target." in _location(rendered, "payments")
    # No upstream for a service nginx does not proxy to.
    assert re.findall(r"upstream (\w+) \{", rendered) == ["target_inventory", "target_audit"]


def test_upstreams_keep_connections_alive(rendered):
    assert "server 127.0.0.1:8001 max_fails=0;" in rendered
    assert "keepalive 32;" in rendered
    assert "proxy_http_version 1.1;" in rendered
    assert 'proxy_set_header Connection "";' in rendered


def test_alb_headers_timeouts_and_limits(rendered, tmp_path):
    for line in [
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-Port $server_port;",
        "proxy_set_header X-Amzn-Trace-Id $bazaar_amzn_trace_id;",
        "proxy_read_timeout 1500ms;",
        "client_max_body_size 65536;",
        "server_tokens off;",
        "daemon off;",
        "access_log off;",
        f"pid {tmp_path}/nginx.pid;",
        f"error_log {tmp_path}/error.log warn;",
        "listen 127.0.0.1:8080 default_server;",
        "error_page 502 @problem_502;",
        "error_page 504 @problem_504;",
    ]:
        assert line in rendered, line
    # Workers drop to nginx's own unprivileged user as root; never set one.
    assert not re.search(r"^\s*user\s", rendered, re.M)


def test_unmatched_paths_get_a_fixed_problem(rendered):
    default = re.search(r"location / \{.*?\n {8}\}", rendered, re.S)
    assert default
    assert "default_type application/problem+json;" in default.group(0)
    assert '"type":"https://bazaar.dev/problems/not-found"' in default.group(0)
    assert "return 404" in default.group(0)


def test_nginx_accepts_the_rendered_config(rendered, tmp_path):
    run = RunDirectory(tmp_path)
    run.temp.mkdir()
    run.config.write_text(rendered)
    command = [find_nginx(), "-t", "-q", "-p", str(tmp_path), "-c", str(run.config)]
    checked = subprocess.run([*command, "-e", str(run.error_log)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr.decode()


@pytest.mark.parametrize(
    "url", ["https://127.0.0.1:1", "http://127.0.0.1", "http://127.0.0.1:8001/x", "127.0.0.1:80"]
)
def test_a_target_is_plain_http_host_and_port(url):
    with pytest.raises(ValueError, match="target"):
        Target.parse(url)


def test_the_run_directory_may_be_anywhere(catalog):
    routes = catalog_routes(catalog, {})
    text = render(routes, set(), GatewaySettings(), RunDirectory(Path("/srv/gw")))
    assert "client_body_temp_path /srv/gw/temp/client_body;" in text
    assert "proxy_pass " not in text


def test_a_route_proxies_to_its_healthy_targets_only(catalog, tmp_path):
    three = [Target("127.0.0.1", port) for port in (9001, 9002, 9003)]
    routes = catalog_routes(catalog, {"inventory": three})
    healthy = {RouteTarget("inventory", three[0]), RouteTarget("inventory", three[2])}

    text = render(routes, healthy, GatewaySettings(), RunDirectory(tmp_path))

    upstream = re.search(r"upstream target_inventory \{\n(.*?)\n    \}", text, re.S)
    assert upstream
    assert re.findall(r"server (\S+) max_fails=0;", upstream.group(1)) == [
        "127.0.0.1:9001",
        "127.0.0.1:9003",
    ]
    assert "proxy_pass http://target_inventory;" in _location(text, "inventory")


def test_a_route_with_no_healthy_target_of_several_answers_503(catalog, tmp_path):
    two = [Target("127.0.0.1", port) for port in (9001, 9002)]
    routes = catalog_routes(catalog, {"inventory": two})

    text = render(routes, set(), GatewaySettings(), RunDirectory(tmp_path))

    assert not re.search(r"^\s*upstream ", text, re.M)
    assert "inventory has no healthy target." in _location(text, "inventory")


def test_a_refused_connection_moves_on_to_the_next_target_but_a_sent_post_does_not(rendered):
    # nginx's default leaves non_idempotent out: a POST already sent is never retried.
    assert "proxy_next_upstream error timeout;" in rendered
    assert "non_idempotent" not in rendered
    # Only within the connect timeout (10 s): a slow answer is not tried twice.
    assert "proxy_next_upstream_timeout 10000ms;" in rendered
