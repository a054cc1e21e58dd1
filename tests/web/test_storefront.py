"""A customer in Chromium: the catalog, a cart, an order watched until the saga settles it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.async_api import Page, Route, expect
from tests.web.accessibility import assert_accessible
from tests.web.conftest import SETTLED_WITHIN_MS, sign_in

from bazaar_common.testing.moto import REGION
from bazaar_devstack.cognito import DEMO_PASSWORD, access_token
from bazaar_devstack.stack import Stack

PRODUCT = "Stoneware mug, 350 ml"


async def fill_cart(page: Page, product: str = PRODUCT, quantity: int = 2) -> None:
    await page.goto("/")
    await page.get_by_role("link", name=product).click()
    await page.get_by_label("Quantity").fill(str(quantity))
    await page.get_by_role("button", name="Add to cart").click()
    await page.get_by_role("link", name="Go to the cart").click()


async def test_a_customer_orders_and_watches_it_confirmed(
    page: Page, customer: str, artifacts: Path
):
    await page.goto("/")
    await expect(page.get_by_role("heading", name="Catalog")).to_be_visible()
    await assert_accessible(page, "the catalog")
    await page.screenshot(path=artifacts / "catalog.png", full_page=True)

    await page.get_by_label("Search products").fill("kettle")
    await page.get_by_role("button", name="Search").click()
    await expect(page.get_by_role("link", name="Gooseneck pour-over kettle, 1 l")).to_be_visible()
    await expect(page.get_by_role("link", name=PRODUCT)).to_have_count(0)

    await fill_cart(page)
    await assert_accessible(page, "the cart")
    await page.get_by_role("link", name="Sign in").last.click()
    await page.get_by_label("User name").fill(customer)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(re.compile(r"/cart$"))  # back where the customer was

    await page.get_by_role("button", name="Place order").click()
    await expect(page.get_by_text("CONFIRMED", exact=True)).to_be_visible(timeout=SETTLED_WITHIN_MS)
    await expect(page.get_by_text("captured")).to_be_visible(timeout=SETTLED_WITHIN_MS)
    await expect(page.get_by_text("created", exact=False)).to_be_visible(timeout=SETTLED_WITHIN_MS)
    await assert_accessible(page, "an order")
    await page.screenshot(path=artifacts / "order-confirmed.png", full_page=True)

    await page.get_by_role("link", name="Your orders").click()
    await expect(page.get_by_role("cell", name="CONFIRMED")).to_have_count(1)
    await page.screenshot(path=artifacts / "orders.png", full_page=True)


async def test_a_declined_card_shows_the_order_cancelled_with_its_reason(
    page: Page, customer: str, artifacts: Path
):
    await sign_in(page, customer)
    await fill_cart(page, quantity=1)
    await page.get_by_label("Pay with").select_option(label="Test card that is declined")
    await page.get_by_role("button", name="Place order").click()

    await expect(page.get_by_text("CANCELLED", exact=True)).to_be_visible(timeout=SETTLED_WITHIN_MS)
    await expect(page.get_by_text("Reason: payment-declined", exact=False)).to_be_visible()
    await page.screenshot(path=artifacts / "order-cancelled.png", full_page=True)


async def test_a_retried_checkout_places_one_order(page: Page, customer: str, stack: Stack):
    """The first answer is lost on the way back; the second try, same key, gets the same order."""
    await sign_in(page, customer)
    await fill_cart(page, quantity=1)
    lost: list[int] = []

    async def lose_the_first_answer(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            answer = await route.fetch()  # the order is placed...
            lost.append(answer.status)
            await route.abort("connectionreset")  # ...and the browser never hears of it
        else:
            await route.continue_()

    await page.route("**/orders", lose_the_first_answer)
    await page.get_by_role("button", name="Place order").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await page.get_by_role("button", name="Place order").click()
    await expect(page).to_have_url(re.compile(r"/my/orders/[0-9a-f-]+$"))

    assert lost == [201]
    assert stack.identity is not None
    token = await access_token(stack.cognito_url, REGION, stack.identity, customer)
    async with httpx.AsyncClient(base_url=stack.gateway_url) as http:
        mine = await http.get("/orders", headers={"Authorization": f"Bearer {token}"})
    assert len(mine.json()["items"]) == 1, mine.json()


async def test_tokens_stay_out_of_cookies_and_local_storage_and_sign_out_ends_the_session(
    page: Page, customer: str
):
    await sign_in(page, customer)
    assert await page.evaluate("document.cookie") == ""
    assert await page.evaluate("window.localStorage.length") == 0
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert await page.evaluate("window.sessionStorage.getItem('bazaar.session')") is None
    await page.goto("/my/orders")  # a reload finds nobody signed in
    await expect(page.get_by_text("to see your orders")).to_be_visible()


async def test_a_wrong_password_is_refused_with_the_reason(page: Page, customer: str):
    await page.goto("/signin")
    await page.get_by_label("User name").fill(customer)
    await page.get_by_label("Password").fill("not-the-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Incorrect username or password")
    await expect(page.get_by_text("Signed in as")).to_have_count(0)
