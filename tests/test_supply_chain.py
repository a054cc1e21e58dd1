"""The supply-chain checks are wired into the workflows (ADR 0018).

They need GitHub's network (PyPI's advisories, trivy's database, the
registry), so here they cannot run; these tests hold that they exist, run
when the other CI jobs do, gate on findings, cover every image CI builds,
and that a release's SBOM diff reaches the deploy summary.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.test_workflows import ROOT, load, make_targets_called, step_index, steps

BUILD_ACTION = "docker/build-push-action"


def makefile_recipe(target: str) -> str:
    """The recipe lines of one Makefile target, the Makefile's own variables expanded."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{target}:[^\n]*\n((?:\t[^\n]*\n)+)", text, flags=re.MULTILINE)
    assert match, f"no {target} target with a recipe"
    recipe = match.group(1)
    variables = dict(re.findall(r"^([A-Z_]+) [:?]?= (.+)$", text, flags=re.MULTILINE))
    for _ in range(5):  # variables made of variables
        recipe = re.sub(r"\$\(([A-Z_]+)\)", lambda m: variables.get(m[1], m[0]), recipe)
    return recipe


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return load("ci.yml")


@pytest.fixture(scope="module")
def deploy() -> dict[str, Any]:
    return load("deploy.yml")


def jobs_calling(workflow: dict[str, Any], target: str) -> list[str]:
    return [name for name, job in workflow["jobs"].items() if target in make_targets_called(job)]


def test_ci_audits_the_lock_on_every_pull_request_and_before_every_deploy(
    ci: dict[str, Any], deploy: dict[str, Any]
) -> None:
    assert jobs_calling(ci, "audit-deps") == ["audit-deps"]
    assert "pull_request" in ci["on"]
    assert "workflow_call" in ci["on"]
    assert deploy["jobs"]["ci"]["uses"] == "./.github/workflows/ci.yml"
    # Like the lint jobs: no `if` that could skip it.
    assert "if" not in ci["jobs"]["audit-deps"]


def test_the_dependency_audit_reads_the_whole_lock_and_fails_on_a_finding() -> None:
    recipe = makefile_recipe("audit-deps")
    assert "uvx --quiet --from pip-audit==" in recipe, "pip-audit, pinned, from PyPI"
    export = re.search(r"uv export[^\n]*\n?[^\n]*", recipe)
    assert export
    for flag in ("--locked", "--all-packages", "--all-groups", "--all-extras"):
        assert flag in export.group(0), f"the audit must see every pin: {flag}"
    # pip-audit exits 1 on a finding; --strict also fails on a package it
    # could not look up, and nothing may swallow the status.
    for flag in ("--strict", "--require-hashes", "--disable-pip"):
        assert flag in recipe
    assert "|| true" not in recipe
    assert "--exit-zero" not in recipe
    assert "accepted-findings --file .github/audit/ignore.yaml" in recipe


def built_images(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any], int, str]]:
    """(job name, job, step index, image tag) of every image build in a workflow."""
    return [
        (name, job, index, step["with"]["tags"])
        for name, job in workflow["jobs"].items()
        for index, step in enumerate(steps(job))
        if step.get("uses", "").startswith(f"{BUILD_ACTION}@")
    ]


def test_every_image_ci_builds_is_loaded_and_scanned_after_its_build(ci: dict[str, Any]) -> None:
    builds = built_images(ci)
    assert builds, "ci.yml builds images"
    for name, job, index, tag in builds:
        build = steps(job)[index]
        assert build["with"].get("load") is True, f"{name}: the scan needs the image in Docker"
        scans = [
            (position, step)
            for position, step in enumerate(steps(job))
            if "make scan-image" in step.get("run", "")
        ]
        assert scans, f"ci.yml job {name} builds {tag} and never scans it"
        position, scan = scans[0]
        assert position > index, f"{name}: the scan runs before the build"
        assert scan["env"]["IMAGE"] == tag, f"{name}: scans {scan['env']['IMAGE']}, built {tag}"
        assert 'IMAGE="$IMAGE"' in scan["run"]
        assert "if" not in scan, f"{name}: the scan must always run"
        assert not scan.get("continue-on-error"), f"{name}: the scan must gate"
        setup = step_index(job, "aquasecurity/setup-trivy")
        assert setup < position
        assert re.fullmatch(r"v\d+\.\d+\.\d+", steps(job)[setup]["with"]["version"])


def test_the_images_job_builds_every_changed_catalog_service(ci: dict[str, Any]) -> None:
    """The matrix the scan runs in is the catalog's changed services, never a list by hand."""
    images = ci["jobs"]["images"]
    assert images["strategy"]["matrix"] == {
        "service": "${{ fromJSON(needs.plan.outputs.changed) }}"
    }
    plan = "".join(step.get("run", "") for step in steps(ci["jobs"]["plan"]))
    assert "make -s changed-services" in plan
    assert [tag for *_, tag in built_images(ci)] == ["bazaar/${{ matrix.service }}:ci"]


def test_the_image_scan_fails_on_fixable_high_and_critical_and_keeps_a_report() -> None:
    recipe = makefile_recipe("scan-image")
    gate = [line for line in recipe.splitlines() if "--exit-code" in line]
    assert len(gate) == 1
    assert "--exit-code 1" in gate[0]
    assert "--severity HIGH,CRITICAL" in gate[0]
    assert "--ignore-unfixed" in gate[0]
    assert "--ignorefile .github/audit/ignore.yaml" in gate[0]
    assert "--format sarif" in recipe
    assert "uvx" not in recipe, "trivy's official build, not a repackaging"


def test_the_scan_report_is_uploaded_even_when_the_scan_failed(ci: dict[str, Any]) -> None:
    images = ci["jobs"]["images"]
    scan = steps(images)[step_index(images, "make scan-image")]
    upload = steps(images)[step_index(images, "actions/upload-artifact")]
    assert upload["if"].startswith("always()")
    assert scan["env"]["SCAN_REPORT"].startswith(upload["with"]["path"])


def test_each_release_writes_its_sbom_diff_to_the_deploy_summary(deploy: dict[str, Any]) -> None:
    release, publish = deploy["jobs"]["release"], deploy["jobs"]["publish"]
    plan = "".join(step.get("run", "") for step in steps(release))
    assert "make -s previous-image-tags" in plan
    assert "previous-tags" in release["outputs"]
    assert publish["env"]["PREVIOUS"] == (
        "${{ fromJSON(needs.release.outputs.previous-tags)[matrix.service] }}"
    )
    sbom = step_index(publish, "make -s sbom-diff")
    diff = steps(publish)[sbom]
    assert '>> "$GITHUB_STEP_SUMMARY"' in diff["run"]
    assert "NEW=sbom.spdx.json" in diff["run"]
    assert diff["if"] == "steps.present.outputs.digest == ''", "every newly built image"
    # This release's SBOM is the one the publish job attests.
    sbom_actions = [
        step for step in steps(publish) if step.get("uses", "").startswith("anchore/sbom-action@")
    ]
    assert sbom_actions[0]["with"]["output-file"] == "sbom.spdx.json"
    # The previous release's: its image, by digest, from the same registry.
    previous = steps(publish)[step_index(publish, 'TAG="$PREVIOUS"')]
    assert "make -s image-digest ENV=dev" in previous["run"]
    assert sbom_actions[1]["with"]["image"].endswith(
        f"@${{{{ steps.{previous['id']}.outputs.digest }}}}"
    )
    # A summary never blocks the release, and comes after the signature.
    assert step_index(publish, "cosign sign") < step_index(publish, 'TAG="$PREVIOUS"') < sbom
    assert diff.get("continue-on-error") is True
