"""Fuzzing the JSON API from its OpenAPI schema (schemathesis, every check it has), as a signed-in
shopper, against the real server: whatever it sends, no 5xx, and every answer as documented.

`FUZZ_EXAMPLES` sets how many requests per operation (a short run here; `make fuzz` runs 200)."""

import os

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from sqlmodel import Session

from agentic_shop.main import app
from agentic_shop.services.shoppers import reset_memories_to_seed
from tests.conftest import clear_agent_cache

SHOPPER = 10
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


@pytest.fixture(scope="module")
def signed_in(live_server, engine):
    """A shopper's cookie jar, signed in again before each request (the fuzzer may sign it out, or
    erase the shopper: their seeded memories are put back afterwards)."""
    session = requests.Session()

    def sign_in() -> requests.Session:
        session.cookies.clear()
        session.post(f"{live_server}/api/v1/session", json={"user_id": SHOPPER}).raise_for_status()
        return session

    yield sign_in
    with Session(engine) as db:
        reset_memories_to_seed(db, SHOPPER)
    clear_agent_cache(engine)


# The schema is the app's own; the requests go to the real server (base_url below).
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_holds_whatever_it_is_sent(case, live_server, signed_in):
    case.call_and_validate(base_url=live_server, session=signed_in())
