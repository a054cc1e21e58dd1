"""A started service freezes its startup objects; a test process never does."""

from __future__ import annotations

import gc
import subprocess
import sys

from bazaar_common import heap

FREEZES = """
import gc
from bazaar_common.heap import freeze_startup_objects
freeze_startup_objects()
print(gc.get_freeze_count())
"""


def test_a_service_process_freezes_what_it_started_with():
    done = subprocess.run(
        [sys.executable, "-c", FREEZES], capture_output=True, text=True, check=True, timeout=60
    )
    assert int(done.stdout) > 1_000


def test_the_test_process_keeps_its_objects_collectable():
    before = gc.get_freeze_count()
    heap.freeze_startup_objects()
    assert gc.get_freeze_count() == before == 0
