from __future__ import annotations

from pathlib import Path

from bazaar_bench.report import END, START, render, write_into

RESULTS = {
    "machine": {"date": "2026-12-01 12:00 UTC", "commit": "abc", "cpus": 2, "python": "3.11.2"},
    "settings": {"rounds": 5, "seconds": 5, "connections": 16},
    "goals": [
        {"goal": "order read, ratio to bare", "target": ">= 0.30", "measured": 0.31, "met": True}
    ],
    "event_hop": {"count": 300, "p50_ms": 21.0, "p90_ms": 30.0, "p99_ms": 90.0, "max_ms": 120.0},
}


def test_the_block_names_the_run_and_each_goal() -> None:
    block = render(RESULTS, "benchmarks/ratios.png")
    assert "commit `abc`" in block
    assert "| order read, ratio to bare | >= 0.30 | 0.31 | yes |" in block
    assert "Event hop (outbox commit -> handler): p50 21.0 ms" in block
    assert block.rstrip().endswith("(benchmarks/ratios.png)")


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
