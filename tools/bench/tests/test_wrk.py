from __future__ import annotations

import pytest

from bazaar_bench.wrk import WrkFailed, milliseconds, parse

REPORT = """Running 5s test @ http://127.0.0.1:8002/orders/1
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.01ms    1.02ms  20.11ms   90.00%
    Req/Sec     2.29k   100.00     2.50k    70.00%
  Latency Distribution
     50%    6.90ms
     75%    7.20ms
     90%    7.90ms
     99%   11.52ms
  11402 requests in 5.00s, 5.02MB read
Requests/sec:   2280.40
Transfer/sec:      1.00MB
"""


def test_a_report_gives_requests_rate_and_percentiles() -> None:
    sample = parse(REPORT)
    assert (sample.requests, sample.seconds, sample.rps) == (11402, 5.0, 2280.40)
    assert (sample.p50_ms, sample.p99_ms) == (6.90, 11.52)


@pytest.mark.parametrize(
    "trouble",
    [
        "  Non-2xx or 3xx responses: 12\n",
        "  Socket errors: connect 0, read 2, write 0, timeout 0\n",
    ],
)
def test_a_run_with_errors_is_refused_not_averaged(trouble: str) -> None:
    with pytest.raises(WrkFailed, match="wrk saw"):
        parse(REPORT.replace("Requests/sec", trouble + "Requests/sec"))


def test_something_else_than_a_report_is_refused() -> None:
    with pytest.raises(WrkFailed, match="not a wrk --latency report"):
        parse("unable to connect to 127.0.0.1:1 Connection refused")


@pytest.mark.parametrize(("text", "ms"), [("850.00us", 0.85), ("6.90ms", 6.9), ("1.20s", 1200.0)])
def test_latencies_are_read_in_milliseconds(text: str, ms: float) -> None:
    assert milliseconds(text) == pytest.approx(ms)


def test_a_counting_script_s_tallies_are_read_back() -> None:
    tallied = REPORT + (
        "tally status 200 100\n"
        "tally x-cache-status hit 90\n"
        "tally x-cache-status miss 10\n"
        "tally status 304 5\n"
    )
    assert parse(tallied).tallies == {
        "status": {"200": 100, "304": 5},
        "x-cache-status": {"hit": 90, "miss": 10},
    }
    assert parse(REPORT).tallies == {}
