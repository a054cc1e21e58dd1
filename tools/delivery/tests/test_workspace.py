from __future__ import annotations

from pathlib import Path

import pytest

from bazaar_delivery.workspace import SHARED_IMAGE_INPUTS, Workspace, normalized, touches

REPOSITORY = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return Workspace.read(REPOSITORY)


def test_a_service_image_is_built_from_its_member_and_the_members_it_depends_on(
    workspace: Workspace,
) -> None:
    assert [member.directory for member in workspace.closure("bazaar-orders")] == [
        "libs/common",
        "libs/contracts",
        "services/orders",
    ]


def test_the_closure_follows_dependencies_transitively(workspace: Workspace) -> None:
    names = {member.name for member in workspace.closure("bazaar-devstack")}
    assert {"bazaar-devstack", "bazaar-common"} <= names
    assert "bazaar-orders" not in names


def test_the_image_inputs_add_the_files_every_build_reads(workspace: Workspace) -> None:
    inputs = workspace.image_inputs("bazaar_payments")
    assert inputs[-len(SHARED_IMAGE_INPUTS) :] == list(SHARED_IMAGE_INPUTS)
    assert "services/payments" in inputs
    assert "services/orders" not in inputs


def test_an_unknown_package_is_refused(workspace: Workspace) -> None:
    with pytest.raises(KeyError, match="not a member"):
        workspace.closure("bazaar-nothing")


@pytest.mark.parametrize(
    ("path", "inside"),
    [
        ("services/orders/src/bazaar_orders/main.py", True),
        ("services/orders", True),
        ("uv.lock", True),
        ("services/orders-admin/x.py", False),
        ("docs/services/orders.md", False),
    ],
)
def test_a_path_touches_an_input_only_inside_it(path: str, inside: bool) -> None:
    assert touches(path, ["services/orders", "uv.lock"]) is inside


def test_names_compare_as_packaging_does() -> None:
    assert normalized("Bazaar_Common") == normalized("bazaar.common") == "bazaar-common"
