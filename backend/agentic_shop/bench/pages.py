"""`shop bench pages`: the agents in the browser, over real HTTP as a browser asks for them.

- a product page's HTML (the agents' parts come after it, as fragments);
- its two fragments, the personalized section and the review summary, uncached (offline engine);
- a streamed assistant turn: posted as htmx posts it, then its event stream read; the time to the
  first `step` event and to `done`, from the moment the message was sent;
- with a local LLM stub answering after --llm-latency: both fragments asked at once, as the page does.

Each persona is a cookie jar that picked its persona through the shoppers page (CSRF token and all).
"""

from __future__ import annotations

import re
import time

import httpx

from agentic_shop.agents import cache
from agentic_shop.bench.agents import PERSONAS, llm_stub, measure, pages_with_llm, persona_at, product_ids
from agentic_shop.bench.stats import summary

FRAGMENTS = ("/products/{}/personalized", "/products/{}/summary")
# Turns that change no memory, so the personas stay as seeded.
TURNS = ("Is this available in black?", "headphones under $100", "what do you know about me?", "hello")
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_TURN = re.compile(r"/assistant/turns/([0-9a-f-]{36})/stream")


def run_pages_benchmark(requests: int, llm_latency_s: float) -> list[str]:
    from agentic_shop.db.engine import get_engine
    from agentic_shop.main import app
    from agentic_shop.web.background import serve_in_background

    engine = get_engine()
    products = product_ids(engine)
    with engine.begin() as connection:
        cache.clear(connection)
    with serve_in_background(app) as base:
        clients, tokens = {}, {}
        try:
            for persona in PERSONAS:
                clients[persona], tokens[persona] = browser(base, persona)
            html = measure(clients, products, requests, "/products/{}")
            sections = measure(clients, products, requests, FRAGMENTS[0])
            summaries = measure(clients, products, requests, FRAGMENTS[1])
            first_steps, turns = [], []
            for i in range(requests):
                persona = persona_at(i)
                first, whole = _turn(clients[persona], tokens[persona], TURNS[i % len(TURNS)], products[0])
                first_steps.append(first)
                turns.append(whole)
            with engine.begin() as connection:
                cache.clear(connection)
            llm_lines = _with_llm(clients, products, llm_latency_s) if llm_latency_s else []
        finally:
            for client in clients.values():
                client.close()
    return [
        summary("product page HTML", html),
        summary("section fragment (uncached)", sections),
        summary("summary fragment (uncached)", summaries),
        summary("assistant: first streamed step", first_steps),
        summary("assistant: whole streamed turn", turns),
        *llm_lines,
    ]


def browser(base: str, persona: int) -> tuple[httpx.Client, str]:
    """A cookie jar that picked its persona on the shoppers page, and its CSRF token."""
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=True)
    token = _TOKEN.search(client.get("/shoppers").text).group(1)
    client.post("/shoppers/select", data={"user_id": persona, "csrf_token": token}).raise_for_status()
    return client, token


def _turn(client: httpx.Client, token: str, message: str, product_id: int) -> tuple[float, float]:
    start = time.perf_counter()
    posted = client.post(
        "/assistant",
        data={"message": message, "product_id": product_id, "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    posted.raise_for_status()
    first = None
    with client.stream("GET", f"/assistant/turns/{_TURN.search(posted.text).group(1)}/stream") as stream:
        for line in stream.iter_lines():
            if line == "event: step" and first is None:
                first = (time.perf_counter() - start) * 1000
            if line == "event: done":
                break
    if first is None:
        raise RuntimeError(f"the turn {message!r} streamed no step")
    return first, (time.perf_counter() - start) * 1000


def _check_llm_used(answers: list[httpx.Response]) -> None:
    for answer in answers:
        answer.raise_for_status()
        if "offline engine" in answer.text:  # else this would time the offline engine
            raise RuntimeError("the LLM stub's answer was not used")


def _with_llm(clients: dict[int, httpx.Client], products: list[int], latency_s: float) -> list[str]:
    """The page asks for both fragments at once: with one LLM call each, running side by side, they
    should both be there after about one LLM latency."""
    with llm_stub(latency_s) as stub:
        pages, calls = pages_with_llm(stub, clients, products, FRAGMENTS, _check_llm_used)
    return [
        summary(f"both fragments with LLM ({latency_s * 1000:.0f} ms)", pages),
        f"  {calls} LLM calls for {len(pages)} pages, at most {stub.max_in_flight} in flight",
    ]
