"""What a release changes in an image's packages: its SBOM against the previous release's.

Written as Markdown for the deploy run's summary, where a reviewer reads it
before approving prod: which packages came in, which left, which moved to
another version.
"""

from __future__ import annotations

from dataclasses import dataclass

from bazaar_delivery.sbom import Packages

# A step's summary holds at most 1 MiB: a base-image change can touch
# hundreds of packages, and the table need not show each one.
MAX_ROWS = 150


@dataclass(frozen=True)
class Change:
    ecosystem: str
    name: str
    before: frozenset[str]
    after: frozenset[str]

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


def diff(before: Packages, after: Packages) -> list[Change]:
    """Every package whose versions differ, by kind (added, removed, changed), then name."""
    order = {"added": 0, "removed": 1, "changed": 2}
    changes = [
        Change(key[0], key[1], before.get(key, frozenset()), after.get(key, frozenset()))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    ]
    return sorted(changes, key=lambda change: (order[change.kind], change.name, change.ecosystem))


def _versions(found: frozenset[str]) -> str:
    return ", ".join(f"`{version}`" for version in sorted(found)) if found else ""


def _cell(text: str) -> str:
    # A package name is text from the image: it must not end the table's cell.
    return text.replace("|", "\\|").replace("\n", " ")


def summary(title: str, after: Packages, before: Packages | None, previous: str = "") -> str:
    """The Markdown section for one image.

    ``before`` None: no SBOM to compare with, either because there was no
    earlier image (``previous`` empty: the first release) or because the
    previous release's SBOM could not be had (``previous`` says which it was).
    """
    heading = f"### SBOM of {title}"
    if before is None and not previous:
        return f"{heading}: first release\n\nNo earlier image: {len(after)} packages, all new.\n"
    if before is None:
        return (
            f"{heading}: nothing to compare with\n\n"
            f"No SBOM of the previous release ({previous}); {len(after)} packages now.\n"
        )
    against = f" against {previous}" if previous else " against the previous release"
    changes = diff(before, after)
    if not changes:
        return f"{heading}{against}\n\nNo package added, removed or changed ({len(after)}).\n"
    counts = {kind: sum(change.kind == kind for change in changes) for kind in ("added", "removed")}
    counts["changed"] = len(changes) - counts["added"] - counts["removed"]
    lines = [
        f"{heading}{against}",
        "",
        f"{counts['added']} added, {counts['removed']} removed, "
        f"{counts['changed']} changed version, of {len(after)} packages now.",
        "",
        "| change | ecosystem | package | before | after |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {change.kind} | {_cell(change.ecosystem)} | {_cell(change.name)} "
        f"| {_cell(_versions(change.before))} | {_cell(_versions(change.after))} |"
        for change in changes[:MAX_ROWS]
    ]
    if len(changes) > MAX_ROWS:
        lines += ["", f"And {len(changes) - MAX_ROWS} more: the SBOM artifacts hold them all."]
    return "\n".join(lines) + "\n"
