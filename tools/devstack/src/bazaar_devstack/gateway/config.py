"""nginx's configuration, rendered from the routes (listener rules, targets) and their health.

One regex ``location`` per listener rule, written in the rule's priority
order: nginx tries regex locations in the order they appear and takes the
first match, as an ALB evaluates its rules by priority. The regexes are
translated from the rules' ALB path patterns: for the catalog, the list
Terraform turns into listener rules, so the two cannot drift.

A route's upstream lists its healthy targets only; with a rate limit
(:mod:`.rate_limit`), every request is counted per client address before
it is proxied, as the WAF in front of the ALB counts it.

Where it knowingly differs from an ALB: a reply with no HTTP status line at
all is relayed as HTTP/0.9 (nginx's rule; a malformed header, a reset or a
close before the head does give 502), nginx 1.22 lets a non-numeric
Content-Length from a target through, the trace id's time field is random
(see ``_trace_id_maps``), WebSocket upgrades are not proxied, responses the
gateway makes itself say ``Server: nginx`` rather than ``awselb/2.0``, an
unhealthy target group answers 503 instead of failing open, a connection a
target refuses is tried on the route's next target (see
``_proxy_defaults``), and the gateway's own 404 and 503 are not counted by
the rate limit (nginx's ``return`` runs before ``limit_req``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bazaar_devstack.gateway import problems
from bazaar_devstack.gateway.problems import Problem
from bazaar_devstack.gateway.rate_limit import RateLimit
from bazaar_devstack.gateway.routes import Route, RouteTarget, by_priority
from bazaar_devstack.gateway.settings import GatewaySettings, Target

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Below any target's keep-alive (the services keep theirs KEEP_ALIVE_SECONDS,
# 75 s; uvicorn's own default is 5 s): nginx drops an idle connection to a
# target before the target does, so a POST never meets a half-closed socket.
UPSTREAM_KEEPALIVE_SECONDS = 4
UPSTREAM_KEEPALIVE_CONNECTIONS = 32
RATE_LIMIT_ZONE = "bazaar_per_client"
# limit_req's shared memory: 1 MB holds about 16,000 client addresses.
RATE_LIMIT_ZONE_SIZE = "1m"
# nginx's internal 494 (a header too large) reaches the client as a 400.
_ERROR_PAGE_CODES = {400: [400, 494]}


@dataclass(frozen=True)
class RunDirectory:
    """Where nginx keeps its pid, logs and (unused) temp files: one folder we own."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "nginx.conf"

    @property
    def pid(self) -> Path:
        return self.root / "nginx.pid"

    @property
    def error_log(self) -> Path:
        return self.root / "error.log"

    @property
    def output_log(self) -> Path:
        """nginx's own stdout and stderr, for what it says before its error log opens."""
        return self.root / "nginx.out"

    @property
    def access_log(self) -> Path:
        return self.root / "access.log"

    @property
    def temp(self) -> Path:
        return self.root / "temp"


def alb_pattern_regex(patterns: Sequence[str]) -> str:
    """ALB path patterns (``*`` any run of characters, ``?`` one) as one anchored PCRE.

    Case-sensitive, like ALB's. ``(?s)`` and ``\\z``: a decoded ``%0A`` is
    a character like any other, not a line end.
    """
    alternatives = [
        "".join(
            ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
        )
        for pattern in patterns
    ]
    return "(?s)^(?:" + "|".join(alternatives) + r")\z"


def render(
    routes: Sequence[Route],
    healthy: Collection[RouteTarget],
    settings: GatewaySettings,
    run_directory: RunDirectory,
) -> str:
    """The whole nginx.conf: each route to its ``healthy`` targets, 503 if it has none."""
    ordered = by_priority(routes)
    serving = {route.name: _serving(route, healthy) for route in ordered}
    http = [
        _http_defaults(settings, run_directory),
        _trace_id_maps(),
        *([_rate_limit_zone(settings.rate_limit)] if settings.rate_limit else []),
        *(_upstream(name, targets) for name, targets in serving.items() if targets),
        _server(ordered, serving, settings),
    ]
    body = "\n\n".join(_indent(section) for section in http)
    return f"{_main(settings, run_directory)}\n\nhttp {{\n{body}\n}}\n"


def _main(settings: GatewaySettings, run: RunDirectory) -> str:
    # No `user`: as root, nginx's workers drop to its built-in unprivileged
    # user; as anyone else, they stay that user. Workers touch no file (the
    # master opens the logs; bodies and responses stay in memory), so the
    # run directory may be private to the one who started the gateway.
    return "\n".join(
        [
            "# Rendered by bazaar_devstack.gateway from its routes: do not edit.",
            "daemon off;",
            "master_process on;",
            f"worker_processes {settings.worker_processes};",
            f"pid {run.pid};",
            f"error_log {run.error_log} warn;",
            "events {",
            "    worker_connections 1024;",
            "}",
        ]
    )


def _http_defaults(settings: GatewaySettings, run: RunDirectory) -> str:
    idle = _seconds(settings.idle_timeout_seconds)
    temp = [
        f"{kind}_temp_path {run.temp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    ]
    access = f"access_log {run.access_log} gateway;" if settings.access_log else "access_log off;"
    return "\n".join(
        [
            "server_tokens off;",
            *temp,
            _ACCESS_LOG_FORMAT,
            access,
            # Bodies up to the limit stay in memory: no temp file, no disk I/O.
            f"client_max_body_size {settings.max_body_bytes};",
            f"client_body_buffer_size {settings.max_body_bytes};",
            "proxy_max_temp_file_size 0;",
            # ALB's limits: 16 KiB for the request line and for one header.
            "large_client_header_buffers 4 16k;",
            # ALB forwards header names with underscores; nginx drops them by default.
            "underscores_in_headers on;",
            f"keepalive_timeout {idle};",
            "keepalive_requests 100000;",
        ]
    )


_ACCESS_LOG_FORMAT = (
    "log_format gateway escape=json '{"
    '"time":"$time_iso8601","request_id":"$request_id","client":"$remote_addr",'
    '"method":"$request_method","uri":"$request_uri","status":$status,'
    '"bytes":$body_bytes_sent,"duration":$request_time,"target":"$upstream_addr",'
    '"target_status":"$upstream_status","target_duration":"$upstream_response_time",'
    '"trace":"$bazaar_amzn_trace_id"'
    "}';"
)


def _trace_id_maps() -> str:
    # ALB's trace id is Root=1-<epoch seconds, 8 hex>-<24 hex>. nginx cannot
    # do arithmetic without njs or perl, so both parts come from its random
    # 32-hex $request_id: well-formed and unique, but the first part is not
    # the time. As ALB does, a Root the client sent is kept and a Self field
    # for this hop is put in front (replacing a leading Self from the client).
    return "\n".join(
        [
            "map $request_id $bazaar_trace_root {",
            '    "~^(?<bazaar_trace_time>[0-9a-f]{8})(?<bazaar_trace_rest>[0-9a-f]{24})$"'
            ' "1-$bazaar_trace_time-$bazaar_trace_rest";',
            "}",
            "map $http_x_amzn_trace_id $bazaar_amzn_trace_id {",
            '    "~^(?:Self=[^;]*;)?(?<bazaar_trace_client>(?:[^;]*;)*Root=1-[0-9a-fA-F]{8}-'
            '[0-9a-fA-F]{24}(?:;.*)?)$" "Self=$bazaar_trace_root;$bazaar_trace_client";',
            '    default "Root=$bazaar_trace_root";',
            "}",
        ]
    )


def _rate_limit_zone(limit: RateLimit) -> str:
    # The bucket drains requests / window per second, in nginx's unit of
    # whole requests per minute, rounded up: never stricter than WAF.
    per_minute = math.ceil(limit.requests * 60 / limit.window_seconds)
    # An exempt client's key is empty, and limit_req counts no empty key.
    return "\n".join(
        [
            "geo $bazaar_rate_limit_exempt {",
            "    default 0;",
            *(f"    {network} 1;" for network in limit.exempt),
            "}",
            "map $bazaar_rate_limit_exempt $bazaar_rate_limit_key {",
            '    1 "";',
            "    default $binary_remote_addr;",
            "}",
            f"limit_req_zone $bazaar_rate_limit_key zone={RATE_LIMIT_ZONE}:{RATE_LIMIT_ZONE_SIZE} "
            f"rate={per_minute}r/m;",
        ]
    )


def _rate_limit(limit: RateLimit) -> str:
    return "\n".join(
        [
            # burst counts the requests beyond the first: requests in all, at once.
            f"limit_req zone={RATE_LIMIT_ZONE} burst={limit.requests - 1} nodelay;",
            "limit_req_status 429;",
            # A refusal is the client's doing, not the gateway's error.
            "limit_req_log_level info;",
        ]
    )


def _upstream_name(route_name: str) -> str:
    return "target_" + route_name.replace("-", "_")


def _serving(route: Route, healthy: Collection[RouteTarget]) -> list[Target]:
    """The route's targets nginx sends to: the healthy ones, in the route's order."""
    return [member.target for member in route.registered if member in healthy]


def _upstream(route_name: str, targets: Sequence[Target]) -> str:
    # max_fails=0: the health checker, not nginx's passive checks, decides
    # health. Requests go round robin to the targets, as an ALB's do. A host
    # name is resolved here, once per (re)load, to all its addresses, and
    # nginx balances across them.
    return "\n".join(
        [
            f"upstream {_upstream_name(route_name)} {{",
            *(f"    server {target.address} max_fails=0;" for target in targets),
            f"    keepalive {UPSTREAM_KEEPALIVE_CONNECTIONS};",
            f"    keepalive_timeout {UPSTREAM_KEEPALIVE_SECONDS}s;",
            "}",
        ]
    )


def _server(
    ordered: Sequence[Route], serving: Mapping[str, Sequence[Target]], settings: GatewaySettings
) -> str:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    limit = settings.rate_limit
    raised = [
        *problems.nginx_refusals(settings.max_body_bytes),
        problems.bad_gateway(),
        problems.gateway_timeout(),
        *([problems.too_many_requests(limit)] if limit else []),
    ]
    lines = [
        "server {",
        f"    listen {host}:{settings.port} default_server;",
        "    server_name _;",
        _indent(_proxy_defaults(settings)),
        *([_indent(_rate_limit(limit))] if limit else []),
        *(
            f"    error_page {' '.join(map(str, _ERROR_PAGE_CODES.get(p.status, [p.status])))}"
            f" @problem_{p.status};"
            for p in raised
        ),
    ]
    for route in ordered:
        regex = _quoted(alb_pattern_regex(route.path_patterns))
        lines.append(f"    location ~ {regex} {{  # {route.name}, priority {route.priority}")
        if not route.targets:
            lines.append(_indent(_fixed(problems.no_registered_target(route.name)), 2))
        elif not serving[route.name]:
            lines.append(_indent(_fixed(problems.no_healthy_target(route.name)), 2))
        else:
            lines.append(f"        proxy_pass http://{_upstream_name(route.name)};")
        lines.append("    }")
    if settings.web:
        lines.append(_indent(settings.web.locations()))
    else:
        lines += [
            "    location / {  # ALB's default action: a fixed response",
            _indent(_fixed(problems.unmatched_path()), 2),
            "    }",
        ]
    for problem in raised:
        lines += [
            f"    location @problem_{problem.status} {{",
            _indent(_fixed(problem), 2),
            "    }",
        ]
    lines.append("}")
    return "\n".join(lines)


def _proxy_defaults(settings: GatewaySettings) -> str:
    return "\n".join(
        [
            # Keep-alive to targets: HTTP/1.1 and no `Connection: close` from the client.
            "proxy_http_version 1.1;",
            'proxy_set_header Connection "";',
            "proxy_set_header Host $http_host;",
            "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "proxy_set_header X-Forwarded-Proto $scheme;",
            "proxy_set_header X-Forwarded-Port $server_port;",
            "proxy_set_header X-Amzn-Trace-Id $bazaar_amzn_trace_id;",
            # As an ALB: the target's Server header and Location pass unchanged.
            "proxy_pass_header Server;",
            "proxy_redirect off;",
            f"proxy_connect_timeout {_seconds(settings.connect_timeout_seconds)};",
            f"proxy_send_timeout {_seconds(settings.idle_timeout_seconds)};",
            f"proxy_read_timeout {_seconds(settings.idle_timeout_seconds)};",
            # A target that refuses or drops the connection (stopping, or
            # stopped before its health check noticed): the request goes to
            # the route's next healthy target. Never a POST or PATCH already
            # sent (nginx's default leaves out non_idempotent), and only
            # within the connect timeout, so a slow answer is a 504, not a
            # second try elsewhere. An ALB would answer 502 instead.
            "proxy_next_upstream error timeout;",
            f"proxy_next_upstream_timeout {_seconds(settings.connect_timeout_seconds)};",
            "proxy_buffer_size 16k;",
            "proxy_buffers 8 16k;",
        ]
    )


def _fixed(problem: Problem) -> str:
    """A gateway-made problem response, with the request id in header and body as a service's."""
    lines = [
        f"default_type {PROBLEM_CONTENT_TYPE};",
        "add_header X-Request-ID $request_id always;",
    ]
    if problem.retry_after_seconds is not None:
        lines.append(f"add_header Retry-After {problem.retry_after_seconds} always;")
    lines.append(f"return {problem.status} '{problem.body()}';")
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """An nginx double-quoted string: ALB lets a path pattern contain '"'."""
    return '"' + text.replace('"', '\\"') + '"'


def _seconds(value: float) -> str:
    """nginx time: whole milliseconds, so a test's 0.5 s timeout is exact."""
    return f"{max(1, round(value * 1000))}ms"


def _indent(text: str, levels: int = 1) -> str:
    prefix = "    " * levels
    return "\n".join(prefix + line if line else line for line in text.splitlines())
