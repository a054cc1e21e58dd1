"""The smoke test's logic with a scripted load balancer (tests/e2e runs it for real)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bazaar_common.catalog import discover
from bazaar_common.testing.clock import FakeClock
from bazaar_delivery import smoke
from bazaar_delivery.__main__ import main

REPOSITORY = Path(__file__).resolve().parents[3]
SERVICES = discover(REPOSITORY)
PROBLEM = json.dumps({"type": "about:blank", "title": "Not Found", "status": 404}).encode()


def healthy(url: str, timeout: float) -> smoke.Answer:
    path = url.removeprefix("https://api.test")
    if path.endswith("/openapi.json"):
        return smoke.Answer(200, "application/json", b'{"openapi": "3.1.0"}')
    if path.startswith("/inventory/products"):
        return smoke.Answer(200, "application/json", b'{"items": []}')
    if path == "/orders":
        return smoke.Answer(401, smoke.PROBLEM, PROBLEM)
    return smoke.Answer(404, smoke.PROBLEM, PROBLEM)


def test_a_healthy_system_passes_every_check() -> None:
    clock = FakeClock(now=0.0)
    lines = smoke.run(
        "https://api.test/", SERVICES, fetcher=healthy, sleep=clock.advance, clock=clock
    )
    assert len(lines) == len(smoke.checks(SERVICES))
    assert all(line.startswith("ok") for line in lines)
    assert clock.now == 0.0


def test_a_check_is_retried_while_targets_turn_healthy() -> None:
    clock = FakeClock(now=0.0)

    def warming_up(url: str, timeout: float) -> smoke.Answer:
        if url.endswith("/payments/openapi.json") and clock.now < 10:
            return smoke.Answer(503, smoke.PROBLEM, PROBLEM)
        return healthy(url, timeout)

    smoke.run("https://api.test", SERVICES, fetcher=warming_up, sleep=clock.advance, clock=clock)
    assert 10 <= clock.now <= 14


def test_a_check_still_failing_at_the_deadline_fails_the_smoke_and_says_which() -> None:
    clock = FakeClock(now=0.0)

    def orders_open_to_all(url: str, timeout: float) -> smoke.Answer:
        if url.endswith("/orders"):
            return smoke.Answer(200, "application/json", b'{"items": []}')
        return healthy(url, timeout)

    with pytest.raises(smoke.SmokeFailed) as failure:
        smoke.run(
            "https://api.test",
            SERVICES,
            within=30,
            fetcher=orders_open_to_all,
            sleep=clock.advance,
            clock=clock,
        )
    assert "FAIL orders refuse an anonymous caller (/orders): status 200, wanted 401" in str(
        failure.value
    )
    assert "ok   inventory is routed" in str(failure.value)
    assert clock.now >= 30


def test_an_answer_of_the_wrong_kind_fails() -> None:
    clock = FakeClock(now=0.0)

    def html_404(url: str, timeout: float) -> smoke.Answer:
        answer = healthy(url, timeout)
        return smoke.Answer(404, "text/html", b"<h1>404</h1>") if answer.status == 404 else answer

    with pytest.raises(smoke.SmokeFailed, match="content type text/html"):
        smoke.run(
            "https://api.test",
            SERVICES,
            within=0,
            fetcher=html_404,
            sleep=clock.advance,
            clock=clock,
        )


def test_no_answer_at_all_fails_with_the_reason() -> None:
    clock = FakeClock(now=0.0)

    def unreachable(url: str, timeout: float) -> smoke.Answer:
        raise ConnectionRefusedError("connection refused")

    with pytest.raises(smoke.SmokeFailed, match="no answer: connection refused"):
        smoke.run(
            "https://api.test",
            SERVICES,
            within=0,
            fetcher=unreachable,
            sleep=clock.advance,
            clock=clock,
        )


@pytest.mark.parametrize(
    "url", ["api.dev.example.com", "ftp://api.example.com", "file:///etc/passwd"]
)
def test_the_cli_refuses_what_is_not_an_http_url(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--root", str(REPOSITORY), "smoke", url])
    assert exit_.value.code == 2
    assert "not an http(s) URL" in capsys.readouterr().err


def test_the_cli_reports_a_failed_smoke_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    # Port 9 (discard) on loopback: nothing listens, every check fails at once.
    assert main(["--root", str(REPOSITORY), "smoke", "http://127.0.0.1:9", "--within", "0"]) == 1
    assert "the smoke test failed" in capsys.readouterr().err
