"""Copies of parts of the repository, for tests that change files."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path


def copy_matching(
    source: Path,
    target: Path,
    patterns: Iterable[str],
    *,
    leave_out: Callable[[Path], bool] = lambda relative: False,
) -> Path:
    """Every file under ``source`` a glob pattern matches, at the same place under ``target``.

    ``leave_out`` is given each match relative to ``source``. Returns ``target``.
    """
    for pattern in patterns:
        for found in source.glob(pattern):
            relative = found.relative_to(source)
            if not found.is_file() or leave_out(relative):
                continue
            copied = target / relative
            copied.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(found, copied)
    return target
