"""The public catalog: pages that walk every product once, and its filters."""

from __future__ import annotations

import base64

import pytest

PRODUCTS = "/inventory/products"


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def test_an_empty_catalog_is_one_empty_page(client):
    response = await client.get(PRODUCTS)
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("limit", [1, 4, 7, 23, 24, 100])
async def test_pages_walk_every_product_once_in_sku_order(api, limit):
    skus = [f"P{number:03d}" for number in range(23)]
    for sku in reversed(skus):
        await api.create_product(sku)
    assert await api.list_skus(limit=limit) == skus


async def test_the_default_page_holds_twenty(api, client):
    for number in range(21):
        await api.create_product(f"P{number:03d}")
    page = (await client.get(PRODUCTS)).json()
    assert len(page["items"]) == 20
    assert page["next_cursor"] is not None
    rest = (await client.get(PRODUCTS, params={"cursor": page["next_cursor"]})).json()
    assert [item["sku"] for item in rest["items"]] == ["P020"]
    assert rest["next_cursor"] is None


async def test_a_page_shows_price_and_availability(api, client):
    await api.create_product(
        "MUG-1", units=3, name="Mug", price={"amount_minor": 1299, "currency": "EUR"}
    )
    (item,) = (await client.get(PRODUCTS)).json()["items"]
    assert item == {**await api.product("MUG-1"), "available": 3}
    assert (item["name"], item["price"]["amount_minor"]) == ("Mug", 1299)


async def test_products_added_while_paging_are_neither_repeated_nor_skip_others(api, client):
    for sku in ["B", "D", "F"]:
        await api.create_product(sku)
    first = (await client.get(PRODUCTS, params={"limit": 2})).json()
    assert [item["sku"] for item in first["items"]] == ["B", "D"]
    for sku in ["A", "C", "E"]:
        await api.create_product(sku)
    rest = (await client.get(PRODUCTS, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    assert [item["sku"] for item in rest["items"]] == ["E", "F"]


@pytest.fixture
async def shelf(api):
    """Products with awkward names, prices and stock to filter on."""
    await api.create_product(
        "P01", name="Red Mug", units=2, price={"amount_minor": 500, "currency": "EUR"}
    )
    await api.create_product(
        "P02", name="blue mug", price={"amount_minor": 1500, "currency": "EUR"}
    )
    await api.create_product(
        "P03", name="100% cotton tee", units=1, price={"amount_minor": 999, "currency": "USD"}
    )
    await api.create_product(
        "P04", name="snake_case tee", price={"amount_minor": 1000, "currency": "USD"}
    )
    await api.create_product(
        "P05", name="snakeXcase tee", units=7, price={"amount_minor": 1001, "currency": "GBP"}
    )
    await api.create_product(
        "P06", name="1000 cotton tee", price={"amount_minor": 0, "currency": "EUR"}
    )
    await api.create_product(
        "P07",
        name=r"C:\path\mug",
        units=1,
        price={"amount_minor": 10_000_000_000, "currency": "EUR"},
    )


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "mug"}, ["P01", "P02", "P07"]),
        ({"q": "MUG"}, ["P01", "P02", "P07"]),
        ({"q": "%"}, ["P03"]),
        ({"q": "0%"}, ["P03"]),
        ({"q": "_"}, ["P04"]),
        ({"q": "e_c"}, ["P04"]),
        ({"q": "\\"}, ["P07"]),
        ({"q": "\\p"}, ["P07"]),
        ({"q": "tee"}, ["P03", "P04", "P05", "P06"]),
        ({"q": "nothing like it"}, []),
        ({"currency": "USD"}, ["P03", "P04"]),
        ({"currency": "JPY"}, []),
        ({"min_price": 1000}, ["P02", "P04", "P05", "P07"]),
        ({"max_price": 999}, ["P01", "P03", "P06"]),
        ({"min_price": 999, "max_price": 1001}, ["P03", "P04", "P05"]),
        ({"min_price": 0, "max_price": 0}, ["P06"]),
        ({"min_price": 10_000_000_000}, ["P07"]),
        ({"min_price": 1001, "max_price": 1000}, []),
        ({"in_stock": "true"}, ["P01", "P03", "P05", "P07"]),
        ({"in_stock": "false"}, ["P02", "P04", "P06"]),
        ({"q": "tee", "in_stock": "true", "currency": "USD"}, ["P03"]),
        ({"q": "mug", "max_price": 1500, "in_stock": "true"}, ["P01"]),
    ],
)
async def test_filters(api, params, expected):
    assert await api.list_skus(**params) == expected
    assert await api.list_skus(**params, limit=1) == expected


@pytest.mark.usefixtures("shelf")
async def test_in_stock_follows_reservations(api):
    response = await api.reserve("00000000-0000-0000-0000-000000000001", P03=1)
    assert response.status_code == 201, response.text
    assert "P03" not in await api.list_skus(in_stock="true")
    assert "P03" in await api.list_skus(in_stock="false")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"currency": "usd"},
        {"currency": "EURO"},
        {"min_price": -1},
        {"max_price": 10_000_000_001},
        {"min_price": 2**63},
        {"max_price": 10**30},
        {"min_price": "1.5"},
        {"in_stock": "perhaps"},
        {"q": "a" * 101},
        {"q": "nul\x00"},
        {"q": "esc\x1b[31m"},
    ],
)
async def test_bad_query_parameters_are_a_422_problem(client, expect_problem, params):
    body = expect_problem(await client.get(PRODUCTS, params=params), 422, "invalid-input")
    (name,) = params
    assert f"query.{name}" in {error["field"] for error in body["errors"]}


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "not base64 at all",
        cursor_of("lower-case"),
        cursor_of("-LEADING-HYPHEN"),
        cursor_of("A-1\n"),
        cursor_of("A" * 65),
        cursor_of("' OR 1=1 --"),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "\u00e9t\u00e9",
        "Q" * 101,
    ],
)
async def test_a_cursor_the_api_never_returned_is_a_422_problem(
    api, client, expect_problem, cursor
):
    await api.create_product("A-1")
    response = await client.get(PRODUCTS, params={"cursor": cursor})
    expect_problem(response, 422, "invalid-cursor")
