"""scripts/deploy/web.sh publish: a build of the browser app to its bucket, on moto.

The AWS CLI is the real one (as in test_release_scripts), talking to the
session's moto server; terraform is a stand-in on PATH that answers
``output -raw web_bucket`` and ``web_distribution_id`` as the environment's
state would. What is checked is what a browser depends on: each file's
Cache-Control, config.json left to Terraform, the previous release's files
gone, /index.html invalidated.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any
from uuid import uuid4

import botocore.session
import pytest

from bazaar_common.testing.moto import FAKE_CREDENTIALS, REGION, MotoServer

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "scripts" / "deploy" / "web.sh"
# The AWS CLI as runners have it, in a tool environment of its own (uvx).
AWS_CLI = "awscli==1.46.2"
IMMUTABLE = "public,max-age=31536000,immutable"
TERRAFORMS_CONFIG = b'{"auth":{"clientId":"set-by-terraform"}}'

pytestmark = pytest.mark.slow

FAKE_TERRAFORM = """#!/bin/sh
# terraform as environment.sh output calls it, for envs/dev.
case "$*" in
  "-chdir=infra/terraform/envs/dev output -raw web_bucket")
    printf %s "$WEB_BUCKET_OUTPUT" ;;
  "-chdir=infra/terraform/envs/dev output -raw web_distribution_id")
    printf %s "$WEB_DISTRIBUTION_OUTPUT" ;;
  *) echo "Error: Output not found: $*" >&2; exit 1 ;;
esac
"""


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bin_dir = tmp_path_factory.mktemp("web-publish-bin")
    aws = bin_dir / "aws"
    aws.write_text(f'#!/bin/sh\nexec uvx --quiet --from {AWS_CLI} aws "$@"\n', encoding="utf-8")
    terraform = bin_dir / "terraform"
    terraform.write_text(FAKE_TERRAFORM, encoding="utf-8")
    for tool in (aws, terraform):
        tool.chmod(0o755)
    return bin_dir


def client(moto_server: MotoServer, name: str) -> Any:
    return botocore.session.get_session().create_client(
        name,
        region_name=REGION,
        endpoint_url=moto_server.url,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def environment(moto_server: MotoServer, tools: Path) -> dict[str, Any]:
    """dev's bucket (the previous release, Terraform's config.json) and its distribution."""
    s3, cloudfront = client(moto_server, "s3"), client(moto_server, "cloudfront")
    bucket = f"bazaar-dev-web-{uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket=bucket, Key="config.json", Body=TERRAFORMS_CONFIG)
    s3.put_object(Bucket=bucket, Key="assets/index-old.js", Body=b"old")
    s3.put_object(Bucket=bucket, Key="robots-old.txt", Body=b"old")
    reference = uuid4().hex
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": reference,
            "Comment": "web.sh's test",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "app",
                        "DomainName": f"{bucket}.s3.{REGION}.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "app",
                "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
        }
    )["Distribution"]["Id"]
    return {
        "s3": s3,
        "cloudfront": cloudfront,
        "bucket": bucket,
        "distribution": distribution,
        "env": {
            **FAKE_CREDENTIALS,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": moto_server.url,
            "PATH": f"{tools}:{os.environ['PATH']}",
            "WEB_BUCKET_OUTPUT": bucket,
            "WEB_DISTRIBUTION_OUTPUT": distribution,
        },
    }


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """web/dist as npm run build leaves it, with the local config.json the app is built with."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(
        '<!doctype html><script type="module" src="/assets/index-3f2a9c.js"></script>',
        encoding="utf-8",
    )
    (dist / "assets" / "index-3f2a9c.js").write_text("console.log(1)", encoding="utf-8")
    (dist / "assets" / "index-7b1e0d.css").write_text("body{}", encoding="utf-8")
    (dist / "favicon.svg").write_text("<svg/>", encoding="utf-8")
    (dist / "config.json").write_text('{"auth":{"clientId":"local"}}', encoding="utf-8")
    return dist


def publish(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(WEB), "publish", *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
        timeout=300,
        cwd=ROOT,
    )


def test_a_release_publishes_the_build_with_each_files_cache_control(environment, build):
    done = publish("dev", str(build), env=environment["env"])
    assert done.returncode == 0, done.stderr
    s3, bucket = environment["s3"], environment["bucket"]

    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == {
        "index.html",
        "favicon.svg",
        "assets/index-3f2a9c.js",
        "assets/index-7b1e0d.css",
        "config.json",
    }, "the previous release's asset and file are gone; config.json stays"

    def head(key: str) -> dict[str, Any]:
        return dict(s3.head_object(Bucket=bucket, Key=key))

    for asset in ("assets/index-3f2a9c.js", "assets/index-7b1e0d.css"):
        assert head(asset)["CacheControl"] == IMMUTABLE, asset
    index = head("index.html")
    assert index["CacheControl"] == "no-cache"
    assert index["ContentType"] == "text/html; charset=utf-8"
    assert head("favicon.svg")["CacheControl"] == "no-cache"
    assert head("assets/index-3f2a9c.js")["ContentType"] in {
        "text/javascript",
        "application/javascript",
    }

    # config.json is Terraform's: the build's local one never replaces it.
    assert s3.get_object(Bucket=bucket, Key="config.json")["Body"].read() == TERRAFORMS_CONFIG


def test_the_release_invalidates_index_html_in_the_environments_distribution(environment, build):
    done = publish("dev", str(build), env=environment["env"])
    assert done.returncode == 0, done.stderr
    cloudfront, distribution = environment["cloudfront"], environment["distribution"]
    listed = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]
    (invalidation,) = listed["Items"]
    # The last line: the invalidation's id, after the CLI's upload and delete lines.
    assert done.stdout.strip().splitlines()[-1] == invalidation["Id"]
    batch = cloudfront.get_invalidation(DistributionId=distribution, Id=invalidation["Id"])
    assert batch["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/index.html"]


def test_without_a_build_nothing_is_published(environment, tmp_path):
    done = publish("dev", str(tmp_path / "empty"), env=environment["env"])
    assert done.returncode == 2
    assert "build the app first" in done.stderr
    keys = {
        item["Key"]
        for item in environment["s3"].list_objects_v2(Bucket=environment["bucket"])["Contents"]
    }
    assert "index.html" not in keys


def test_an_environment_without_the_web_app_is_refused(environment, build):
    # terraform output -raw fails on a null output: enable_web off.
    env = {**environment["env"], "WEB_BUCKET_OUTPUT": ""}
    done = publish("dev", str(build), env=env)
    assert done.returncode == 2
    assert "dev has no web_bucket output" in done.stderr


def test_an_unknown_environment_is_refused(build):
    done = publish("qa", str(build), env={})
    assert done.returncode == 2
    assert "unknown environment qa" in done.stderr
