"""The load test's users: customers who browse and order, an admin who reads the audit log.

Run by ``python -m bazaar_delivery load-test`` (tools/delivery, ``load.py``),
which starts locust headless from a tool environment of its own (``uvx``), so
this file imports only locust and the standard library and locust never
enters uv.lock. Every request whose status is not the one expected is a
failure: the runner allows none.

Read from the environment:

- ``LOAD_TOKENS_FILE``: JSON ``{"customers": [access token, ...], "admin": access token}``.
  Each customer user takes the next customer token in turn.
- ``LOAD_ORDERS_FILE``: where each order placed is appended as a line
  ``<token index> <order id>``, and once its user saw it settle,
  ``<token index> <order id> <CONFIRMED|CANCELLED>``; the runner checks every
  order still unsettled when the load stops with the token that placed it.

On quit it writes locust's final statistics next to ``--csv``'s files, as
``<prefix>_final_stats.csv`` and ``<prefix>_final_failures.csv``: the ``--csv``
files are rewritten once a second while locust runs, so they can miss the
last second's requests, and its failures.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from locust import HttpUser, between, events, task
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

TERMINAL = ("CONFIRMED", "CANCELLED")
PAGE = 20
# A customer waits this long for its order to settle; an order still pending
# then is the runner's to check (and, if it stays so, a stuck order).
POLL_EVERY_SECONDS = 0.25
POLL_FOR_SECONDS = 30.0
# The admin reads what happened lately.
AUDIT_WINDOW = timedelta(minutes=1)

_environment: Any = None
_customer_numbers = itertools.count()


def _tokens() -> dict[str, Any]:
    with open(os.environ["LOAD_TOKENS_FILE"], encoding="utf-8") as file:
        tokens: dict[str, Any] = json.load(file)
    return tokens


def _record(*fields: str) -> None:
    with open(os.environ["LOAD_ORDERS_FILE"], "a", encoding="utf-8") as file:
        file.write(" ".join(fields) + "\n")


def _expect(response: Any, status: int) -> dict[str, Any] | None:
    """The JSON body when the status is ``status``; else the request is marked failed."""
    if response.status_code != status:
        detail = response.text[:200] if response.text else str(response.error)
        response.failure(f"status {response.status_code}, wanted {status}: {detail}")
        return None
    try:
        body = response.json()
    except ValueError:
        response.failure(f"status {status} but the body is not JSON: {response.text[:200]}")
        return None
    if not isinstance(body, dict):
        response.failure(f"status {status} but the body is not a JSON object")
        return None
    response.success()
    return body


class Customer(HttpUser):
    """Browses the catalog a page or three deep, looks at products, orders one, waits for it."""

    weight = 9
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        customers = _tokens()["customers"]
        self.index = next(_customer_numbers) % len(customers)
        self.auth = {"Authorization": f"Bearer {customers[self.index]}"}
        self.seen: dict[str, int] = {}  # sku -> units available when last seen

    def browse(self, pages: int) -> None:
        cursor: str | None = None
        for page in range(pages):
            params: dict[str, Any] = {"limit": PAGE}
            if cursor:
                params["cursor"] = cursor
            name = f"/inventory/products?limit={PAGE}" + (" (next page)" if page else "")
            with self.client.get(
                "/inventory/products", params=params, name=name, catch_response=True
            ) as response:
                body = _expect(response, 200)
            if body is None:
                return
            self.seen |= {item["sku"]: item["available"] for item in body["items"]}
            cursor = body.get("next_cursor")
            if not cursor:
                return

    def look_at(self, sku: str) -> None:
        with self.client.get(
            f"/inventory/products/{sku}", name="/inventory/products/{sku}", catch_response=True
        ) as response:
            body = _expect(response, 200)
        if body is not None:
            self.seen[sku] = body["available"]

    def pick(self) -> str | None:
        """A sku seen in stock, else any sku seen (its order is cancelled: fine)."""
        in_stock = [sku for sku, available in self.seen.items() if available > 0]
        choices = in_stock or list(self.seen)
        return random.choice(choices) if choices else None

    @task(2)
    def window_shop(self) -> None:
        self.browse(pages=random.randint(1, 3))
        sku = self.pick()
        if sku is not None:
            self.look_at(sku)

    @task(1)
    def buy(self) -> None:
        self.browse(pages=1)
        sku = self.pick()
        if sku is None:
            return
        self.look_at(sku)
        headers = {**self.auth, "Idempotency-Key": str(uuid.uuid4())}
        with self.client.post(
            "/orders",
            json={"lines": [{"sku": sku, "quantity": 1}]},
            headers=headers,
            name="/orders",
            catch_response=True,
        ) as response:
            order = _expect(response, 201)
        if order is None:
            return
        order_id = str(order["id"])
        _record(str(self.index), order_id)
        status = order["status"]
        deadline = time.monotonic() + POLL_FOR_SECONDS
        while status not in TERMINAL and time.monotonic() < deadline:
            time.sleep(POLL_EVERY_SECONDS)  # gevent's, patched in by locust: other users run
            with self.client.get(
                f"/orders/{order_id}",
                headers=self.auth,
                name="/orders/{id} (poll)",
                catch_response=True,
            ) as response:
                polled = _expect(response, 200)
            if polled is None:
                return
            status = polled["status"]
        if status in TERMINAL:
            _record(str(self.index), order_id, status)


class Admin(HttpUser):
    """Reads the latest events of the audit log and the timeline of an order among them."""

    fixed_count = 1  # one, whatever the number of users (the weight of the rest is moot)
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        self.auth = {"Authorization": f"Bearer {_tokens()['admin']}"}

    @task
    def read_audit(self) -> None:
        since = (datetime.now(UTC) - AUDIT_WINDOW).isoformat().replace("+00:00", "Z")
        with self.client.get(
            "/audit/events",
            params={"limit": PAGE, "since": since},
            headers=self.auth,
            name=f"/audit/events?limit={PAGE}",
            catch_response=True,
        ) as response:
            body = _expect(response, 200)
        if body is None:
            return
        # An order's timeline exists once audit stored any of its events.
        orders = [event["subject"] for event in body["items"] if event["type"] == "OrderPlaced"]
        if not orders:
            return
        with self.client.get(
            f"/audit/orders/{random.choice(orders)}/timeline",
            headers=self.auth,
            name="/audit/orders/{id}/timeline",
            catch_response=True,
        ) as response:
            _expect(response, 200)


@events.init.add_listener
def _keep_environment(environment: Any, **_: Any) -> None:
    global _environment  # locust hands it over once, here
    _environment = environment


@events.quit.add_listener
def _write_final_statistics(**_: Any) -> None:
    prefix = getattr(getattr(_environment, "parsed_options", None), "csv_prefix", None)
    if not prefix:
        return
    table = StatsCSV(_environment, PERCENTILES_TO_REPORT)
    with open(f"{prefix}_final_stats.csv", "w", encoding="utf-8", newline="") as file:
        table.requests_csv(csv.writer(file))
    with open(f"{prefix}_final_failures.csv", "w", encoding="utf-8", newline="") as file:
        table.failures_csv(csv.writer(file))
