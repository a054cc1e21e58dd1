from __future__ import annotations

from pathlib import Path

from bazaar_bench.report import (
    END,
    SCALE_END,
    SCALE_START,
    START,
    render,
    render_scale,
    write_into,
)
from bazaar_bench.results import judge_scale, scale_growth

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


def _read(p50: float, p99: float) -> dict[str, object]:
    def spread(value: float) -> dict[str, float]:
        return {"median": value, "low": value, "high": value}

    return {
        "requests": 1000,
        "rps": spread(200.0),
        "p50_ms": spread(p50),
        "p99_ms": spread(p99),
        "cpu_us_per_request": spread(1800.0),
        "db_cpu_us_per_request": spread(150.0),
        "rounds": {"p50_ms": [p50, p50 * 2], "p99_ms": [p99, p99 * 2]},
    }


def _size(events: int, timeline_p99: float, **more: object) -> dict[str, object]:
    return {
        "events": events,
        "load_seconds": events / 30_000,
        "vacuum_seconds": 1.0,
        "table": {
            "table_bytes": events * 1000,
            "index_bytes": events * 250,
            "total_bytes": events * 1250,
        },
        "queries": {"timeline": _read(10.0, timeline_p99), "page": _read(20.0, 40.0)},
        **more,
    }


def _scale(*sizes: dict[str, object]) -> dict[str, object]:
    found: dict[str, object] = {
        "machine": RESULTS["machine"],
        "settings": {
            "sizes": [size["events"] for size in sizes],
            "rounds": 2,
            "seconds": 5.0,
            "connections": 4,
        },
        "server": {
            "postgres": "15.8",
            "shared_buffers": "1GB",
            "memory_gb": 23.6,
            "load_average": [0.5, 0.7],
        },
        "sizes": list(sizes),
        "plans": {"events": sizes[-1]["events"], "timeline": "Index Scan using ix_events_subject"},
    }
    found["growth"] = scale_growth(found["sizes"])  # type: ignore[arg-type]
    found["goals"] = judge_scale(found)
    return found


def test_the_scale_block_has_each_size_the_growth_against_its_goal_and_the_plan() -> None:
    block = render_scale(_scale(_size(10_000, 20.0), _size(10_000_000, 50.0)))
    goal = "| timeline p99 at 10,000,000 events, of its p99 at 10,000 | <= 2 | 2.5 | **no** |"
    assert goal in block
    assert (
        "| 10,000 | 11.9 MB | 2.4 MB | 0 s | 10.00 (10.00-10.00) | 20.00 (20.00-20.00) |" in block
    )
    assert "| 10,000,000 | 11.64 GB | 2.33 GB |" in block
    assert "the timeline's p50 1.00x (1.00-1.00), p99 2.50x (2.50-2.50)" in block
    assert "10,000: timeline 1,800 / 150, page 1,800 / 150" in block
    assert "was 0.5 and 0.7 before and after the reads" in block
    assert "```text\nIndex Scan using ix_events_subject\n```" in block


def test_the_reads_in_the_database_have_a_table_of_their_own() -> None:
    alone = {
        "queries": 300,
        "execution_p50_ms": 0.05,
        "execution_p99_ms": 0.2,
        "pages_hit": 4.5,
        "pages_read": 1.25,
        "read_ms": 0.012,
    }
    size = _size(10_000, 20.0, database={"timeline": alone, "page": alone})
    block = render_scale(_scale(size))
    assert "of 300 random statements a read and size" in block
    assert "| 10,000 | 0.050 / 0.200 | 4.5 / 1.2 | 0.012 | 0.050 / 0.200 |" in block
    assert "database at" not in block  # in its own table, not listed figure by figure


def test_a_new_measurement_at_each_size_is_listed_without_report_code() -> None:
    archive = {"events_per_second": 41_234.5, "batches": 12}
    block = render_scale(_scale(_size(10_000, 20.0, archive=archive)))
    assert "- archive at 10,000 events: events_per_second 4.12e+04, batches 12." in block
    assert "| goal |" not in block  # one size: no growth to judge


def test_make_bench_and_make_bench_scale_each_rewrite_only_their_own_block(
    tmp_path: Path,
) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n")
    write_into(page, "bench 1\n")
    write_into(page, "scale 1\n", start=SCALE_START, end=SCALE_END)
    write_into(page, "bench 2\n")
    text = page.read_text()
    assert f"{START}\nbench 2\n{END}" in text
    assert f"{SCALE_START}\nscale 1\n{SCALE_END}" in text
    write_into(page, "scale 2\n", start=SCALE_START, end=SCALE_END)
    assert "bench 2" in page.read_text()
    assert "scale 1" not in page.read_text()


def test_the_archive_writer_is_one_line_of_every_sizes_rate() -> None:
    def writer(median: int) -> dict[str, object]:
        return {
            "backlog_events": 2_000,
            "rounds": 3,
            "events_per_second": [median - 100, median, median + 100],
            "median_events_per_second": median,
        }

    block = render_scale(
        _scale(
            _size(10_000, 20.0, archive_writer=writer(2_500)),
            _size(10_000_000, 20.0, archive_writer=writer(2_400)),
        )
    )

    assert (
        "- The archive writer, 2,000 queued events to moto's S3 a round, events per second, "
        "median (rounds): 10,000: 2,500 (2,400, 2,500, 2,600); "
        "10,000,000: 2,400 (2,300, 2,400, 2,500)."
    ) in block
    assert "archive_writer at" not in block
