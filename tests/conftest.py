from pathlib import Path
from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
# make test spreads tests over processes (pytest-xdist). These run on one
# worker each, whole: their tests share a costly session fixture (the system
# as processes), or a module fixture (one Terraform run checked by many
# tests: each module under tests/terraform is its own group, and the
# generated service's checks share one generated copy of the repository).
ONE_WORKER_AREAS = ("tests/e2e/", "tests/drill/")
ONE_WORKER_MODULES = ("tests/terraform/", "tools/scaffold/tests/test_new_service.py")


@pytest.fixture(scope="session")
def repository_root() -> Path:
    return REPOSITORY_ROOT


class GroupedScheduling(LoadScopeScheduling):
    """xdist's ``load`` (any test to any idle worker), but the groups above go whole.

    Not ``--dist=loadgroup``: it renames node ids, which pytest 9 no longer lets it.
    """

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        area = next((area for area in ONE_WORKER_AREAS if path.startswith(area)), None)
        if area is not None:
            return area
        return path if path.startswith(ONE_WORKER_MODULES) else nodeid


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> GroupedScheduling:
    return GroupedScheduling(config, log)
