"""The database stopped and started again while shoppers browse (the real server, real HTTP, several
clients at once, signed in or not): during the outage every answer is a clear 503, never a 500 or a
dropped connection, and once it is back the shop serves again by itself, with no restart."""

import threading
import time
from collections import Counter

import httpx
import pytest

from agentic_shop.db.server import embedded_server

pytestmark = pytest.mark.fault

PATHS = ("/api/v1/products", "/", "/products/1", "/api/v1/categories")


def _browse(
    base: str, stop: threading.Event, seen: list[tuple[float, str, int, str]], shopper: int | None
) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        if shopper is not None:  # its pages ask who is signed in: a read without pre-ping (db/engine)
            assert client.post("/api/v1/session", json={"user_id": shopper}).status_code == 200
        i = 0
        while not stop.is_set():
            path = PATHS[i % len(PATHS)]
            i += 1
            try:
                response = client.get(path)
                seen.append((time.monotonic(), path, response.status_code, response.text))
            except httpx.HTTPError as error:  # a dropped connection, a timeout: never acceptable
                seen.append((time.monotonic(), path, -1, repr(error)))
            time.sleep(0.02)


def test_a_database_restart_mid_load_is_503s_then_service(live_server):
    server = embedded_server()
    seen: list[tuple[float, str, int, str]] = []
    stop = threading.Event()
    clients = [
        threading.Thread(target=_browse, args=(live_server, stop, seen, shopper))
        for shopper in (None, 1, None, 2)
    ]
    for thread in clients:
        thread.start()
    try:
        time.sleep(1.5)
        down_at = time.monotonic()
        server.stop()
        time.sleep(3)
        up_at = time.monotonic()
        server.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
            t > up_at + 0.5 and code == 200 for t, _, code, _ in seen
        ):
            time.sleep(0.2)
        time.sleep(2)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
        server.start()  # whatever happened, later tests need it

    codes = Counter(code for _, _, code, _ in seen)
    dropped = [(path, body) for _, path, code, body in seen if code == -1]
    assert codes[200] and not (set(codes) - {200, 503}), (codes, dropped[:3])  # no 500, no reset
    during = [(path, body) for t, path, code, body in seen if down_at + 0.5 < t < up_at and code == 503]
    assert during, "no request was answered while the database was down"
    assert all("database is unavailable" in body for _, body in during), during[:1]  # says what is wrong
    recovered = [t for t, _, code, _ in seen if t > up_at and code == 200]
    assert recovered and recovered[0] - up_at < 15  # back by itself, without restarting the app
    after = [code for t, _, code, _ in seen if recovered and t > recovered[0] + 1]
    assert after and set(after) == {200}


def test_a_read_without_pre_ping_survives_a_restart(engine):
    """The sign-in lookup's engine does not ping before each read (db/engine.get_autocommit_engine):
    the first read after a restart finds its pooled connection closed and runs again on a new one."""
    from sqlalchemy import text

    from agentic_shop.db.engine import get_autocommit_engine, read_once

    statement = text("SELECT count(*) AS n FROM users")
    seeded = read_once(statement, {})["n"]
    assert get_autocommit_engine().pool.checkedin()  # a connection kept from before the restart
    server = embedded_server()
    server.stop()
    server.start()
    assert read_once(statement, {})["n"] == seeded
