from __future__ import annotations

from pathlib import Path

from bazaar_bench.report import END, START, render, write_into

RESULTS = {
    "machine": {"date": "2026-12-01 12:00 UTC", "commit": "abc", "cpus": 2, "python": "3.11.2"},
    "settings": {"rounds": 5, "seconds": 5, "connections": 16},
    "goals": [
        {"goal": "order read, ratio to bare", "target": ">= 0.30", "measured": 0.31, "met": True}
    ],
    "event_hop": {
        "point_to_point": {
            "count": 300,
            "p50_ms": 21.0,
            "p90_ms": 30.0,
            "p99_ms": 90.0,
            "max_ms": 120.0,
            "relay": {"p50_ms": 2.0},
            "delivery": {"p50_ms": 18.5, "p99_ms": 80.0},
        }
    },
}
SPREAD = {"median": 1.0, "low": 1.0, "high": 1.0}
CATALOG = {
    "description": "the catalog page",
    **dict.fromkeys(("rps", "ratio_to_bare", "cpu_us_per_request", "p50_ms", "p99_ms"), SPREAD),
    "answers": {
        "status": {"200": 10},
        "x-cache-status": {"none": 10},
        "hit_ratio": None,
        "not_modified_ratio": 0.0,
    },
}
RUN = {
    "seconds": 60.0,
    "customers": 16,
    "confirmed": 100,
    "cancelled": 0,
    "confirmed_per_second": 1.7,
    "latency_under_load": {"p50_ms": 900.0, "p99_ms": 2000.0},
    "drain_seconds": 3.0,
    "invariants": "hold",
}
PROJECTED = {
    "delivery": "EventBridge rule to target (p50 148 ms, p99 387 ms)",
    "source": "https://example.org/latency",
    "hops": 4,
    "own_work_p50_ms": 40.0,
    "own_work_p99_ms": 90.0,
    "p50_ms": 650.0,
    "p99_ms": 1100.0,
    "conservative_p99_ms": 1638.0,
}


def test_the_block_names_the_run_and_each_goal() -> None:
    block = render(RESULTS, "benchmarks/ratios.png")
    assert "commit `abc`" in block
    assert "| order read, ratio to bare | >= 0.30 | 0.31 | yes |" in block
    assert "Event hop point to point (the saga's commands and replies)" in block
    assert "(outbox commit -> handler): p50 21.0 ms" in block
    assert "moto's delivery (publish call -> handler) p50 18.5 ms" in block
    # A route that was not measured is not reported.
    assert "through the bus" not in block
    assert block.rstrip().endswith("(benchmarks/ratios.png)")


def test_a_cache_that_says_nothing_has_an_unknown_hit_ratio_not_zero() -> None:
    results = {**RESULTS, "http": {"cases": {"catalog-page-cached": CATALOG}, "gateway": {}}}
    block = render(results, None)
    assert "- catalog-page-cached: cache hit ratio unknown (no X-Cache-Status)" in block


def test_both_throughputs_and_both_projections_are_written() -> None:
    results = {
        **RESULTS,
        "saga_throughput": {
            "one_worker": {**RUN, "workers": 1},
            "two_workers": {**RUN, "workers": 2, "confirmed_per_second": 3.2},
            "two_of_one": 3.2 / 1.7,
        },
        "projection": {"eventbridge": PROJECTED, "point_to_point": PROJECTED},
    }
    block = render(results, None)
    assert "1 worker a service: **1.7 orders confirmed/s**" in block
    assert "2 workers a service: **3.2 orders confirmed/s**" in block
    assert "- Two workers a service did 1.88x one." in block
    assert "| every message on EventBridge | EventBridge rule to target" in block
    assert "| 650 ms | 1100 ms | 1638 ms |" in block
    assert "https://example.org/latency" in block


def test_the_block_replaces_only_what_lies_between_the_markers(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\nhand-written\n\n{START}\nold\n{END}\n\n## Notes\nkept\n")
    write_into(page, "new\n")
    text = page.read_text()
    assert "old" not in text
    assert f"{START}\nnew\n{END}" in text
    assert text.startswith("# Benchmarks\n\nhand-written")
    assert text.endswith("## Notes\nkept\n")


def test_a_page_without_markers_gets_the_block_appended(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n")
    write_into(page, "first\n")
    assert page.read_text() == f"# Benchmarks\n\n{START}\nfirst\n{END}\n"
