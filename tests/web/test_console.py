"""An admin in Chromium: orders by state, an order's timeline as a picture, stock, services."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect
from tests.web.accessibility import assert_accessible
from tests.web.conftest import SETTLED_WITHIN_MS, sign_in
from tests.web.test_storefront import fill_cart

# An order's saga as the audit log holds it: placed, stock reserved and
# committed, payment captured, confirmed, shipped.
AT_LEAST_EVENTS = 6


async def place_order(page: Page, customer: str, *, card: str = "Test card that pays") -> str:
    await sign_in(page, customer)
    await fill_cart(page, quantity=1)
    await page.get_by_label("Pay with").select_option(label=card)
    await page.get_by_role("button", name="Place order").click()
    await expect(page.get_by_text(re.compile("CONFIRMED|CANCELLED"))).to_be_visible(
        timeout=SETTLED_WITHIN_MS
    )
    order_id = page.url.rsplit("/", 1)[-1]
    await page.get_by_role("button", name="Sign out").click()
    return order_id


async def test_an_admin_sees_an_orders_timeline_across_services(
    page: Page, customer: str, artifacts: Path
):
    order_id = await place_order(page, customer)
    await sign_in(page, "ada", then="/console")
    await page.get_by_role("button", name="CONFIRMED").click()
    await page.get_by_role("link", name=order_id[:8]).click()

    picture = page.get_by_role("img", name=re.compile(f"Timeline of order {order_id}"))
    await expect(picture).to_be_visible()
    events = page.locator("svg.timeline g.event")
    await expect(events.first).to_be_visible()
    assert await events.count() >= AT_LEAST_EVENTS
    # One lane per service that published, an arrow from each cause to its effect.
    lanes = await page.locator("svg.timeline .lane-name").all_text_contents()
    assert {"orders", "inventory", "payments", "shipping"} <= set(lanes), lanes
    assert await page.locator("svg.timeline path.arrow").count() >= AT_LEAST_EVENTS - 1
    first = await events.first.get_attribute("data-event-type")
    assert first == "OrderPlaced"
    await assert_accessible(page, "the timeline")
    await page.screenshot(path=artifacts / "console-timeline.png", full_page=True)


async def test_an_admin_sees_cancelled_orders_with_their_reason(page: Page, customer: str):
    order_id = await place_order(page, customer, card="Test card that is declined")
    await sign_in(page, "ada", then="/console")
    await page.get_by_role("button", name="CANCELLED").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=order_id[:8]))
    await expect(row).to_contain_text("payment-declined", timeout=SETTLED_WITHIN_MS)
    await assert_accessible(page, "orders by state")


async def test_an_admin_restocks_a_product(page: Page, artifacts: Path):
    await sign_in(page, "ada", then="/console/catalog")
    available = page.get_by_test_id("available-KITCHEN-KETTLE-GOOSE")
    await expect(available).not_to_have_text("…")
    before = int(await available.inner_text())
    await page.get_by_label("Units of Gooseneck pour-over kettle, 1 l to add").fill("7")
    row = page.get_by_role("row").filter(has=available)
    await row.get_by_role("button", name="Add").click()
    await expect(available).to_have_text(str(before + 7))
    await assert_accessible(page, "the stock page")
    await page.screenshot(path=artifacts / "console-stock.png", full_page=True)


async def test_an_admin_sees_every_service_serving_and_its_queues(page: Page):
    await sign_in(page, "ada", then="/console/health")
    for service in ("inventory", "orders", "payments", "shipping", "audit", "history"):
        row = page.get_by_test_id(f"health-{service}")
        await expect(row).to_contain_text("serving")
        # Waiting, in flight, dead letters: counts, not the dash of a failed answer.
        cells = await row.get_by_role("cell").all_text_contents()
        assert all(cell.isdigit() for cell in cells[3:6]), (service, cells)
    await assert_accessible(page, "the services page")


async def test_a_customer_is_kept_out_of_the_console(page: Page, customer: str):
    await sign_in(page, customer, then="/console")
    await expect(page.get_by_role("alert")).to_contain_text("The console is for admins")
