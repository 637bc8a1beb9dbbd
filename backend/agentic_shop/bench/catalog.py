"""`shop bench catalog`: the real app over real HTTP (uvicorn on a free port, in this process)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import httpx

from agentic_shop.bench.stats import summary
from agentic_shop.web.background import serve_in_background

# Distinct queries, so every search pays for its query embedding (the embedder caches repeats).
_ADJECTIVES = [
    "waterproof",
    "lightweight",
    "durable",
    "quiet",
    "cheap",
    "premium",
    "compact",
    "comfortable",
    "wireless",
    "fast",
    "rugged",
    "stylish",
    "long battery",
    "noise cancelling",
    "sweat proof",
]
_THINGS = [
    "smartwatch",
    "headphones for the gym",
    "running shoes",
    "laptop for travel",
    "coffee maker",
    "backpack for hiking",
    "tablet for drawing",
    "earbuds",
    "fitness tracker",
    "speaker for parties",
]


def _measure(client: httpx.Client, paths: Callable[[int], str], n: int) -> list[float]:
    client.get(paths(0)).raise_for_status()  # warm-up
    timings = []
    for i in range(1, n + 1):
        start = time.perf_counter()
        client.get(paths(i)).raise_for_status()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run_catalog_benchmark(requests: int) -> list[str]:
    queries = [f"{p}{a} {t}" for p, a, t in itertools.product(["", "best ", "a "], _ADJECTIVES, _THINGS)]
    from agentic_shop.main import app

    with serve_in_background(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        categories = [c["name"] for c in client.get("/api/v1/categories").json()]
        scenarios = {
            "catalog page (HTML, /?page=N)": lambda i: f"/?page={i % 5 + 1}",
            "category page (HTML)": lambda i: f"/?category={categories[i % len(categories)]}",
            "product page (HTML)": lambda i: f"/products/{i % 100 + 1}",
            "search (API, new query each time)": lambda i: f"/api/v1/products?q={queries[i % len(queries)]}",
            "search page (HTML, new query)": lambda i: f"/?q={queries[(i * 7 + 3) % len(queries)]}",
        }
        return [summary(name, _measure(client, path, requests)) for name, path in scenarios.items()]
