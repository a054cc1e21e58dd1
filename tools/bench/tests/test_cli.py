"""python -m bazaar_bench for real, on the smallest settings: it starts, measures, writes, stops.

Only the shape of the results is checked: a figure from a test run on a
busy machine says nothing, the benchmark's own run says it (make bench).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bazaar_bench.report import END, SCALE_START, START

pytestmark = pytest.mark.slow


def bench(*arguments: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bazaar_bench", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--rounds", "0"], "--rounds must be at least 1"),
        (["--seconds", "-1"], "--seconds must be positive"),
        (["--only", "everything"], "invalid choice"),
        (["--scale-sizes", "1000,100"], "sizes must be positive and growing"),
        (["--scale-sizes", "1e4"], "not a list of numbers"),
        (["--only", "scale", "--scale-connections", "0"], "--scale-connections must be at least 1"),
    ],
)
def test_bad_settings_are_refused_before_anything_starts(
    arguments: list[str], message: str
) -> None:
    result = bench(*arguments, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr


def test_the_event_hop_alone_writes_its_figures(tmp_path: Path) -> None:
    result = bench("--only", "event-hop", "--events", "10", "--out", str(tmp_path), "--no-doc")
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results["event_hop"]) == {"point_to_point", "bus"}
    for hop in results["event_hop"].values():
        assert hop["count"] == hop["delivery"]["count"] == 10
    # The hop has no goal of its own: it feeds the projection, which needs the sagas too.
    assert results["goals"] == []
    assert "projection" not in results


def test_the_event_log_at_scale_alone_writes_its_own_figures_and_block(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\n{START}\nmake bench's\n{END}\n")
    result = bench(
        *("--only", "scale", "--scale-sizes", "1000,3000", "--rounds", "1", "--seconds", "1"),
        *("--out", str(tmp_path / "out"), "--doc", str(page)),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (tmp_path / "out" / "results.json").exists()
    found = json.loads((tmp_path / "out" / "scale.json").read_text())
    assert [size["events"] for size in found["sizes"]] == [1000, 3000]
    for size in found["sizes"]:
        assert size["table"]["total_bytes"] > size["table"]["index_bytes"] > 0
        assert {read: figures["requests"] > 0 for read, figures in size["queries"].items()} == {
            "timeline": True,
            "page": True,
        }
    assert "Index Scan using ix_events_subject_occurred_at" in found["plans"]["timeline"]
    assert [goal["goal"] for goal in found["goals"]] == [
        "timeline p99 at 3,000 events, of its p99 at 1,000"
    ]
    text = page.read_text()
    assert f"{START}\nmake bench's\n{END}" in text
    assert SCALE_START in text
    assert "| 3,000 |" in text


def test_a_whole_run_measures_every_case_and_writes_the_page(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\nby hand\n")
    result = bench(
        *("--rounds", "1", "--seconds", "1", "--events", "10"),
        *("--saga-orders", "3", "--saga-seconds", "1", "--saga-customers", "2"),
        *("--out", str(tmp_path / "out"), "--doc", str(page)),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    cases = results["http"]["cases"]
    assert set(cases) == {
        "bare",
        "floor",
        "order",
        "orders-page",
        "catalog-page",
        "catalog-page-cached",
        "catalog-page-304",
        "order@gateway",
        "catalog-page@gateway",
        "place-order",
    }
    assert cases["bare"]["ratio_to_bare"]["median"] == pytest.approx(1.0)
    assert all(case["cpu_us_per_request"]["median"] > 0 for case in cases.values())
    assert cases["order"]["ratio_to_floor"]["median"] > 0
    for name in ("catalog-page", "catalog-page-cached", "catalog-page-304"):
        answered = cases[name]["answers"]
        assert sum(answered["status"].values()) == sum(answered["x-cache-status"].values()) > 0
    assert set(results["http"]["gateway"]) == {"order", "catalog-page"}
    assert results["saga_latency"]["confirmed"] == 3
    scaling = results["saga_throughput"]
    assert (scaling["one_worker"]["workers"], scaling["two_workers"]["workers"]) == (1, 2)
    assert scaling["one_worker"]["invariants"] == scaling["two_workers"]["invariants"] == "hold"
    assert set(results["projection"]) == {"eventbridge", "point_to_point"}
    assert len(results["goals"]) == 17
    assert (tmp_path / "out" / "ratios.png").read_bytes().startswith(b"\x89PNG")
    text = page.read_text()
    assert text.startswith("# Benchmarks\n\nby hand\n")
    assert START in text
    assert "| place-order |" in text
