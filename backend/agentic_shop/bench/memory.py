"""`shop bench memory`: the memory service at scale (default 100,000 memories of 10,000 shoppers).

Shoppers are `bench-NNNNN` in the configured database; their rows are removed before and after. The
bulk load writes mem0's row format directly (going through `add` 100,000 times would take half an
hour); what is timed goes through the memory service exactly as the app uses it:
- search: 1,000 probes, each with the text of one of the shopper's own memories. Probe texts are
  distinct and new to this process, so every search pays for its query embedding.
- recall: the probed memory must be in the top 5, and no result may belong to another shopper.
- add: first-person statements through extraction, consolidation, mem0 and the audit.
- summarize: a 20-turn conversation (as its traces record it) into its summary, then stored as the
  session's summary memory (`end_session`: embedding, mem0, audit).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text

from agentic_shop.agents.assistant.summary import Turn, summarize
from agentic_shop.bench.stats import summary
from agentic_shop.embeddings import get_bulk_embedder
from agentic_shop.memory import store
from agentic_shop.memory.service import MemoryService, fact_fields
from agentic_shop.understanding.corpus import training_vocabulary
from agentic_shop.understanding.engine import analyze

PREFIX = "bench-"
_COLORS = [
    "black",
    "white",
    "red",
    "blue",
    "green",
    "gray",
    "silver",
    "pink",
    "purple",
    "yellow",
    "orange",
    "navy",
]
_ADJECTIVES = [
    "lightweight",
    "waterproof",
    "durable",
    "quiet",
    "compact",
    "wireless",
    "rugged",
    "premium",
    "affordable",
    "comfortable",
    "foldable",
    "ergonomic",
    "minimalist",
    "sweat-proof",
    "long-lasting",
    "high-resolution",
    "noise-cancelling",
    "fast-charging",
    "stainless",
    "vintage",
]
_PRODUCTS = [
    "headphones",
    "earbuds",
    "smartwatch",
    "fitness tracker",
    "laptop",
    "tablet",
    "backpack",
    "running shoes",
    "hiking boots",
    "coffee maker",
    "blender",
    "speaker",
    "camera",
    "keyboard",
    "monitor",
    "desk chair",
    "rain jacket",
    "water bottle",
    "yoga mat",
    "e-reader",
    "phone case",
    "travel mug",
    "tent",
    "sleeping bag",
    "bike helmet",
    "air fryer",
    "kettle",
    "desk lamp",
    "gaming mouse",
    "webcam",
]
_ACTIVITIES = [
    "trail running",
    "commuting",
    "hiking",
    "yoga",
    "cycling",
    "travel",
    "gaming",
    "cooking",
    "photography",
    "camping",
    "swimming",
    "studying",
    "video calls",
    "weightlifting",
    "gardening",
]
_FEATURES = [
    "battery life",
    "sound quality",
    "comfort",
    "durability",
    "easy cleaning",
    "build quality",
    "portability",
    "water resistance",
    "screen brightness",
    "fast charging",
]


def _fact_pool(size: int, rng: random.Random) -> list[str]:
    """Distinct, plausible memory texts (many shoppers share some, as real ones do)."""
    templates = [
        [f"Prefers {c} color" for c in _COLORS],
        [f"Looking for {a} {p}" for a in _ADJECTIVES for p in _PRODUCTS],
        [f"Interested in {a} {p} for {act}" for a in _ADJECTIVES for p in _PRODUCTS for act in _ACTIVITIES],
        [f"Budget under ${n} for a {p}" for n in range(50, 1050, 50) for p in _PRODUCTS],
        [f"Values {f} in a {p}" for f in _FEATURES for p in _PRODUCTS],
        [f"Dislikes {a} {p}" for a in _ADJECTIVES for p in _PRODUCTS],
        [
            f"Enjoys {act} on weekends with a {c} {p}"
            for act in _ACTIVITIES
            for c in _COLORS
            for p in _PRODUCTS
        ],
    ]
    pool = list(dict.fromkeys(itertools.chain.from_iterable(templates)))
    return rng.sample(pool, min(size, len(pool)))


def _clear(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("DELETE FROM mem0_chatstore WHERE payload->>'user_id' LIKE :p"), {"p": PREFIX + "%"}
        )
        connection.execute(text("DELETE FROM memory_events WHERE user_id LIKE :p"), {"p": PREFIX + "%"})


def _rows(
    assignments: dict[str, list[str]], vectors: dict[str, list[float]], facts: dict[str, Any]
) -> Iterator[tuple]:
    now = datetime.now(UTC).isoformat()
    for user_id, texts in assignments.items():
        for fact_text in texts:
            fact = facts[fact_text]
            payload = {
                "data": fact_text,
                "hash": hashlib.md5(fact_text.encode()).hexdigest(),
                "created_at": now,
                "updated_at": now,
                "user_id": user_id,
                "role": "user",
                "text_lemmatized": fact_text,
                "category": fact.category,
                "level": "user",
                "source": "api",
                "status": "active",
                **fact_fields(fact),
            }
            yield str(uuid.uuid4()), str(vectors[fact_text]), json.dumps(payload)


def _load(engine: Engine, memories: int, shoppers: int, rng: random.Random) -> dict[str, list[str]]:
    per_shopper = max(1, memories // shoppers)
    pool = _fact_pool(max(min(5000, memories), per_shopper * 4), rng)
    embedder = get_bulk_embedder()
    vectors = dict(zip(pool, embedder.embed_batch(pool), strict=True))
    words = training_vocabulary()
    facts = {fact_text: analyze(fact_text, words) for fact_text in pool}
    assignments = {f"{PREFIX}{n:05d}": rng.sample(pool, per_shopper) for n in range(shoppers)}
    with engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy("COPY mem0_chatstore (id, vector, payload) FROM STDIN") as copy:
            for row in _rows(assignments, vectors, facts):
                copy.write_row(row)
        connection.execute(text("ANALYZE mem0_chatstore"))
    return assignments


_TURNS = 20
_ROUTES = ("product_search", "feature_search", "product_question", "preference", "other")


def _conversation(rng: random.Random, number: int) -> list[Turn]:
    """A 20-turn conversation as the traces record one: searches, products asked about, facts said."""
    turns = []
    for i in range(_TURNS):
        route = rng.choice(_ROUTES)
        product = {"id": rng.randint(1, 170), "name": f"Product {number}-{i}"}
        turns.append(
            Turn(
                message=f"message {i}",
                route=route,
                slots={
                    "categories": [rng.choice(["Headphones", "Laptops", "Speakers"])],
                    "features": [rng.choice(_FEATURES)] if route == "feature_search" else [],
                    "max_price": rng.choice([None, 100, 200, 300]),
                },
                product=product if route == "product_question" else None,
                shown=[{"id": rng.randint(1, 170), "name": f"Shown {i}-{k}"} for k in range(3)]
                if route in ("product_search", "feature_search")
                else [],
                stated=[f"Likes {rng.choice(_ACTIVITIES)}"] if route == "preference" else [],
            )
        )
    return turns


def run_memory_benchmark(
    engine: Engine,
    *,
    memories: int = 100_000,
    shoppers: int = 10_000,
    probes: int = 1000,
    adds: int = 200,
    conversations: int = 200,
    keep: bool = False,
    seed: int = 7,
) -> Iterator[str]:
    rng = random.Random(seed)
    _clear(engine)
    start = time.perf_counter()
    assignments = _load(engine, memories, shoppers, rng)
    total = sum(len(texts) for texts in assignments.values())
    yield f"loaded {total:,} memories of {len(assignments):,} shoppers in {time.perf_counter() - start:.1f} s"
    try:
        service = MemoryService()
        service.search("warm-up", next(iter(assignments)))
        # Distinct probe texts: none is in the query embedder's cache, so each search embeds.
        by_text: dict[str, str] = {}
        for user_id, texts in rng.sample(sorted(assignments.items()), len(assignments)):
            fresh = [t for t in texts if t not in by_text]
            if fresh:
                by_text[rng.choice(fresh)] = user_id
            if len(by_text) == probes:
                break
        timings, bare, found, foreign = [], [], 0, 0
        probes_ = list(by_text.items())
        for (probe_text, user_id), (other_text, other_user) in zip(
            probes_, probes_[1:] + probes_[:1], strict=True
        ):
            t0 = time.perf_counter()
            results = service.search(probe_text, user_id, limit=5)
            timings.append((time.perf_counter() - t0) * 1000)
            found += any(r.memory == probe_text for r in results)
            foreign += sum(r.user_id != user_id for r in results)
            # Beside it, mem0's own search (meaning only, 5 rows), on a text new to the embedder too.
            t0 = time.perf_counter()
            with engine.connect() as connection, store.bind(connection):
                service.mem0.search(
                    other_text.upper(),
                    top_k=5,
                    filters={"user_id": other_user, "status": "active", "level": "user"},
                )
            bare.append((time.perf_counter() - t0) * 1000)
        yield summary("search (top 5, with embedding)", timings)
        yield summary("  beside: mem0.search alone", bare)
        share = 100 * found / len(by_text)
        yield f"recall@5: {found}/{len(by_text)} probes ({share:.1f}%); results of other shoppers: {foreign}"
        add_timings = []
        users = rng.sample(sorted(assignments), adds)
        for i, user_id in enumerate(users):
            statement = (
                f"I'm looking for {rng.choice(_ADJECTIVES)} {rng.choice(_PRODUCTS)} for "
                f"{rng.choice(_ACTIVITIES)} number {i}"
            )
            t0 = time.perf_counter()
            service.add(statement, user_id=user_id)
            add_timings.append((time.perf_counter() - t0) * 1000)
        yield summary("add (offline extraction)", add_timings)
        summarize_timings, store_timings = [], []
        for i, user_id in enumerate(users[:conversations]):
            turns = _conversation(rng, i)
            t0 = time.perf_counter()
            written = summarize(turns)
            t1 = time.perf_counter()
            service.end_session(
                user_id, f"bench-conversation-{i}", summary=written.text, details=written.details()
            )
            summarize_timings.append((t1 - t0) * 1000)
            store_timings.append((time.perf_counter() - t0) * 1000)
        yield summary(f"summarize {_TURNS} turns (offline)", summarize_timings)
        yield summary(f"summarize {_TURNS} turns and store", store_timings)
    finally:
        if not keep:
            _clear(engine)
