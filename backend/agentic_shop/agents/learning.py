"""What the agents learn from all shoppers: agent-level memories that hold no shopper's identity or words.

Two kinds, recomputed from the traces (agent_runs) by `relearn`:
- the assistant's **terms**: a phrase shoppers search with that names no catalog feature ("hush
  mode"), mapped to the feature that products they opened next have far more often than the category
  does ("hush mode" -> Noise Cancellation: 4 shoppers, 100% of the products they opened have it,
  against 65% of headphones);
- the review summarizer's **focus**: per category, the features shoppers ask the assistant about
  most; a review summary for a shopper with no stated focus leads with them.

An item is used only from LEARN_MIN_SHOPPERS distinct shoppers on, and keeps only counts and a
confidence: never a shopper id, a name or a message (a term is kept only once that many shoppers used
it). A shopper who is forgotten leaves the counts at the next relearn (their traces are gone). Items are
mem0 rows at the agent level (`agent_id`, no `user_id`, category `learned`) in mem0_chatstore; reset
drops them and learning starts again from traces newer than the reset.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from agentic_shop.memory import store
from agentic_shop.settings import get_settings
from agentic_shop.understanding.lexicon import Vocabulary

AGENTS = ("assistant", "review_summarizer")
LEARNED = "learned"  # the payload category of a learned item
OPENED_WITHIN = timedelta(minutes=30)  # a product opened this soon after a search followed from it
MIN_CONFIDENCE = 0.8  # share of the opened products that have the feature
MIN_LIFT = 0.2  # ... above the share of the category's products that have it
_SEARCHES = ("product_search", "feature_search")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # "since the beginning", before any reset
_TERM = re.compile(r"^[a-z][a-z0-9 '-]{1,38}[a-z0-9]$")  # a short phrase: never a pasted message


@dataclass(frozen=True)
class Learned:
    agent_id: str
    kind: str  # term | focus
    text: str  # what pgAdmin and the page show
    key: str  # the term, or the category
    feature: str
    shoppers: int
    confidence: float  # term: share of opened products with the feature; focus: share of askers
    base: float | None = None  # term: share of the category's products with the feature

    @property
    def in_use(self) -> bool:
        return self.shoppers >= get_settings().learn_min_shoppers

    def payload(self) -> dict[str, Any]:
        return {
            "category": LEARNED,
            "level": "agent",
            "status": "active",
            "source": "learned",
            "kind": self.kind,
            "key": self.key,
            "feature": self.feature,
            "shoppers": self.shoppers,
            "confidence": self.confidence,
            "base": self.base,
        }


# -- reading (the agents) ----------------------------------------------------------------------------


def learned(connection: Connection, agent_id: str | None = None) -> list[Learned]:
    """The stored items, most supported first."""
    rows = connection.execute(
        text("""
        SELECT payload FROM mem0_chatstore
        WHERE payload->>'category' = :learned
          AND (CAST(:agent AS text) IS NULL OR payload->>'agent_id' = :agent)
        ORDER BY (payload->>'shoppers')::int DESC, payload->>'key', payload->>'feature'
    """),
        {"learned": LEARNED, "agent": agent_id},
    ).scalars()
    return [_from_payload(p) for p in rows]


def feature_for_term(connection: Connection, term: str | None) -> Learned | None:
    """The catalog feature shoppers mean by `term`, once enough of them showed it."""
    if not term:
        return None
    term = _normal(term)
    return next(
        (i for i in learned(connection, "assistant") if i.kind == "term" and i.key == term and i.in_use), None
    )


def asked_most(connection: Connection, category: str | None) -> list[Learned]:
    """The features shoppers ask about most for products of `category` (used ones only)."""
    return [
        i
        for i in learned(connection, "review_summarizer")
        if i.kind == "focus" and i.key == category and i.in_use
    ]


# -- learning ----------------------------------------------------------------------------------------


def relearn(connection: Connection, words: Vocabulary) -> list[Learned]:
    """Recompute every item from the traces since the last reset, and store them (in the caller's
    transaction). Items below the minimum are stored too, marked as not in use, so the page can show
    what is being learned; none holds a term fewer than two shoppers used."""
    since = {agent: _reset_at(connection, agent) for agent in AGENTS}
    items = _terms(connection, words, since["assistant"]) + _focus(
        connection, words, since["review_summarizer"]
    )
    before = {(i.agent_id, i.kind, i.key, i.feature, i.in_use) for i in learned(connection)}
    connection.execute(text("DELETE FROM mem0_chatstore WHERE payload->>'category' = :c"), {"c": LEARNED})
    memory = store.get_mem0()
    with store.bind(connection):
        for item in items:
            memory.add(item.text, agent_id=item.agent_id, metadata=item.payload(), infer=False)
    after = {(i.agent_id, i.kind, i.key, i.feature, i.in_use) for i in items}
    if {x for x in before ^ after if x[0] == "review_summarizer"}:
        # Summaries led by what shoppers ask about most were cached: they follow the new counts.
        connection.execute(text("DELETE FROM agent_cache WHERE kind = 'review_summary'"))
    connection.execute(
        text("""
        INSERT INTO agent_learning (agent_id, learned_at) SELECT unnest(CAST(:agents AS text[])), now()
        ON CONFLICT (agent_id) DO UPDATE SET learned_at = now()
    """),
        {"agents": list(AGENTS)},
    )
    return items


def relearn_if_due(connection: Connection, words: Vocabulary) -> bool:
    """Relearn unless it was done less than LEARN_EVERY_S ago (a conversation's end calls this)."""
    due = connection.execute(
        text("""
        SELECT coalesce(min(learned_at), '-infinity') < now() - make_interval(secs => :every)
        FROM agent_learning
    """),
        {"every": get_settings().learn_every_s},
    ).scalar_one()
    if due:
        relearn(connection, words)
    return bool(due)


def reset(connection: Connection) -> int:
    """Forget everything learned; learning starts again from traces made after now."""
    removed = connection.execute(
        text("DELETE FROM mem0_chatstore WHERE payload->>'category' = :c"), {"c": LEARNED}
    ).rowcount
    connection.execute(
        text("""
        INSERT INTO agent_learning (agent_id, reset_at, learned_at)
        SELECT unnest(CAST(:agents AS text[])), clock_timestamp(), clock_timestamp()
        ON CONFLICT (agent_id) DO UPDATE SET reset_at = clock_timestamp(), learned_at = clock_timestamp()
    """),
        {"agents": list(AGENTS)},
    )
    connection.execute(text("DELETE FROM agent_cache WHERE kind = 'review_summary'"))
    return removed


def _terms(connection: Connection, words: Vocabulary, since: Any) -> list[Learned]:
    searches = connection.execute(
        text("""
        SELECT user_id, created_at, output->'slots'->>'topic' AS topic FROM agent_runs
        WHERE agent = 'assistant' AND status = 'ok' AND NOT private AND created_at > :since
          AND output->>'route' = ANY(:routes) AND output->'slots'->>'topic' IS NOT NULL
    """),
        {"since": since, "routes": list(_SEARCHES)},
    ).all()
    opens = connection.execute(
        text("""
        SELECT r.user_id, r.product_id, r.created_at, p.category
        FROM agent_runs r JOIN products p ON p.id = r.product_id
        WHERE r.status = 'ok' AND NOT r.private AND r.created_at > :since
    """),
        {"since": since},
    ).all()
    features_of = _features_of(connection)
    category_of = dict(connection.execute(text("SELECT id, category FROM products")).all())
    opened_by: dict[str, list] = defaultdict(list)
    for row in opens:
        opened_by[row.user_id].append(row)
    # term -> shopper -> the products they opened after searching with it
    followed: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    categories: dict[str, set[str]] = defaultdict(set)
    for search in searches:
        term = _normal(search.topic)
        if not _TERM.match(term) or words.features_in(term):
            continue
        for opened in opened_by[search.user_id]:
            if search.created_at < opened.created_at <= search.created_at + OPENED_WITHIN:
                followed[term][search.user_id].add(opened.product_id)
                categories[term].add(opened.category)
    items = []
    for term, by_shopper in followed.items():
        shoppers = len(by_shopper)
        if shoppers < 2:  # a phrase one shopper used is their words, not the shop's
            continue
        products = set().union(*by_shopper.values())
        best, lifts = None, {}
        for feature in sorted({f for p in products for f in features_of.get(p, ())}):
            share = sum(feature in features_of.get(p, ()) for p in products) / len(products)
            base = _base_rate(features_of, category_of, feature, categories[term])
            lift = share - base
            if share >= MIN_CONFIDENCE:
                lifts[feature] = lift
            if share >= MIN_CONFIDENCE and lift >= MIN_LIFT and (best is None or lift > best[1]):
                supporters = sum(
                    any(feature in features_of.get(p, ()) for p in ps) for ps in by_shopper.values()
                )
                best = (feature, lift, share, base, supporters)
        if best and not any(
            other != best[0] and abs(lift - best[1]) < 0.01 for other, lift in lifts.items()
        ):  # two features equally likely: the phrase is ambiguous so far
            feature, _, share, base, supporters = best
            items.append(
                Learned(
                    "assistant",
                    "term",
                    f"Shoppers who search for “{term}” open products with {feature} "
                    f"({supporters} shoppers; {share:.0%} of what they opened has it, "
                    f"{base:.0%} of such products do)",
                    term,
                    feature,
                    supporters,
                    round(share, 3),
                    round(base, 3),
                )
            )
    return items


def _focus(connection: Connection, words: Vocabulary, since: Any) -> list[Learned]:
    rows = connection.execute(
        text("""
        SELECT p.category, r.user_id, f.value AS feature
        FROM agent_runs r JOIN products p ON p.id = r.product_id,
             jsonb_array_elements_text(coalesce(r.output->'slots'->'features', '[]')) AS f(value)
        WHERE r.agent = 'assistant' AND r.status = 'ok' AND NOT r.private AND r.created_at > :since
          AND r.output->>'route' = 'product_question'
    """),
        {"since": since},
    ).all()
    known = {f.name for f in words.review_topics}
    askers: dict[str, set[str]] = defaultdict(set)
    asked: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        if row.feature in known:
            askers[row.category].add(row.user_id)
            asked[row.category, row.feature].add(row.user_id)
    items = []
    for (category, feature), users in sorted(asked.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        share = len(users) / len(askers[category])
        items.append(
            Learned(
                "review_summarizer",
                "focus",
                f"{category}: shoppers ask most about {feature} ({len(users)} of the {len(askers[category])} "
                "who asked about a feature)",
                category,
                feature,
                len(users),
                round(share, 3),
            )
        )
    return items


def _features_of(connection: Connection) -> dict[int, set[str]]:
    rows = connection.execute(
        text("SELECT pf.product_id, f.name FROM product_features pf JOIN features f ON f.id = pf.feature_id")
    ).all()
    found: dict[int, set[str]] = defaultdict(set)
    for product_id, name in rows:
        found[product_id].add(name)
    return found


def _base_rate(
    features_of: dict[int, set[str]], category_of: dict[int, str], feature: str, categories: set[str]
) -> float:
    """The share of the categories' products that have the feature."""
    products = [p for p, category in category_of.items() if category in categories]
    return sum(feature in features_of.get(p, ()) for p in products) / len(products) if products else 0.0


def _reset_at(connection: Connection, agent_id: str) -> Any:
    found = connection.execute(
        text("SELECT reset_at FROM agent_learning WHERE agent_id = :agent"), {"agent": agent_id}
    ).scalar_one_or_none()
    return found or _EPOCH


def _normal(term: str) -> str:
    return " ".join(term.casefold().split())


def _from_payload(payload: dict[str, Any]) -> Learned:
    return Learned(
        agent_id=payload.get("agent_id", ""),
        kind=payload.get("kind", ""),
        text=payload.get("data", ""),
        key=payload.get("key", ""),
        feature=payload.get("feature", ""),
        shoppers=int(payload.get("shoppers") or 0),
        confidence=float(payload.get("confidence") or 0.0),
        base=payload.get("base"),
    )
