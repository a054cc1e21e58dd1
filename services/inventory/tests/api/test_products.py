"""Admin writes on products and stock, and the public read of one product."""

from __future__ import annotations

from datetime import datetime

import pytest

PRODUCTS = "/inventory/products"


async def test_create_returns_the_product_and_it_reads_back(api, client, admin):
    body = api.product_body(
        "MUG-1", name="Mug", description="Blue", price={"amount_minor": 1299, "currency": "EUR"}
    )
    response = await client.post(PRODUCTS, json=body, headers=api.keyed_admin)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created == {
        "sku": "MUG-1",
        "name": "Mug",
        "description": "Blue",
        "price": {"amount_minor": 1299, "currency": "EUR"},
        "available": 0,
        "updated_at": created["updated_at"],
    }
    assert datetime.fromisoformat(created["updated_at"]).tzinfo is not None
    assert await api.product("MUG-1") == created
    assert await api.stock("MUG-1") == {
        "sku": "MUG-1",
        "available": 0,
        "reserved": 0,
        "sold": 0,
        "received": 0,
    }


async def test_description_is_optional(api):
    body = api.product_body("MUG-1")
    del body["description"]
    response = await api.client.post(PRODUCTS, json=body, headers=api.keyed_admin)
    assert response.status_code == 201, response.text
    assert (await api.product("MUG-1"))["description"] == ""


async def test_a_duplicate_sku_is_a_409_problem_and_changes_nothing(api, expect_problem):
    first = await api.create_product("MUG-1", name="First")
    response = await api.client.post(
        PRODUCTS, json=api.product_body("MUG-1", name="Second"), headers=api.keyed_admin
    )
    body = expect_problem(response, 409, "product-exists")
    assert body["sku"] == "MUG-1"
    assert "MUG-1" in body["detail"]
    assert await api.product("MUG-1") == first


async def test_patch_revises_the_given_fields_only(api, client, admin):
    created = await api.create_product(
        "MUG-1",
        units=4,
        name="Mug",
        description="Blue",
        price={"amount_minor": 500, "currency": "EUR"},
    )
    response = await client.patch(f"{PRODUCTS}/MUG-1", json={"name": "Cup"}, headers=admin)
    assert response.status_code == 200, response.text
    revised = response.json()
    assert revised["name"] == "Cup"
    assert (revised["description"], revised["price"], revised["available"]) == (
        "Blue",
        {"amount_minor": 500, "currency": "EUR"},
        4,
    )
    assert revised["updated_at"] > created["updated_at"]

    response = await client.patch(
        f"{PRODUCTS}/MUG-1",
        json={"description": "", "price": {"amount_minor": 450, "currency": "USD"}},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    assert await api.product("MUG-1") == {
        **revised,
        "description": "",
        "price": {"amount_minor": 450, "currency": "USD"},
        "updated_at": response.json()["updated_at"],
    }


@pytest.mark.parametrize("body", [{}, {"name": None}, {"name": None, "price": None}])
async def test_a_patch_that_changes_nothing_is_refused(api, expect_problem, body):
    created = await api.create_product("MUG-1")
    response = await api.client.patch(f"{PRODUCTS}/MUG-1", json=body, headers=api.keyed_admin)
    expect_problem(response, 422, "invalid-input")
    assert await api.product("MUG-1") == created


async def test_patching_an_unknown_product_is_a_404_problem(api, expect_problem, db):
    response = await api.client.patch(
        f"{PRODUCTS}/NOPE", json={"name": "x"}, headers=api.keyed_admin
    )
    assert expect_problem(response, 404, "product-not-found")["sku"] == "NOPE"
    assert await db.count("products") == 0


async def test_restock_adds_units_seen_by_admins_and_the_public(api):
    await api.create_product("MUG-1")
    assert await api.restock("MUG-1", 5) == {
        "sku": "MUG-1",
        "available": 5,
        "reserved": 0,
        "sold": 0,
        "received": 5,
    }
    await api.restock("MUG-1", 3)
    assert (await api.stock("MUG-1"))["available"] == 8
    assert (await api.product("MUG-1"))["available"] == 8


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{PRODUCTS}/NOPE"),
        ("GET", f"{PRODUCTS}/NOPE/stock"),
        ("POST", f"{PRODUCTS}/NOPE/restock"),
    ],
)
async def test_an_unknown_sku_is_a_404_problem(api, expect_problem, method, path, db):
    body = {"quantity": 1} if method == "POST" else None
    response = await api.client.request(method, path, json=body, headers=api.keyed_admin)
    assert expect_problem(response, 404, "product-not-found")["sku"] == "NOPE"
    assert await db.count("stock") == 0


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "POST",
            PRODUCTS,
            {"sku": "NEW-1", "name": "n", "price": {"amount_minor": 1, "currency": "EUR"}},
        ),
        ("PATCH", f"{PRODUCTS}/MUG-1", {"name": "Hacked"}),
        ("POST", f"{PRODUCTS}/MUG-1/restock", {"quantity": 5}),
        ("GET", f"{PRODUCTS}/MUG-1/stock", None),
    ],
)
async def test_admin_routes_refuse_customers_and_anonymous_callers(
    api, customer, expect_problem, db, method, path, body
):
    await api.create_product("MUG-1", units=2)
    before = await api.product("MUG-1")
    for headers, status in ((customer, 403), ({}, 401)):
        response = await api.client.request(method, path, json=body, headers=headers)
        expect_problem(response, status)
    assert await api.product("MUG-1") == before
    assert await db.count("products") == 1
    assert await db.stock_row("MUG-1") == {"available": 2, "reserved": 0, "sold": 0, "received": 2}


async def test_reading_a_product_needs_no_token(api, client):
    created = await api.create_product("MUG-1", units=1)
    response = await client.get(f"{PRODUCTS}/MUG-1")
    assert response.status_code == 200
    assert response.json() == {**created, "available": 1}
