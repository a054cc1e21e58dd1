"""The results as Markdown, written into docs/benchmarks.md between two markers.

Two blocks, each with markers of its own: ``make bench``'s and
``make bench-scale``'s (the event log at scale); a run rewrites its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

START = "<!-- make bench: start (generated; edit bazaar_bench/report.py, not this block) -->"
END = "<!-- make bench: end -->"
SCALE_START = (
    "<!-- make bench-scale: start (generated; edit bazaar_bench/report.py, not this block) -->"
)
SCALE_END = "<!-- make bench-scale: end -->"
# The figures of each size that the sizes' table shows; any other measurement
# (scale.MEASUREMENTS) is listed under it.
SCALE_SHOWN = {
    "events",
    "table",
    "load_seconds",
    "vacuum_seconds",
    "queries",
    "database",
    "archive_writer",
}

# The event hop's routes (ADR 0017), as the block names them.
HOP_ROUTES = {
    "point_to_point": "point to point (the saga's commands and replies)",
    "bus": "through the bus (events such as OrderConfirmed)",
}


def _spread(figure: dict[str, float], digits: int = 0, unit: str = "") -> str:
    return (
        f"{figure['median']:,.{digits}f}{unit} "
        f"({figure['low']:,.{digits}f}-{figure['high']:,.{digits}f})"
    )


def _percentiles(figure: dict[str, Any]) -> str:
    return (
        f"p50 {figure['p50_ms']:.1f} ms, p90 {figure['p90_ms']:.1f} ms, "
        f"p99 {figure['p99_ms']:.1f} ms, max {figure['max_ms']:.1f} ms"
    )


def _share(value: float | None, unknown: str) -> str:
    return f"unknown ({unknown})" if value is None else f"{value:.1%}"


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{value}: {n:,}" for value, n in sorted(counts.items())) or "none counted"


def _cache_lines(http: dict[str, Any] | None) -> list[str]:
    """What the catalog cases' answers said, and the order read against its floor."""
    cases: dict[str, Any] = (http or {}).get("cases", {})
    lines = []
    for name, case in cases.items():
        found = case.get("answers")
        if not found:
            continue
        lines.append(
            f"- {name}: cache hit ratio {_share(found['hit_ratio'], 'no X-Cache-Status')}; "
            f"304s {_share(found['not_modified_ratio'], 'no answers')}; "
            f"statuses {_counted(found.get('status', {}))}; "
            f"X-Cache-Status {_counted(found.get('x-cache-status', {}))}."
        )
    order = cases.get("order", {})
    if "ratio_to_floor" in order:
        lines.append(
            f"- order read of the floor (raw asyncpg read): {_spread(order['ratio_to_floor'], 3)}; "
            f"its p99 was {_spread(order['p99_over_p50'], 1)} times its p50."
        )
    return lines


def _throughput_line(run: dict[str, Any]) -> str:
    under = run["latency_under_load"]
    return (
        f"- Saga throughput, {run['workers']} worker{'' if run['workers'] == 1 else 's'} "
        "a service: "
        f"**{run['confirmed_per_second']:.1f} orders confirmed/s** sustained for "
        f"{run['seconds']:.0f} s by {run['customers']} customers ordering as fast as their orders "
        f"settle ({run['confirmed']} confirmed, {run['cancelled']} cancelled; POST -> CONFIRMED "
        f"p50 {under.get('p50_ms', 0):.0f} ms, p99 {under.get('p99_ms', 0):.0f} ms under that "
        f"load); drained in {run['drain_seconds']} s; invariants: {run['invariants']}."
    )


def _projection_lines(projected: dict[str, Any] | None) -> list[str]:
    if not projected:
        return []
    lines = [
        "",
        "| projected on AWS (POST -> CONFIRMED) | delivery per hop | hops | own work p50 / p99 "
        "| p50 | p99 (Monte Carlo) | p99 (every tail at once) |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, title in (
        ("eventbridge", "every message on EventBridge"),
        ("point_to_point", "commands and replies point to point on SQS"),
    ):
        figure = projected[key]
        lines.append(
            f"| {title} | {figure['delivery']} | {figure['hops']} | "
            f"{figure['own_work_p50_ms']:.0f} / {figure['own_work_p99_ms']:.0f} ms | "
            f"{figure['p50_ms']:.0f} ms | {figure['p99_ms']:.0f} ms | "
            f"{figure['conservative_p99_ms']:.0f} ms |"
        )
    sources = sorted({figure["source"] for figure in projected.values()})
    lines += [
        "",
        f"Published deliveries from {', '.join(sources)}; how the projection is made: "
        "the hand-written section below and `bazaar_bench/projection.py`.",
    ]
    return lines


def render(results: dict[str, Any], plot_name: str | None) -> str:
    machine, settings = results["machine"], results["settings"]
    lines = [
        f"Run {machine['date']} at commit `{machine['commit']}` on {machine['cpus']} CPUs "
        f"(Python {machine['python']}): {settings['rounds']} rounds of {settings['seconds']} s per "
        f"case, {settings['connections']} connections, cases interleaved; medians with (min-max) "
        "over the rounds. Ratios are taken round by round against the bare app of the same round.",
        "",
    ]
    lines += _goal_lines(results.get("goals", []))
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
    lines += _cache_lines(http)
    for route, how in HOP_ROUTES.items():
        hop = results.get("event_hop", {}).get(route)
        if hop is None:
            continue
        lines.append(
            f"- Event hop {how} (outbox commit -> handler): {_percentiles(hop)} over "
            f"{hop['count']}; of which the relay's work (commit -> publish call) p50 "
            f"{hop['relay']['p50_ms']:.1f} ms and moto's delivery (publish call -> handler) "
            f"p50 {hop['delivery']['p50_ms']:.1f} ms, p99 {hop['delivery']['p99_ms']:.1f} ms."
        )
    if "saga_latency" in results:
        saga = results["saga_latency"]
        lines.append(
            f"- Saga, one order at a time (POST -> CONFIRMED): {_percentiles(saga)} "
            f"over {saga['count']}."
        )
    if "saga_throughput" in results:
        scaling = results["saga_throughput"]
        for key in ("one_worker", "two_workers"):
            lines.append(_throughput_line(scaling[key]))
        if scaling["two_of_one"] is not None:
            lines.append(f"- Two workers a service did {scaling['two_of_one']:.2f}x one.")
    lines += _projection_lines(results.get("projection"))
    if plot_name:
        lines += ["", f"![ratios to the bare app, per case]({plot_name})"]
    return "\n".join(lines).rstrip() + "\n"


def _goal_lines(goals: list[dict[str, Any]]) -> list[str]:
    if not goals:
        return []
    lines = ["| goal | target | measured | met |", "|---|---|---|---|"]
    for goal in goals:
        lines.append(
            f"| {goal['goal']} | {goal['target']} | {goal['measured']:.3g} | "
            f"{'yes' if goal['met'] else '**no**'} |"
        )
    return [*lines, ""]


def _gigabytes(count: int) -> str:
    return f"{count / 2**30:,.2f} GB" if count >= 2**30 else f"{count / 2**20:,.1f} MB"


def _figures(figures: object) -> str:
    if isinstance(figures, dict):
        return ", ".join(f"{name} {_figures(value)}" for name, value in figures.items())
    return f"{figures:,.3g}" if isinstance(figures, float) else str(figures)


def render_scale(results: dict[str, Any]) -> str:
    """The event log at scale: the sizes' table, the growth against its goal, the plans."""
    machine, settings, server = results["machine"], results["settings"], results["server"]
    sizes = results["sizes"]
    lines = [
        f"`make bench-scale SCALE_SIZES={','.join(map(str, settings['sizes']))}`, run "
        f"{machine['date']} at commit `{machine['commit']}` on {machine['cpus']} CPUs and "
        f"{server['memory_gb']:g} GB of memory (Python {machine['python']}, PostgreSQL "
        f"{server['postgres']}, shared_buffers {server['shared_buffers']}): the log grown to "
        f"{', '.join(f'{size:,}' for size in settings['sizes'])} events, then every size "
        f"measured side by side, {settings['rounds']} rounds of {settings['seconds']} s per "
        f"read and size, {settings['connections']} connections; medians with (min-max) over "
        "the rounds. The load average (1 minute) was "
        f"{' and '.join(f'{value:.1f}' for value in server['load_average'])} "
        "before and after the reads.",
        "",
        *_goal_lines(results.get("goals", [])),
        "| events | table + indexes | of which indexes | loaded in | timeline p50 ms | "
        "timeline p99 ms | page p50 ms | page p99 ms | timeline requests/s | page requests/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        table, queries = size["table"], size["queries"]
        timeline, page = queries["timeline"], queries["page"]
        lines.append(
            f"| {size['events']:,} | {_gigabytes(table['total_bytes'])} | "
            f"{_gigabytes(table['index_bytes'])} | {size['load_seconds']:,.0f} s | "
            f"{_spread(timeline['p50_ms'], 2)} | {_spread(timeline['p99_ms'], 2)} | "
            f"{_spread(page['p50_ms'], 2)} | {_spread(page['p99_ms'], 2)} | "
            f"{_spread(timeline['rps'])} | {_spread(page['rps'])} |"
        )
    lines.append("")
    growth = results.get("growth")
    if growth and len(sizes) > 1:
        lines.append(
            f"- {sizes[-1]['events']:,} events over {sizes[0]['events']:,}, round by round: "
            f"the timeline's p50 {_spread(growth['timeline']['p50_ms'], 2, 'x')}, p99 "
            f"{_spread(growth['timeline']['p99_ms'], 2, 'x')}; the page's p50 "
            f"{_spread(growth['page']['p50_ms'], 2, 'x')}, p99 "
            f"{_spread(growth['page']['p99_ms'], 2, 'x')}."
        )
    lines.append(
        "- CPU per request (µs, audit / PostgreSQL): "
        + "; ".join(
            f"{size['events']:,}: timeline "
            f"{_cpu(size['queries']['timeline'])}, page {_cpu(size['queries']['page'])}"
            for size in sizes
        )
        + "."
    )
    lines.append(
        "- Loaded (COPY) and VACUUM (ANALYZE) at each step: "
        + "; ".join(
            f"{size['events']:,}: {size['load_seconds']:,.0f} s and {size['vacuum_seconds']:,.1f} s"
            for size in sizes
        )
        + "."
    )
    lines += _database_lines(results)
    lines += _archive_writer_lines(sizes)
    for size in sizes:
        for name, figures in size.items():
            if name not in SCALE_SHOWN:
                lines.append(f"- {name} at {size['events']:,} events: {_figures(figures)}.")
    plans = results.get("plans", {})
    for name, plan in plans.items():
        if name == "events":
            continue
        lines += [
            "",
            f"The {name} read at {plans['events']:,} events, `EXPLAIN (ANALYZE, BUFFERS)`:",
            "",
            "```text",
            plan,
            "```",
        ]
    return "\n".join(lines).rstrip() + "\n"


def _archive_writer_lines(sizes: list[dict[str, Any]]) -> list[str]:
    measured = [size for size in sizes if "archive_writer" in size]
    if not measured:
        return []
    backlog = measured[0]["archive_writer"]["backlog_events"]
    rates = "; ".join(
        f"{size['events']:,}: {size['archive_writer']['median_events_per_second']:,} "
        f"({', '.join(f'{rate:,}' for rate in size['archive_writer']['events_per_second'])})"
        for size in measured
    )
    return [
        "",
        f"- The archive writer, {backlog:,} queued events to moto's S3 a round, events per "
        f"second, median (rounds): {rates}.",
    ]


def _database_lines(results: dict[str, Any]) -> list[str]:
    sizes = [size for size in results["sizes"] if "database" in size]
    if not sizes:
        return []
    explained = sizes[0]["database"]["timeline"]["queries"]
    lines = [
        "",
        f"In PostgreSQL alone, `EXPLAIN (ANALYZE, BUFFERS)` of {explained} random statements a "
        "read and size, prepared as audit prepares them: the execution time, the pages a "
        "statement found in shared_buffers (hit) and read from outside them (the OS's page "
        "cache or the disk), and the time those reads took.",
        "",
        "| events | timeline p50 / p99 ms | timeline pages hit / read | timeline read ms | "
        "page p50 / p99 ms | page pages hit / read | page read ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in sizes:
        cells = []
        for read in ("timeline", "page"):
            found = size["database"][read]
            cells += [
                f"{found['execution_p50_ms']:.3f} / {found['execution_p99_ms']:.3f}",
                f"{found['pages_hit']:.1f} / {found['pages_read']:.1f}",
                f"{found['read_ms']:.3f}",
            ]
        lines.append(f"| {size['events']:,} | " + " | ".join(cells) + " |")
    return lines


def _cpu(read: dict[str, Any]) -> str:
    return (
        f"{read['cpu_us_per_request']['median']:,.0f} / "
        f"{read['db_cpu_us_per_request']['median']:,.0f}"
    )


def write_into(document: Path, block: str, *, start: str = START, end: str = END) -> None:
    """Replace what lies between the markers (or append them with the block)."""
    text = document.read_text(encoding="utf-8") if document.exists() else "# Benchmarks\n"
    generated = f"{start}\n{block}{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + generated + after
    else:
        text = text.rstrip() + "\n\n" + generated + "\n"
    document.write_text(text, encoding="utf-8")
