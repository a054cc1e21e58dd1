"""Reservations over HTTP: hold, release and commit stock per order."""

from __future__ import annotations

from uuid import uuid4

import pytest

RESERVATIONS = "/inventory/reservations"


@pytest.fixture
async def stocked(api):
    await api.create_product("A", units=10)
    await api.create_product("B", units=5)


async def stock_levels(api, *skus):
    levels = {}
    for sku in skus:
        stock = await api.stock(sku)
        levels[sku] = (stock["available"], stock["reserved"], stock["sold"])
    return levels


@pytest.mark.usefixtures("stocked")
async def test_reserve_holds_stock_and_reads_back(api):
    order_id = uuid4()
    response = await api.reserve(order_id, B=2, A=3)
    assert response.status_code == 201, response.text
    made = response.json()
    assert made == {
        "order_id": str(order_id),
        "status": "reserved",
        "lines": [{"sku": "A", "quantity": 3}, {"sku": "B", "quantity": 2}],
        "updated_at": made["updated_at"],
    }
    assert await stock_levels(api, "A", "B") == {"A": (7, 3, 0), "B": (3, 2, 0)}
    assert (await api.product("A"))["available"] == 7

    response = await api.client.get(f"{RESERVATIONS}/{order_id}", headers=api.keyed_admin)
    assert response.status_code == 200
    assert response.json() == made


@pytest.mark.usefixtures("stocked")
async def test_a_replayed_reserve_answers_the_same_and_holds_once(api):
    order_id = uuid4()
    first = await api.reserve(order_id, A=3, B=2)
    again = await api.reserve(order_id, B=2, A=3)
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert await stock_levels(api, "A", "B") == {"A": (7, 3, 0), "B": (3, 2, 0)}


@pytest.mark.usefixtures("stocked")
async def test_a_replay_with_other_lines_is_a_409_problem(api, expect_problem):
    order_id = uuid4()
    await api.reserve(order_id, A=3)
    expect_problem(await api.reserve(order_id, A=4), 409, "reservation-conflict")
    assert await stock_levels(api, "A") == {"A": (7, 3, 0)}


@pytest.mark.usefixtures("stocked")
async def test_insufficient_stock_is_a_409_listing_every_shortage(api, expect_problem, db):
    await api.create_product("C", units=1)
    response = await api.reserve(uuid4(), A=11, B=5, C=2)
    body = expect_problem(response, 409, "insufficient-stock")
    assert body["shortages"] == [
        {"sku": "A", "requested": 11, "available": 10},
        {"sku": "C", "requested": 2, "available": 1},
    ]
    assert await stock_levels(api, "A", "B", "C") == {
        "A": (10, 0, 0),
        "B": (5, 0, 0),
        "C": (1, 0, 0),
    }
    assert await db.count("reservations") == 0


@pytest.mark.usefixtures("stocked")
async def test_unknown_products_are_a_422_problem(api, expect_problem, db):
    body = expect_problem(await api.reserve(uuid4(), A=1, ZZZ=1, YYY=1), 422, "unknown-products")
    assert body["skus"] == ["YYY", "ZZZ"]
    assert await stock_levels(api, "A") == {"A": (10, 0, 0)}
    assert await db.count("reservations") == 0


@pytest.mark.usefixtures("stocked")
async def test_release_then_commit_is_a_conflict(api, expect_problem):
    order_id = uuid4()
    await api.reserve(order_id, A=3, B=1)
    for _ in range(2):
        response = await api.client.post(
            f"{RESERVATIONS}/{order_id}/release", headers=api.keyed_admin
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "released"
    assert await stock_levels(api, "A", "B") == {"A": (10, 0, 0), "B": (5, 0, 0)}

    response = await api.client.post(f"{RESERVATIONS}/{order_id}/commit", headers=api.keyed_admin)
    expect_problem(response, 409, "reservation-conflict")
    assert await stock_levels(api, "A", "B") == {"A": (10, 0, 0), "B": (5, 0, 0)}


@pytest.mark.usefixtures("stocked")
async def test_commit_then_release_is_a_conflict(api, expect_problem):
    order_id = uuid4()
    await api.reserve(order_id, A=3, B=1)
    for _ in range(2):
        response = await api.client.post(
            f"{RESERVATIONS}/{order_id}/commit", headers=api.keyed_admin
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "committed"
    assert await stock_levels(api, "A", "B") == {"A": (7, 0, 3), "B": (4, 0, 1)}
    assert await api.stock("A") == {
        "sku": "A",
        "available": 7,
        "reserved": 0,
        "sold": 3,
        "received": 10,
    }

    response = await api.client.post(f"{RESERVATIONS}/{order_id}/release", headers=api.keyed_admin)
    expect_problem(response, 409, "reservation-conflict")
    assert await stock_levels(api, "A", "B") == {"A": (7, 0, 3), "B": (4, 0, 1)}


@pytest.mark.parametrize(
    ("method", "suffix"), [("GET", ""), ("POST", "/release"), ("POST", "/commit")]
)
async def test_an_unknown_order_is_a_404_problem(api, expect_problem, method, suffix):
    order_id = uuid4()
    response = await api.client.request(
        method, f"{RESERVATIONS}/{order_id}{suffix}", headers=api.keyed_admin
    )
    assert expect_problem(response, 404, "reservation-not-found")["order_id"] == str(order_id)


@pytest.mark.parametrize("suffix", ["", "/release", "/commit"])
async def test_an_order_id_that_is_no_uuid_is_a_422_problem(api, expect_problem, suffix):
    method = "GET" if not suffix else "POST"
    response = await api.client.request(
        method, f"{RESERVATIONS}/42{suffix}", headers=api.keyed_admin
    )
    expect_problem(response, 422, "invalid-input")


@pytest.mark.usefixtures("stocked")
async def test_reservations_are_for_admins_only(api, customer, expect_problem, db):
    order_id = uuid4()
    await api.reserve(order_id, A=1)
    body = {"order_id": str(uuid4()), "lines": [{"sku": "A", "quantity": 1}]}
    calls = [
        ("POST", RESERVATIONS, body),
        ("GET", f"{RESERVATIONS}/{order_id}", None),
        ("POST", f"{RESERVATIONS}/{order_id}/release", None),
        ("POST", f"{RESERVATIONS}/{order_id}/commit", None),
    ]
    for method, path, json in calls:
        for headers, status in ((customer, 403), ({}, 401)):
            response = await api.client.request(method, path, json=json, headers=headers)
            expect_problem(response, status)
    assert await stock_levels(api, "A") == {"A": (9, 1, 0)}
    assert await db.count("reservations") == 1
    assert await db.scalar("SELECT status FROM reservations") == "reserved"
