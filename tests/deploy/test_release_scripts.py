"""scripts/deploy: the release steps deploy.yml runs, on what can run here.

images.sh asks ECR (moto, through the real AWS CLI) whether a release tag is
published; environment.sh refuses bad input before Terraform sees it. The
steps that need a real account (apply, wait, cosign) run only in deploy.yml.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any
from uuid import uuid4

import botocore.session
import pytest

from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "scripts" / "deploy" / "images.sh"
ENVIRONMENT = ROOT / "scripts" / "deploy" / "environment.sh"
# The AWS CLI as runners have it, in a tool environment of its own (uvx), so
# its botocore pin never meets the workspace's.
AWS_CLI = "awscli==1.46.2"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def aws_cli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bin_dir = tmp_path_factory.mktemp("aws-cli")
    aws = bin_dir / "aws"
    aws.write_text(f'#!/bin/sh\nexec uvx --quiet --from {AWS_CLI} aws "$@"\n', encoding="utf-8")
    aws.chmod(0o755)
    return bin_dir


def run(script: Path, *arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script), *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=300,
        cwd=ROOT,
    )


@pytest.fixture
def ecr(moto_server: MotoServer, aws_cli: Path) -> dict[str, str]:
    return {
        **FAKE_CREDENTIALS,
        "AWS_REGION": REGION,
        "AWS_ENDPOINT_URL": moto_server.url,
        "PATH": f"{aws_cli}:{os.environ['PATH']}",
    }


@pytest.fixture
def registry(moto_server: MotoServer) -> Any:
    """The same ECR as the scripts', for the tests' own set-up: no CLI start each."""
    return botocore.session.get_session().create_client(
        "ecr",
        region_name=REGION,
        endpoint_url=moto_server.url,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def published(registry: Any, repository: str, tag: str) -> str:
    """Makes the repository and an image in it; returns the digest."""
    registry.create_repository(repositoryName=repository)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1,
            "digest": "sha256:" + "a" * 64,
        },
        "layers": [],
    }
    image = registry.put_image(
        repositoryName=repository, imageTag=tag, imageManifest=json.dumps(manifest)
    )
    return str(image["image"]["imageId"]["imageDigest"])


def test_a_published_tag_answers_with_its_digest(ecr: dict[str, str], registry: Any) -> None:
    prefix = f"t{uuid4().hex[:8]}"
    digest = published(registry, f"{prefix}-dev/orders", "abc123")
    result = run(IMAGES, "digest", "dev", "orders", "abc123", env={**ecr, "NAME_PREFIX": prefix})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == digest


def test_an_unpublished_tag_is_exit_1_so_the_release_builds_it(
    ecr: dict[str, str], registry: Any
) -> None:
    prefix = f"t{uuid4().hex[:8]}"
    published(registry, f"{prefix}-dev/orders", "older")
    result = run(IMAGES, "digest", "dev", "orders", "newer", env={**ecr, "NAME_PREFIX": prefix})
    assert (result.returncode, result.stdout) == (1, "")


def test_a_missing_repository_is_an_error_not_a_reason_to_build(ecr: dict[str, str]) -> None:
    result = run(
        IMAGES, "digest", "dev", "orders", "abc", env={**ecr, "NAME_PREFIX": f"t{uuid4().hex[:8]}"}
    )
    assert result.returncode == 2
    assert "RepositoryNotFoundException" in result.stderr


def test_promotion_stops_at_an_image_the_previous_environment_never_had(
    ecr: dict[str, str], registry: Any
) -> None:
    prefix = f"t{uuid4().hex[:8]}"
    registry.create_repository(repositoryName=f"{prefix}-staging/orders")
    published(registry, f"{prefix}-dev/orders", "old")
    tags = json.dumps({"orders": "never-built"})
    result = run(IMAGES, "promote", "dev", "staging", tags, env={**ecr, "NAME_PREFIX": prefix})
    assert result.returncode == 1
    assert "orders:never-built is not in dev: it must pass dev first" in result.stderr


@pytest.mark.parametrize(
    "tags",
    ["", "[]", "{}", '{"orders": "a b"}', '{"Orders": "abc"}', '{"orders": 1}', "not json"],
)
def test_a_plan_with_bad_image_tags_is_refused_before_terraform_runs(tags: str) -> None:
    result = run(ENVIRONMENT, "plan", "dev", env={"IMAGE_TAGS": tags, "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "environment.sh: " in result.stderr
    assert not (ROOT / ".local" / "deploy" / "dev.tfplan").exists()


def test_an_unknown_environment_is_refused() -> None:
    result = run(ENVIRONMENT, "plan", "qa", '{"orders": "abc"}', env={})
    assert result.returncode == 2
    assert "unknown environment qa" in result.stderr


def test_apply_without_a_saved_plan_is_refused() -> None:
    result = run(ENVIRONMENT, "apply", "staging", env={})
    assert result.returncode == 2
    assert "no saved plan for staging" in result.stderr


@pytest.fixture
def fake_terraform(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A terraform that records its arguments and saves a plan where -out says."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "terraform"
    fake.write_text(
        '#!/bin/sh\necho "$*" >> "$TERRAFORM_LOG"\n'
        'for arg; do case $arg in -out=*) echo saved > "${arg#-out=}" ;; esac; done\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    log = tmp_path / "terraform.log"
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "TERRAFORM_LOG": str(log),
        "TF_PLUGIN_CACHE_DIR": str(tmp_path / "plugins"),
    }
    return env, log


def test_the_plan_is_saved_to_plan_file_and_that_file_is_shown_and_applied(
    tmp_path: Path, fake_terraform: tuple[dict[str, str], Path]
) -> None:
    # deploy.yml: the plan job saves and uploads it, the apply job applies the download.
    env, log = fake_terraform
    plan = tmp_path / "plan" / "tfplan"
    planned = run(
        ENVIRONMENT, "plan", "prod", '{"orders": "abc123"}', env={**env, "PLAN_FILE": str(plan)}
    )
    assert planned.returncode == 0, planned.stderr
    assert plan.read_text(encoding="utf-8") == "saved\n"
    for command in ("show", "apply"):
        done = run(ENVIRONMENT, command, "prod", str(plan), env=env)
        assert done.returncode == 0, done.stderr
    chdir = "-chdir=infra/terraform/envs/prod"
    assert log.read_text(encoding="utf-8").splitlines() == [
        f'{chdir} plan -input=false -lock=false -out={plan} -var image_tags={{"orders": "abc123"}}',
        f"{chdir} show -no-color {plan}",
        f"{chdir} apply -input=false -lock-timeout=5m {plan}",
    ]
    assert not plan.exists(), "an applied plan is used up"


@pytest.mark.parametrize("command", ["apply", "show"])
@pytest.mark.parametrize("how", ["argument", "PLAN_FILE"])
def test_a_named_plan_file_that_is_missing_is_refused_by_its_path(
    tmp_path: Path, command: str, how: str
) -> None:
    # deploy.yml's apply job names the plan its plan job uploaded.
    missing = tmp_path / "downloaded" / "tfplan"
    arguments = [str(missing)] if how == "argument" else []
    env = {"PLAN_FILE": str(missing)} if how == "PLAN_FILE" else {}
    result = run(ENVIRONMENT, command, "prod", *arguments, env={**env, "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert f"no saved plan for prod at {missing}" in result.stderr


@pytest.mark.parametrize("name", ["", "user_pool_id;rm", "-json", "Client_ID"])
def test_an_output_that_is_no_output_name_is_refused(name: str) -> None:
    # make load-users reads user_pool_id and client_id this way.
    result = run(ENVIRONMENT, "output", "staging", name, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "environment.sh: " in result.stderr
