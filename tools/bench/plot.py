"""The ratios as a bar chart (PNG). Standalone: run in an environment with matplotlib,

    uv run --no-project --with matplotlib==3.11.2 python plot.py results.json ratios.png

so the workspace's lock never carries matplotlib and its dependencies.
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt


def main(results_path: str, out_path: str) -> None:
    with open(results_path, encoding="utf-8") as file:
        results = json.load(file)
    cases = results["http"]["cases"]
    names = [name for name in cases if name != "bare"]
    medians = [cases[name]["ratio_to_bare"]["median"] for name in names]
    lows = [
        cases[name]["ratio_to_bare"]["median"] - cases[name]["ratio_to_bare"]["low"]
        for name in names
    ]
    highs = [
        cases[name]["ratio_to_bare"]["high"] - cases[name]["ratio_to_bare"]["median"]
        for name in names
    ]
    goals = {
        "order": 0.30,
        "orders-page": 0.15,
        "catalog-page": 0.30,
        "catalog-page-cached": 0.60,
        "place-order": 0.12,
    }
    figure, axes = plt.subplots(figsize=(9, 4.5), dpi=110)
    bars = axes.bar(names, medians, yerr=[lows, highs], capsize=4, color="#4c72b0")
    for bar, name in zip(bars, names, strict=True):
        if name in goals:
            x = bar.get_x()
            axes.hlines(goals[name], x, x + bar.get_width(), colors="#c44e52", linestyles="--")
    axes.set_ylabel("requests/s as a share of the bare app's")
    machine = results["machine"]
    axes.set_title(f"make bench, {machine['date']}, commit {machine['commit']} (dashed: goal)")
    axes.tick_params(axis="x", rotation=20)
    axes.set_ylim(0, max(1.0, max(medians) * 1.15))
    figure.tight_layout()
    figure.savefig(out_path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
