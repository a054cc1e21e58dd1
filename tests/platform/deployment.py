"""The platform deployed to moto and run on Docker, step by step, as a test fixture uses it.

1. A Docker network with a moto server on it (``moto`` on the network, a
   loopback port on this machine).
2. ``terraform apply`` of infra/terraform/envs/moto: the platform module
   dev, staging and prod use, with the switches moto needs.
3. The local image builds tagged as the task definitions name them.
4. ``python -m bazaar_ecslocal up``: the database stand-in, every service's
   database bootstrap task, every task of every service, the gateway.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

from tests.terraform.cli import REPOSITORY_ROOT, TERRAFORM_ROOT, init, outputs, terraform

from bazaar_common.testing.ports import free_port

MOTO_ENV = TERRAFORM_ROOT / "envs" / "moto"
MOTO_IMAGE = "bazaar/devstack:local"  # moto's server comes in the devstack image
IMAGE_TAG = "local"


def run(
    *command: str,
    timeout: float = 120,
    check: bool = True,
    environment: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command,
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **environment} if environment else None,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback http
            return True
    except OSError:
        return False


def timed(label: str, started: float) -> None:
    print(f"platform: {label} in {time.monotonic() - started:.0f} s", file=sys.stderr)


@dataclass
class Deployment:
    name: str  # the network's, the run's and the containers' prefix
    state: Path
    moto_url: str = ""
    gateway_url: str = ""
    outputs: dict[str, Any] | None = None

    @property
    def bootstrap_spec(self) -> Path:
        return self.state.parent / "database_bootstrap.json"

    def ecslocal(
        self, command: str, *extra: str, timeout: float = 900
    ) -> subprocess.CompletedProcess[str]:
        arguments = [sys.executable, "-m", "bazaar_ecslocal", command, f"--run={self.name}"]
        if command != "down":
            arguments += [
                f"--moto-url={self.moto_url}",
                f"--network={self.name}",
                f"--database-bootstrap={self.bootstrap_spec}",
            ]
        return run(*arguments, *extra, timeout=timeout, check=False)

    def start_moto(self) -> None:
        run("docker", "network", "create", self.name)
        port = free_port()
        run(
            "docker", "run", "-d", f"--name={self.name}-moto", f"--network={self.name}",
            "--network-alias=moto", f"--publish=127.0.0.1:{port}:5000",
            "--read-only", "--tmpfs=/tmp", "--user=10001:10001", "--no-healthcheck",
            "-e", "AWS_ACCESS_KEY_ID=testing", "-e", "AWS_SECRET_ACCESS_KEY=testing",
            MOTO_IMAGE, "moto_server", "-H", "0.0.0.0", "-p", "5000",  # noqa: S104 - in its container
        )  # fmt: skip
        self.moto_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not answers(f"{self.moto_url}/moto-api/"):
            assert time.monotonic() < deadline, "moto did not answer"
            time.sleep(0.5)

    def apply(self) -> dict[str, Any]:
        init(MOTO_ENV)
        terraform(
            MOTO_ENV,
            "apply",
            "-auto-approve",
            "-input=false",
            f"-state={self.state}",
            f"-var=moto_url={self.moto_url}",
            "-var=tasks_moto_url=http://moto:5000",
            f"-var=image_tag={IMAGE_TAG}",
            timeout=900,
        )
        self.outputs = outputs(MOTO_ENV, self.state)
        self.bootstrap_spec.write_text(json.dumps(self.outputs["database_bootstrap"]))
        return self.outputs

    def tag_images(self) -> None:
        assert self.outputs is not None
        for service, url in self.outputs["repository_urls"].items():
            run("docker", "tag", f"bazaar/{service}:{IMAGE_TAG}", f"{url}:{IMAGE_TAG}")

    def up(self) -> subprocess.CompletedProcess[str]:
        port = free_port()
        done = self.ecslocal(
            "up", f"--gateway-port={port}", f"--state-dir={self.state.parent / 'ecslocal'}"
        )
        if done.returncode == 0:
            self.gateway_url = f"http://127.0.0.1:{port}"
        return done

    def down(self) -> None:
        self.ecslocal("down")
        run("docker", "rm", "-f", f"{self.name}-moto", check=False)
        run("docker", "network", "rm", self.name, check=False)


def new_deployment(folder: Path) -> Deployment:
    return Deployment(name=f"bazaar-platform-{uuid4().hex[:6]}", state=folder / "terraform.tfstate")
