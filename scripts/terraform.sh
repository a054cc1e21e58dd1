#!/usr/bin/env bash
# terraform, able to initialise where no registry answers.
#
#   scripts/terraform.sh -chdir=infra/terraform/envs/dev init -backend=false
#
# On a normal machine this is plain terraform: a CLI configuration of your own
# (TF_CLI_CONFIG_FILE, ~/.terraformrc) is left alone, and `terraform init`
# downloads hashicorp/aws from the registry as usual. Where a local provider
# mirror exists (TF_PROVIDER_MIRROR, or one of the usual plugin folders) and
# no CLI configuration does, it writes one that installs hashicorp/* from
# that mirror only, and points TF_CLI_CONFIG_FILE at it for this command.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)

find_mirror() {
  local candidate
  for candidate in "${TF_PROVIDER_MIRROR:-}" /opt/tf-plugins \
      "$HOME/.terraform.d/plugins" /usr/local/share/terraform/plugins /usr/share/terraform/plugins; do
    if [[ -n "$candidate" && -d "$candidate/registry.terraform.io/hashicorp/aws" ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

config_in_use() {
  if [[ -n "${TF_CLI_CONFIG_FILE:-}" ]]; then
    [[ -f "$TF_CLI_CONFIG_FILE" ]]
  else
    [[ -f "$HOME/.terraformrc" ]]
  fi
}

if ! config_in_use && mirror=$(find_mirror); then
  config="$root/.local/terraform/mirror.tfrc"
  mkdir -p "$(dirname "$config")"
  cat >"$config" <<TFRC
# Written by scripts/terraform.sh: hashicorp providers from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
TFRC
  export TF_CLI_CONFIG_FILE="$config"
fi

# One download of each provider for every folder (modules, envs, tests),
# instead of one per folder's .terraform.
export TF_PLUGIN_CACHE_DIR=${TF_PLUGIN_CACHE_DIR:-$root/.local/terraform/plugin-cache}
mkdir -p "$TF_PLUGIN_CACHE_DIR"
# No "new version available" calls from a machine that cannot reach them.
export CHECKPOINT_DISABLE=1
exec terraform "$@"
