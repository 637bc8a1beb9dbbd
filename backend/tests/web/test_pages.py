"""The HTML pages over HTTP: render, htmx partials, shopper selection, friendly errors."""

import re


def _first_product_id(client) -> int:
    return client.get("/api/v1/products").json()["items"][0]["id"]


def test_catalog_page(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.text.count('class="card"') == 24
    assert "/static/htmx-2.0.11.min.js" in page.text
    assert 'rel="next"' in page.text


def test_catalog_category_filter_and_page_two(client):
    page = client.get("/", params={"category": "Laptops"})
    assert 'aria-current="true"' in page.text and "Laptops" in page.text
    assert client.get("/", params={"page": 2}).status_code == 200


def test_search_page_and_htmx_partial(client):
    full = client.get("/", params={"q": "headphones for the gym"})
    assert "<html" in full.text and "matching" in full.text
    partial = client.get("/", params={"q": "headphones for the gym"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and partial.text.lstrip().startswith('<section id="results"')


def test_product_page(client):
    product_id = _first_product_id(client)
    page = client.get(f"/products/{product_id}")
    assert page.status_code == 200
    for expected in ("Variants", "Specifications", "Reviews", 'class="review'):
        assert expected in page.text
    assert re.search(r"(in stock|Out of stock|Only \d+ left)", page.text)


def form_token(client) -> str:
    """The CSRF token a page puts in its forms (the session's)."""
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/shoppers").text).group(1)


def test_more_reviews_fragment(client):
    product_id = _first_product_id(client)
    fragment = client.get(f"/products/{product_id}/reviews", params={"page": 2})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.count('class="review') >= 1


def test_choosing_a_shopper_sets_a_signed_session(client):
    users = client.get("/api/v1/users").json()
    assert users[0]["name"] in client.get("/shoppers").text
    token = form_token(client)
    response = client.post(
        "/shoppers/select", data={"user_id": users[1]["id"], "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and "session" in response.cookies
    assert users[1]["first_name"] in client.get("/").text
    client.post("/shoppers/leave", data={"csrf_token": token})
    assert "Choose a shopper" in client.get("/").text


def test_a_forged_session_cookie_is_ignored(client):
    client.cookies.set("session", "eyJ1c2VyX2lkIjogMX0=.forged.signature")
    page = client.get("/")
    assert page.status_code == 200 and "Choose a shopper" in page.text


def test_unknown_shopper_is_a_404_page(client):
    response = client.post("/shoppers/select", data={"user_id": 987654, "csrf_token": form_token(client)})
    assert response.status_code == 404 and "Shopper 987654 not found" in response.text


def test_errors_are_pages_not_json_or_traces(client):
    missing = client.get("/products/999999")
    assert (
        missing.status_code == 404 and "<html" in missing.text and "Product 999999 not found" in missing.text
    )
    bad = client.get("/", params={"page": -1})
    assert bad.status_code == 422 and "<html" in bad.text and "page" in bad.text
    assert "Traceback" not in bad.text
    assert client.get("/nowhere").status_code == 404
