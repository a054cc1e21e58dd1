"""The estimate as a reader sees it (tables) and as a script reads it (JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bazaar_cost.estimate import EnvironmentEstimate, LineItem
from bazaar_cost.prices import PriceTable

_COLUMNS = ("line item", "quantity", "unit price", "monthly low", "monthly high", "basis")


def _number(value: float) -> str:
    """A quantity: whole numbers as such, others to two decimals, thousands grouped."""
    if value == round(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _quantity(item: LineItem) -> str:
    if item.quantity_low == item.quantity_high:
        return f"{_number(item.quantity_low)} {item.unit}"
    return f"{_number(item.quantity_low)}-{_number(item.quantity_high)} {item.unit}"


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _price(value: float) -> str:
    """A unit price as written in the table: 0.00002, not 2e-05."""
    text = f"{value:g}"
    return f"{value:.8f}".rstrip("0").rstrip(".") if "e" in text else text


def _table(rows: Sequence[Sequence[str]], numeric: set[int]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[column]) if column in numeric else cell.ljust(widths[column])
            for column, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _describe(estimate: EnvironmentEstimate) -> str:
    settings = estimate.settings
    spot = (
        f"Spot weight {settings.fargate_spot_weight}" if settings.fargate_spot_weight else "no Spot"
    )
    return (
        f"{estimate.name}: {estimate.services} services, {estimate.tasks_low}-"
        f"{estimate.tasks_high} tasks ({settings.min_tasks_per_service} per service at least, "
        f"{'autoscaling' if settings.enable_autoscaling else 'no autoscaling'}), "
        f"{settings.cpu_architecture}, {spot}, {settings.az_count} AZs, Aurora "
        f"{settings.db_min_capacity:g}-{settings.db_max_capacity:g} ACU, logs kept "
        f"{settings.log_retention_days} days"
        + (
            f"; deploy variables assumed set: {', '.join(estimate.deploy_variables)}"
            if estimate.deploy_variables
            else ""
        )
    )


def text(estimates: Sequence[EnvironmentEstimate], prices: PriceTable) -> str:
    out: list[str] = []
    currency = prices.currency
    for estimate in estimates:
        out.append(_describe(estimate))
        rows = [list(_COLUMNS)]
        for item in estimate.items:
            rows.append(
                [
                    item.name,
                    _quantity(item),
                    _price(item.unit_price),
                    _money(item.monthly_low),
                    _money(item.monthly_high),
                    item.zero_reason or item.basis,
                ]
            )
        rows.append(
            [
                f"total ({currency} per month)",
                "",
                "",
                _money(estimate.monthly_low),
                _money(estimate.monthly_high),
                "",
            ]
        )
        lines = _table(rows, numeric={3, 4})
        rule = "-" * max(len(line) for line in lines)
        out += ["  " + lines[0], "  " + rule, *("  " + line for line in lines[1:-1])]
        out += ["  " + rule, "  " + lines[-1]]
        out += [f"  warning: {warning}" for warning in estimate.warnings]
        out.append("")
    if len(estimates) > 1:
        out.append(f"summary ({currency} per month)")
        summary = [["environment", "tasks", "monthly low", "monthly high"]]
        summary += [
            [
                estimate.name,
                f"{estimate.tasks_low}-{estimate.tasks_high}",
                _money(estimate.monthly_low),
                _money(estimate.monthly_high),
            ]
            for estimate in estimates
        ]
        out += ["  " + line for line in _table(summary, numeric={1, 2, 3})]
        out.append("")
    out += [
        f"Unit prices: {prices.region} list prices in {currency} as of {prices.as_of}, "
        "transcribed by hand, not fetched:",
        f"{_shown(prices.path)} (its source says from where; its [usage] tables hold the "
        "assumptions).",
        "Low: every service at its floor of tasks, Aurora at its minimum. High: every service "
        "at its",
        "max tasks, Aurora at db_high_acu_share of the way to its maximum. Deploy variables: "
        "GitHub variables",
        "the deploy passes as TF_VAR_<name>, assumed from the price table's [deploy_variables].",
    ]
    return "\n".join(out)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _rounded(value: float) -> float:
    return round(value, 6)


def as_json(estimates: Sequence[EnvironmentEstimate], prices: PriceTable) -> dict[str, Any]:
    return {
        "region": prices.region,
        "currency": prices.currency,
        "as_of": prices.as_of,
        "prices": _shown(prices.path),
        "environments": [
            {
                "name": estimate.name,
                "settings": asdict(estimate.settings),
                "services": estimate.services,
                "tasks_low": estimate.tasks_low,
                "tasks_high": estimate.tasks_high,
                "line_items": [
                    {
                        "name": item.name,
                        "unit": item.unit,
                        "quantity_low": _rounded(item.quantity_low),
                        "quantity_high": _rounded(item.quantity_high),
                        "unit_price": item.unit_price,
                        "monthly_low": _rounded(item.monthly_low),
                        "monthly_high": _rounded(item.monthly_high),
                        "basis": item.basis,
                        "zero_reason": item.zero_reason,
                    }
                    for item in estimate.items
                ],
                "monthly_low": _rounded(estimate.monthly_low),
                "monthly_high": _rounded(estimate.monthly_high),
                "warnings": list(estimate.warnings),
                "deploy_variables": list(estimate.deploy_variables),
            }
            for estimate in estimates
        ],
    }
