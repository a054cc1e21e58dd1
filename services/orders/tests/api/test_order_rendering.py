"""The hot reads render orders from rows; the bytes must be what the declared models promise.

``GET /orders/{id}`` and ``GET /orders`` build their JSON without a model
per order (``entrypoints.order_rendering``) but still declare ``OrderOut``
and ``OrderPage``: each body must validate against the OpenAPI document and
be, byte for byte, what those models render for the same orders, and the
document must be the one the routes had before (the snapshot).
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from bazaar_common.testing.openapi import (
    assert_openapi_matches_snapshot,
    openapi_document,
    response_validator,
)
from bazaar_orders.entrypoints.schemas import OrderOut, OrderPage

SNAPSHOT = Path(__file__).parent / "openapi.snapshot.json"


async def orders_as_models(new_uow, ids: list[str]) -> list[OrderOut]:
    async with new_uow() as uow:
        loaded = [await uow.orders.get(UUID(order_id)) for order_id in ids]
    return [OrderOut.of(order) for order in loaded if order is not None]


async def several_orders(api, alice) -> list[str]:
    """Orders of different shapes: one line or several, pending or cancelled."""
    ids = [
        (await api.placed(alice, MUG_1=1))["id"],
        (await api.placed(alice, MUG_1=3, TEA_1=2))["id"],
        (await api.placed(alice, TEA_1=1))["id"],
    ]
    assert (await api.cancel(alice, ids[2])).status_code == 200
    return ids


def test_the_openapi_document_is_unchanged(app):
    assert_openapi_matches_snapshot(app, SNAPSHOT)


async def test_an_order_is_rendered_as_order_out_renders_it(app, api, alice, new_uow):
    validate = response_validator(openapi_document(app), "/orders/{order_id}", "get")
    ids = await several_orders(api, alice)
    models = await orders_as_models(new_uow, ids)

    for order_id, model in zip(ids, models, strict=True):
        response = await api.get(alice, order_id)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        validate.validate(response.json())
        assert response.content == model.model_dump_json().encode()


async def test_a_page_is_rendered_as_order_page_renders_it(app, api, alice, client, new_uow):
    validate = response_validator(openapi_document(app), "/orders", "get")
    ids = await several_orders(api, alice)
    newest_first = await orders_as_models(new_uow, list(reversed(ids)))

    first = await client.get("/orders", params={"limit": 2}, headers=alice)
    validate.validate(first.json())
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    assert (
        first.content
        == OrderPage(items=newest_first[:2], next_cursor=cursor).model_dump_json().encode()
    )

    last = await client.get("/orders", params={"limit": 2, "cursor": cursor}, headers=alice)
    validate.validate(last.json())
    assert (
        last.content
        == OrderPage(items=newest_first[2:], next_cursor=None).model_dump_json().encode()
    )
