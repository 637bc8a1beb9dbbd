"""A request that finds every database connection taken is told so at once (503), never a 500 later."""

import time

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlmodel import Session

from agentic_shop.db.engine import get_session
from agentic_shop.main import app


def test_an_exhausted_pool_answers_503_quickly_with_a_clear_message(engine):
    tiny = create_engine(engine.url.render_as_string(hide_password=False), pool_size=1, max_overflow=0,
                         pool_timeout=0.3)  # fmt: skip

    def session():
        with Session(tiny) as s:
            yield s

    held = tiny.connect()  # the only connection, taken
    app.dependency_overrides[get_session] = session
    try:
        client = TestClient(app)
        started = time.monotonic()
        api = client.get("/api/v1/products")
        page = client.get("/")
        assert time.monotonic() - started < 3
        assert api.status_code == 503 and "very busy" in api.json()["detail"]
        assert api.headers["retry-after"] == "2"
        assert page.status_code == 503 and "very busy" in page.text
    finally:
        app.dependency_overrides.pop(get_session)
        held.close()
        tiny.dispose()
    assert TestClient(app).get("/api/v1/products").status_code == 200
