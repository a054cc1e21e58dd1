def json_of_size(size: int) -> bytes:
    prefix = b'{"name": "'
    suffix = b'", "quantity": 1}'
    return prefix + b"a" * (size - len(prefix) - len(suffix)) + suffix


async def test_body_at_the_limit_is_accepted(client, body_limit):
    body = json_of_size(body_limit)
    response = await client.post(
        "/widgets", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200


async def test_declared_length_over_the_limit_is_refused_before_reading(client, body_limit):
    body = json_of_size(body_limit + 1)
    response = await client.post(
        "/widgets", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert str(body_limit) in response.json()["detail"]


async def test_streamed_body_over_the_limit_is_refused(client):
    chunks_sent = 0

    async def chunks():
        nonlocal chunks_sent
        for _ in range(1_000):
            chunks_sent += 1
            yield b"a" * 1_024

    response = await client.post(
        "/widgets", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    # Refused as soon as the limit was crossed, not after reading it all.
    assert chunks_sent < 10
