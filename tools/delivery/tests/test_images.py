from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from bazaar_common.catalog import discover
from bazaar_delivery.git import NULL_COMMIT, GitError
from bazaar_delivery.images import Repository

from .conftest import REPOSITORY, Checkout, git

# Every catalog service, by name: the checkout copies the real catalog.
ALL = [entry.name for entry in discover(REPOSITORY)]


def changed(checkout: Checkout, base: str, head: str = "HEAD") -> list[str]:
    return Repository.at(checkout.root).changed(base, head)


def test_a_change_in_one_service_rebuilds_only_it(
    checkout: Checkout, touch: Callable[..., str]
) -> None:
    base = git(checkout.root, "rev-parse", "HEAD")
    touch("orders code", "services/orders/src/bazaar_orders/api.py")
    assert changed(checkout, base) == ["orders"]


@pytest.mark.parametrize(
    "path", ["libs/common/src/bazaar_common/auth.py", "uv.lock", "Dockerfile", "pyproject.toml"]
)
def test_a_change_every_image_is_built_from_rebuilds_them_all(
    checkout: Checkout, touch: Callable[..., str], path: str
) -> None:
    base = git(checkout.root, "rev-parse", "HEAD")
    touch("shared", path)
    assert changed(checkout, base) == ALL


def test_the_contracts_library_rebuilds_only_the_services_that_use_it(
    checkout: Checkout, touch: Callable[..., str]
) -> None:
    base = git(checkout.root, "rev-parse", "HEAD")
    touch("contracts", "libs/contracts/src/bazaar_contracts/events.py")
    users = [
        name for name in ALL if "libs/contracts" in Repository.at(checkout.root).image_inputs(name)
    ]
    assert users, "some service uses the contracts library"
    assert changed(checkout, base) == users


@pytest.mark.parametrize(
    "path", ["docs/architecture.md", "infra/terraform/envs/dev/main.tf", "tools/devstack/src/x.py"]
)
def test_a_change_no_image_is_built_from_rebuilds_nothing(
    checkout: Checkout, touch: Callable[..., str], path: str
) -> None:
    base = git(checkout.root, "rev-parse", "HEAD")
    touch("elsewhere", path)
    assert changed(checkout, base) == []


@pytest.mark.parametrize("base", [NULL_COMMIT, "f" * 40, "no-such-branch"])
def test_without_a_usable_base_every_service_counts_as_changed(
    checkout: Checkout, base: str
) -> None:
    assert changed(checkout, base) == ALL


def test_an_unchanged_service_keeps_its_tag(checkout: Checkout, touch: Callable[..., str]) -> None:
    first = Repository.at(checkout.root).tags("HEAD")
    assert set(first) == set(ALL)
    orders_change = touch("orders", "services/orders/src/bazaar_orders/api.py")
    touch("docs only", "docs/readme.md")
    second = Repository.at(checkout.root).tags("HEAD")
    assert second["orders"] == orders_change
    assert {name: second[name] for name in ALL if name != "orders"} == {
        name: first[name] for name in ALL if name != "orders"
    }


def test_tags_refuse_a_shallow_clone(
    checkout: Checkout, touch: Callable[..., str], tmp_path
) -> None:
    touch("second", "services/orders/x.py")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth=1", f"file://{checkout.root}", str(shallow)],
        check=True,
    )
    with pytest.raises(GitError, match="shallow"):
        Repository.at(shallow).tags("HEAD")


def test_build_args_carry_the_catalog_port(checkout: Checkout) -> None:
    repository = Repository.at(checkout.root)
    assert repository.build_args("orders") == {
        "SERVICE": "orders",
        "SERVICE_PORT": str(repository.entry("orders").port),
        "SYSTEM_PACKAGES": "",
    }
    assert repository.build_args("devstack")["SYSTEM_PACKAGES"] == "nginx-light"


def test_an_unknown_service_is_refused(checkout: Checkout) -> None:
    with pytest.raises(KeyError, match="not a service of the catalog"):
        Repository.at(checkout.root).build_args("billing")


def test_the_previous_tag_is_the_image_change_before_the_current_one(
    checkout: Checkout, touch: Callable[..., str]
) -> None:
    first = git(checkout.root, "rev-parse", "HEAD")
    second = touch("orders code", "services/orders/src/bazaar_orders/api.py")
    touch("docs only", "docs/x.md")
    previous = Repository.at(checkout.root).previous_tags("HEAD")
    assert previous["orders"] == first
    assert Repository.at(checkout.root).tags("HEAD")["orders"] == second
    # The repository's first commit made every other image: there is no earlier one.
    assert {name: tag for name, tag in previous.items() if name != "orders"} == dict.fromkeys(
        [name for name in ALL if name != "orders"], ""
    )
