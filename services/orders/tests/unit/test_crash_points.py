"""The crash hook kills its process with SIGKILL at the armed point, and nowhere else."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

SCRIPT = """
from bazaar_orders import crash_points
from bazaar_orders.crash_points import CrashPoint
crash_points.arm({armed!r} and CrashPoint({armed!r}))
crash_points.reached(CrashPoint({reached!r}))
print("still alive", flush=True)
"""


def run(armed: str | None, reached: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(armed=armed, reached=reached)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("point", ["after-order-placed", "on-stock-reserved"])
def test_the_armed_point_kills_the_process(point):
    result = run(point, point)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "still alive" not in result.stdout


def test_other_points_and_an_unarmed_hook_do_nothing():
    assert run("on-stock-reserved", "on-payment-captured").stdout.strip() == "still alive"
    assert run(None, "after-order-placed").stdout.strip() == "still alive"
