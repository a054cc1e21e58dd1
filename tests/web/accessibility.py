"""axe-core's rules run in the page: no serious or critical violation allowed."""

from __future__ import annotations

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

BLOCKING = {"serious", "critical"}


async def assert_accessible(page: Page, what: str) -> None:
    results = await Axe().run(page)
    blocking = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation.get("impact") in BLOCKING
    ]
    assert not blocking, f"{what}: " + "; ".join(blocking)
