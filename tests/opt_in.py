"""Suites that run only when asked for by their marker (``pytest -m <marker>``).

The compose, load, fault and platform suites start whole systems for
minutes; a plain ``pytest`` (``make test``) leaves them out, and their make
targets select them with ``-m``.
"""

from __future__ import annotations

import pytest


def deselect_unless_asked(config: pytest.Config, items: list[pytest.Item], marker: str) -> None:
    """Drop the items marked ``marker`` unless the ``-m`` expression names it."""
    if marker in (config.option.markexpr or ""):
        return
    chosen = [item for item in items if item.get_closest_marker(marker) is None]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen
