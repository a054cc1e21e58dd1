"""The load suite runs only when asked for: ``pytest -m load`` (``make test-load``).

It starts the whole system and puts it under load for half a minute, so a
plain ``pytest`` (``make test``) deselects it; .ci/run and ci.yml's test-load
job select it with ``-m load``.
"""

from __future__ import annotations

import pytest
from tests.opt_in import deselect_unless_asked


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "load: the load test against the whole system as processes (pytest -m load)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_unless_asked(config, items, "load")
