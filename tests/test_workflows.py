"""The GitHub workflows against the Makefile, the catalog and the security rules.

CI calls make targets and builds its matrix from the catalog; these tests
keep the workflows from drifting from either, and hold every workflow to
the rules zizmor cannot see offline (pins, permissions, triggers).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bazaar_common.catalog import discover

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
FULL_SHA = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
MAKE_CALL = re.compile(r"\bmake\s+(?:-s\s+)?([a-z][a-z0-9-]*)")
# What `make lint` and `make test` consist of, and the suites .ci/run adds
# (compose, load, faults, web, platform), each of which CI must run.
CI_TARGETS = {
    "lock-check",
    "lint-python",
    "lint-containers",
    "lint-workflows",
    "lint-terraform",
    "scan",
    "test-service",
    "test-shared",
    "test-e2e",
    "test-infra",
    "test-compose",
    "test-load",
    "test-faults",
    "test-web",
    "test-platform",
}


def load(name: str) -> dict[str, Any]:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    document["on"] = document.pop(True, document.get("on"))
    return dict(document)


def workflow_names() -> list[str]:
    return sorted(path.name for path in WORKFLOWS.glob("*.yml"))


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def make_targets_called(job: dict[str, Any]) -> set[str]:
    return {target for step in steps(job) for target in MAKE_CALL.findall(step.get("run", ""))}


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, flags=re.MULTILINE))


def makefile_prerequisites(target: str) -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{target}:([^#\n]*)", text, flags=re.MULTILINE)
    assert match, f"no {target} target"
    return match.group(1).split()


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return load("ci.yml")


def test_every_make_call_in_a_workflow_names_a_makefile_target() -> None:
    targets = makefile_targets()
    for name in workflow_names():
        for job_name, job in load(name)["jobs"].items():
            unknown = make_targets_called(job) - targets
            assert not unknown, f"{name} job {job_name} calls make {unknown}, not in the Makefile"


def test_ci_runs_every_part_of_make_lint_and_make_test(ci: dict[str, Any]) -> None:
    called = set().union(*(make_targets_called(job) for job in ci["jobs"].values()))
    assert called >= CI_TARGETS, f"ci.yml never runs {CI_TARGETS - called}"
    assert set(makefile_prerequisites("lint")) <= called


def test_the_service_matrix_is_the_catalog(ci: dict[str, Any]) -> None:
    plan = ci["jobs"]["plan"]
    assert "make -s services" in "".join(step.get("run", "") for step in steps(plan))
    assert ci["jobs"]["test-service"]["strategy"]["matrix"] == {
        "service": "${{ fromJSON(needs.plan.outputs.services) }}"
    }
    printed = subprocess.run(
        ["make", "-s", "services"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(printed) == [entry.name for entry in discover(ROOT)]


def test_no_workflow_lists_services_by_hand() -> None:
    names = {entry.name for entry in discover(ROOT)}
    for name in workflow_names():
        for job_name, job in load(name)["jobs"].items():
            for value in json.dumps(job.get("strategy", {})).split('"'):
                assert value not in names, (
                    f"{name} job {job_name} names service {value} in its matrix"
                )


def ran_as_make_test(config: pytest.Config) -> bool:
    """Whether this session collected what `make test` does: its testpaths, nothing left out.

    Options that only spread or order tests (xdist's, -p no:cacheprovider)
    change no test id.
    """
    option = config.option
    return (
        config.args_source is pytest.Config.ArgsSource.TESTPATHS
        and not option.keyword
        and not option.markexpr
        and not option.deselect
        and not option.ignore
        and not option.ignore_glob
        and not getattr(option, "lf", False)
        and not getattr(option, "stepwise", False)
    )


def test_ci_splits_make_test_into_parts_that_run_exactly_its_tests(
    request: pytest.FixtureRequest,
) -> None:
    """The per-service jobs, test-shared, test-e2e and test-infra collect what `make test` does."""

    def ids(nodeids: list[str]) -> Counter[str]:
        """Test ids, parameters left out: some are generated anew at each collection."""
        return Counter(nodeid.split("[")[0] for nodeid in nodeids)

    def collected(*arguments: str) -> Counter[str]:
        """Test ids, parameters left out: some are generated anew at each collection."""
        result = subprocess.run(
            [
                "uv",
                "run",
                "--no-sync",
                "pytest",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
                *arguments,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return ids([line for line in result.stdout.splitlines() if "::" in line])

    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    shared = re.search(r"^SHARED_TESTS := (.+)$", text, flags=re.MULTILINE)
    assert shared
    service_dirs = sorted(path.name for path in (ROOT / "services").iterdir() if path.is_dir())
    assert service_dirs == [entry.name for entry in discover(ROOT)], (
        "services/ holds catalog services only"
    )
    parts = [
        *(f"services/{name}" for name in service_dirs),
        "tests/e2e",
        "tests/terraform",
    ]
    # Under `make test` (each xdist worker collects every test) this session's
    # own collection is make test's: one collection of the suite fewer.
    session = request.session
    whole = (
        ids([item.nodeid for item in session.items])
        if ran_as_make_test(session.config)
        else collected()
    )
    pieces = collected(*parts) + collected(*shlex.split(shared.group(1)))
    assert whole, "make test collects tests"
    assert pieces == whole, {
        "only in make test": sorted((whole - pieces).elements())[:5],
        "only in CI": sorted((pieces - whole).elements())[:5],
    }


@pytest.mark.parametrize("name", workflow_names())
def test_every_action_is_pinned_to_a_full_commit_sha(name: str) -> None:
    for job_name, job in load(name)["jobs"].items():
        uses = (
            [job["uses"]]
            if "uses" in job
            else [step["uses"] for step in steps(job) if "uses" in step]
        )
        for reference in uses:
            local = reference.startswith("./.github/workflows/")
            assert local or FULL_SHA.match(reference), (
                f"{name} job {job_name}: {reference} is not pinned"
            )
            if local:
                assert (ROOT / reference).is_file(), (
                    f"{name} job {job_name}: {reference} does not exist"
                )


PIN = re.compile(r"^\s*(?:-\s+)?uses:\s*([^@\s]+)@([0-9a-f]{40})(?:\s+#\s*(\S+))?\s*$")
ADR_PIN = re.compile(r"^\| ([\w.-]+/[\w.-]+) \| (v[^\s|]+) \| ([0-9a-f]{40}) \|", re.MULTILINE)


def action_pins() -> list[tuple[str, str, str | None, str]]:
    """(action, commit, the tag in its comment, where) of every `uses:` line pinned by sha."""
    pins = []
    for name in workflow_names():
        lines = (WORKFLOWS / name).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if "uses:" not in line or "uses: ./" in line:
                continue
            match = PIN.match(line)
            assert match, f"{name}:{number}: not `uses: owner/name@<sha> # <tag>`: {line.strip()}"
            pins.append((match[1], match[2], match[3], f"{name}:{number}"))
    return pins


def test_every_action_pin_is_the_release_adr_0010_records() -> None:
    """Each pin names its tag, and is the commit ADR 0010 verified that tag points to."""
    adr = (ROOT / "docs" / "adr" / "0010-delivery.md").read_text(encoding="utf-8")
    assert "## Action pins" in adr
    recorded = {
        action: (tag, commit)
        for action, tag, commit in ADR_PIN.findall(adr.split("## Action pins")[1])
    }
    pins = action_pins()
    assert pins, "the workflows pin actions"
    for action, commit, tag, where in pins:
        assert tag, f"{where}: {action}@{commit} does not name its release in a comment"
        assert recorded.get(action) == (tag, commit), (
            f"{where}: {action}@{commit} # {tag} is not ADR 0010's pin {recorded.get(action)}"
        )
    assert set(recorded) == {action for action, *_ in pins}, "ADR 0010 lists pins no workflow uses"


@pytest.mark.parametrize("name", workflow_names())
def test_permissions_are_empty_by_default_and_granted_per_job(name: str) -> None:
    workflow = load(name)
    assert workflow["permissions"] == {}, f"{name}: top-level permissions must be {{}}"
    assert "pull_request_target" not in workflow["on"], (
        f"{name}: pull_request_target runs untrusted code with secrets"
    )
    for job_name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{name} job {job_name} has no permissions of its own"
        granted = {key: value for key, value in job["permissions"].items() if value != "none"}
        assert "write-all" not in json.dumps(job["permissions"])
        assert set(granted) <= {"contents", "id-token", "attestations"}, (
            f"{name} job {job_name}: {granted}"
        )
        assert granted.get("contents") == "read", (
            f"{name} job {job_name} may only read the repository"
        )


def uses_aws_or_signs(job: dict[str, Any]) -> bool:
    if job.get("uses", "").endswith("deploy-environment.yml"):
        return True
    actions = {step.get("uses", "").split("@")[0] for step in steps(job)}
    return bool(actions & {"aws-actions/configure-aws-credentials", "actions/attest"})


@pytest.mark.parametrize("name", workflow_names())
def test_only_jobs_that_reach_aws_or_sign_get_an_oidc_token(name: str) -> None:
    for job_name, job in load(name)["jobs"].items():
        wants_token = job["permissions"].get("id-token") == "write"
        assert wants_token == uses_aws_or_signs(job), (
            f"{name} job {job_name}: id-token {wants_token}"
        )


def test_ci_cancels_superseded_runs_and_deploys_never_cancel_an_apply() -> None:
    assert load("ci.yml")["concurrency"]["cancel-in-progress"] is True
    jobs = load("deploy-environment.yml")["jobs"]
    # The plan shares the apply's group: one made during an apply would be stale.
    for name in ("plan", "apply"):
        assert jobs[name]["concurrency"] == {
            "group": "deploy-${{ inputs.environment }}",
            "cancel-in-progress": False,
        }, name


def test_every_job_has_a_timeout() -> None:
    for name in workflow_names():
        for job_name, job in load(name)["jobs"].items():
            assert "uses" in job or 0 < job.get("timeout-minutes", 0) <= 120, (
                f"{name} job {job_name} has no timeout"
            )


def step_index(job: dict[str, Any], needle: str) -> int:
    """The index of the one step whose `run` or `uses` contains needle."""
    found = [
        index
        for index, step in enumerate(steps(job))
        if needle in step.get("run", "") or needle in step.get("uses", "")
    ]
    assert len(found) == 1, f"{needle!r} is in steps {found}, not in exactly one"
    return found[0]


def download_index(job: dict[str, Any], artifact_ids: str) -> int:
    """The index of the one download-artifact step that fetches artifact_ids."""
    found = [
        index
        for index, step in enumerate(steps(job))
        if "actions/download-artifact" in step.get("uses", "")
        and step.get("with", {}).get("artifact-ids") == artifact_ids
    ]
    assert len(found) == 1, f"{artifact_ids!r} is downloaded in steps {found}, not in exactly one"
    return found[0]


PLAN_ARTIFACT = "${{ needs.plan.outputs.artifact-id }}"
WEB_ARTIFACT = "${{ inputs.web-artifact-id }}"


@pytest.fixture(scope="module")
def environment_jobs() -> dict[str, Any]:
    return dict(load("deploy-environment.yml")["jobs"])


def test_an_environment_is_planned_in_one_job_and_applied_in_the_next(
    environment_jobs: dict[str, Any],
) -> None:
    plan, apply = environment_jobs["plan"], environment_jobs["apply"]
    assert set(environment_jobs) == {"plan", "apply"}
    # The plan job's GitHub environment has no reviewers and the read-only
    # role; the apply job's (prod: required reviewers) has the deploy role.
    assert plan["environment"] == "${{ inputs.environment }}-plan"
    assert apply["environment"]["name"] == "${{ inputs.environment }}"
    assert apply["needs"] == "plan"
    for job in (plan, apply):
        role = steps(job)[step_index(job, "aws-actions/configure-aws-credentials")]
        assert role["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"


def test_the_plan_job_only_reads(environment_jobs: dict[str, Any]) -> None:
    plan = environment_jobs["plan"]
    assert make_targets_called(plan) == {"deploy-init", "deploy-plan", "deploy-show"}
    assert not [step for step in steps(plan) if "ecr-login" in step.get("uses", "")]


def test_the_plan_is_shown_to_the_approver_and_uploaded_with_its_sha256(
    environment_jobs: dict[str, Any],
) -> None:
    plan = environment_jobs["plan"]
    planned = steps(plan)[step_index(plan, "make deploy-plan")]
    assert 'PLAN="$PLAN"' in planned["run"]
    assert "sha256sum" in planned["run"]
    assert planned["env"]["PLAN"] == "${{ runner.temp }}/plan/tfplan"
    shown = steps(plan)[step_index(plan, "make -s deploy-show")]
    assert "GITHUB_STEP_SUMMARY" in shown["run"]
    assert shown["env"]["PLAN"] == planned["env"]["PLAN"]
    upload = steps(plan)[step_index(plan, "actions/upload-artifact")]
    assert upload["with"]["path"] == "${{ runner.temp }}/plan/"
    assert upload["with"]["if-no-files-found"] == "error"
    assert 1 <= upload["with"]["retention-days"] <= 3
    assert step_index(plan, "make -s deploy-show") < step_index(plan, "actions/upload-artifact")
    assert plan["outputs"] == {
        "artifact-id": f"${{{{ steps.{upload['id']}.outputs.artifact-id }}}}",
        "sha256": f"${{{{ steps.{planned['id']}.outputs.sha256 }}}}",
    }


def test_the_apply_job_applies_exactly_that_plan_in_order(
    environment_jobs: dict[str, Any],
) -> None:
    apply = environment_jobs["apply"]
    download = steps(apply)[download_index(apply, PLAN_ARTIFACT)]
    assert download["with"] == {
        "artifact-ids": PLAN_ARTIFACT,
        "path": "${{ runner.temp }}/plan",
    }
    assert apply["env"]["PLAN_SHA256"] == "${{ needs.plan.outputs.sha256 }}"
    checked = step_index(apply, "sha256sum --check")
    applied = steps(apply)[step_index(apply, "make deploy-apply")]
    assert 'PLAN="$PLAN"' in applied["run"]
    assert applied["env"]["PLAN"] == "${{ runner.temp }}/plan/tfplan"
    order = [
        download_index(apply, PLAN_ARTIFACT),
        checked,
        step_index(apply, "aws-actions/configure-aws-credentials"),
        step_index(apply, "make promote-images"),
        step_index(apply, "make -s deployed-tags"),
        step_index(apply, "make deploy-apply"),
        step_index(apply, "make deploy-database"),
        step_index(apply, "make deploy-wait"),
        step_index(apply, "make smoke"),
        step_index(apply, "make load-test"),
        step_index(apply, "make deploy-rollback"),
    ]
    assert order == sorted(order), order
    rollback = steps(apply)[step_index(apply, "make deploy-rollback")]
    assert rollback["if"].startswith("failure()")


def test_the_web_app_is_built_once_without_aws_and_each_environment_publishes_it(
    environment_jobs: dict[str, Any],
) -> None:
    """One build of web/, by a job without AWS access, published after each smoke test."""
    jobs = load("deploy.yml")["jobs"]
    web = jobs["web"]
    assert web["permissions"] == {"contents": "read"}, "npm's packages never run beside a role"
    assert "environment" not in web
    assert make_targets_called(web) == {"web"}
    upload = steps(web)[step_index(web, "actions/upload-artifact")]
    assert upload["with"]["path"] == "web/dist/"
    assert upload["with"]["if-no-files-found"] == "error"
    assert web["outputs"]["artifact-id"] == f"${{{{ steps.{upload['id']}.outputs.artifact-id }}}}"
    node = steps(web)[step_index(web, "actions/setup-node")]
    assert node["with"]["package-manager-cache"] is False
    for environment in ("dev", "staging", "prod"):
        assert "web" in jobs[environment]["needs"], environment
        assert jobs[environment]["with"]["web-artifact-id"] == (
            "${{ needs.web.outputs.artifact-id }}"
        )

    apply = environment_jobs["apply"]
    download = steps(apply)[download_index(apply, WEB_ARTIFACT)]
    publish = steps(apply)[step_index(apply, "make web-publish")]
    assert publish["env"]["WEB_DIST"] == download["with"]["path"]
    assert 'DIST="$WEB_DIST"' in publish["run"]
    # After the services are up and answering, before the load test and the rollback.
    order = [
        step_index(apply, "make smoke"),
        download_index(apply, WEB_ARTIFACT),
        step_index(apply, "make web-publish"),
        step_index(apply, "make load-test"),
        step_index(apply, "make deploy-rollback"),
    ]
    assert order == sorted(order), order
    assert "web-publish" not in make_targets_called(environment_jobs["plan"])


def test_deploys_run_ci_first_and_promote_dev_then_staging_then_prod() -> None:
    jobs = load("deploy.yml")["jobs"]
    assert jobs["ci"]["uses"] == "./.github/workflows/ci.yml"
    assert "ci" in jobs["release"]["needs"]
    order = [
        (job, jobs[job]["with"]["environment"], jobs[job]["with"].get("promote-from"))
        for job in ("dev", "staging", "prod")
    ]
    assert order == [
        ("dev", "dev", None),
        ("staging", "staging", "dev"),
        ("prod", "prod", "staging"),
    ]
    assert "dev" in jobs["staging"]["needs"]
    assert "staging" in jobs["prod"]["needs"]
    assert jobs["publish"]["environment"] == "dev"
    assert "publish" in jobs["dev"]["needs"]


def test_every_environment_variable_a_deploy_reads_is_documented() -> None:
    used = set()
    for name in workflow_names():
        used |= set(
            re.findall(r"vars\.([A-Z][A-Z0-9_]*)", (WORKFLOWS / name).read_text(encoding="utf-8"))
        )
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert used, "deploys read their settings from environment variables"
    assert not [var for var in used if f"`{var}`" not in docs], (
        "docs/deploy.md must describe each of them"
    )


def test_no_workflow_stores_aws_keys() -> None:
    for name in workflow_names():
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "aws-access-key-id" not in text, name
        assert "secrets.AWS" not in text, name
