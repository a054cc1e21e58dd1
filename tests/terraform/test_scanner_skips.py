"""Every finding checkov or trivy is told to skip says why, in the code, where it is skipped."""

from __future__ import annotations

import re

from tests.terraform.cli import TERRAFORM_ROOT

CHECKOV_SKIP = re.compile(r"#checkov:skip=(?P<check>[A-Z0-9_]+)(?::(?P<reason>.*))?")
TRIVY_IGNORE = re.compile(r"#trivy:ignore:(?P<check>AVD-[A-Z]+-\d+)(?P<rest>.*)")
ENOUGH = 15  # characters: a reason, not "ok" or "n/a"


def _sources():
    for path in sorted(TERRAFORM_ROOT.rglob("*.tf")):
        if ".terraform" not in path.parts:
            yield path, path.read_text(encoding="utf-8").splitlines()


def test_every_checkov_skip_has_a_reason():
    unexplained = []
    for path, lines in _sources():
        for number, line in enumerate(lines, 1):
            found = CHECKOV_SKIP.search(line)
            if found and len((found["reason"] or "").strip()) < ENOUGH:
                unexplained.append(f"{path.relative_to(TERRAFORM_ROOT)}:{number}")
    assert unexplained == []


def test_every_trivy_ignore_has_a_reason_beside_or_above_it():
    unexplained = []
    for path, lines in _sources():
        for number, line in enumerate(lines, 1):
            found = TRIVY_IGNORE.search(line)
            if not found:
                continue
            above = lines[number - 2].strip() if number > 1 else ""
            beside = found["rest"].strip()
            if len(beside) < ENOUGH and not (above.startswith("#") and len(above) > ENOUGH):
                unexplained.append(f"{path.relative_to(TERRAFORM_ROOT)}:{number}")
    assert unexplained == []


def test_the_skip_patterns_still_match_the_code():
    # A guard against the patterns above silently matching nothing.
    skipped = [path for path, lines in _sources() if any(CHECKOV_SKIP.search(x) for x in lines)]
    assert skipped, "no checkov skip found: has the comment syntax changed?"
