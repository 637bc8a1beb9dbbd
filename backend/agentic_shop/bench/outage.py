"""`shop bench llm-outage`: an LLM that never answers must not take the shop down with it.

The app is served with an LLM endpoint that accepts connections and never answers (a local stub).
First the catalog page and the product list API are timed alone; then again while `turns` assistant
turns are in flight at once, each waiting on that LLM. Every answer's status is counted: the turns must
come back from the offline engine within the LLM timeout, and the catalog must keep its latency and
never answer 5xx.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from agentic_shop.bench.stats import summary

CATALOG_PATHS = ("/", "/api/v1/products?limit=24")


def run_outage_benchmark(turns: int, catalog_requests: int, llm_timeout_s: float) -> list[str]:
    from agentic_shop.llm import get_llm
    from agentic_shop.llm.stub_server import stub_chat_server
    from agentic_shop.main import app
    from agentic_shop.settings import get_settings
    from agentic_shop.web.background import serve_in_background

    with stub_chat_server() as stub:
        stub.reply_never(600)
        os.environ.update(
            LLM_PROVIDER="openai-compatible",
            LLM_BASE_URL=stub.url,
            LLM_MODEL="never-answers",
            LLM_TIMEOUT_S=str(llm_timeout_s),
        )
        get_settings.cache_clear()
        get_llm.cache_clear()
        with serve_in_background(app) as base:
            browse = httpx.Client(base_url=base, timeout=60)
            _catalog(browse, 10)  # warm up: templates, pools
            alone, alone_status = _catalog(browse, catalog_requests)
            outcome: dict[str, object] = {}
            worker = threading.Thread(target=lambda: outcome.update(_turns(base, turns)))
            worker.start()
            time.sleep(0.5)  # the turns are waiting on the LLM now
            during, during_status = _catalog(browse, catalog_requests, until=worker)
            worker.join()
            browse.close()
        statuses: Counter = outcome["statuses"]  # type: ignore[assignment]
        engines: Counter = outcome["engines"]  # type: ignore[assignment]
        return [
            f"LLM that never answers (timeout {llm_timeout_s:g} s); {turns} assistant turns at once",
            summary("catalog alone", alone),
            summary(f"catalog during {turns} waiting turns", during),
            summary("assistant turn", outcome["timings"]),  # type: ignore[arg-type]
            f"  catalog statuses alone {dict(alone_status)}, during {dict(during_status)}",
            f"  turn statuses {dict(statuses)}; engines {dict(engines)}",
            f"  LLM requests made {len(stub.requests)}, at most {stub.max_in_flight} in flight",
        ]


def _catalog(
    client: httpx.Client, count: int, until: threading.Thread | None = None
) -> tuple[list[float], Counter]:
    """`count` catalog requests (page and API in turn), or as many as fit while `until` runs."""
    timings, statuses = [], Counter()
    i = 0
    while i < count or (until is not None and until.is_alive()):
        start = time.perf_counter()
        statuses[client.get(CATALOG_PATHS[i % len(CATALOG_PATHS)]).status_code] += 1
        timings.append((time.perf_counter() - start) * 1000)
        i += 1
    return timings, statuses


def _turns(base: str, turns: int) -> dict[str, object]:
    def one(i: int) -> tuple[float, int, str]:
        with httpx.Client(base_url=base, timeout=120) as client:
            client.post("/api/v1/session", json={"user_id": i % 10 + 1}).raise_for_status()
            start = time.perf_counter()
            answer = client.post("/api/v1/assistant", json={"message": "I prefer black headphones"})
            took = (time.perf_counter() - start) * 1000
            engine = answer.json().get("engine", "?") if answer.status_code == 200 else "-"
            return took, answer.status_code, engine

    with ThreadPoolExecutor(turns) as pool:
        results = list(pool.map(one, range(turns)))
    return {
        "timings": [r[0] for r in results],
        "statuses": Counter(r[1] for r in results),
        "engines": Counter(r[2] for r in results),
    }
