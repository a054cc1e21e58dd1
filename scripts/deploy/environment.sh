#!/usr/bin/env bash
# One environment's release steps, as deploy.yml runs them (and as a person
# with the environment's role can run them by hand):
#
#   scripts/deploy/environment.sh init     <env>          terraform init against the state bucket
#   scripts/deploy/environment.sh deployed <env>          the image tags running now (JSON; {} before the first deploy)
#   scripts/deploy/environment.sh plan     <env> [tags]   terraform plan -out with these image tags (JSON; default $IMAGE_TAGS)
#   scripts/deploy/environment.sh apply    <env>          apply exactly the saved plan
#   scripts/deploy/environment.sh wait     <env>          until every ECS service is stable
#   scripts/deploy/environment.sh rollback <env> [tags]   plan + apply + wait with the previous tags
#   scripts/deploy/environment.sh output   <env> <name>   one output of the environment (terraform output -raw)
#
# Settings from the environment (GitHub environment variables in deploy.yml):
# TF_STATE_BUCKET, TF_STATE_KMS_KEY_ARN, AWS_REGION; TF_VAR_certificate_arn.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
command=${1:?usage: environment.sh init|deployed|plan|apply|wait|rollback|output <env> [tags-json|name]}
env=${2:?the environment: dev, staging or prod}
case "$env" in dev | staging | prod) ;; *) echo "environment.sh: unknown environment $env" >&2; exit 2 ;; esac
dir=infra/terraform/envs/$env
plan_file=$root/.local/deploy/$env.tfplan
tf() { "$root/scripts/terraform.sh" -chdir="$dir" "$@"; }
cd "$root"

# Image tags arrive as JSON ({"orders": "<sha>", ...}); refuse anything else
# before Terraform sees it, so a bad input changes nothing.
tags_var() {
  python3 - "$1" <<'PY'
import json, re, sys
try:
    tags = json.loads(sys.argv[1])
except ValueError as error:
    sys.exit(f"environment.sh: image tags are not JSON: {error}")
if not isinstance(tags, dict) or not tags:
    sys.exit("environment.sh: image tags must be a non-empty JSON object")
for service, tag in tags.items():
    if not re.fullmatch(r"[a-z][a-z0-9-]{1,30}", service) or not isinstance(tag, str) \
            or not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", tag):
        sys.exit(f"environment.sh: not an image tag: {service!r}: {tag!r}")
print("image_tags=" + json.dumps(tags))
PY
}

wait_stable() {
  local cluster services
  cluster=$(tf output -raw cluster_name)
  mapfile -t services < <(tf output -json service_names | python3 -c 'import json, sys; print(*json.load(sys.stdin).values(), sep="\n")')
  echo "environment.sh: waiting for ${services[*]} on $cluster to be stable" >&2
  # services-stable polls every 15 s, 40 times: ten minutes, longer than a
  # rolling deploy's health checks; the circuit breaker rolls back sooner.
  aws ecs wait services-stable --cluster "$cluster" --services "${services[@]}"
}

plan() {
  local variable
  variable=$(tags_var "$1")
  mkdir -p "$(dirname "$plan_file")"
  tf plan -input=false -lock-timeout=5m -out="$plan_file" -var "$variable"
}

apply() {
  [[ -f "$plan_file" ]] || { echo "environment.sh: no saved plan for $env: run plan first" >&2; exit 2; }
  tf apply -input=false -lock-timeout=5m "$plan_file"
  rm -f "$plan_file"
}

case "$command" in
  init)
    : "${TF_STATE_BUCKET:?TF_STATE_BUCKET: the bootstrap's state bucket}"
    : "${TF_STATE_KMS_KEY_ARN:?TF_STATE_KMS_KEY_ARN: the bootstrap's KMS key}"
    : "${AWS_REGION:?AWS_REGION}"
    tf init -input=false -reconfigure \
      -backend-config="bucket=$TF_STATE_BUCKET" -backend-config="key=envs/$env/terraform.tfstate" \
      -backend-config="region=$AWS_REGION" -backend-config="encrypt=true" \
      -backend-config="kms_key_id=$TF_STATE_KMS_KEY_ARN" -backend-config="use_lockfile=true"
    ;;
  deployed)
    # Before the first apply the state has no outputs ({}): nothing to roll
    # back to. Any other failure (credentials, the bucket) stops the deploy.
    tf output -json | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin).get("image_tags", {}).get("value", {})))'
    ;;
  plan) plan "${3:-${IMAGE_TAGS:?IMAGE_TAGS: the image tags, JSON}}" ;;
  apply) apply ;;
  wait) wait_stable ;;
  rollback)
    plan "${3:-${IMAGE_TAGS:?IMAGE_TAGS: the image tags to go back to, JSON}}"
    apply
    wait_stable
    ;;
  output)
    # E.g. user_pool_id and client_id for the load test's users (make load-users).
    name=${3:?the output name, e.g. user_pool_id}
    [[ "$name" =~ ^[a-z][a-z0-9_]*$ ]] || { echo "environment.sh: not an output name: $name" >&2; exit 2; }
    tf output -raw "$name"
    ;;
  *) echo "environment.sh: unknown command $command" >&2; exit 2 ;;
esac
