"""The JSON API over HTTP: browsing, search, details, and bad input answered with a 4xx and a reason."""

import pytest


def test_list_products_paginates(client):
    first = client.get("/api/v1/products", params={"page_size": 10}).json()
    second = client.get("/api/v1/products", params={"page_size": 10, "page": 2}).json()
    assert first["total"] >= 160 and first["pages"] == -(-first["total"] // 10)
    assert len(first["items"]) == 10
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}
    assert {"id", "name", "category", "brand", "price", "image_url", "in_stock"} <= set(first["items"][0])


def test_category_filter(client):
    categories = client.get("/api/v1/categories").json()
    assert len(categories) >= 8
    name, count = categories[0]["name"], categories[0]["product_count"]
    page = client.get("/api/v1/products", params={"category": name, "page_size": 100}).json()
    assert page["total"] == count
    assert {p["category"] for p in page["items"]} == {name}


def test_search_ranks_by_meaning(client):
    body = client.get("/api/v1/products", params={"q": "waterproof smartwatch"}).json()
    scores = [p["score"] for p in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert body["items"][0]["category"] == "Smartwatches"


def test_search_within_a_category(client):
    body = client.get("/api/v1/products", params={"q": "long battery", "category": "Headphones"}).json()
    assert body["items"] and {p["category"] for p in body["items"]} == {"Headphones"}


def test_product_detail(client):
    product_id = client.get("/api/v1/products").json()["items"][0]["id"]
    detail = client.get(f"/api/v1/products/{product_id}").json()
    assert detail["id"] == product_id
    assert detail["variants"] and all("attributes" in v and "stock_label" in v for v in detail["variants"])
    assert detail["images"] and detail["features"] and detail["specifications"]
    assert sum(detail["rating_histogram"].values()) == detail["review_count"]
    assert "<script" not in detail["description_html"]


def test_reviews_are_paginated(client):
    product_id = client.get("/api/v1/products").json()["items"][0]["id"]
    page = client.get(f"/api/v1/products/{product_id}/reviews", params={"page_size": 5}).json()
    assert len(page["items"]) == 5 and page["total"] > 5
    assert {"author", "text", "rating", "feature", "sentiment", "review_date"} <= set(page["items"][0])


def test_users(client):
    users = client.get("/api/v1/users").json()
    assert len(users) >= 6
    assert {"id", "name", "city", "age", "avatar_url", "hobbies"} <= set(users[0])
    # Preferences become memories (a later feature); the shopper list does not expose them.
    assert "preferences" not in users[0]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/products", {"page": -1}, "page"),
        ("/api/v1/products", {"page": 0}, "page"),
        ("/api/v1/products", {"page": "two"}, "page"),
        ("/api/v1/products", {"page_size": 1000}, "page_size"),
        ("/api/v1/products", {"q": "x" * 10_000}, "q"),
        ("/api/v1/products/abc", {}, "product_id"),
        ("/api/v1/products/0", {}, "product_id"),
        ("/api/v1/products/99999999999", {}, "product_id"),
        ("/api/v1/products/1/reviews", {"page": -1}, "page"),
    ],
)
def test_bad_input_is_a_422_with_a_reason(client, path, params, field):
    response = client.get(path, params=params)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert any(field in error["loc"] and error["msg"] for error in errors)


def test_unknown_product_is_a_404_with_a_reason(client):
    response = client.get("/api/v1/products/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Product 999999 not found"}


def test_blank_query_is_a_plain_browse(client):
    assert client.get("/api/v1/products", params={"q": "   "}).json()["total"] >= 160


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["database"]["pgvector"] and body["database"]["products"] >= 160
    assert body["embedder"] == {"ok": True, "model": "all-MiniLM-L6-v2-onnx-int8", "dim": 384}


def test_healthz_notices_vectors_from_another_model(client, db):
    from sqlalchemy import text

    db.execute(
        text("UPDATE products SET embedding_model = 'openai:text-embedding-3-small@384' WHERE id <= 2")
    )
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "degraded"
    assert response.json()["database"]["stale_vectors"] == 2
    assert "shop reindex" in response.json()["database"]["error"]


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/products", "/api/v1/products/{product_id}", "/api/v1/users"} <= set(paths)
