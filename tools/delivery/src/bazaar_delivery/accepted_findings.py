"""The vulnerability findings the team has accepted for a while, each with its reason.

One file, ``.github/audit/ignore.yaml``, in trivy's ignore-file format, so
trivy reads it as it is (``--ignorefile``) and pip-audit gets its ids as
``--ignore-vuln`` flags from :func:`ignore_flags`::

    vulnerabilities:
      - id: GHSA-xxxx-xxxx-xxxx
        statement: why it does not reach us, and who decided
        expired_at: 2027-01-31

Stricter than trivy: every entry needs a statement and an expiry, so no
finding is accepted without a reason or for ever. An expired entry stops
counting (trivy does the same), and the finding fails the audit again until
someone looks at it anew.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# The ids pip-audit and trivy print: CVE-, GHSA-, PYSEC-, OSV-, DSA- ...
# Nothing a shell would split or expand: the ids become command-line flags.
FINDING_ID = re.compile(r"[A-Z][A-Z0-9]*-[A-Za-z0-9._:-]+")
ENTRY_KEYS = {"id", "statement", "expired_at", "paths", "purls"}


@dataclass(frozen=True)
class AcceptedFinding:
    id: str
    statement: str
    expires: datetime.date

    def in_force(self, today: datetime.date) -> bool:
        return today < self.expires


def parse(text: str, source: str) -> list[AcceptedFinding]:
    """The file's vulnerability entries; any malformed one is a ``ValueError`` naming it."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"{source}: not YAML: {error}") from None
    if document is None:
        return []
    if not isinstance(document, dict) or not isinstance(document.get("vulnerabilities", []), list):
        raise ValueError(f"{source}: expected a mapping with a list under 'vulnerabilities'")
    findings = []
    for number, entry in enumerate(document.get("vulnerabilities") or [], start=1):
        where = f"{source}: vulnerabilities entry {number}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where} is not a mapping")
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        finding_id = entry.get("id")
        if not isinstance(finding_id, str) or not FINDING_ID.fullmatch(finding_id):
            raise ValueError(f"{where}: id {finding_id!r} is not a vulnerability id like CVE-...")
        statement = entry.get("statement")
        if not isinstance(statement, str) or not statement.strip():
            raise ValueError(f"{where} ({finding_id}): a statement of why it is accepted")
        expires = entry.get("expired_at")
        # YAML reads an unquoted 2027-01-31 as a date already.
        if not isinstance(expires, datetime.date) or isinstance(expires, datetime.datetime):
            raise ValueError(f"{where} ({finding_id}): expired_at must be a date, YYYY-MM-DD")
        findings.append(AcceptedFinding(finding_id, statement.strip(), expires))
    return findings


def read(path: Path) -> list[AcceptedFinding]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    return parse(text, str(path))


def ignore_flags(findings: list[AcceptedFinding], today: datetime.date) -> list[str]:
    """pip-audit's flags for the findings still in force."""
    return [f"--ignore-vuln={finding.id}" for finding in findings if finding.in_force(today)]


def expired(findings: list[AcceptedFinding], today: datetime.date) -> list[AcceptedFinding]:
    return [finding for finding in findings if not finding.in_force(today)]
