"""The release summary's SBOM diff, over real syft output (sboms/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bazaar_delivery import sbom, sbom_diff
from bazaar_delivery.__main__ import main

SAMPLES = Path(__file__).parent / "sboms"
OLD, NEW = SAMPLES / "release-old.spdx.json", SAMPLES / "release-new.spdx.json"


def kinds(changes: list[sbom_diff.Change]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"added": set(), "removed": set(), "changed": set()}
    for change in changes:
        found[change.kind].add(f"{change.ecosystem}/{change.name}")
    return found


@pytest.mark.parametrize("suffix", ["spdx", "cdx"])
def test_a_release_shows_what_came_in_left_and_moved(suffix: str) -> None:
    before = sbom.read(SAMPLES / f"release-old.{suffix}.json")
    after = sbom.read(SAMPLES / f"release-new.{suffix}.json")
    assert kinds(sbom_diff.diff(before, after)) == {
        "added": {"pypi/anyio", "deb/libsqlite3-0"},
        "removed": {"pypi/h11", "deb/tzdata"},
        "changed": {"pypi/fastapi", "pypi/starlette", "deb/libssl3"},
    }


def test_syft_spdx_is_read_by_ecosystem_and_without_the_scanned_thing_itself() -> None:
    packages = sbom.read(NEW)
    assert packages[("deb", "libssl3")] == {"3.0.17-1~deb12u2"}
    assert packages[("pypi", "uvicorn")] == {"0.30.6"}
    # The DESCRIBES target (the image, here a directory) is no package of it.
    assert not [name for _, name in packages if name.startswith("/")]


def test_the_summary_is_a_markdown_table_with_before_and_after() -> None:
    text = sbom_diff.summary("orders:abc", sbom.read(NEW), sbom.read(OLD), "orders:def")
    assert text.startswith("### SBOM of orders:abc against orders:def\n")
    assert "2 added, 2 removed, 3 changed version, of 7 packages now." in text
    assert "| changed | deb | libssl3 | `3.0.15-1~deb12u1` | `3.0.17-1~deb12u2` |" in text
    assert "| added | pypi | anyio |  | `4.9.0` |" in text
    assert "zlib1g" not in text


def test_the_first_release_says_so_rather_than_listing_everything_as_added() -> None:
    text = sbom_diff.summary("orders:abc", sbom.read(NEW), None)
    assert text.startswith("### SBOM of orders:abc: first release\n")
    assert "7 packages, all new" in text
    assert "|" not in text


def test_a_previous_release_without_an_sbom_is_named_not_taken_for_a_first() -> None:
    text = sbom_diff.summary("orders:abc", sbom.read(NEW), None, "orders:def, not in the registry")
    assert "first release" not in text
    assert "No SBOM of the previous release (orders:def, not in the registry)" in text


def test_an_unchanged_image_says_nothing_changed() -> None:
    text = sbom_diff.summary("orders:abc", sbom.read(NEW), sbom.read(NEW))
    assert "No package added, removed or changed (7)." in text


def test_two_versions_of_one_package_are_both_kept() -> None:
    document = json.loads(NEW.read_text(encoding="utf-8"))
    twin = dict(document["packages"][0], SPDXID="SPDXRef-twin", versionInfo="9.9.9")
    document["packages"].append(twin)
    packages = sbom.parse(json.dumps(document), "twin")
    assert len(packages[("pypi", twin["name"])]) == 2


def test_a_long_diff_is_cut_with_a_count_of_the_rest() -> None:
    before: sbom.Packages = {}
    after: sbom.Packages = {("deb", f"lib{n}"): frozenset({"1"}) for n in range(400)}
    text = sbom_diff.summary("orders", after, before)
    assert text.count("| added |") == sbom_diff.MAX_ROWS
    assert f"And {400 - sbom_diff.MAX_ROWS} more" in text


def test_a_package_name_cannot_break_the_table() -> None:
    after: sbom.Packages = {("pypi", "a|b"): frozenset({"1"})}
    assert "| a\\|b |" in sbom_diff.summary("x", after, {})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "not a JSON object"),
        ('{"name": "x"}', "neither SPDX JSON"),
        ('{"spdxVersion": "SPDX-2.3", "packages": {}}', "'packages' is not a list"),
        ('{"spdxVersion": "SPDX-2.3", "packages": [{"versionInfo": "1"}]}', "has no name"),
        ('{"bomFormat": "CycloneDX", "components": [{"name": "a", "version": 1}]}', "not a string"),
        ('{"bomFormat": "CycloneDX", "components": [{"name": "a", "components": 3}]}', "a list"),
    ],
)
def test_a_malformed_sbom_is_a_clear_error_naming_the_file(text: str, message: str) -> None:
    with pytest.raises(sbom.SbomError, match=message) as raised:
        sbom.parse(text, "sbom.spdx.json")
    assert str(raised.value).startswith("sbom.spdx.json: ")


def test_the_command_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sbom-diff", "--title", "orders", "--new", str(NEW), "--old", str(OLD)]) == 0
    assert "| removed | deb | tzdata |" in capsys.readouterr().out


def test_the_command_without_an_old_sbom_reports_a_first_release(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["sbom-diff", "--title", "orders", "--new", str(NEW)]) == 0
    assert "first release" in capsys.readouterr().out


def test_the_command_refuses_a_malformed_or_missing_sbom_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "sbom.spdx.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["sbom-diff", "--title", "orders", "--new", str(broken)]) == 2
    assert f"bazaar-delivery: {broken}: not JSON" in capsys.readouterr().err
    assert main(["sbom-diff", "--title", "orders", "--new", str(tmp_path / "absent")]) == 2
    assert "cannot read the SBOM" in capsys.readouterr().err
