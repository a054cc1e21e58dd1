"""CPU time of a process, from /proc: steadier on a shared machine than requests/s."""

from __future__ import annotations

import os
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of every thread of ``pid`` so far."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    # The command name (field 2) may hold spaces and parentheses: split after it.
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / TICKS_PER_SECOND


def _parent_of(stat: str) -> int:
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def tree_pids(pid: int) -> list[int]:
    """``pid`` and every process below it (nginx's workers, Postgres's backends)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
        except OSError:  # gone since the listing
            continue
        children.setdefault(_parent_of(stat), []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children.get(current, []))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of ``pid`` and every process below it."""
    total = 0.0
    for each in tree_pids(pid):
        try:
            total += cpu_seconds(each)
        except OSError:  # ended since the listing
            continue
    return total
