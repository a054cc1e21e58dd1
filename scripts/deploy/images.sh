#!/usr/bin/env bash
# The images of a release in ECR, as deploy.yml handles them:
#
#   scripts/deploy/images.sh digest  <env> <service> <tag>      the image's digest; exit 1 if it is not there
#   scripts/deploy/images.sh promote <from> <to> [tags-json]    copy what <to> lacks from <from>, signatures too
#
# Repositories are named <NAME_PREFIX>-<env>/<service> (modules/ecr), in the
# registry of the credentials in use (one account; see docs/deploy.md for
# separate accounts). promote copies by digest after checking the source's
# signature was made by this repository's deploy workflow: staging and prod
# run exactly the bytes dev ran, never a rebuild.
set -euo pipefail

NAME_PREFIX=${NAME_PREFIX:-bazaar}
command=${1:?usage: images.sh digest|promote ...}

repository() { echo "$NAME_PREFIX-$1/$2"; }

registry() {
  local account
  account=$(aws sts get-caller-identity --query Account --output text)
  echo "$account.dkr.ecr.${AWS_REGION:?AWS_REGION}.amazonaws.com"
}

# The digest of <repository>:<tag>; exit 1 when ECR has no such image, 2 on
# any other error (so a credentials problem never reads as "build it").
digest_of() {
  local output status=0
  output=$(aws ecr describe-images --repository-name "$1" --image-ids imageTag="$2" \
    --query 'imageDetails[0].imageDigest' --output text 2>&1) || status=$?
  if [[ $status -eq 0 ]]; then
    echo "$output"
  elif [[ "$output" == *ImageNotFoundException* ]]; then
    return 1
  else
    echo "images.sh: $output" >&2
    return 2
  fi
}

# Signed keylessly by this repository's deploy workflow on main, and by
# nothing else: not a branch's run, not another repository's.
verify() {
  local identity=${SIGNER_IDENTITY:-https://github.com/${GITHUB_REPOSITORY:?GITHUB_REPOSITORY}/.github/workflows/deploy.yml@refs/heads/main}
  cosign verify --output text \
    --certificate-oidc-issuer https://token.actions.githubusercontent.com \
    --certificate-identity "$identity" "$1" >/dev/null
}

promote() {
  local from=$1 to=$2 tags=$3 host service tag digest status
  host=$(registry)
  while IFS='=' read -r service tag; do
    status=0
    digest_of "$(repository "$to" "$service")" "$tag" >/dev/null || status=$?
    if [[ $status -eq 0 ]]; then
      echo "images.sh: $service:$tag is in $to already" >&2
      continue
    elif [[ $status -ne 1 ]]; then
      return "$status"
    fi
    digest=$(digest_of "$(repository "$from" "$service")" "$tag") || {
      echo "images.sh: $service:$tag is not in $from: it must pass $from first" >&2
      return 1
    }
    source="$host/$(repository "$from" "$service")@$digest"
    verify "$source"
    # cosign copy keeps the digest and brings the signature and attestations.
    cosign copy "$source" "$host/$(repository "$to" "$service"):$tag"
    echo "images.sh: promoted $service:$tag ($digest) from $from to $to" >&2
  done < <(python3 -c 'import json, sys; [print(f"{k}={v}") for k, v in json.loads(sys.argv[1]).items()]' "$tags")
}

case "$command" in
  digest) digest_of "$(repository "${2:?env}" "${3:?service}")" "${4:?tag}" ;;
  promote) promote "${2:?from}" "${3:?to}" "${4:-${IMAGE_TAGS:?IMAGE_TAGS: the tags, JSON}}" ;;
  *) echo "images.sh: unknown command $command" >&2; exit 2 ;;
esac
