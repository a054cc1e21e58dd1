"""The load test's judgement on locust's statistics, with CSV files shaped like locust's.

Locust itself, the locustfile and a real system run in tests/load (make
test-load); here locust is a fake that writes what locust 2.47 writes.
"""

from __future__ import annotations

import ast
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from bazaar_common.testing.clock import FakeClock
from bazaar_delivery import load
from bazaar_delivery.__main__ import main

REPOSITORY = Path(__file__).resolve().parents[3]
HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)
STATS = f"""{HEADER}
GET,/inventory/products?limit=20,400,0,12,15.2,4.1,180.3,5120.0,13.3,0.0,12,14,16,18,25,40,70,95,170,180,180
POST,/orders,100,0,45,52.8,20.5,410.9,610.0,3.3,0.0,45,50,55,60,80,120,200,260,410,410,410
GET,"/orders/{{id}} (poll)",0,0,0,0.0,0,0,0.0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
,Aggregated,500,0,14,22.7,4.1,410.9,4218.0,16.6,0.0,14,17,20,25,40,60,110,150,300,410,410
"""
FAILURES = """Method,Name,Error,Occurrences,First Seen,Last Seen
POST,/orders,"status 503, wanted 201: inventory-unavailable",3,2026-12-01T10:00:01Z,\
2026-12-01T10:00:09Z
"""
SETTINGS = load.Settings(
    users=8, spawn_rate=4, seconds=30, p95_ms=100, p99_ms=200, drain_seconds=10
)


def stats(p95: int = 60, p99: int = 150, failures: int = 0) -> load.Stats:
    return load.parse_stats(
        STATS.replace(
            ",Aggregated,500,0,14,22.7,4.1,410.9,4218.0,16.6,0.0,14,17,20,25,40,60,110,150,",
            f",Aggregated,500,{failures},14,22.7,4.1,410.9,4218.0,16.6,0.0,14,17,20,25,40,"
            f"{p95},110,{p99},",
        )
    )


def orders(*lines: str, customers: int = 2) -> load.Orders:
    return load.Orders.parse("\n".join(lines), customers)


SETTLED = orders("0 o-1", "0 o-1 CONFIRMED", "1 o-2", "1 o-2 CANCELLED")


def test_the_statistics_have_a_row_per_name_and_the_aggregate() -> None:
    parsed = load.parse_stats(STATS)
    assert [(row.method, row.name) for row in parsed.rows] == [
        ("GET", "/inventory/products?limit=20"),
        ("POST", "/orders"),
        ("GET", "/orders/{id} (poll)"),
    ]
    orders_row = parsed.rows[1]
    assert (orders_row.requests, orders_row.p50_ms, orders_row.p95_ms, orders_row.p99_ms) == (
        100,
        45,
        120,
        260,
    )
    assert parsed.rows[2].p95_ms is None, "N/A: a name without a request"
    assert parsed.total.requests == 500
    assert parsed.total.rps == pytest.approx(16.6)
    assert (parsed.total.p95_ms, parsed.total.p99_ms) == (60, 150)
    assert parsed.error_rate == 0


def test_what_is_not_locusts_statistics_is_refused() -> None:
    with pytest.raises(load.LoadTestError, match="no columns"):
        load.parse_stats("name,count\na,1\n")
    with pytest.raises(load.LoadTestError, match="no Aggregated row"):
        load.parse_stats(STATS.rsplit("\n,Aggregated", 1)[0])


def test_failures_are_read_with_their_counts() -> None:
    (failure,) = load.parse_failures(FAILURES)
    assert failure == load.Failure(
        "POST", "/orders", "status 503, wanted 201: inventory-unavailable", 3
    )


def test_a_run_within_every_bound_passes() -> None:
    assert load.judge(stats(p95=100, p99=200), SETTINGS, SETTLED, {}, 0) == []


@pytest.mark.parametrize(
    ("measured", "why"),
    [
        ({"failures": 1}, "1 of 500 requests failed (error rate 0.20%, allowed 0)"),
        ({"p95": 101}, "aggregated p95 101 ms is over 100 ms"),
        ({"p99": 250}, "aggregated p99 250 ms is over 200 ms"),
    ],
)
def test_a_failed_request_or_a_slow_percentile_fails_the_run(
    measured: dict[str, int], why: str
) -> None:
    exit_code = 1 if measured.get("failures") else 0
    assert load.judge(stats(**measured), SETTINGS, SETTLED, {}, exit_code) == [why]


def test_a_stuck_order_fails_the_run() -> None:
    reasons = load.judge(stats(), SETTINGS, SETTLED, {"o-2": "PENDING"}, 0)
    assert reasons == ["1 of 2 orders not CONFIRMED or CANCELLED 10 s after the load stopped"]


def test_a_run_that_placed_no_order_or_made_no_request_fails() -> None:
    assert load.judge(stats(), SETTINGS, orders(), {}, 0) == [
        "no order was placed (is there a catalog with stock?)"
    ]
    empty = load.parse_stats(f"{HEADER}\n,Aggregated,0,0,0,0,0,0,0,0,0" + ",N/A" * 11 + "\n")
    assert "no request was made" in load.judge(empty, SETTINGS, SETTLED, {}, 0)


def test_locust_exiting_1_without_a_failed_request_is_an_error_of_the_locustfile() -> None:
    assert load.judge(stats(), SETTINGS, SETTLED, {}, 1) == ["locust exited 1 (its log says why)"]


def test_orders_remember_the_token_that_placed_them_and_their_last_status() -> None:
    found = orders("1 o-1", "0 o-2", "1 o-1 CONFIRMED", "")
    assert found.placed == {"o-1": 1, "o-2": 0}
    assert found.unsettled() == ["o-2"]
    assert found.count("CONFIRMED") == 1
    for bad in ("o-1", "2 o-1", "x o-1", "0 o-1 CONFIRMED extra"):
        with pytest.raises(load.LoadTestError, match="line 1"):
            orders(bad)


TOKENS = load.Tokens(customers=("token-a", "token-b"), admin="token-admin")


def test_the_drain_polls_each_unsettled_order_with_its_own_token_until_it_settles() -> None:
    clock = FakeClock(now=0.0)
    polled: list[tuple[str, str]] = []

    def api(url: str, token: str, timeout: float) -> tuple[int, Any]:
        polled.append((url, token))
        status = "CONFIRMED" if clock.now >= 2 else "PENDING"
        return 200, {"id": url.rsplit("/", 1)[1], "status": status}

    found = orders("0 o-1", "1 o-2", "1 o-3 CANCELLED")
    stuck = load.drain(
        "https://api.test/", TOKENS, found, within=10, fetch=api, sleep=clock.advance, clock=clock
    )
    assert stuck == {}
    assert found.count("CONFIRMED") == 2
    assert ("https://api.test/orders/o-1", "token-a") in polled
    assert ("https://api.test/orders/o-2", "token-b") in polled
    assert not [url for url, _ in polled if url.endswith("o-3")], "o-3 was seen settled"
    assert 2 <= clock.now <= 3


def test_an_order_still_pending_at_the_deadline_is_stuck_and_says_why() -> None:
    clock = FakeClock(now=0.0)

    def api(url: str, token: str, timeout: float) -> tuple[int, Any]:
        if url.endswith("o-2"):
            return 503, {"type": "https://bazaar.dev/problems/database-unavailable"}
        return 200, {"status": "PENDING"}

    stuck = load.drain(
        "https://api.test",
        TOKENS,
        orders("0 o-1", "1 o-2"),
        within=5,
        fetch=api,
        sleep=clock.advance,
        clock=clock,
    )
    assert stuck["o-1"] == "PENDING"
    assert stuck["o-2"].startswith("status 503")
    assert clock.now >= 5


def test_a_profile_gives_the_settings_and_a_flag_wins(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        "[here]\nusers = 4\nspawn_rate = 2\nseconds = 10\np95_ms = 300\np99_ms = 600\n"
        "drain_seconds = 20\n",
        encoding="utf-8",
    )
    settings = load.Settings.resolve(profiles, "here", {"p99_ms": 900, "users": None})
    assert settings == load.Settings(
        users=4, spawn_rate=2.0, seconds=10, p95_ms=300, p99_ms=900, drain_seconds=20
    )
    with pytest.raises(load.LoadTestError, match=r"no profile 'there'.*known: here"):
        load.Settings.resolve(profiles, "there", {})
    with pytest.raises(load.LoadTestError, match="--users, --spawn-rate"):
        load.Settings.resolve(profiles, None, {"seconds": 5})
    with pytest.raises(load.LoadTestError, match="seconds must be a whole number"):
        load.Settings.resolve(profiles, "here", {"seconds": 2.5})
    with pytest.raises(load.LoadTestError, match="users must be at least 2"):
        load.Settings.resolve(profiles, "here", {"users": 1})


@pytest.mark.parametrize("name", ["local", "staging"])
def test_the_repository_profiles_are_complete(name: str) -> None:
    settings = load.Settings.resolve(REPOSITORY / "tests" / "load" / "profiles.toml", name, {})
    assert settings.p95_ms < settings.p99_ms


def test_the_locustfile_imports_only_locust_and_the_standard_library() -> None:
    # It runs in locust's own tool environment (uvx), where nothing else is.
    path = REPOSITORY / "tests" / "load" / "locustfile.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    modules |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    tops = {module.split(".")[0] for module in modules}
    assert tops - set(sys.stdlib_module_names) - {"__future__"} == {"locust"}


class FakeLocust:
    """Writes what locust and the locustfile write, and remembers how it was called."""

    def __init__(
        self,
        stats_csv: str = STATS,
        orders_lines: str = "0 o-1\n0 o-1 CONFIRMED\n",
        exit_code: int = 0,
        failures_csv: str = "Method,Name,Error,Occurrences\n",
    ):
        self.stats_csv = stats_csv
        self.orders_lines = orders_lines
        self.exit_code = exit_code
        self.failures_csv = failures_csv
        self.command: list[str] = []
        self.env: dict[str, str] = {}

    def __call__(
        self, command: Sequence[str], env: Mapping[str, str], log: Path, timeout: float
    ) -> int:
        self.command, self.env = list(command), dict(env)
        prefix = next(arg for arg in command if arg.startswith("--csv=")).removeprefix("--csv=")
        Path(f"{prefix}_final_stats.csv").write_text(self.stats_csv, encoding="utf-8")
        Path(f"{prefix}_final_failures.csv").write_text(self.failures_csv, encoding="utf-8")
        Path(env["LOAD_ORDERS_FILE"]).write_text(self.orders_lines, encoding="utf-8")
        log.write_text("locust's log\n", encoding="utf-8")
        return self.exit_code


@pytest.fixture
def tokens_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps({"customers": ["token-a"], "admin": "token-admin"}), "utf-8")
    return path


def test_a_run_starts_pinned_locust_headless_with_the_shape_and_the_files(
    tokens_file: Path,
) -> None:
    locust = FakeLocust()
    report = load.run(
        "https://api.test/",
        tokens_file,
        SETTINGS,
        locustfile=REPOSITORY / "tests" / "load" / "locustfile.py",
        launch=locust,
    )
    assert locust.command[:5] == ["uvx", "--quiet", "--from", "locust==2.47.0", "locust"]
    for flag in (
        "--headless",
        "--host=https://api.test",
        "--users=8",
        "--spawn-rate=4",
        "--run-time=30s",
        "--only-summary",
    ):
        assert flag in locust.command
    assert locust.env["LOAD_TOKENS_FILE"] == str(tokens_file.resolve())
    assert report.passed, report.reasons
    document = report.as_json()
    assert document["orders"] == {
        "placed": 1,
        "confirmed": 1,
        "cancelled": 0,
        "stuck": 0,
        "stuck_examples": {},
    }
    assert document["latency_ms"] == {"p50": 14, "p95": 60, "p99": 150}
    assert [row["name"] for row in document["by_name"]][:2] == [
        "/inventory/products?limit=20",
        "/orders",
    ]
    assert report.lines()[-1] == "PASS"


def test_locust_that_wrote_no_statistics_fails_the_run_with_its_log(tokens_file: Path) -> None:
    def crashed(command: Sequence[str], env: Mapping[str, str], log: Path, timeout: float) -> int:
        log.write_text("Traceback: ImportError in the locustfile\n", encoding="utf-8")
        return 1

    with pytest.raises(load.LoadTestFailed, match="ImportError in the locustfile"):
        load.run(
            "https://api.test",
            tokens_file,
            SETTINGS,
            locustfile=REPOSITORY / "tests" / "load" / "locustfile.py",
            launch=crashed,
        )


@pytest.mark.parametrize(
    "document",
    [{"customers": [], "admin": "a"}, {"customers": ["a"]}, {"customers": [1], "admin": "a"}, []],
)
def test_a_bad_tokens_file_is_refused_before_anything_runs(tmp_path: Path, document: Any) -> None:
    path = tmp_path / "tokens.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(load.LoadTestError, match=r"tokens|customers|admin"):
        load.Tokens.read(path)


def cli(*arguments: str) -> int:
    return main(["--root", str(REPOSITORY), "load-test", "https://api.test", *arguments])


def test_the_cli_writes_the_report_and_exits_0_on_a_pass(
    tokens_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(load, "launch_locust", FakeLocust())
    report = tmp_path / "out" / "report.json"
    assert (
        cli(
            "--profile=local",
            f"--tokens={tokens_file}",
            f"--report={report}",
            "--p95-ms=100",
            "--p99-ms=200",
        )
        == 0
    )
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["passed"] is True
    assert document["thresholds"]["p95_ms"] == 100
    assert "Aggregated" in capsys.readouterr().out


def test_the_cli_exits_1_when_a_threshold_is_missed(
    tokens_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    failed = STATS.replace(",Aggregated,500,0,", ",Aggregated,500,3,")
    monkeypatch.setattr(
        load, "launch_locust", FakeLocust(stats_csv=failed, exit_code=1, failures_csv=FAILURES)
    )
    report = tmp_path / "report.json"
    assert cli("--profile=local", f"--tokens={tokens_file}", f"--report={report}") == 1
    output = capsys.readouterr().out
    assert "MISSED 3 of 500 requests failed" in output
    assert "FAILED 3x POST /orders: status 503" in output
    assert json.loads(report.read_text(encoding="utf-8"))["passed"] is False


def test_the_cli_exits_2_on_bad_input(tmp_path: Path, tokens_file: Path, capsys) -> None:
    report = f"--report={tmp_path / 'report.json'}"
    assert cli("--profile=nowhere", f"--tokens={tokens_file}", report) == 2
    assert "no profile 'nowhere'" in capsys.readouterr().err
    assert cli(f"--tokens={tokens_file}", report, "--users=3") == 2
    assert "no value for --spawn-rate" in capsys.readouterr().err
    assert cli("--profile=local", f"--tokens={tmp_path / 'none.json'}", report) == 2
    assert "cannot read the tokens file" in capsys.readouterr().err
    assert not (tmp_path / "report.json").exists()
