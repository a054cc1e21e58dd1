"""The results as Markdown, written into docs/benchmarks.md between two markers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

START = "<!-- make bench: start (generated; edit bazaar_bench/report.py, not this block) -->"
END = "<!-- make bench: end -->"


def _spread(figure: dict[str, float], digits: int = 0, unit: str = "") -> str:
    return (
        f"{figure['median']:,.{digits}f}{unit} "
        f"({figure['low']:,.{digits}f}-{figure['high']:,.{digits}f})"
    )


def render(results: dict[str, Any], plot_name: str | None) -> str:
    machine, settings = results["machine"], results["settings"]
    lines = [
        f"Run {machine['date']} at commit `{machine['commit']}` on {machine['cpus']} CPUs "
        f"(Python {machine['python']}): {settings['rounds']} rounds of {settings['seconds']} s per "
        f"case, {settings['connections']} connections, cases interleaved; medians with (min-max) "
        "over the rounds. Ratios are taken round by round against the bare app of the same round.",
        "",
    ]
    if results.get("goals"):
        lines += ["| goal | target | measured | met |", "|---|---|---|---|"]
        for goal in results["goals"]:
            lines.append(
                f"| {goal['goal']} | {goal['target']} | {goal['measured']:.3g} | "
                f"{'yes' if goal['met'] else '**no**'} |"
            )
        lines.append("")
    http = results.get("http")
    if http:
        lines += [
            "| case | what | requests/s | ratio to bare | CPU µs/request | p50 ms | p99 ms |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, case in http["cases"].items():
            lines.append(
                f"| {name} | {case['description']} | {_spread(case['rps'])} | "
                f"{_spread(case['ratio_to_bare'], 3)} | {_spread(case['cpu_us_per_request'])} | "
                f"{_spread(case['p50_ms'], 2)} | {_spread(case['p99_ms'], 2)} |"
            )
        lines.append("")
        if http["gateway"]:
            lines += [
                "| through the gateway | throughput, of direct | added p50 at one connection |",
                "|---|---|---|",
            ]
            for name, pair in http["gateway"].items():
                lines.append(
                    f"| {name} | {_spread(pair['throughput_ratio'], 3)} | "
                    f"{_spread(pair['added_p50_ms'], 3, ' ms')} |"
                )
            lines.append("")
    for key, title in (
        ("event_hop", "Event hop (outbox commit -> handler)"),
        ("saga_latency", "Saga, one order at a time (POST -> CONFIRMED)"),
    ):
        if key in results:
            figure = results[key]
            lines.append(
                f"- {title}: p50 {figure['p50_ms']:.1f} ms, p90 {figure['p90_ms']:.1f} ms, "
                f"p99 {figure['p99_ms']:.1f} ms, max {figure['max_ms']:.1f} ms "
                f"over {figure['count']}."
            )
    if "saga_throughput" in results:
        run = results["saga_throughput"]
        under = run["latency_under_load"]
        lines.append(
            f"- Saga throughput: **{run['confirmed_per_second']:.1f} orders confirmed/s** "
            f"sustained for {run['seconds']:.0f} s by {run['customers']} customers ordering as "
            f"fast as their orders settle ({run['confirmed']} confirmed, {run['cancelled']} "
            f"cancelled; POST -> CONFIRMED p50 {under.get('p50_ms', 0):.0f} ms, "
            f"p99 {under.get('p99_ms', 0):.0f} ms under that load); drained in "
            f"{run['drain_seconds']} s; invariants: {run['invariants']}."
        )
    if plot_name:
        lines += ["", f"![ratios to the bare app, per case]({plot_name})"]
    return "\n".join(lines).rstrip() + "\n"


def write_into(document: Path, block: str) -> None:
    """Replace what lies between the markers (or append them with the block)."""
    text = document.read_text(encoding="utf-8") if document.exists() else "# Benchmarks\n"
    generated = f"{START}\n{block}{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        text = before + generated + after
    else:
        text = text.rstrip() + "\n\n" + generated + "\n"
    document.write_text(text, encoding="utf-8")
