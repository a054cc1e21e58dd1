#!/usr/bin/env bash
# One environment's release steps, as deploy.yml runs them (and as a person
# with the environment's role can run them by hand):
#
#   scripts/deploy/environment.sh registry <env>          init and apply the environment's image registry (infra/terraform/registry)
#   scripts/deploy/environment.sh init     <env>          terraform init against the state bucket
#   scripts/deploy/environment.sh deployed <env>          the image tags running now (JSON; {} before the first deploy)
#   scripts/deploy/environment.sh plan     <env> [tags]   terraform plan with these image tags (JSON; default $IMAGE_TAGS), saved to $PLAN_FILE
#   scripts/deploy/environment.sh show     <env> [plan]   a saved plan in words (terraform show -no-color; default $PLAN_FILE)
#   scripts/deploy/environment.sh apply    <env> [plan]   apply exactly that saved plan (default $PLAN_FILE)
#   scripts/deploy/environment.sh database <env>          every service's database bootstrap task, run and judged (after apply, before wait)
#   scripts/deploy/environment.sh wait     <env>          until every ECS service is stable
#   scripts/deploy/environment.sh rollback <env> [tags]   plan + apply + wait with the previous tags
#   scripts/deploy/environment.sh output   <env> <name>   one output of the environment (terraform output -raw)
#
# Settings from the environment (GitHub environment variables in deploy.yml):
# TF_STATE_BUCKET, TF_STATE_KMS_KEY_ARN, AWS_REGION; TF_VAR_certificate_arn.
# PLAN_FILE: where plan saves (default .local/deploy/<env>.tfplan); deploy.yml
# plans in one job and applies the same file, downloaded, in the next.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
command=${1:?usage: environment.sh registry|init|deployed|plan|show|apply|database|wait|rollback|output <env> [tags-json|plan|name]}
env=${2:?the environment: dev, staging or prod}
case "$env" in dev | staging | prod) ;; *) echo "environment.sh: unknown environment $env" >&2; exit 2 ;; esac
dir=infra/terraform/envs/$env
# Absolute before the cd below: terraform -chdir would read a relative path
# from the environment's folder.
absolute() { if [[ "$1" == /* ]]; then echo "$1"; else echo "$PWD/$1"; fi; }
plan_file=$(absolute "${PLAN_FILE:-$root/.local/deploy/$env.tfplan}")
case "$command" in show | apply) [[ -z "${3:-}" ]] || plan_file=$(absolute "$3") ;; esac
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

# -lock=false: deploy.yml plans with a read-only role, which cannot write the
# state's lock object (use_lockfile). That is safe for a saved plan: it
# records the state's serial, and apply, which does take the lock, refuses
# a plan whose state has changed since ("Saved plan is stale").
plan() {
  local variable
  variable=$(tags_var "$1")
  mkdir -p "$(dirname "$plan_file")"
  rm -f "$plan_file"
  tf plan -input=false -lock=false -out="$plan_file" -var "$variable"
}

saved_plan() {
  local file=$1
  [[ -f "$file" ]] || {
    echo "environment.sh: no saved plan for $env at $file: run plan first (make deploy-plan), or name the plan file" >&2
    exit 2
  }
}

show() {
  saved_plan "$1"
  tf show -no-color "$1"
}

apply() {
  saved_plan "$1"
  tf apply -input=false -lock-timeout=5m "$1"
  rm -f "$1"
}

# terraform init of a root configuration against the environment's prefix of
# the state bucket.
init_state() {
  local directory=$1 key=$2
  : "${TF_STATE_BUCKET:?TF_STATE_BUCKET: the bootstrap's state bucket}"
  : "${TF_STATE_KMS_KEY_ARN:?TF_STATE_KMS_KEY_ARN: the bootstrap's KMS key}"
  : "${AWS_REGION:?AWS_REGION}"
  "$root/scripts/terraform.sh" -chdir="$directory" init -input=false -reconfigure \
    -backend-config="bucket=$TF_STATE_BUCKET" -backend-config="key=envs/$env/$key" \
    -backend-config="region=$AWS_REGION" -backend-config="encrypt=true" \
    -backend-config="kms_key_id=$TF_STATE_KMS_KEY_ARN" -backend-config="use_lockfile=true"
}

case "$command" in
  registry)
    # The repositories come before the images, and the images before the
    # environment's apply: a new service's repository exists before its
    # first image is pushed or promoted. Only repositories: applied without
    # a separate plan to approve (the environment's apply is approved).
    init_state infra/terraform/registry registry.tfstate
    "$root/scripts/terraform.sh" -chdir=infra/terraform/registry apply -input=false -auto-approve \
      -lock-timeout=5m -var "environment=$env" -var "region=$AWS_REGION"
    ;;
  init) init_state "$dir" terraform.tfstate ;;
  deployed)
    # Before the first apply the state has no outputs ({}): nothing to roll
    # back to. Any other failure (credentials, the bucket) stops the deploy.
    tf output -json | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin).get("image_tags", {}).get("value", {})))'
    ;;
  plan) plan "${3:-${IMAGE_TAGS:?IMAGE_TAGS: the image tags, JSON}}" ;;
  show) show "$plan_file" ;;
  apply) apply "$plan_file" ;;
  database)
    # Each service's one-off task that makes its database and login roles on
    # Aurora and fills its DATABASE_URL secrets (idempotent): after apply,
    # which registers the tasks and the empty secrets, before wait, as no
    # service starts without them. Judged by exit code; a service whose
    # deployment failed meanwhile gets a new one (tools/delivery/README.md).
    : "${AWS_REGION:?AWS_REGION}"
    # Read first, so a missing output stops here with Terraform's own message.
    spec=$(tf output -json database_bootstrap)
    printf '%s\n' "$spec" | UV_PROJECT_ENVIRONMENT="$root/.local/venvs/delivery" \
      uv run --locked --package bazaar-delivery --no-dev --quiet \
      python -m bazaar_delivery database-bootstrap --spec - --region "$AWS_REGION"
    ;;
  wait) wait_stable ;;
  rollback)
    plan "${3:-${IMAGE_TAGS:?IMAGE_TAGS: the image tags to go back to, JSON}}"
    apply "$plan_file"
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
