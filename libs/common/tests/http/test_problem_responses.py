import pytest

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"]
    assert body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_domain_error_carries_its_status_and_extensions(client):
    body = assert_problem(await client.get("/taken"), 409)
    assert body["type"].endswith("/widget-taken")
    assert body["detail"] == "Widget 7 is taken."
    assert body["widget"] == 7
    assert body["instance"] == "/taken"


async def test_unavailable_says_when_to_retry(client):
    response = await client.get("/busy")
    assert_problem(response, 503)
    assert response.headers["retry-after"] == "3"


async def test_validation_error_lists_fields_without_echoing_input(client):
    response = await client.post("/widgets", json={"name": 5, "extra": "x" * 50})
    body = assert_problem(response, 422)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"body.name", "body.quantity", "body.extra"}
    assert "x" * 50 not in response.text


async def test_malformed_json_is_a_problem(client):
    response = await client.post(
        "/widgets", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 422)


async def test_a_body_that_is_not_utf8_is_malformed_json(client):
    response = await client.post(
        "/widgets", content=b'{"name": "\xff"}', headers={"content-type": "application/json"}
    )
    body = assert_problem(response, 422)
    assert body["type"].endswith("/invalid-input")
    assert [error["field"] for error in body["errors"]] == ["body"]


async def test_unknown_route_is_404_problem(client):
    assert_problem(await client.get("/nowhere"), 404)


async def test_wrong_method_is_405_problem(client):
    response = await client.delete("/widgets")
    assert_problem(response, 405)
    assert "POST" in response.headers["allow"]


async def test_unhandled_error_is_500_without_internals(client):
    response = await client.get("/boom")
    body = assert_problem(response, 500)
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert body["type"].endswith("/internal-error")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("abc-123.x:y_z", True),
        ("a" * 129, False),
        ("bad id\u00e9", False),
        ("x\r\nSet-Cookie:1", False),
    ],
)
async def test_request_id_is_kept_only_when_plain(client, sent, kept):
    response = await client.get("/taken", headers={"x-request-id": sent.encode("utf-8")})
    assert (response.headers["x-request-id"] == sent) is kept
    assert response.json()["request_id"] == response.headers["x-request-id"]
