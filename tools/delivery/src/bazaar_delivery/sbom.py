"""The packages an SBOM lists, read from syft's SPDX JSON or CycloneDX JSON.

deploy.yml's anchore/sbom-action (syft) writes SPDX 2.3 JSON; CycloneDX JSON
is read too, so a change of format there does not break the release summary.
A package is known by its ecosystem (the purl type: deb, pypi, ...) and its
name; the thing scanned (the image itself, SPDX's DESCRIBES target or
CycloneDX's metadata component) is not one of its packages.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

# Without a purl, syft still names the package; its ecosystem is unknown.
UNKNOWN_ECOSYSTEM = "other"

Packages = dict[tuple[str, str], frozenset[str]]
"""(ecosystem, name) -> the versions present (an image may hold two of one package)."""


class SbomError(ValueError):
    """The file is not an SBOM this reads; the message says which file and why."""


def ecosystem(purl: str | None) -> str:
    if not purl or not purl.startswith("pkg:") or "/" not in purl:
        return UNKNOWN_ECOSYSTEM
    return purl[len("pkg:") :].split("/", 1)[0].lower() or UNKNOWN_ECOSYSTEM


def _collect(entries: list[tuple[str, str, str | None]]) -> Packages:
    versions: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for name, version, purl in entries:
        versions[(ecosystem(purl), name)].add(version)
    return {key: frozenset(found) for key, found in versions.items()}


def _name_and_version(entry: Any, name_key: str, version_key: str, where: str) -> tuple[str, str]:
    if not isinstance(entry, dict):
        raise SbomError(f"{where} is not an object")
    name = entry.get(name_key)
    if not isinstance(name, str) or not name:
        raise SbomError(f"{where} has no {name_key}")
    version = entry.get(version_key, "")
    if not isinstance(version, str):
        raise SbomError(f"{where} ({name}): {version_key} is not a string")
    return name, version


def _spdx(document: dict[str, Any], source: str) -> Packages:
    packages = document.get("packages", [])
    if not isinstance(packages, list):
        raise SbomError(f"{source}: 'packages' is not a list")
    relationships = document.get("relationships", [])
    if not isinstance(relationships, list):
        raise SbomError(f"{source}: 'relationships' is not a list")
    described = {
        relation.get("relatedSpdxElement")
        for relation in relationships
        if isinstance(relation, dict)
        and relation.get("spdxElementId") == document.get("SPDXID")
        and relation.get("relationshipType") == "DESCRIBES"
    } | set(document.get("documentDescribes") or [])
    entries = []
    for index, package in enumerate(packages):
        name, version = _name_and_version(
            package, "name", "versionInfo", f"{source}: packages[{index}]"
        )
        if package.get("SPDXID") in described:
            continue
        purls = [
            reference.get("referenceLocator")
            for reference in package.get("externalRefs") or []
            if isinstance(reference, dict) and reference.get("referenceType") == "purl"
        ]
        entries.append((name, version, purls[0] if purls else None))
    return _collect(entries)


def _cyclonedx(document: dict[str, Any], source: str) -> Packages:
    entries: list[tuple[str, str, str | None]] = []

    def walk(components: Any, where: str) -> None:
        if not isinstance(components, list):
            raise SbomError(f"{where} is not a list")
        for index, component in enumerate(components):
            name, version = _name_and_version(component, "name", "version", f"{where}[{index}]")
            purl = component.get("purl")
            entries.append((name, version, purl if isinstance(purl, str) else None))
            if "components" in component:
                walk(component["components"], f"{where}[{index}].components")

    walk(document.get("components", []), f"{source}: components")
    return _collect(entries)


def parse(text: str, source: str) -> Packages:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SbomError(f"{source}: not JSON ({error})") from None
    if not isinstance(document, dict):
        raise SbomError(f"{source}: not a JSON object")
    if isinstance(document.get("spdxVersion"), str):
        return _spdx(document, source)
    if document.get("bomFormat") == "CycloneDX":
        return _cyclonedx(document, source)
    raise SbomError(f"{source}: neither SPDX JSON (spdxVersion) nor CycloneDX JSON (bomFormat)")


def read(path: Path) -> Packages:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise SbomError(f"cannot read the SBOM {path}: {reason}") from None
    return parse(text, str(path))
