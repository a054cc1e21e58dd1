"""The crash hook kills its process with SIGKILL at the armed point, and nowhere else.

Armed, it listens to the use cases' checkpoints: the script passes one as
the use case would.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from bazaar_orders import crash_points
from bazaar_orders.crash_points import CrashPoint

SCRIPT = """
from bazaar_orders import crash_points
from bazaar_orders.crash_points import CrashPoint
from bazaar_orders.service_layer import checkpoints
crash_points.arm({armed!r} and CrashPoint({armed!r}))
checkpoints.passed({passed!r})
print("still alive", flush=True)
"""
CHECKPOINT_OF = {point.value: checkpoint for checkpoint, point in crash_points.CHECKPOINTS.items()}


def run(armed: str | None, reached: str) -> subprocess.CompletedProcess[str]:
    passed = CHECKPOINT_OF[reached]
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(armed=armed, passed=passed)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("point", [point.value for point in CrashPoint])
def test_the_armed_point_kills_the_process(point):
    result = run(point, point)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert "still alive" not in result.stdout


def test_other_points_and_an_unarmed_hook_do_nothing():
    assert run("on-stock-reserved", "on-payment-captured").stdout.strip() == "still alive"
    assert run(None, "after-order-placed").stdout.strip() == "still alive"


def test_every_crash_point_has_its_checkpoint():
    assert set(crash_points.CHECKPOINTS.values()) == set(CrashPoint)
