"""Settings as Terraform would give them to the platform, on a copy of the repository."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bazaar_common.catalog import discover
from bazaar_cost.environment import Environment, catalog_known, environment_names, read_environment
from bazaar_cost.errors import InputError
from bazaar_cost.terraform_files import TerraformFiles, read_hcl

ENVIRONMENTS = Path("infra/terraform/envs")


def read(root: Path, name: str) -> Environment:
    return read_environment(root, name, TerraformFiles(root), catalog_known(discover(root)))


def tfvars(root: Path, name: str) -> Path:
    return root / ENVIRONMENTS / name / "terraform.tfvars"


def test_the_environments_are_those_with_a_tfvars(repository: Path) -> None:
    assert environment_names(repository) == ["dev", "prod", "staging"]


def test_settings_are_the_tfvars_values(repository: Path) -> None:
    for name in environment_names(repository):
        written = read_hcl(tfvars(repository, name), name)
        settings = read(repository, name).settings
        assert settings.az_count == written["az_count"]
        assert settings.min_tasks_per_service == written["min_tasks_per_service"]
        assert settings.fargate_spot_weight == written["fargate_spot_weight"]
        assert settings.db_min_capacity == written["db_min_capacity"]
        assert settings.db_max_capacity == written["db_max_capacity"]
        assert settings.log_retention_days == written["log_retention_days"]


def test_a_changed_tfvars_line_changes_the_setting(repository: Path) -> None:
    path = tfvars(repository, "dev")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("fargate_spot_weight = 3", "fargate_spot_weight = 5"))
    assert read(repository, "dev").settings.fargate_spot_weight == 5


def _without_block(text: str, header: str) -> str:
    """A .tf file's text less one top-level block (its closing brace is a line "}")."""
    if header not in text:
        return text
    start = text.index(header)
    return text[:start] + text[text.index("\n}\n", start) + 3 :]


def _without_argument(text: str, name: str) -> str:
    return re.sub(rf"(?m)^\s*{name}\s*=.*\n", "", text)


def edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


PLATFORM_VARIABLES = Path("infra/terraform/modules/platform/variables.tf")
ARCHITECTURE_VARIABLE = """
variable "cpu_architecture" {
  type    = string
  default = "X86_64"
}
"""


def test_what_the_environment_does_not_pass_is_the_platform_default(repository: Path) -> None:
    # dev stops passing its spot weight: the platform's default (made 7 to
    # tell it apart) is what Terraform, and so the estimate, gives it.
    edit(
        repository / ENVIRONMENTS / "dev" / "main.tf",
        lambda text: _without_argument(text, "fargate_spot_weight"),
    )
    edit(
        repository / PLATFORM_VARIABLES,
        lambda text: re.sub(
            r'(variable "fargate_spot_weight" \{.*?default\s*=\s*)0', r"\g<1>7", text, flags=re.S
        ),
    )
    environment = read(repository, "dev")
    assert environment.settings.fargate_spot_weight == 7
    (warning,) = [text for text in environment.warnings if "fargate_spot_weight" in text]
    assert "passes to no module" in warning


def test_without_a_platform_variable_the_architecture_is_x86_64(repository: Path) -> None:
    edit(
        repository / PLATFORM_VARIABLES,
        lambda text: _without_block(text, 'variable "cpu_architecture"'),
    )
    edit(
        repository / ENVIRONMENTS / "dev" / "main.tf",
        lambda text: _without_argument(text, "cpu_architecture"),
    )
    assert read(repository, "dev").settings.cpu_architecture == "X86_64"


def test_an_architecture_set_and_passed_on_is_used(repository: Path) -> None:
    environment = repository / ENVIRONMENTS / "prod"
    edit(
        repository / PLATFORM_VARIABLES,
        lambda text: _without_block(text, 'variable "cpu_architecture"') + ARCHITECTURE_VARIABLE,
    )
    edit(
        environment / "variables.tf",
        lambda text: _without_block(text, 'variable "cpu_architecture"') + ARCHITECTURE_VARIABLE,
    )
    edit(
        environment / "main.tf",
        lambda text: _without_argument(text, "cpu_architecture").replace(
            '  source = "../../modules/platform"\n',
            '  source = "../../modules/platform"\n  cpu_architecture = var.cpu_architecture\n',
        ),
    )
    edit(
        environment / "terraform.tfvars",
        lambda text: _without_argument(text, "cpu_architecture") + 'cpu_architecture = "ARM64"\n',
    )
    prod = read(repository, "prod")
    assert prod.settings.cpu_architecture == "ARM64"
    assert prod.warnings == ()


def test_a_tfvars_line_the_root_does_not_declare_is_ignored_with_a_warning(
    repository: Path,
) -> None:
    path = tfvars(repository, "staging")
    path.write_text(
        path.read_text(encoding="utf-8") + '\nmade_up_setting = "ARM64"\n', encoding="utf-8"
    )
    environment = read(repository, "staging")
    (warning,) = [text for text in environment.warnings if "made_up_setting" in text]
    assert "does not declare: Terraform ignores it" in warning


def test_a_declared_line_passed_to_no_module_is_a_warning(repository: Path) -> None:
    variables = repository / ENVIRONMENTS / "dev" / "variables.tf"
    variables.write_text(
        variables.read_text(encoding="utf-8")
        + '\nvariable "unused_setting" {\n  type = number\n}\n',
        encoding="utf-8",
    )
    path = tfvars(repository, "dev")
    path.write_text(path.read_text(encoding="utf-8") + "\nunused_setting = 3\n")
    (warning,) = [text for text in read(repository, "dev").warnings if "unused_setting" in text]
    assert "passes to no module" in warning


def test_the_real_tfvars_raise_no_warning(repository: Path) -> None:
    for name in environment_names(repository):
        assert read(repository, name).warnings == ()


@pytest.mark.parametrize(
    ("key", "new", "message"),
    [
        ("az_count", "az_count = = 2", "terraform.tfvars is not valid HCL"),
        ("az_count", 'az_count = "two"', "az_count is 'two', not a whole number"),
        ("db_max_capacity", "db_max_capacity = 0", "db_max_capacity 0.0 must be above 0"),
        ("enable_autoscaling", 'enable_autoscaling = "yes"', "not true or false"),
        ("log_retention_days", "", r"var\.log_retention_days"),
    ],
)
def test_a_malformed_tfvars_is_an_error_naming_it(
    repository: Path, key: str, new: str, message: str
) -> None:
    # The line of that setting, however it is aligned, replaced (or removed).
    path = tfvars(repository, "dev")
    text, replaced = re.subn(
        rf"(?m)^{key}\s*=.*\n", f"{new}\n" if new else "", path.read_text(encoding="utf-8")
    )
    assert replaced == 1, f"dev's terraform.tfvars sets {key} once"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read(repository, "dev")


def test_an_unknown_environment_is_an_error(repository: Path) -> None:
    with pytest.raises(InputError, match="unknown environment 'qa': one of dev, prod, staging"):
        read(repository, "qa")


def test_deploy_variables_reach_the_root_below_its_tfvars(repository: Path) -> None:
    files = TerraformFiles(repository)
    known = catalog_known(discover(repository))
    deployed = {"alarm_email": "a@example.com", "fargate_spot_weight": "9"}
    dev = read_environment(repository, "dev", files, known, deployed)
    # terraform.tfvars sets fargate_spot_weight: it wins over TF_VAR_, as in Terraform.
    assert dev.settings.fargate_spot_weight == 3
    assert dev.deploy_variables == ("alarm_email",)
    assert dev.warnings == ()


def test_a_deploy_variable_the_root_does_not_declare_is_a_warning(repository: Path) -> None:
    files = TerraformFiles(repository)
    known = catalog_known(discover(repository))
    dev = read_environment(repository, "dev", files, known, {"made_up": "x"})
    (warning,) = dev.warnings
    assert "deploy variable made_up is not a variable of" in warning
    assert dev.deploy_variables == ()


def test_the_auto_pause_setting_is_read(repository: Path) -> None:
    assert read(repository, "dev").settings.db_seconds_until_auto_pause == 900
    assert read(repository, "prod").settings.db_seconds_until_auto_pause is None
