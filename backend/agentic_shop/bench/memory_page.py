"""`shop bench memory-page`: "What we remember" for a shopper with many memories, over real HTTP as a
browser without JavaScript and htmx ask for it; the catalog page in the same run as the reference.

One persona is given `memories` distinct memories (written as on the page), the page and each htmx
interaction (add, edit form, save, history, delete, undo) are timed, and the persona's memories are
put back to the seed afterwards.
"""

from __future__ import annotations

import httpx
from sqlmodel import Session

from agentic_shop.bench.agents import timed
from agentic_shop.bench.pages import browser
from agentic_shop.bench.stats import summary

PERSONA = 10
HX = {"HX-Request": "true"}
_THINGS = (
    "hiking",
    "cycling",
    "baking",
    "chess",
    "sailing",
    "yoga",
    "photography",
    "gardening",
    "jazz",
    "travel",
)


def run_memory_page_benchmark(memories: int, requests: int) -> list[str]:
    from agentic_shop.db.engine import get_engine
    from agentic_shop.main import app
    from agentic_shop.memory.service import MemoryService
    from agentic_shop.services.shoppers import reset_memories_to_seed
    from agentic_shop.web.background import serve_in_background

    engine = get_engine()
    with engine.begin() as connection:
        memory = MemoryService(connection=connection, llm=None)
        for i in range(memories):  # distinct facts, so consolidation keeps every one
            memory.add_as_written(f"Enjoys {_THINGS[i % len(_THINGS)]} trip number {i}", str(PERSONA))
    try:
        with serve_in_background(app) as base:
            client, token = browser(base, PERSONA)
            try:
                stored = len(client.get("/api/v1/me/memories").json())
                catalog = [timed(client, "/") for _ in range(requests)]
                page = [timed(client, "/memories") for _ in range(requests)]
                steps = _interactions(client, token, requests)
            finally:
                client.close()
    finally:
        with Session(engine) as session:
            reset_memories_to_seed(session, PERSONA)
    return [
        f"persona {PERSONA} with {stored} memories",
        summary("catalog page (reference)", catalog),
        summary("memory page", page),
        *(summary(f"htmx: {name}", timings) for name, timings in steps.items()),
    ]


def _interactions(client: httpx.Client, token: str, requests: int) -> dict[str, list[float]]:
    steps: dict[str, list[float]] = {n: [] for n in ("add", "edit form", "save", "history", "delete", "undo")}
    for i in range(requests):
        text = f"I collect vintage {_THINGS[i % len(_THINGS)]} maps, set {i}"
        steps["add"].append(
            timed(client, "/memories", "post", data={"text": text, "csrf_token": token}, headers=HX)
        )
        memory_id = next(
            m["id"] for m in client.get("/api/v1/me/memories").json() if f"set {i}" in m["memory"]
        )
        steps["edit form"].append(timed(client, f"/memories/{memory_id}/edit", headers=HX))
        saved = {"text": f"Collects old {_THINGS[i % len(_THINGS)]} maps, set {i}", "csrf_token": token}
        steps["save"].append(timed(client, f"/memories/{memory_id}/edit", "post", data=saved, headers=HX))
        steps["history"].append(timed(client, f"/memories/{memory_id}/history", headers=HX))
        deleted = {"csrf_token": token}
        steps["delete"].append(
            timed(client, f"/memories/{memory_id}/delete", "post", data=deleted, headers=HX)
        )
        restore = {"text": saved["text"], "csrf_token": token}
        steps["undo"].append(timed(client, "/memories/restore", "post", data=restore, headers=HX))
    return steps
