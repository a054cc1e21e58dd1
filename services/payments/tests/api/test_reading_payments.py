"""Reading payments: a customer sees their own, an admin sees all, nobody else's leaks."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from bazaar_payments.service_layer import settlement

PAYMENTS = "/payments"
SAME_MOMENT = datetime(2030, 6, 1, tzinfo=UTC)


def ids(page: dict) -> list[UUID]:
    return [UUID(item["id"]) for item in page["items"]]


async def get_page(client, caller, **params) -> dict:
    response = await client.get(PAYMENTS, params=params, headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_payment_reads_as_stored(client, alice, make_payment):
    payment = await make_payment(alice.subject, amount_minor=4_200)

    response = await client.get(f"{PAYMENTS}/{payment.id}", headers=alice.headers)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": str(payment.id),
        "order_id": str(payment.order_id),
        "customer_id": alice.subject,
        "status": "captured",
        "amount_minor": 4_200,
        "currency": "EUR",
        "decline_reason": None,
        "created_at": "2030-01-01T00:00:00Z",
        "updated_at": "2030-01-01T00:00:00Z",
        "captured_at": "2030-01-01T00:00:00Z",
        "refunded_at": None,
    }


async def test_a_refunded_payment_shows_both_times(client, alice, make_payment, new_uow):
    payment = await make_payment(alice.subject)
    await settlement.refund(new_uow(), payment.order_id)

    body = (await client.get(f"{PAYMENTS}/{payment.id}", headers=alice.headers)).json()

    assert body["status"] == "refunded"
    assert body["captured_at"] is not None
    assert body["refunded_at"] is not None


async def test_a_customer_lists_only_their_own_newest_first(client, alice, bob, make_payment):
    first = await make_payment(alice.subject)
    await make_payment(bob.subject)
    second = await make_payment(alice.subject)

    page = await get_page(client, alice)

    assert ids(page) == [second.id, first.id]
    assert page["next_cursor"] is None


async def test_a_customer_finds_their_order_s_payment(client, alice, make_payment):
    wanted = await make_payment(alice.subject)
    await make_payment(alice.subject)

    page = await get_page(client, alice, order_id=str(wanted.order_id))

    assert ids(page) == [wanted.id]


async def test_another_customer_s_order_looks_like_a_missing_one(client, alice, bob, make_payment):
    theirs = await make_payment(alice.subject)

    asked = await get_page(client, bob, order_id=str(theirs.order_id))
    missing = await get_page(client, bob, order_id=str(uuid4()))

    assert asked == missing == {"items": [], "next_cursor": None}
    assert await get_page(client, bob) == {"items": [], "next_cursor": None}


async def test_another_customer_s_payment_is_not_found_like_a_missing_one(
    client, alice, bob, make_payment, expect_problem
):
    theirs = await make_payment(alice.subject)
    missing = uuid4()

    asked = await client.get(f"{PAYMENTS}/{theirs.id}", headers=bob.headers)
    absent = await client.get(f"{PAYMENTS}/{missing}", headers=bob.headers)

    stolen = expect_problem(asked, 404, "payment-not-found")
    nothing = expect_problem(absent, 404, "payment-not-found")
    unrevealing = {"request_id", "instance", "detail", "payment_id"}
    assert {k: v for k, v in stolen.items() if k not in unrevealing} == {
        k: v for k, v in nothing.items() if k not in unrevealing
    }
    assert stolen["detail"] == f"No payment with id {theirs.id}."
    assert str(theirs.order_id) not in asked.text
    assert alice.subject not in asked.text


async def test_a_token_without_a_role_sees_only_its_own(client, token_issuer, alice, make_payment):
    await make_payment(alice.subject)
    nobody = {"Authorization": f"Bearer {token_issuer.mint('nobody', [])}"}

    response = await client.get(PAYMENTS, headers=nobody)

    assert response.status_code == 200, response.text
    assert response.json() == {"items": [], "next_cursor": None}


async def test_an_admin_reads_everyone_s_payments_and_voids(
    client, admin, alice, bob, make_payment, make_void
):
    void = await make_void()
    of_alice = await make_payment(alice.subject)
    of_bob = await make_payment(bob.subject)

    page = await get_page(client, admin)
    one = await client.get(f"{PAYMENTS}/{of_alice.id}", headers=admin.headers)

    assert set(ids(page)) == {void.id, of_alice.id, of_bob.id}
    voided = next(item for item in page["items"] if item["id"] == str(void.id))
    assert voided["status"] == "voided"
    assert (voided["customer_id"], voided["amount_minor"], voided["currency"]) == (None,) * 3
    assert one.status_code == 200
    assert one.json()["customer_id"] == alice.subject
    by_order = await get_page(client, admin, order_id=str(of_bob.order_id))
    assert ids(by_order) == [of_bob.id]


@pytest.mark.parametrize("same_time", [False, True], ids=["one-a-minute", "all-at-once"])
async def test_pages_walk_every_payment_once_newest_first(
    client, alice, bob, make_payment, same_time
):
    """Payments made in the same microsecond still page in one order: by id after time."""
    at = SAME_MOMENT if same_time else None
    made = []
    for _ in range(7):
        made.append(await make_payment(alice.subject, at=at))
        await make_payment(bob.subject, at=at)

    seen: list[UUID] = []
    cursor = None
    for _ in range(10):
        page = await get_page(client, alice, limit=3, **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) == (3 if page["next_cursor"] else 1)
        seen.extend(ids(page))
        cursor = page["next_cursor"]
        if cursor is None:
            break

    newest_first = sorted(made, key=lambda payment: (payment.created_at, payment.id), reverse=True)
    assert seen == [payment.id for payment in newest_first]


async def test_a_full_last_page_has_no_cursor(client, alice, make_payment):
    for _ in range(2):
        await make_payment(alice.subject)

    page = await get_page(client, alice, limit=2)

    assert len(page["items"]) == 2
    assert page["next_cursor"] is None
