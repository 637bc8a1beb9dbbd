"""`shop bench agents`: the agents over real HTTP, offline engine, at demo scale or on a generated
catalog (50,000 products / 500,000 reviews by default) in a database of its own; then a product page
with an LLM, against a local stub that answers after a set latency.

Every uncached request is a (shopper, product) pair not asked before, or follows a cache purge for
that shopper, so it runs the whole graph; "cached" repeats one request.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, text

from agentic_shop.agents import cache
from agentic_shop.bench.stats import summary
from agentic_shop.llm.stub_server import StubChatServer

PERSONAS = list(range(1, 11))


LLM_PAGES = 20
PAGE_PATHS = ("/api/v1/products/{}/personalization", "/api/v1/products/{}/review-summary")


def run_agents_benchmark(requests: int, llm_latency_s: float) -> list[str]:
    from agentic_shop.db.engine import get_engine
    from agentic_shop.main import app
    from agentic_shop.web.background import serve_in_background

    engine = get_engine()
    products = product_ids(engine)
    with engine.begin() as connection:
        cache.clear(connection)  # every first request must compute
    clients: dict[int, httpx.Client] = {}
    with serve_in_background(app) as base:
        try:
            for persona in PERSONAS:
                clients[persona] = httpx.Client(base_url=base, timeout=60)
                clients[persona].post("/api/v1/session", json={"user_id": persona}).raise_for_status()
            sections = measure(clients, products, requests, "/api/v1/products/{}/personalization")
            summaries = measure(clients, products, requests, "/api/v1/products/{}/review-summary")
            recommendations = []
            for i in range(requests):
                persona = persona_at(i)
                with engine.begin() as connection:
                    cache.clear(connection, str(persona), "recommendations")
                recommendations.append(timed(clients[persona], "/api/v1/me/recommendations"))
            cached = [
                timed(clients[1], f"/api/v1/products/{products[0]}/personalization") for _ in range(requests)
            ]
            with engine.begin() as connection:
                cache.clear(connection)
            llm_lines = _llm_page_lines(clients, products, llm_latency_s) if llm_latency_s else []
        finally:
            for client in clients.values():
                client.close()
    return [
        f"catalog: {len(products):,} products, {_count(engine, 'reviews'):,} reviews",
        summary("personalized section (uncached)", sections),
        summary("recommendations (uncached)", recommendations),
        summary("review summary (uncached)", summaries),
        summary("personalized section (cached)", cached),
        *llm_lines,
    ]


@contextmanager
def llm_stub(latency_s: float) -> Iterator[StubChatServer]:
    """This process's LLM is a local stub answering STUB_ANSWER after `latency_s`."""
    from agentic_shop.llm import get_llm
    from agentic_shop.llm.stub_server import stub_chat_server
    from agentic_shop.settings import get_settings

    with stub_chat_server() as stub:
        stub.reply_slowly(latency_s, STUB_ANSWER)
        os.environ.update(
            LLM_PROVIDER="openai-compatible",
            LLM_BASE_URL=stub.url,
            LLM_MODEL="stub",
            LLM_TIMEOUT_S=str(latency_s + 10),
        )
        get_settings.cache_clear()
        get_llm.cache_clear()
        yield stub


def _llm_page_lines(clients: dict[int, httpx.Client], products: list[int], latency_s: float) -> list[str]:
    """A product page asks its two agents at once, as the browser does; each makes one LLM call, so
    the page should take about one LLM latency, not two. So should an assistant turn, whose routing
    and remembering (both LLM calls) run side by side."""
    with llm_stub(latency_s) as stub:
        pages, page_calls = pages_with_llm(stub, clients, products, PAGE_PATHS, _check_llm_used)
        turns, before = [], len(stub.requests)
        for i in range(LLM_PAGES):
            start = time.perf_counter()
            answer = clients[persona_at(i)].post("/api/v1/assistant", json={"message": "hello"})
            turns.append((time.perf_counter() - start) * 1000)
            _check_llm_used([answer])
    return [
        summary(f"product page with LLM ({latency_s * 1000:.0f} ms)", pages),
        summary(f"assistant turn with LLM ({latency_s * 1000:.0f} ms)", turns),
        f"  {page_calls + len(stub.requests) - before} LLM calls for {LLM_PAGES} pages and {LLM_PAGES} turns "
        f"(2 each), at most {stub.max_in_flight} in flight at once",
    ]


def pages_with_llm(
    stub: StubChatServer,
    clients: dict[int, httpx.Client],
    products: list[int],
    paths: tuple[str, ...],
    check: Callable[[list[httpx.Response]], None],
) -> tuple[list[float], int]:
    """LLM_PAGES product pages, each asking for its `paths` at once as the browser does, after one
    untimed page (the process builds its LLM client on first use). `check` fails the run when an
    answer did not come from the LLM. Returns the timings and the LLM calls the timed pages made."""
    with ThreadPoolExecutor(len(paths)) as pool:
        check(list(pool.map(clients[PERSONAS[0]].get, [p.format(products[-1]) for p in paths])))
        before, timings = len(stub.requests), []
        for i in range(LLM_PAGES):
            client = clients[persona_at(i)]
            urls = [path.format(product_at(products, i)) for path in paths]
            start = time.perf_counter()
            answers = list(pool.map(client.get, urls))
            timings.append((time.perf_counter() - start) * 1000)
            check(answers)
    return timings, len(stub.requests) - before


# One answer that fits every LLM step: section description, review summary, route, memory extraction.
STUB_ANSWER = {
    "description": "Made for everyday use.",
    "summary": "Reviewers share mixed views.",
    "route": "other",
    "categories": [],
    "features": [],
    "colors": [],
    "size": None,
    "max_price": None,
    "tone": None,
    "facts": [],
}


def _check_llm_used(answers: list[httpx.Response]) -> None:
    for answer in answers:
        answer.raise_for_status()
        body = answer.json()
        if body["fallbacks"] or not body["engine"].startswith("LLM"):  # else this times the offline engine
            raise RuntimeError(f"the LLM stub's answer was not used: {body['fallbacks']}")


def measure(clients: dict[int, httpx.Client], products: list[int], n: int, path: str) -> list[float]:
    """Spread over shoppers and products; (shopper, product) pairs repeat only past 10 x the catalog."""
    return [timed(clients[persona_at(i)], path.format(product_at(products, i))) for i in range(n)]


def persona_at(i: int) -> int:
    return PERSONAS[i % len(PERSONAS)]


def product_at(products: list[int], i: int) -> int:
    return products[(i * 7919) % len(products)]  # a prime stride: neighbours are far apart


def timed(client: httpx.Client, path: str, method: str = "get", **request: Any) -> float:
    """One request's time in ms (it must succeed)."""
    start = time.perf_counter()
    client.request(method, path, **request).raise_for_status()
    return (time.perf_counter() - start) * 1000


def product_ids(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT id FROM products ORDER BY id")).scalars())


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def use_scale_database(
    products: int, reviews_per_product: int, rebuild: bool, say: Callable[[str], None]
) -> None:
    """Point this process at `agentic_shop_bench_<N>`, built once: migrated and seeded like any shop
    (personas and their memories), then its catalog replaced by a generated one of that size."""
    from agentic_shop.catalog.generator import generate_catalog
    from agentic_shop.catalog.loader import clear_catalog, load_catalog
    from agentic_shop.catalog.reader import read_catalog
    from agentic_shop.db import engine as engine_module
    from agentic_shop.db import migrations
    from agentic_shop.db.server import database_url
    from agentic_shop.embeddings import get_bulk_embedder
    from agentic_shop.settings import get_settings

    main = create_engine(database_url(), isolation_level="AUTOCOMMIT")
    name = f"agentic_shop_bench_{products}"
    url = main.url.set(database=name)
    with main.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if exists and rebuild:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = None
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    main.dispose()
    os.environ["DATABASE_URL"] = url.render_as_string(hide_password=False)
    get_settings.cache_clear()
    engine_module.get_engine.cache_clear()
    engine_module.get_autocommit_engine.cache_clear()
    engine = engine_module.get_engine()
    if exists and _count(engine, "products") == products:
        say(f"Using {name} (built before; --rebuild to build it again).")
        return
    say(f"Building {name}: migrations and seed, then {products:,} products x {reviews_per_product} reviews.")
    migrations.upgrade("head")
    folder = get_settings().var_dir / f"bench-catalog-{products}"
    generate_catalog(Path(folder), products=products, reviews_per_product=reviews_per_product)
    started = time.perf_counter()
    with engine.begin() as connection:
        clear_catalog(connection)
        load_catalog(connection, read_catalog(folder), get_bulk_embedder(), embed_reviews=False)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    seconds = time.perf_counter() - started
    say(f"Loaded in {seconds:.0f} s (product vectors embedded, review vectors left empty).")
