"""Every response tells the browser to run only the shop's own scripts, never to frame it and never to
sniff types; the shop answers only its own host names; the API docs need no CDN."""

import re

import pytest

PATHS = ["/", "/products/1", "/api/v1/products", "/static/app.css", "/nothing-here", "/docs", "/redoc"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert script_src == "'self'"  # no inline script, no eval, no other site
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"


def test_pages_allow_no_inline_style_either(client):
    assert "style-src 'self';" in client.get("/").headers["content-security-policy"]


def test_a_refusal_carries_them_too(client):
    refused = client.get("/", params={"q": "\x00"})
    assert refused.status_code == 422 and "content-security-policy" in refused.headers


def test_another_host_name_is_refused(client):
    # A DNS-rebinding page reaches 127.0.0.1 under its own name: it gets nothing.
    assert client.get("/api/v1/products", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/products", headers={"Host": "127.0.0.1:8000"}).status_code == 200


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_api_docs_load_vendored_pinned_files_only(client, path):
    page = client.get(path).text
    assert "http://" not in page and "https://" not in page  # no CDN: works offline
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert assets and all(client.get(asset).status_code == 200 for asset in assets)
    assert "<script>" not in page  # every script is a file
