"""The accepted findings file: every entry with a reason and an expiry."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from bazaar_delivery import accepted_findings
from bazaar_delivery.__main__ import main

REPOSITORY = Path(__file__).resolve().parents[3]
TODAY = datetime.date(2027, 1, 15)
GOOD = """
vulnerabilities:
  - id: GHSA-aaaa-bbbb-cccc
    statement: only the test client uses it
    expired_at: 2027-02-01
  - id: CVE-2026-0001
    statement: no fix released; the code path is not reached
    expired_at: 2027-01-15
"""


def test_only_the_findings_in_force_become_pip_audit_flags() -> None:
    findings = accepted_findings.parse(GOOD, "ignore.yaml")
    assert accepted_findings.ignore_flags(findings, TODAY) == ["--ignore-vuln=GHSA-aaaa-bbbb-cccc"]
    assert [f.id for f in accepted_findings.expired(findings, TODAY)] == ["CVE-2026-0001"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- id: CVE-2026-1\n    expired_at: 2027-01-01", "a statement of why"),
        ("- id: CVE-2026-1\n    statement: ok", "expired_at must be a date"),
        ("- id: CVE-2026-1\n    statement: ok\n    expired_at: soon", "expired_at must be a date"),
        ("- id: cve 1; rm -rf /\n    statement: ok\n    expired_at: 2027-01-01", "not a vuln"),
        ("- id: CVE-2026-1\n    statement: ok\n    expired_at: 2027-01-01\n    why: x", "unknown"),
        ("- just text", "not a mapping"),
    ],
)
def test_an_entry_without_reason_or_expiry_is_refused(entry: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        accepted_findings.parse(f"vulnerabilities:\n  {entry}\n", "ignore.yaml")


def test_a_file_that_is_not_the_ignore_format_is_refused() -> None:
    with pytest.raises(ValueError, match="not YAML"):
        accepted_findings.parse("vulnerabilities: [", "ignore.yaml")
    with pytest.raises(ValueError, match="a list under 'vulnerabilities'"):
        accepted_findings.parse("vulnerabilities: CVE-1", "ignore.yaml")


def test_the_committed_file_is_valid() -> None:
    path = REPOSITORY / ".github" / "audit" / "ignore.yaml"
    for finding in accepted_findings.read(path):
        assert finding.statement


def test_the_command_prints_flags_and_warns_of_expired_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ignore.yaml"
    text = GOOD.replace("2027-02-01", "2999-01-01").replace("2027-01-15", "2000-01-01")
    path.write_text(text, encoding="utf-8")
    assert main(["accepted-findings", "--file", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["--ignore-vuln=GHSA-aaaa-bbbb-cccc"]
    assert "CVE-2026-0001 expired on 2000-01-01" in captured.err
    assert main(["accepted-findings", "--file", str(tmp_path / "absent.yaml")]) == 2
