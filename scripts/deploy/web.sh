#!/usr/bin/env bash
# The browser app of a release, as deploy.yml publishes it (make web-publish):
#
#   scripts/deploy/web.sh publish <env> [dist]   web/dist (the build) to the environment's bucket, then
#                                                an invalidation of /index.html in its distribution
#
# The bucket and the distribution are the environment's Terraform outputs
# web_bucket and web_distribution_id (after make deploy-init), unless
# WEB_BUCKET and WEB_DISTRIBUTION_ID name them. The files, in this order, so
# that no browser ever gets an index.html naming assets not there yet:
#
#   1. assets/*   Cache-Control public,max-age=31536000,immutable (their
#                 names carry a hash of their content: never revalidated)
#   2. the other files but index.html and config.json, no-cache; files the
#                 build no longer has are deleted (not under assets/)
#   3. index.html no-cache (browsers revalidate it on every load)
#   4. assets/*   again with --delete: the previous release's assets go
#   5. an invalidation of /index.html (deep links share its cache entry)
#
# config.json is never uploaded nor deleted: Terraform writes it from the
# platform's settings (modules/web), so one build runs in every environment.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
command=${1:?usage: web.sh publish <env> [dist]}
env=${2:?the environment: dev, staging or prod}
dist=${3:-$root/web/dist}
case "$env" in dev | staging | prod) ;; *) echo "web.sh: unknown environment $env" >&2; exit 2 ;; esac

immutable="public,max-age=31536000,immutable"

# One output of the environment; terraform output -raw refuses a null one
# (the platform's enable_web off) as it refuses a missing one.
web_output() {
  local value
  value=$("$root/scripts/deploy/environment.sh" output "$env" "$1") && [[ -n "$value" ]] || {
    echo "web.sh: $env has no $1 output: run make deploy-init ENV=$env first; or is its enable_web off?" >&2
    return 2
  }
  echo "$value"
}

publish() {
  local bucket distribution
  [[ -f "$dist/index.html" ]] || {
    echo "web.sh: no $dist/index.html: build the app first (npm ci && npm run build in web/)" >&2
    exit 2
  }
  bucket=${WEB_BUCKET:-}
  [[ -n "$bucket" ]] || bucket=$(web_output web_bucket) || exit 2
  distribution=${WEB_DISTRIBUTION_ID:-}
  [[ -n "$distribution" ]] || distribution=$(web_output web_distribution_id) || exit 2
  echo "web.sh: $dist to s3://$bucket, then /index.html invalidated in $distribution" >&2

  if [[ -d "$dist/assets" ]]; then
    aws s3 sync "$dist/assets" "s3://$bucket/assets" --no-progress --cache-control "$immutable"
  fi
  aws s3 sync "$dist" "s3://$bucket" --no-progress --delete --cache-control no-cache \
    --exclude "assets/*" --exclude "index.html" --exclude "config.json"
  aws s3 cp "$dist/index.html" "s3://$bucket/index.html" --no-progress --cache-control no-cache \
    --content-type "text/html; charset=utf-8"
  if [[ -d "$dist/assets" ]]; then
    aws s3 sync "$dist/assets" "s3://$bucket/assets" --no-progress --delete --cache-control "$immutable"
  fi
  aws cloudfront create-invalidation --distribution-id "$distribution" --paths /index.html \
    --query 'Invalidation.Id' --output text
}

case "$command" in
  publish) publish ;;
  *) echo "web.sh: unknown command $command" >&2; exit 2 ;;
esac
