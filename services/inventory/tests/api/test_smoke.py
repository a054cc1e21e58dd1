async def test_readyz(client):
    response = await client.get("/readyz")
    assert response.status_code == 200
