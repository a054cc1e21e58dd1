from __future__ import annotations

import os
import subprocess
import sys
import time

from bazaar_bench.procstat import cpu_seconds, tree_cpu_seconds


def test_cpu_time_grows_with_work_done() -> None:
    before = cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.15


BUSY_CHILD = """
import subprocess, sys
busy = "import time\\nend = time.process_time() + 1.5\\nwhile time.process_time() < end: pass"
subprocess.run([sys.executable, "-c", busy])
"""


def test_a_tree_counts_the_work_of_its_children() -> None:
    parent = subprocess.Popen([sys.executable, "-c", BUSY_CHILD])
    try:
        time.sleep(1.0)  # the child is busy by now; the parent only waits
        assert tree_cpu_seconds(parent.pid) - cpu_seconds(parent.pid) >= 0.3
    finally:
        parent.wait()
