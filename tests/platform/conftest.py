"""The platform suite runs only when asked for: ``pytest -m platform`` (make test-platform).

It builds every image, starts a Docker engine, applies the whole platform
to moto with Terraform and runs it on Docker (minutes), so a plain
``pytest`` deselects it.
"""

from __future__ import annotations

import pytest
from tests.opt_in import deselect_unless_asked


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "platform: terraform apply of the platform on moto, run on Docker (pytest -m platform)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_unless_asked(config, items, "platform")
