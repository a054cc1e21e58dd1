"""The template, rendered: every new file's path and text, nothing written yet.

``template/service`` becomes ``services/<name>``, with ``PACKAGE`` and
``NAME`` in paths replaced. A module that renders empty (the consumer tests
of a service that consumes nothing) is left out; an empty ``__init__.py``
is what it should be.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath

import jinja2

from bazaar_scaffold.blueprint import Blueprint

TEMPLATE = "template"
SUFFIX = ".j2"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bazaar_scaffold", TEMPLATE),
        # Python, YAML and TOML come out, never HTML: nothing to escape.
        autoescape=False,  # noqa: S701
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def _templates(folder: Traversable, relative: PurePosixPath) -> list[PurePosixPath]:
    found: list[PurePosixPath] = []
    for child in folder.iterdir():
        if child.is_dir():
            found.extend(_templates(child, relative / child.name))
        elif child.name.endswith(SUFFIX):
            found.append(relative / child.name)
    return sorted(found)


def render_service(blueprint: Blueprint) -> dict[PurePosixPath, str]:
    """The service's files, by path from the repository root."""
    environment = _environment()
    root = resources.files("bazaar_scaffold").joinpath(TEMPLATE, "service")
    target = PurePosixPath("services", blueprint.name)
    files: dict[PurePosixPath, str] = {}
    for template in _templates(root, PurePosixPath()):
        text = environment.get_template(f"service/{template}").render(blueprint.variables())
        path = str(template).removesuffix(SUFFIX)
        if not text.strip() and not path.endswith("__init__.py"):
            continue
        path = path.replace("PACKAGE", blueprint.package).replace("NAME", blueprint.name)
        files[target / path] = text
    return files


def render_one(template: str, blueprint: Blueprint) -> str:
    """One template outside the service's folder (its contracts, its compose block)."""
    return _environment().get_template(template).render(blueprint.variables())
