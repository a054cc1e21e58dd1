"""One environment as Terraform would build it: its settings, and the scopes to count in.

An environment is ``infra/terraform/envs/<env>``: a root configuration that
calls the platform module with its ``terraform.tfvars``. What the platform
receives is worked out the way Terraform does it: a value in
``terraform.tfvars`` (for a variable the root declares), else the root's
default, passed on by the root's ``module "platform"`` arguments, else the
platform variable's own default (``modules/platform/variables.tf``). So a
line in terraform.tfvars that the root does not declare or pass on changes
nothing, here as in Terraform, and is reported as a warning.

The environment's image registry (``infra/terraform/registry``, applied
apart with ``environment = <env>``) is part of its bill too.

What the deploy passes as ``TF_VAR_<name>`` from GitHub variables (the
alarm e-mail, the backup copy vault) no file holds: the price table's
``[deploy_variables.<env>]`` gives them, below terraform.tfvars as
Terraform ranks them, and the report names them as assumed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bazaar_common.catalog import ServiceEntry
from bazaar_cost.configuration import Known, Scope, root_scope
from bazaar_cost.errors import InputError
from bazaar_cost.terraform_files import TerraformFiles, read_hcl

TERRAFORM = Path("infra/terraform")
ENVIRONMENTS = TERRAFORM / "envs"
PLATFORM = TERRAFORM / "modules" / "platform"
REGISTRY = TERRAFORM / "registry"
TFVARS = "terraform.tfvars"

ARCHITECTURES = ("X86_64", "ARM64")
# The platform's default; also what the tasks run on while the platform has
# no cpu_architecture variable (task definitions said X86_64 before it).
DEFAULT_ARCHITECTURE = "X86_64"


@dataclass(frozen=True)
class Settings:
    """What the platform module receives that the arithmetic needs."""

    az_count: int
    min_tasks_per_service: int
    enable_autoscaling: bool
    fargate_spot_weight: int
    cpu_architecture: str
    db_min_capacity: float
    db_max_capacity: float
    log_retention_days: int
    # Idle seconds before a cluster at db_min_capacity 0 pauses; None: Aurora's
    # default (300), which it applies only at 0.
    db_seconds_until_auto_pause: int | None = None


@dataclass(frozen=True)
class Environment:
    name: str
    settings: Settings
    roots: tuple[Scope, ...]  # the environment's root and its registry's, to count in
    warnings: tuple[str, ...]
    # The deploy variables the estimate gave the root (declared there, not set in
    # terraform.tfvars): assumptions, which the report names.
    deploy_variables: tuple[str, ...] = ()


def environment_names(root: Path) -> list[str]:
    """The environments that run on AWS: those with a terraform.tfvars (not local, not moto)."""
    return sorted(path.parent.name for path in (root / ENVIRONMENTS).glob(f"*/{TFVARS}"))


def catalog_known(entries: Sequence[ServiceEntry]) -> dict[str, Known]:
    """The catalog's collections where the configuration reads them from module outputs."""
    services = {entry.name: _service_value(entry) for entry in entries}
    queues = {entry.name: {"service": entry.name} for entry in entries if entry.events.consumes}

    def queue_arn(scope: Scope) -> str | None:
        # platform/main.tf: lookup(local.queue_arns, svc, null), a queue per consumer.
        return f"queue-of-{scope.each_key}" if scope.each_key in queues else None

    return {
        str(PLATFORM): {
            "local.services": lambda _: services,
            "module.catalog.services": lambda _: services,
            "module.catalog.queues": lambda _: queues,
            "local.service_inputs[each.key].queue_arn": queue_arn,
        },
        str(REGISTRY): {"module.catalog.services": lambda _: services},
    }


def _service_value(entry: ServiceEntry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "cpu": entry.resources.cpu,
        "memory": entry.resources.memory,
        "min_tasks": entry.resources.min_tasks,
        "max_tasks": entry.resources.max_tasks,
        "publishes": list(entry.events.publishes),
        "consumes": list(entry.events.consumes),
    }


def read_environment(
    root: Path,
    name: str,
    files: TerraformFiles,
    known: Mapping[str, Known],
    deploy_variables: Mapping[str, str] | None = None,
) -> Environment:
    """``deploy_variables``: what the deploy passes as TF_VAR_<name>, below terraform.tfvars."""
    directory = root / ENVIRONMENTS / name
    tfvars_path = directory / TFVARS
    if not tfvars_path.is_file():
        choices = ", ".join(environment_names(root)) or "none"
        raise InputError(f"unknown environment {name!r}: one of {choices}")
    shown = files.shown(tfvars_path)
    tfvars = read_hcl(tfvars_path, shown)
    env_root = files.module(directory)
    deployed = dict(deploy_variables or {})
    # Terraform takes terraform.tfvars over TF_VAR_ variables of the same name.
    given = {**deployed, **tfvars}
    declared = {key: value for key, value in given.items() if key in env_root.variables}
    env_scope = root_scope(files, directory, declared, known)
    platform = _platform_scope(env_scope, root / PLATFORM)
    warnings = _ignored_lines(tfvars, env_root.variables, env_scope, shown)
    warnings += [
        f"the price table's deploy variable {key} is not a variable of "
        f"{env_scope.module.label}: Terraform ignores TF_VAR_{key}, and so does this estimate"
        for key in deployed
        if key not in env_root.variables
    ]

    def setting(variable: str) -> Any:
        return platform.setting(variable, f"{name}: the platform's {variable}")

    sources = f"{shown}, or the defaults in {files.shown(directory)} and {PLATFORM}"
    settings = Settings(
        az_count=_whole(setting("az_count"), "az_count", sources, minimum=1),
        min_tasks_per_service=_whole(
            setting("min_tasks_per_service"), "min_tasks_per_service", sources, minimum=1
        ),
        enable_autoscaling=_flag(setting("enable_autoscaling"), "enable_autoscaling", sources),
        fargate_spot_weight=_whole(
            setting("fargate_spot_weight"), "fargate_spot_weight", sources, minimum=0
        ),
        cpu_architecture=_architecture(
            platform.setting(
                "cpu_architecture",
                f"{name}: the platform's cpu_architecture",
                default=DEFAULT_ARCHITECTURE,
            ),
            sources,
        ),
        db_min_capacity=_number(setting("db_min_capacity"), "db_min_capacity", sources),
        db_max_capacity=_number(setting("db_max_capacity"), "db_max_capacity", sources),
        log_retention_days=_whole(
            setting("log_retention_days"), "log_retention_days", sources, minimum=1
        ),
        db_seconds_until_auto_pause=_optional_whole(
            platform.setting(
                "db_seconds_until_auto_pause",
                f"{name}: the platform's db_seconds_until_auto_pause",
                default=None,
            ),
            "db_seconds_until_auto_pause",
            sources,
        ),
    )
    if settings.db_max_capacity < settings.db_min_capacity or settings.db_max_capacity == 0:
        raise InputError(
            f"{name}: db_max_capacity {settings.db_max_capacity} must be above 0 and at least "
            f"db_min_capacity {settings.db_min_capacity} ({sources})"
        )
    registry = root_scope(files, root / REGISTRY, {"environment": name}, known)
    assumed = tuple(sorted(key for key in deployed if key in declared and key not in tfvars))
    return Environment(name, settings, (env_scope, registry), tuple(warnings), assumed)


def _platform_scope(env_scope: Scope, platform_directory: Path) -> Scope:
    """The environment's instance of the platform module (its one ``module`` of that source)."""
    target = platform_directory.resolve()
    found = [child for child in env_scope.children() if child.module.directory == target]
    if len(found) != 1:
        raise InputError(
            f"{env_scope.module.label} calls {PLATFORM} {len(found)} times; "
            "the estimate expects one platform per environment"
        )
    return found[0]


def _ignored_lines(
    tfvars: Mapping[str, Any],
    declared: Mapping[str, Any],
    env_scope: Scope,
    shown: str,
) -> list[str]:
    """tfvars lines Terraform ignores, or that reach no module: worth a word, not an error."""
    arguments = " ".join(
        str(value) for call in env_scope.module.calls for value in call.body.values()
    )
    warnings = []
    for key in tfvars:
        if key not in declared:
            warnings.append(
                f"{shown} sets {key}, which {env_scope.module.label} does not declare: "
                "Terraform ignores it, and so does this estimate"
            )
        elif not re.search(rf"\bvar\.{re.escape(key)}\b", arguments):
            warnings.append(
                f"{shown} sets {key}, which {env_scope.module.label} passes to no module: "
                "it changes nothing, here as in Terraform"
            )
    return warnings


def _number(value: Any, name: str, sources: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InputError(f"{name} is {value!r}, not a number of 0 or more ({sources})")
    return float(value)


def _whole(value: Any, name: str, sources: str, *, minimum: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(
            f"{name} is {value!r}, not a whole number of {minimum} or more ({sources})"
        )
    return value


def _optional_whole(value: Any, name: str, sources: str) -> int | None:
    return None if value is None else _whole(value, name, sources, minimum=1)


def _flag(value: Any, name: str, sources: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{name} is {value!r}, not true or false ({sources})")
    return value


def _architecture(value: Any, sources: str) -> str:
    if value not in ARCHITECTURES:
        raise InputError(
            f"cpu_architecture is {value!r}, not one of {', '.join(ARCHITECTURES)} ({sources})"
        )
    return str(value)
