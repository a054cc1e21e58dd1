"""The uv workspace as a graph: which members an image is built from.

A service image installs its own package and the workspace members it
depends on (the Dockerfile's ``uv sync --package``), so those directories and
the files every build reads are exactly what can change the image.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

# Read by every image build: the recipe, what enters the context, the lock
# and the workspace definition uv resolves it with.
SHARED_IMAGE_INPUTS = ("Dockerfile", ".dockerignore", "uv.lock", "pyproject.toml")


def normalized(name: str) -> str:
    """A distribution name as packaging compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if match is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return normalized(match.group(1))


@dataclass(frozen=True)
class Member:
    name: str
    directory: str
    dependencies: frozenset[str]


@dataclass(frozen=True)
class Workspace:
    root: Path
    members: dict[str, Member]

    @classmethod
    def read(cls, root: Path) -> Workspace:
        document = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        patterns = document["tool"]["uv"]["workspace"]["members"]
        members: dict[str, Member] = {}
        for pattern in patterns:
            for manifest in sorted(root.glob(f"{pattern}/pyproject.toml")):
                project = tomllib.loads(manifest.read_text(encoding="utf-8"))["project"]
                name = normalized(project["name"])
                members[name] = Member(
                    name=name,
                    directory=manifest.parent.relative_to(root).as_posix(),
                    dependencies=frozenset(
                        _requirement_name(requirement)
                        for requirement in project.get("dependencies", [])
                    ),
                )
        return cls(root=root, members=members)

    def closure(self, package: str) -> list[Member]:
        """The member and every workspace member it needs at run time, by name."""
        start = normalized(package)
        if start not in self.members:
            raise KeyError(f"{package} is not a member of the workspace")
        seen: dict[str, Member] = {}
        pending = [start]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            member = self.members[name]
            seen[name] = member
            pending.extend(
                dependency for dependency in member.dependencies if dependency in self.members
            )
        return sorted(seen.values(), key=lambda member: member.name)

    def image_inputs(self, package: str) -> list[str]:
        """The repository paths (directories and files) an image of ``package`` is built from."""
        directories = [member.directory for member in self.closure(package)]
        return [*directories, *SHARED_IMAGE_INPUTS]


def touches(path: str, inputs: list[str]) -> bool:
    """Whether a changed repository path lies in one of the inputs."""
    return any(path == entry or path.startswith(entry + "/") for entry in inputs)
