"""The hot reads render products from rows; the bytes must be what the declared models promise.

``GET /inventory/products/{sku}`` and ``GET /inventory/products`` build
their JSON without a model per product (``entrypoints.product_rendering``)
but still declare ``ProductOut`` and ``ProductPage``: each body must
validate against the OpenAPI document and be, byte for byte, what those
models render for the same products, and the document must be the one the
routes had before (the snapshot).
"""

from __future__ import annotations

from pathlib import Path

from bazaar_common.testing.openapi import (
    assert_openapi_matches_snapshot,
    openapi_document,
    response_validator,
)
from bazaar_inventory.entrypoints.schemas import ProductOut, ProductPage

SNAPSHOT = Path(__file__).parent / "openapi.snapshot.json"
PRODUCTS = "/inventory/products"


async def products_as_models(new_uow, skus: list[str]) -> list[ProductOut]:
    models = []
    async with new_uow() as uow:
        for sku in skus:
            found = await uow.products.get_with_availability(sku)
            assert found is not None
            models.append(ProductOut.of(*found))
    return models


async def several_products(api) -> list[str]:
    """Products of different shapes: stocked or not, with a description, quotes and accents."""
    await api.create_product("RND-1", units=5)
    await api.create_product("RND-2", description='A "quoted" café\nline two')
    await api.create_product("RND-3", units=1, price={"amount_minor": 0, "currency": "USD"})
    return ["RND-1", "RND-2", "RND-3"]


def test_the_openapi_document_is_unchanged(app):
    assert_openapi_matches_snapshot(app, SNAPSHOT)


async def test_a_product_is_rendered_as_product_out_renders_it(app, api, client, new_uow):
    validate = response_validator(openapi_document(app), f"{PRODUCTS}/{{sku}}", "get")
    skus = await several_products(api)

    for sku, model in zip(skus, await products_as_models(new_uow, skus), strict=True):
        response = await client.get(f"{PRODUCTS}/{sku}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        validate.validate(response.json())
        assert response.content == model.model_dump_json().encode()


async def test_a_page_is_rendered_as_product_page_renders_it(app, api, client, new_uow):
    validate = response_validator(openapi_document(app), PRODUCTS, "get")
    skus = await several_products(api)
    models = await products_as_models(new_uow, skus)

    first = await client.get(PRODUCTS, params={"limit": 2, "q": "RND"})
    validate.validate(first.json())
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    expected = ProductPage(items=models[:2], next_cursor=cursor)
    assert first.content == expected.model_dump_json().encode()

    last = await client.get(PRODUCTS, params={"limit": 2, "q": "RND", "cursor": cursor})
    validate.validate(last.json())
    expected = ProductPage(items=models[2:], next_cursor=None)
    assert last.content == expected.model_dump_json().encode()
