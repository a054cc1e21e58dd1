"""The compose suite runs only when asked for: ``pytest -m compose``.

It builds every image and starts a Docker engine (minutes), so a plain
``pytest`` deselects it; .ci/run selects it with ``-m compose``.
"""

from __future__ import annotations

import pytest
from tests.opt_in import deselect_unless_asked


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "compose: builds the images and runs docker compose (pytest -m compose)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_unless_asked(config, items, "compose")
