"""The order history built live equals the one rebuilt from the event archive, over real processes.

Orders go through the gateway to every end the saga has (confirmed, a
declined card, out of stock); once the saga settled, every queue drained and
audit archived every event to the stack's bucket (its ``archive_pending``
queue empty), ``python -m bazaar_history.rebuild`` makes the history again in
a fresh database from that bucket, and every row must equal the live one:
this test's orders and every other order the session's stack holds.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

from bazaar_common.testing.postgres import recreate_database
from bazaar_common.testing.waiting import wait_until
from bazaar_devstack.invariants import drain, rows

REBUILT = "e2e_history_rebuilt"
ROWS = "SELECT * FROM order_history ORDER BY order_id"


async def everything_archived(stack) -> bool:
    """Audit's queue of stored events not yet in the archive bucket is empty."""
    found = await rows(stack.dsn("audit"), "SELECT count(*) AS n FROM archive_pending")
    return int(found[0]["n"]) == 0


async def history_of(shop, customer, order_id: str) -> dict:
    response = await shop.http.get(
        shop.url("history", f"/history/orders/{order_id}"), headers=customer
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_the_history_built_live_equals_the_history_rebuilt_from_the_archive(shop):
    stack = shop.stack
    sku = await shop.add_product(units=2, price=1_500)
    fay = await shop.customer("fay-history")
    placed = {
        "confirmed": await shop.place(fay, {sku: 1}),
        "declined": await shop.place(fay, {sku: 1}, card_token="tok_decline"),
        "out-of-stock": await shop.place(fay, {sku: 3}),
    }
    assert all(response.status_code == 201 for response in placed.values())
    ids = {end: response.json()["id"] for end, response in placed.items()}
    for order_id in ids.values():
        await shop.settled(fay, order_id)
    await drain(stack)  # every event handled, history's and audit's included
    await wait_until(lambda: everything_archived(stack), within=30, interval=0.2)

    confirmed = await history_of(shop, fay, ids["confirmed"])
    declined = await history_of(shop, fay, ids["declined"])
    short = await history_of(shop, fay, ids["out-of-stock"])
    assert (confirmed["state"], confirmed["payment"]["state"]) == ("CONFIRMED", "captured")
    assert confirmed["payment"]["amount_minor"] == confirmed["total_minor"] == 1_500
    assert confirmed["shipment"] is not None
    assert (declined["state"], declined["cancel_reason"]) == ("CANCELLED", "payment-declined")
    assert declined["payment"]["decline_reason"] == "card-declined"
    assert (short["state"], short["cancel_reason"], short["payment"]) == (
        "CANCELLED",
        "out-of-stock",
        None,
    )
    others = await shop.customer("gus-nosy")
    nosy = await shop.http.get(
        shop.url("history", f"/history/orders/{ids['confirmed']}"), headers=others
    )
    assert nosy.status_code == 404, nosy.text

    await recreate_database(stack.admin_dsn, REBUILT)
    base, _, _ = stack.database_url(stack.entries["history"]).rpartition("/")
    environment = {
        **stack.environment(stack.entries["history"]),
        "DATABASE_URL": f"{base}/{REBUILT}",
    }
    rebuilt = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bazaar_history.rebuild"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert rebuilt.returncode == 0, rebuilt.stderr
    live = await rows(stack.dsn("history"), ROWS)
    admin_base, _, _ = stack.admin_dsn.rpartition("/")
    again = await rows(f"{admin_base}/{REBUILT}", ROWS)
    assert len(live) >= 3
    assert {str(row["order_id"]) for row in live} >= set(ids.values())
    assert f"{len(live)} order rows built" in rebuilt.stdout
    assert [dict(row) for row in again] == [dict(row) for row in live]
