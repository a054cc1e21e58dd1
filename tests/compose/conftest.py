"""The compose suite runs only when asked for: ``pytest -m compose``.

It builds every image and starts a Docker engine (minutes), so a plain
``pytest`` deselects it; .ci/run selects it with ``-m compose``.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "compose: builds the images and runs docker compose (pytest -m compose)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "compose" in (config.option.markexpr or ""):
        return
    chosen = [item for item in items if item.get_closest_marker("compose") is None]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen
