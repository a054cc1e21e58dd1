"""The per-client limit: read from the file the WAF's rule is made from, rendered as limit_req."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from bazaar_devstack.gateway.__main__ import _arguments, _rate_limit
from bazaar_devstack.gateway.config import RunDirectory, render
from bazaar_devstack.gateway.nginx import find_nginx
from bazaar_devstack.gateway.rate_limit import RATE_LIMIT_FILE, RateLimit, read_rate_limit
from bazaar_devstack.gateway.routes import Route
from bazaar_devstack.gateway.settings import GatewaySettings, Target

from .conftest import REPOSITORY_ROOT

ROUTE = Route("orders", 1, ("/orders",), (Target("127.0.0.1", 9),), "/")


def _rendered(limit: RateLimit | None, tmp_path) -> str:
    settings = GatewaySettings(rate_limit=limit)
    return render([ROUTE], set(ROUTE.registered), settings, RunDirectory(tmp_path))


def test_the_limit_is_the_one_terraform_gives_the_waf():
    document = json.loads((REPOSITORY_ROOT / RATE_LIMIT_FILE).read_text())

    limit = read_rate_limit(REPOSITORY_ROOT)

    assert limit == RateLimit(
        document["requests_per_ip"], document["window_seconds"], document["retry_after_seconds"]
    )
    # The alb module's WAF rule reads the very same file.
    waf = (REPOSITORY_ROOT / "infra/terraform/modules/alb/waf.tf").read_text()
    assert 'jsondecode(file("${path.module}/rate_limit.json"))' in waf
    assert "evaluation_window_sec = local.rate_limit.window_seconds" in waf


def test_the_command_reads_the_file_and_takes_overrides_and_exemptions():
    assert _rate_limit(_arguments(["--root", str(REPOSITORY_ROOT)])) == read_rate_limit(
        REPOSITORY_ROOT
    )

    arguments = _arguments(
        [
            f"--root={REPOSITORY_ROOT}",
            "--rate-limit=20",
            "--rate-limit-exempt=127.0.0.2/32",
            "--rate-limit-exempt=10.1.0.0/16",
        ]
    )
    limit = _rate_limit(arguments)

    assert limit.requests == 20
    assert [str(network) for network in limit.exempt] == ["127.0.0.2/32", "10.1.0.0/16"]


def test_a_missing_or_wrong_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match=r"no infra/terraform/modules/alb/rate_limit\.json under"):
        read_rate_limit(tmp_path)
    path = tmp_path / RATE_LIMIT_FILE
    path.parent.mkdir(parents=True)
    path.write_text('{"requests_per_ip": 2000}')
    with pytest.raises(ValueError, match="its fields must be exactly"):
        read_rate_limit(tmp_path)
    fields = {"description": "", "window_seconds": 300, "retry_after_seconds": 30}
    path.write_text(json.dumps({**fields, "requests_per_ip": "2000"}))
    with pytest.raises(ValueError, match="must be integers"):
        read_rate_limit(tmp_path)
    path.write_text(json.dumps({**fields, "requests_per_ip": 5}))
    with pytest.raises(ValueError, match="outside WAF's 10 to"):
        read_rate_limit(tmp_path)


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ((9, 300, 30), "outside WAF's 10 to"),
        ((100, 30, 30), "none of WAF's"),
        # A slot drains every 300 / 10 = 30 s: Retry-After 29 would send the client back too soon.
        ((10, 300, 29), "shorter than the 30 s"),
    ],
)
def test_a_limit_waf_would_not_have_is_refused(limit, message):
    with pytest.raises(ValueError, match=message):
        RateLimit(*limit)


def test_an_exemption_must_be_an_address_or_cidr():
    limit = RateLimit(2000, 300, 30)
    assert [str(n) for n in limit.with_exempt(["127.0.0.2", "::1"]).exempt] == [
        "127.0.0.2/32",
        "::1/128",
    ]
    with pytest.raises(ValueError, match=r"'10\.0\.0\.1/8' is not an address or CIDR"):
        limit.with_exempt(["10.0.0.1/8"])


def test_no_limit_renders_no_limit(tmp_path):
    assert "limit_req" not in _rendered(None, tmp_path)
    assert "429" not in _rendered(None, tmp_path)


def test_the_waf_rule_as_a_leaky_bucket(tmp_path):
    text = _rendered(RateLimit(2000, 300, 30), tmp_path)

    # 2000 per 300 s drains at 400 per minute; 2000 may come at once (the
    # first, and 1999 more in the burst), and excess gets 429 at once.
    assert "limit_req_zone $bazaar_rate_limit_key zone=bazaar_per_client:1m rate=400r/m;" in text
    assert "limit_req zone=bazaar_per_client burst=1999 nodelay;" in text
    assert "limit_req_status 429;" in text
    assert "map $bazaar_rate_limit_exempt $bazaar_rate_limit_key {" in text
    # Server-wide, before any location: every routed request is counted.
    assert text.index("limit_req zone=") < text.index("location ")


def test_a_rate_that_is_no_whole_number_per_minute_is_rounded_up(tmp_path):
    # 12 per 300 s is 2.4 per minute: the gateway is never stricter than WAF.
    assert "rate=3r/m;" in _rendered(RateLimit(12, 300, 30), tmp_path)


def test_exempt_clients_get_an_empty_key_which_is_never_limited(tmp_path):
    limit = RateLimit(2000, 300, 30).with_exempt(["127.0.0.2/32", "2001:db8::/32"])

    text = _rendered(limit, tmp_path)

    geo = re.search(r"geo \$bazaar_rate_limit_exempt \{\n(.*?)\n    \}", text, re.S)
    assert geo
    assert geo.group(1).split("\n") == [
        "        default 0;",
        "        127.0.0.2/32 1;",
        "        2001:db8::/32 1;",
    ]
    assert '        1 "";' in text
    assert "        default $binary_remote_addr;" in text


def test_429_is_a_problem_with_retry_after(tmp_path):
    text = _rendered(RateLimit(2000, 300, 30), tmp_path)

    assert "error_page 429 @problem_429;" in text
    location = re.search(r"location @problem_429 \{.*?\n    \}", text, re.S)
    assert location
    assert "add_header Retry-After 30 always;" in location.group(0)
    assert "default_type application/problem+json;" in location.group(0)
    assert (
        '"type":"https://bazaar.dev/problems/too-many-requests","title":"Too Many Requests",'
        '"status":429,"detail":"More than 2000 requests from this address in 300 seconds."'
    ) in location.group(0)


def test_nginx_accepts_the_rate_limited_config(tmp_path):
    run = RunDirectory(tmp_path)
    run.temp.mkdir()
    limit = RateLimit(2000, 300, 30).with_exempt(["127.0.0.2/32", "::1"])
    run.config.write_text(_rendered(limit, tmp_path))
    command = [find_nginx(), "-t", "-q", "-p", str(tmp_path), "-c", str(run.config)]
    checked = subprocess.run([*command, "-e", str(run.error_log)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr.decode()
