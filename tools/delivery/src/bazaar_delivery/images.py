"""Which images to build, with what arguments, under which tag.

Every deployable image is a catalog service; devstack is the local stack's
bootstrap and gateway image (compose only, never deployed).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from bazaar_common.catalog import ServiceEntry, discover
from bazaar_delivery.git import (
    NULL_COMMIT,
    changed_paths,
    is_commit,
    last_commit_touching,
    newest_commit_touching,
)
from bazaar_delivery.workspace import Workspace, normalized, touches

DEVSTACK = "devstack"
# The gateway (nginx) runs in the devstack image; it listens where the ALB would.
DEVSTACK_PORT = 8080
DEVSTACK_PACKAGES = "nginx-light"


@dataclass(frozen=True)
class Repository:
    """The checkout: its catalog and its workspace."""

    root: Path
    services: list[ServiceEntry]
    workspace: Workspace

    @classmethod
    def at(cls, root: Path) -> Repository:
        return cls(root=root, services=discover(root), workspace=Workspace.read(root))

    @property
    def names(self) -> list[str]:
        return [entry.name for entry in self.services]

    def entry(self, name: str) -> ServiceEntry:
        for entry in self.services:
            if entry.name == name:
                return entry
        raise KeyError(f"{name!r} is not a service of the catalog (known: {', '.join(self.names)})")

    def image_inputs(self, name: str) -> list[str]:
        package = "bazaar-devstack" if name == DEVSTACK else normalized(self.entry(name).package)
        return self.workspace.image_inputs(package)

    def build_args(self, name: str) -> dict[str, str]:
        """The Dockerfile's ``--build-arg`` values of one image."""
        if name == DEVSTACK:
            return {
                "SERVICE": DEVSTACK,
                "SERVICE_PORT": str(DEVSTACK_PORT),
                "SYSTEM_PACKAGES": DEVSTACK_PACKAGES,
            }
        return {"SERVICE": name, "SERVICE_PORT": str(self.entry(name).port), "SYSTEM_PACKAGES": ""}

    def changed(self, base: str, head: str) -> list[str]:
        """The services whose image would differ between ``base`` and ``head``.

        Without a usable base (a new branch's push has none; a force-push's
        base may be gone) every service counts as changed: building one too
        many is cheap, skipping one that changed is not.
        """
        if base == NULL_COMMIT or not is_commit(self.root, base):
            print(
                f"delivery: no base commit {base!r}: every service counts as changed",
                file=sys.stderr,
            )
            return self.names
        paths = changed_paths(self.root, base, head)
        return [
            name
            for name in self.names
            if any(touches(path, self.image_inputs(name)) for path in paths)
        ]

    def tags(self, head: str) -> dict[str, str]:
        """Each service's image tag: the last commit that changed its image inputs.

        An unchanged service keeps its tag from commit to commit, so a deploy
        builds and pushes only what changed, and a tag (immutable in ECR)
        always names the same contents.
        """
        return {
            name: last_commit_touching(self.root, head, self.image_inputs(name))
            for name in self.names
        }

    def previous_tags(self, head: str) -> dict[str, str]:
        """Each service's tag before its current one: the release its SBOM is compared with.

        The last commit before the tag's own that changed the image inputs;
        "" where none did (the service's first image).
        """
        previous = {}
        for name, tag in self.tags(head).items():
            before = f"{tag}^"
            found = (
                newest_commit_touching(self.root, before, self.image_inputs(name))
                if is_commit(self.root, before)
                else None
            )
            previous[name] = found or ""
        return previous
