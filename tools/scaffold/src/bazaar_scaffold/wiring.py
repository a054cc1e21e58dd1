"""The few files that name every service and cannot read the catalog, edited.

Each edit takes a file's text and returns it changed, or refuses when the
file no longer looks the way the edit expects (so nothing is written):

- the root ``pyproject.toml``: the member's uv source and its mypy path;
- ``docker-compose.yml``: compose has no way to read the catalog
  (``tests/test_compose_file.py`` holds the two together);
- ``bazaar_contracts/__init__.py``: the modules ``ALL_EVENTS`` is made of;
- the ``service.yaml`` of a service that consumes every type there is
  (audit): it must hear the new one too.
"""

from __future__ import annotations

import re
import textwrap

from bazaar_scaffold.refusal import Refusal

COMPOSE_INSERT_BEFORE = "  # The ALB, locally"
FLOW_LIST_WIDTH = 92


def _refuse(file: str, expected: str) -> Refusal:
    return Refusal(f"{file} does not look as expected ({expected}): wire the service by hand")


def register_in_root_pyproject(text: str, name: str) -> str:
    sources = list(re.finditer(r"^bazaar-[a-z0-9-]+ = \{ workspace = true \}\n", text, re.M))
    if not sources:
        raise _refuse("pyproject.toml", "no bazaar-* workspace sources")
    at = sources[-1].end()
    text = f"{text[:at]}bazaar-{name} = {{ workspace = true }}\n{text[at:]}"
    mypy_path = re.search(r'^mypy_path = "([^"]*)"$', text, re.M)
    if mypy_path is None:
        raise _refuse("pyproject.toml", "no mypy_path")
    folders = mypy_path.group(1).split(":")
    services = [index for index, folder in enumerate(folders) if folder.startswith("services/")]
    folders.insert(services[-1] + 1 if services else len(folders), f"services/{name}/src")
    return f"{text[: mypy_path.start(1)]}{':'.join(folders)}{text[mypy_path.end(1) :]}"


def add_to_compose(text: str, name: str, block: str) -> str:
    """The service's block before the gateway, its database, and the gateway's wait for it."""
    if COMPOSE_INSERT_BEFORE not in text:
        raise _refuse("docker-compose.yml", f"no {COMPOSE_INSERT_BEFORE.strip()!r} line")
    text = text.replace(COMPOSE_INSERT_BEFORE, block + COMPOSE_INSERT_BEFORE, 1)
    databases = re.search(r"^( +POSTGRES_DATABASES: )(.*)$", text, re.M)
    if databases is None:
        raise _refuse("docker-compose.yml", "no POSTGRES_DATABASES")
    text = f"{text[: databases.end(2)]} {name}{text[databases.end(2) :]}"
    # The gateway's depends_on: the lines indented under it, up to the next key.
    gateway = re.search(
        r"^  gateway:\n(?:(?!  \S).*\n)*?    depends_on:\n((?: {6}.*\n)+)", text, re.M
    )
    if gateway is None:
        raise _refuse("docker-compose.yml", "no depends_on in the gateway")
    waits = f"      {name}:\n        condition: service_healthy\n"
    return f"{text[: gateway.end(1)]}{waits}{text[gateway.end(1) :]}"


def register_contracts_module(text: str, name: str) -> str:
    """``name``'s module imported, in ``ALL_EVENTS`` and in ``__all__``."""
    imported = re.search(r"^from bazaar_contracts import (.*)$", text, re.M)
    all_events = re.search(r"^ALL_EVENTS: .*? = \((.*?)\)$", text, re.M | re.S)
    exported = re.search(r"^__all__ = \[(.*?)\]$", text, re.M | re.S)
    if imported is None or all_events is None or exported is None:
        raise _refuse("bazaar_contracts/__init__.py", "one import line, ALL_EVENTS, __all__")
    modules = sorted({*_items(imported.group(1)), name})
    events = [*_items(all_events.group(1)), f"*{name}.PUBLISHED"]
    names = sorted({*_items(exported.group(1)), f'"{name}"'}, key=lambda item: item.strip('"'))
    # From the end, so the earlier matches' offsets still hold.
    for match, items in ((exported, names), (all_events, events), (imported, modules)):
        text = f"{text[: match.start(1)]}{', '.join(items)}{text[match.end(1) :]}"
    return text


def hear_everything(text: str, event_type: str) -> str:
    """``event_type`` added to a service.yaml's ``consumes`` flow list."""
    consumes = re.search(r"^(  consumes:)\s*\[(.*?)\]", text, re.M | re.S)
    if consumes is None:
        raise _refuse("service.yaml", "a consumes: [...] list")
    items = [*_items(consumes.group(2)), event_type]
    wrapped = textwrap.wrap(
        ", ".join(items),
        width=FLOW_LIST_WIDTH,
        initial_indent="    [",
        subsequent_indent="     ",
        break_on_hyphens=False,
    )
    return f"{text[: consumes.end(1)]}\n{chr(10).join(wrapped)}]{text[consumes.end() :]}"


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]
