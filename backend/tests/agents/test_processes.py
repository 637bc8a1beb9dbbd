"""Two app processes sharing one database: a preference stated in one process (which is then killed
outright) is in the database, and the other process never serves its stale cached section."""

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
from sqlalchemy import text

from agentic_shop.agents.assistant.graph import thread_id
from tests.conftest import free_port

pytestmark = pytest.mark.fault

SHOPPER = 990  # a shopper of this test only: its rows are committed, then removed


def _serve() -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "agentic_shop.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/categories", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("app process did not start")


@pytest.fixture
def shopper(engine):
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO users (id, first_name, last_name) VALUES (:id, 'Two', 'Processes')"),
            {"id": SHOPPER},
        )
    yield SHOPPER
    with engine.begin() as connection:
        for statement in (
            "DELETE FROM mem0_chatstore WHERE payload->>'user_id' = :u",
            "DELETE FROM memory_events WHERE user_id = :u",
            "DELETE FROM agent_cache WHERE user_id = :u",
            "DELETE FROM agent_runs WHERE user_id = :u",
            "DELETE FROM checkpoint_writes WHERE thread_id LIKE :threads",
            "DELETE FROM checkpoint_blobs WHERE thread_id LIKE :threads",
            "DELETE FROM checkpoints WHERE thread_id LIKE :threads",
            "DELETE FROM users WHERE id = CAST(:u AS integer)",
        ):
            connection.execute(text(statement), {"u": str(SHOPPER), "threads": thread_id(str(SHOPPER), "%")})


def _section_lines(client: httpx.Client) -> tuple[bool, str]:
    body = client.get("/api/v1/products/1/personalization").json()
    return body["cached"], " ".join(line for card in body["cards"] for line in card["lines"])


def test_cache_invalidation_and_durable_memory_across_two_processes(shopper):
    first, first_url = _serve()
    second, second_url = _serve()
    try:
        with (
            httpx.Client(base_url=first_url, timeout=30) as a,
            httpx.Client(base_url=second_url, timeout=30) as b,
        ):
            for client in (a, b):
                assert client.post("/api/v1/session", json={"user_id": shopper}).status_code == 200
            assert (
                a.post("/api/v1/assistant", json={"message": "I prefer black"}).json()["route"]
                == "preference"
            )
            cached, lines = _section_lines(b)
            assert not cached and "You prefer black: available in Black" in lines
            assert _section_lines(b) == (True, lines)

            said = a.post("/api/v1/assistant", json={"message": "Actually I prefer red now"}).json()
            first.send_signal(signal.SIGKILL)  # a crash right after the reply
            assert said["remembered"][0]["memory"] == "Prefers red color"

            cached, lines = _section_lines(b)
            assert not cached and "You prefer red: available in Red" in lines and "black" not in lines
            assert [m["memory"] for m in b.get("/api/v1/me/memories").json()] == ["Prefers red color"]
    finally:
        for process in (first, second):
            process.kill()
            process.wait(timeout=10)
