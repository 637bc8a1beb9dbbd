import pytest

from agentic_shop.agents import runtime
from agentic_shop.llm.stub_server import stub_chat_server
from tests.conftest import chat_model


@pytest.fixture
def fake_llm(monkeypatch):
    """The agents' LLM is a local OpenAI-compatible server the test scripts (3 s timeout: a scripted
    0.6 s answer must not time out on a loaded machine)."""
    with stub_chat_server() as server:
        model = chat_model(server.url, timeout=3)
        monkeypatch.setattr(runtime, "get_llm", lambda: model)
        yield server


def say(db, user_id: str, statement: str) -> None:
    """The shopper tells the shop something (offline extraction), in the test's transaction."""
    from agentic_shop.memory.service import MemoryService

    MemoryService(connection=db.connection(), llm=None).add(statement, user_id, source="chat")


def login(client, user_id: int) -> None:
    assert client.post("/api/v1/session", json={"user_id": user_id}).status_code == 200


@pytest.fixture
def daniel(client):
    """Daniel (persona 2) signed in over the API."""
    login(client, 2)
    return client
