"""Hostile and sloppy input: always a 4xx problem, and nothing written.

Bodies go out as JSON text built here (``json.dumps``, ASCII-escaped), so the
tests can send what a real client could, lone surrogates included.
"""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

PRODUCTS = "/inventory/products"
RESERVATIONS = "/inventory/reservations"
JSON = {"content-type": "application/json"}
SQL_LIKE = "'; DROP TABLE products; --"


async def send(api, method, path, body):
    """``body`` as JSON unless it is already bytes."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await api.client.request(
        method, path, content=content, headers={**api.keyed_admin, **JSON}
    )


def fields(problem):
    return {error["field"] for error in problem["errors"]}


def price(amount_minor=1000, currency="EUR"):
    return {"amount_minor": amount_minor, "currency": currency}


# --- creating a product ------------------------------------------------------

BAD_PRODUCTS = [
    # wrong types; the models are strict, so no "5" for 5
    ({"sku": 12}, "body.sku"),
    ({"name": 12}, "body.name"),
    ({"name": None}, "body.name"),
    ({"description": None}, "body.description"),
    ({"description": ["a"]}, "body.description"),
    ({"price": "10.00 EUR"}, "body.price"),
    ({"price": price(amount_minor="5")}, "body.price.amount_minor"),
    ({"price": price(amount_minor=5.0)}, "body.price.amount_minor"),
    ({"price": price(amount_minor=5.5)}, "body.price.amount_minor"),
    ({"price": price(amount_minor=True)}, "body.price.amount_minor"),
    ({"price": price(currency=978)}, "body.price.currency"),
    # out of range
    ({"price": price(amount_minor=-1)}, "body.price.amount_minor"),
    ({"price": price(amount_minor=10_000_000_001)}, "body.price.amount_minor"),
    ({"price": price(amount_minor=2**63)}, "body.price.amount_minor"),
    ({"price": price(amount_minor=-(2**63) - 1)}, "body.price.amount_minor"),
    ({"price": price(amount_minor=10**30)}, "body.price.amount_minor"),
    ({"price": price(currency="eur")}, "body.price.currency"),
    ({"price": price(currency="EURO")}, "body.price.currency"),
    ({"price": price(currency="E\u20acR")}, "body.price.currency"),
    # skus the pattern refuses
    ({"sku": ""}, "body.sku"),
    ({"sku": "new-1"}, "body.sku"),
    ({"sku": "-NEW"}, "body.sku"),
    ({"sku": "NEW 1"}, "body.sku"),
    ({"sku": "NEW-1\n"}, "body.sku"),
    ({"sku": "N" * 65}, "body.sku"),
    ({"sku": SQL_LIKE}, "body.sku"),
    # text that is empty, too long, or carries control characters
    ({"name": ""}, "body.name"),
    ({"name": "x" * 201}, "body.name"),
    ({"name": "nul\x00byte"}, "body.name"),
    ({"name": "bell\x07"}, "body.name"),
    ({"name": "\x1b[31mred"}, "body.name"),
    ({"name": "carriage\rreturn"}, "body.name"),
    ({"name": "delete\x7f"}, "body.name"),
    ({"name": "c1\x85control"}, "body.name"),
    ({"name": "lone \ud800 surrogate"}, "body.name"),
    ({"name": "two\nlines"}, "body.name"),
    ({"name": "tab\tseparated"}, "body.name"),
    ({"name": "line\u2028separator"}, "body.name"),
    ({"description": "nul\x00byte"}, "body.description"),
    ({"description": "vertical\x0btab"}, "body.description"),
    ({"description": "x" * 2001}, "body.description"),
    # mass assignment: only sku, name, description and price may be set
    ({"available": 999}, "body.available"),
    ({"reserved": 1}, "body.reserved"),
    ({"received": 10**6}, "body.received"),
    ({"created_at": "2000-01-01T00:00:00Z"}, "body.created_at"),
    ({"price": {**price(), "discount": 50}}, "body.price.discount"),
]


@pytest.mark.parametrize(("overrides", "field"), BAD_PRODUCTS)
async def test_a_bad_product_is_a_422_naming_the_field_and_is_not_stored(
    api, expect_problem, db, overrides, field
):
    response = await send(api, "POST", PRODUCTS, api.product_body("NEW-1", **overrides))
    problem = expect_problem(response, 422, "invalid-input")
    assert field in fields(problem)
    for error in problem["errors"]:
        assert set(error) == {"field", "message", "type"}
    assert await db.count("products") == 0
    assert await db.count("stock") == 0


@pytest.mark.parametrize("missing", ["sku", "name", "price"])
async def test_a_product_without_a_required_field_is_refused(api, expect_problem, db, missing):
    body = api.product_body("NEW-1")
    del body[missing]
    problem = expect_problem(await send(api, "POST", PRODUCTS, body), 422)
    assert f"body.{missing}" in fields(problem)
    assert await db.count("products") == 0


async def test_every_bad_field_is_listed_at_once(api, expect_problem, db):
    body = {"sku": 1, "name": "\x00", "price": price(amount_minor=-1), "available": 9, "sold": 0}
    problem = expect_problem(await send(api, "POST", PRODUCTS, body), 422)
    assert fields(problem) == {
        "body.sku",
        "body.name",
        "body.price.amount_minor",
        "body.available",
        "body.sold",
    }
    assert "\\u0000" not in json.dumps(problem), "the rejected input is not echoed"
    assert await db.count("products") == 0


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"null", b"[]", b'"a product"', b"42", b'{"sku": "NEW-1",}', b"\xff\xfe{}"],
)
async def test_a_body_that_is_no_json_object_is_a_422(api, expect_problem, db, raw):
    expect_problem(await send(api, "POST", PRODUCTS, raw), 422, "invalid-input")
    assert await db.count("products") == 0


# --- revising and restocking ---------------------------------------------------


@pytest.fixture
async def mug(api):
    await api.create_product("MUG-1", units=5)
    return await api.product("MUG-1")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "body.name"),
        ({"name": "nul\x00"}, "body.name"),
        ({"description": "\x1b]0;title\x07"}, "body.description"),
        ({"price": price(amount_minor=-5)}, "body.price.amount_minor"),
        ({"price": price(amount_minor=2**63)}, "body.price.amount_minor"),
        ({"price": {"amount_minor": 5}}, "body.price.currency"),
        ({"name": "ok", "sku": "OTHER-1"}, "body.sku"),
        ({"name": "ok", "available": 1_000}, "body.available"),
        ({"name": "ok", "sold": 0}, "body.sold"),
        ({"name": 5}, "body.name"),
    ],
)
async def test_a_bad_patch_is_a_422_and_changes_nothing(api, expect_problem, db, mug, body, field):
    response = await send(api, "PATCH", f"{PRODUCTS}/MUG-1", body)
    assert field in fields(expect_problem(response, 422, "invalid-input"))
    assert await api.product("MUG-1") == mug
    assert await db.count("products") == 1
    assert await db.stock_row("MUG-1") == {"available": 5, "reserved": 0, "sold": 0, "received": 5}


@pytest.mark.parametrize(
    "body",
    [
        {"quantity": 0},
        {"quantity": -1},
        {"quantity": -(10**6)},
        {"quantity": "5"},
        {"quantity": 5.0},
        {"quantity": True},
        {"quantity": None},
        {"quantity": 1_000_001},
        {"quantity": 2**63},
        {"quantity": 10**30},
        {"quantity": 5, "sold": 5},
        {},
    ],
)
async def test_a_bad_restock_is_a_422_and_changes_nothing(api, expect_problem, db, mug, body):
    expect_problem(await send(api, "POST", f"{PRODUCTS}/MUG-1/restock", body), 422)
    assert await db.stock_row("MUG-1") == {"available": 5, "reserved": 0, "sold": 0, "received": 5}


# --- reserving -----------------------------------------------------------------


def reservation(*lines, **overrides):
    body = {
        "order_id": str(uuid4()),
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
    }
    return {**body, **overrides}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (reservation(("MUG-1", 0)), "body.lines.0.quantity"),
        (reservation(("MUG-1", -1)), "body.lines.0.quantity"),
        (reservation(("MUG-1", "1")), "body.lines.0.quantity"),
        (reservation(("MUG-1", 1.0)), "body.lines.0.quantity"),
        (reservation(("MUG-1", 10_001)), "body.lines.0.quantity"),
        (reservation(("MUG-1", 2**63)), "body.lines.0.quantity"),
        (reservation(("MUG-1", 10**30)), "body.lines.0.quantity"),
        (reservation(("MUG-1", 1), ("MUG-1", 1)), "body"),
        (reservation(), "body.lines"),
        (reservation(*[(f"S{n}", 1) for n in range(101)]), "body.lines"),
        (reservation(("mug-1", 1)), "body.lines.0.sku"),
        (reservation(("MUG-1", 1), order_id="not-a-uuid"), "body.order_id"),
        (reservation(("MUG-1", 1), order_id=12345), "body.order_id"),
        (reservation(("MUG-1", 1), order_id=None), "body.order_id"),
        (reservation(("MUG-1", 1), status="committed"), "body.status"),
        (reservation(("MUG-1", 1), lines={"MUG-1": 1}), "body.lines"),
        (
            reservation(lines=[{"sku": "MUG-1", "quantity": 1, "price": 0}]),
            "body.lines.0.price",
        ),
    ],
)
async def test_a_bad_reservation_is_a_422_and_holds_nothing(
    api, expect_problem, db, mug, body, field
):
    problem = expect_problem(await send(api, "POST", RESERVATIONS, body), 422, "invalid-input")
    assert field in fields(problem)
    assert await db.count("reservations") == 0
    assert await db.stock_row("MUG-1") == {"available": 5, "reserved": 0, "sold": 0, "received": 5}


# --- oversized bodies ----------------------------------------------------------


def product_json_of_size(api, size):
    """A valid product body of exactly ``size`` bytes, padded with whitespace."""
    raw = json.dumps(api.product_body("BIG-1")).encode()
    assert len(raw) < size
    return raw + b" " * (size - len(raw))


async def test_a_body_of_exactly_the_limit_is_accepted(api, settings):
    assert settings.max_body_bytes == 65_536
    body = product_json_of_size(api, settings.max_body_bytes)
    response = await send(api, "POST", PRODUCTS, body)
    assert response.status_code == 201, response.text
    assert (await api.product("BIG-1"))["sku"] == "BIG-1"


async def test_a_declared_length_over_the_limit_is_a_413(api, settings, expect_problem, db):
    body = product_json_of_size(api, settings.max_body_bytes + 1)
    response = await send(api, "POST", PRODUCTS, body)
    assert response.request.headers["content-length"] == str(len(body))
    problem = expect_problem(response, 413, "request-entity-too-large")
    assert str(settings.max_body_bytes) in problem["detail"]
    assert await db.count("products") == 0


@pytest.mark.parametrize("chunk", [1_024, 60_000])
async def test_a_streamed_body_over_the_limit_is_a_413(api, settings, expect_problem, db, chunk):
    body = product_json_of_size(api, settings.max_body_bytes + 1)
    sent = 0

    async def stream():
        nonlocal sent
        for start in range(0, len(body), chunk):
            sent += len(body[start : start + chunk])
            yield body[start : start + chunk]

    response = await api.client.post(
        PRODUCTS, content=stream(), headers={**api.keyed_admin, **JSON}
    )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    expect_problem(response, 413, "request-entity-too-large")
    assert sent == len(body)
    assert await db.count("products") == 0


async def test_an_endless_stream_is_cut_off_at_the_limit(api, settings, expect_problem, db):
    """The body is refused as it crosses the limit, not read to its end."""
    sent = 0

    async def endless():
        nonlocal sent
        while sent < 100 * settings.max_body_bytes:
            sent += 4_096
            yield b" " * 4_096

    response = await api.client.post(
        f"{PRODUCTS}/MUG-1/restock", content=endless(), headers={**api.keyed_admin, **JSON}
    )
    expect_problem(response, 413)
    assert sent <= settings.max_body_bytes + 2 * 4_096


async def test_an_oversized_restock_is_refused_before_it_counts(
    api, settings, expect_problem, db, mug
):
    raw = b'{"quantity": 5}'
    body = raw + b" " * (settings.max_body_bytes + 1 - len(raw))
    expect_problem(await send(api, "POST", f"{PRODUCTS}/MUG-1/restock", body), 413)
    assert await db.stock_row("MUG-1") == {"available": 5, "reserved": 0, "sold": 0, "received": 5}


# --- text that is odd but valid --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "description"),
    [
        (SQL_LIKE, 'Robert\'); DROP TABLE stock;--\n" OR "1"="1'),
        ("50% off_sale \\ %% __", "LIKE '%' ESCAPE '\\'"),
        ("\U0001f6d2 Einkaufswagen", "\U0001f468\u200d\U0001f469\u200d\U0001f467 family"),
        (
            "\u05e2\u05d2\u05dc\u05ea \u05e7\u05e0\u05d9\u05d5\u05ea",
            "\u0627\u0644\u0633\u0644\u0629\u200f",
        ),
        ("\u202eevil.exe", "caf\u0065\u0301 / caf\u00e9"),
        ("\U0001d4b3" * 200, "\t indented\n\n"),
        ("\u3000\u00a0", "x" * 2_000),
    ],
)
async def test_odd_but_valid_text_is_stored_verbatim(api, db, name, description):
    created = await api.create_product("ODD-1", name=name, description=description)
    assert (created["name"], created["description"]) == (name, description)
    read = await api.product("ODD-1")
    assert (read["name"], read["description"]) == (name, description)
    assert await api.list_skus(q=name[:100]) == ["ODD-1"]
    stored = await db.scalar("SELECT name || '|' || description FROM products")
    assert stored == f"{name}|{description}"
    assert await db.count("stock") == 1


async def test_sql_in_a_search_is_only_text(api):
    await api.create_product("A-1", name="plain")
    await api.create_product("A-2", name=SQL_LIKE)
    assert await api.list_skus(q="' OR '1'='1") == []
    assert await api.list_skus(q=SQL_LIKE) == ["A-2"]
    assert await api.list_skus() == ["A-1", "A-2"]
