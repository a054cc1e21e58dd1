"""``python -m bazaar_cost``: the monthly cost estimate of each AWS environment.

Computed from the service catalog, each environment's Terraform (its
terraform.tfvars, the modules' defaults and resources) and the price table
with its usage assumptions (prices.toml). Tables, or JSON with --format
json, on stdout; errors on stderr. Exit 2: bad input (an unknown
environment, a malformed file), nothing printed on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bazaar_common.catalog import discover
from bazaar_cost import report
from bazaar_cost.environment import catalog_known, environment_names, read_environment
from bazaar_cost.errors import InputError
from bazaar_cost.estimate import EnvironmentEstimate, estimate_environment
from bazaar_cost.footprint import footprint
from bazaar_cost.prices import DEFAULT_PRICES, PriceTable, load_prices
from bazaar_cost.terraform_files import TerraformFiles


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="bazaar-cost", description=__doc__.splitlines()[0])
    top.add_argument(
        "--root", type=Path, default=Path.cwd(), help="the repository checkout (default: .)"
    )
    top.add_argument("--env", help="one environment (default: every one with a terraform.tfvars)")
    top.add_argument("--format", choices=("table", "json"), default="table")
    top.add_argument(
        "--prices",
        type=Path,
        default=DEFAULT_PRICES,
        help="the price table and usage assumptions (default: the tool's prices.toml)",
    )
    return top


def estimates(root: Path, prices: PriceTable, only: str | None) -> list[EnvironmentEstimate]:
    names = environment_names(root)
    if only is not None:
        if only not in names:
            raise InputError(
                f"unknown environment {only!r}: one of {', '.join(names) or 'none'} "
                f"(an infra/terraform/envs/<env>/terraform.tfvars)"
            )
        names = [only]
    missing = [name for name in names if name not in prices.environments]
    if missing:
        raise InputError(
            f"the price table has no [usage.{missing[0]}]: add the environment's usage assumptions"
        )
    # In the price table's order: the release order, dev first.
    order = list(prices.environments)
    names.sort(key=order.index)
    entries = discover(root)
    known = catalog_known(entries)
    files = TerraformFiles(root)
    results = []
    for name in names:
        environment = read_environment(
            root, name, files, known, prices.deploy_variables.get(name, {})
        )
        results.append(
            estimate_environment(
                name,
                entries,
                environment.settings,
                footprint(environment.roots),
                prices,
                prices.environments[name],
                environment.warnings,
                environment.deploy_variables,
            )
        )
    return results


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        prices = load_prices(arguments.prices)
        results = estimates(arguments.root.resolve(), prices, arguments.env)
    except ValueError as error:  # InputError, and the catalog's validation errors
        print(f"bazaar-cost: {error}", file=sys.stderr)
        return 2
    if arguments.format == "json":
        # The JSON holds the warnings too; a script's log shows them here.
        for result in results:
            for warning in result.warnings:
                print(f"bazaar-cost: warning: {result.name}: {warning}", file=sys.stderr)
        print(json.dumps(report.as_json(results, prices), indent=2))
    else:
        print(report.text(results, prices))  # each table ends with its warnings
    return 0


if __name__ == "__main__":
    sys.exit(main())
