"""What the assistant can do: each tool reads the catalog (or memories) and returns findings plus a
reply in plain words. Tools never write; the `remember` node already stored the message."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from agentic_shop.agents import learning
from agentic_shop.agents.assistant import prompts
from agentic_shop.agents.assistant.summary import short_name
from agentic_shop.agents.catalog import ProductFacts, product_facts
from agentic_shop.agents.profile import load_profile
from agentic_shop.agents.review_summarizer.graph import review_summarizer_graph
from agentic_shop.agents.runtime import RunContext, Step
from agentic_shop.agents.wording import day_phrase, money
from agentic_shop.embeddings import get_embedder
from agentic_shop.memory.records import MemoryRecord
from agentic_shop.memory.service import MemoryService
from agentic_shop.services import catalog
from agentic_shop.understanding.lexicon import singular

SHOWN = 5


def product_search(slots: dict[str, Any], run: RunContext, step: Step) -> dict[str, Any]:
    if (
        slots.get("topic")
        and not slots["features"]
        and learning.feature_for_term(run.connection, slots["topic"])
    ):
        return feature_search(slots, run, step)  # "headphones with <a phrase shoppers showed the meaning of>"
    words = run.words
    category = slots["categories"][0] if slots["categories"] else None
    profile = load_profile(run)
    max_price, budget_note = slots.get("max_price"), ""
    budget = profile.budget_for(category) if category and max_price is None else None
    if budget:  # a remembered budget applies unless the message names a price
        max_price, budget_note = budget.amount, f" within your {money(budget.amount)} budget"
        step.used([budget.memory])
    found = catalog.search_products(run.session, get_embedder(), slots["query"], category, 1, 48, 48)
    facts = product_facts(run.connection, [card.id for card in found.items], words)
    candidates = [facts[card.id] for card in found.items if card.id in facts and _fits(facts[card.id], slots)]
    matches = [p for p in candidates if _within(p, max_price, slots.get("min_price"))][:SHOWN]
    wanted = _wanted_variant(slots)
    what = (f"{slots['colors'][0]} " if slots["colors"] else "") + (
        category.lower() if category else "products"
    )
    if not matches and budget and candidates:
        # The remembered budget empties the category: say so, and show what it would take.
        cheapest = sorted(candidates, key=lambda p: p.price)[:3]
        lines = [f"- {p.name}, {money(p.price)}" for p in cheapest]
        return {
            "products": [p.card() for p in cheapest],
            "reply": f"No {what} are{budget_note}. The cheapest {what}:\n" + "\n".join(lines),
        }
    if not matches:
        return {"products": [], "reply": f"I found no {what}{budget_note} for “{slots['query']}”."}
    lines = [f"- {p.name}, {money(p.price)}" + (f": {wanted(p)}" if wanted else "") for p in matches]
    return {
        "products": [p.card() for p in matches],
        "reply": f"Here are {len(matches)} {what}{budget_note}:\n" + "\n".join(lines),
    }


def feature_search(slots: dict[str, Any], run: RunContext, step: Step) -> dict[str, Any]:
    """Products ranked by how many reviews praise the feature ("ANC" finds noise cancellation); when
    no review praises it, the products that offer it, with what their reviewers said."""
    words = run.words
    features = [f for f in words.features if f.name in slots["features"]]
    learned = None if features else learning.feature_for_term(run.connection, slots.get("topic"))
    if learned:  # a phrase no catalog feature names, whose meaning shoppers showed by what they opened
        features = [f for f in words.features if f.name == learned.feature]
    if not features and slots.get("topic"):
        return topic_search(slots, run, step)
    if not features:
        return product_search(slots, run, step)
    params = {
        "features": [f.id for f in features],
        "categories": slots["categories"],
        "max_price": slots.get("max_price") or 1e12,
        "limit": SHOWN,
    }
    feature = features[0].name.lower()
    what = slots["categories"][0].lower() if slots["categories"] else "products"
    rows = run.connection.execute(_PRAISED, params).all()
    if rows:
        lead = f"The {what} whose reviewers praise {feature} most:"
    else:
        rows = run.connection.execute(_OFFERING, params).all()
        lead = f"No reviewer praises the {feature} of any {what} yet." + (
            f" {what.capitalize()} with {feature}:" if rows else ""
        )
    found = _ranked(rows, lead, feature, run)
    if learned:
        found |= {"reply": f"{learned.text}.\n{found['reply']}", "learned": learned.text}
    return found


def _ranked(rows: list, lead: str, subject: str, run: RunContext) -> dict[str, Any]:
    """Products ranked by their reviews (rows of product_id, praise, mentions), one line each."""
    facts = product_facts(run.connection, [row.product_id for row in rows], run.words)
    lines = [
        f"- {facts[row.product_id].name}, {money(facts[row.product_id].price)}: "
        + _praise(row.praise, row.mentions, subject)
        for row in rows
    ]
    return {
        "products": [
            facts[row.product_id].card() | {"praise": row.praise, "mentions": row.mentions} for row in rows
        ],
        "reply": "\n".join([lead, *lines]),
    }


# Cosine similarity from which a review is about an aspect. Measured within a category: reviews that
# mention a laptop's hinge score 0.56-0.57 with "hinge"; tablets' reviews score at most 0.23 with
# "cellular connectivity", which none of them discusses.
MENTIONS = 0.45


def topic_search(slots: dict[str, Any], run: RunContext, step: Step) -> dict[str, Any]:
    """Products ranked by the reviews that talk about an aspect no catalog feature names, found by
    meaning in the reviews' stored vectors (never mapped onto some other feature)."""
    topic = slots["topic"]
    what = slots["categories"][0].lower() if slots["categories"] else "products"
    params = {
        "vector": str(get_embedder().embed(topic)),
        "categories": slots["categories"],
        "max_price": slots.get("max_price") or 1e12,
        "similar": MENTIONS,
        "limit": SHOWN,
    }
    rows = run.connection.execute(_ABOUT_TOPIC, params).all()
    if not rows:
        found = product_search(slots, run, step)
        return found | {"reply": f"No reviewer of any {what} mentions {topic}. " + found["reply"]}
    return _ranked(rows, f"The {what} whose reviewers talk about {topic}:", topic, run)


_FILTERS = """
    (cardinality(CAST(:categories AS text[])) = 0 OR p.category = ANY(CAST(:categories AS text[])))
    AND p.price <= :max_price"""
_PRAISED = text(f"""
    SELECT r.product_id, count(*) FILTER (WHERE r.sentiment = 'positive') AS praise, count(*) AS mentions
    FROM reviews r JOIN products p ON p.id = r.product_id
    WHERE r.feature_id = ANY(:features) AND {_FILTERS}
    GROUP BY r.product_id
    HAVING count(*) FILTER (WHERE r.sentiment = 'positive') > 0
    ORDER BY praise DESC, count(*) - count(*) FILTER (WHERE r.sentiment = 'positive'), r.product_id
    LIMIT :limit
""")
_OFFERING = text(f"""
    SELECT p.id AS product_id, 0 AS praise, count(DISTINCT r.id) AS mentions
    FROM product_features pf JOIN products p ON p.id = pf.product_id
    LEFT JOIN reviews r ON r.product_id = p.id AND r.feature_id = ANY(:features)
    WHERE pf.feature_id = ANY(:features) AND {_FILTERS}
    GROUP BY p.id
    ORDER BY p.rating_avg DESC NULLS LAST, p.id
    LIMIT :limit
""")


_ABOUT_TOPIC = text(f"""
    SELECT r.product_id, count(*) FILTER (WHERE r.sentiment = 'positive') AS praise, count(*) AS mentions
    FROM reviews r JOIN products p ON p.id = r.product_id
    WHERE r.embedding IS NOT NULL AND 1 - (r.embedding <=> CAST(:vector AS vector)) >= :similar
      AND {_FILTERS}
    GROUP BY r.product_id
    ORDER BY praise DESC, mentions DESC, r.product_id
    LIMIT :limit
""")


def _praise(praise: int, mentions: int, feature: str) -> str:
    if praise:
        return f"{praise} of {mentions} reviewers who mention {feature} praise it"
    if mentions == 1:
        return "1 reviewer mentions it, without praise"
    if mentions:
        return f"{mentions} reviewers mention it, none with praise"
    return "no reviewer mentions it yet"


def product_question(
    slots: dict[str, Any], message: str, product_id: int | None, run: RunContext, step: Step
) -> dict[str, Any]:
    if product_id is None:
        return {"reply": prompts.NO_PRODUCT}
    words = run.words
    product = product_facts(run.connection, [product_id], words).get(product_id)
    if product is None:
        return {"reply": prompts.NO_PRODUCT}
    asks_reviews = slots["tone"] == "critical" or any(
        w in message.lower() for w in ("review", "say", "complain")
    )
    if (slots["colors"] or slots["size"] or not slots["features"]) and not asks_reviews:
        return _availability(product, slots)
    summary = review_summarizer_graph().invoke(
        {"product_id": product_id, "question": message}, config=run.config()
    )
    quotes = list({q["text"]: q for q in summary["quotes"] if q["text"]}.values())
    if slots["tone"] == "critical":
        quotes = [q for q in quotes if q["sentiment"] == "negative"]
    lines = [f"- “{q['text']}” ({q['author']}, {q['rating']}/5)" for q in quotes]
    focus = summary["focus"]["features"]
    if lines and focus and not any(q["feature"] in focus for q in quotes):
        lines.insert(0, "Other reviews worth reading:")
    reply = summary["summary"] + ("\n" + "\n".join(lines) if lines else "")
    return {"reply": reply, "summary": summary["summary"], "quotes": quotes, "focus": summary["focus"]}


def preference(remembered: list[dict[str, Any]]) -> dict[str, Any]:
    stored = [c for c in remembered if c["event"] in ("add", "update")]
    # A superseded change names the memory it retired (not something to remember).
    retired = [c["memory"] for c in remembered if c["event"] == "supersede"]
    known = [
        c for c in remembered if c["event"] == "none" and c.get("reason") != "only for a shopping session"
    ]
    lines = []
    for change in stored:
        was = f" (instead of: {change['previous']})" if change.get("previous") else ""
        lines.append(f"- {change['memory']}{was}")
    if retired:
        lines.append("No longer: " + "; ".join(retired))
    if stored:
        reply = "Noted. I will remember:\n" + "\n".join(lines)
        reply += "\nYour recommendations and product pages now follow it."
    elif known:
        reply = "I already knew that: " + "; ".join(c["memory"] for c in known) + "."
    else:
        reply = prompts.NOTHING_TO_REMEMBER
    return {"reply": reply}


def memory_question(run: RunContext, step: Step) -> dict[str, Any]:
    if run.private:
        return {"reply": prompts.PRIVATE_NOT_READ, "memories": []}
    memories = run.memories()
    step.used(memories)
    if not memories:
        return {"reply": "I do not remember anything about you yet. Tell me what you like!", "memories": []}
    lines = "\n".join(f"- {m.memory}" for m in memories)
    return {
        "reply": f"Here is what I remember about you:\n{lines}\n"
        "You can correct or erase any of it under My memories.",
        "memories": [m.to_dict() for m in memories],
    }


def recall(slots: dict[str, Any], product_id: int | None, run: RunContext, step: Step) -> dict[str, Any]:
    """Earlier conversations, from their summaries: "what did we talk about last time?", "the headphones
    from yesterday" (the latest one about headphones), "did I look at this one before?" (on a product)."""
    if run.private:
        return {"reply": prompts.PRIVATE_NOT_READ}
    memory = MemoryService(connection=run.connection, llm=None)
    earlier = [s for s in memory.summaries(run.user_id, limit=20) if s.session_id != run.conversation_id]
    if not earlier:
        return {"reply": prompts.NO_EARLIER_CONVERSATION}
    asked = slots["categories"][0] if slots["categories"] else None
    if product_id is not None and not asked:
        about = [s for s in earlier if product_id in _product_ids(s)]
        name = short_name(product_facts(run.connection, [product_id], run.words)[product_id].name)
        if not about:
            step.used(earlier[:1])
            return {
                "reply": f"The {name} did not come up in our earlier conversations. {_last_time(earlier[0])}"
            }
        step.used(about[:1])
        return {"reply": f"Yes, the {name} came up {day_phrase(about[0].happened_at)}: {about[0].memory}"}
    chosen = next((s for s in earlier if asked in ((s.about or {}).get("categories") or [])), None)
    if asked and chosen is None:
        step.used(earlier[:1])
        return {"reply": f"We have not talked about {asked.lower()} before. {_last_time(earlier[0])}"}
    chosen = chosen or earlier[0]
    step.used([chosen])
    ids = _product_ids(chosen)
    facts = product_facts(run.connection, ids, run.words)
    wanted = [facts[i] for i in ids if i in facts and (not asked or facts[i].category == asked)][:SHOWN]
    reply = _last_time(chosen)
    if wanted:
        reply += "\nPick up there: ask about any of these, or open one."
    return {"products": [p.card() for p in wanted], "reply": reply, "summary_id": chosen.id}


def _last_time(summary: MemoryRecord) -> str:
    return f"Last time ({day_phrase(summary.happened_at)}): {summary.memory}"


def _product_ids(summary: MemoryRecord) -> list[int]:
    products = (summary.about or {}).get("products") or []
    return [p["id"] for p in products if isinstance(p, dict) and isinstance(p.get("id"), int)]


# -- helpers -------------------------------------------------------------------------------------------


def _within(product: ProductFacts, max_price: float | None, min_price: float | None) -> bool:
    return (max_price is None or product.price <= max_price) and (
        min_price is None or product.price >= min_price
    )


def _fits(product: ProductFacts, slots: dict[str, Any]) -> bool:
    """What the request asks of a product besides its price: brand, color and size in stock."""
    brands = {b.casefold() for b in slots.get("brands") or ()}
    if brands and product.brand.casefold() not in brands:
        return False
    if slots["colors"] and not any(product.availability("color", c).in_stock for c in slots["colors"]):
        return False
    return not (slots["size"] and not product.availability("size", slots["size"]).in_stock)


def _wanted_variant(slots: dict[str, Any]):
    if slots["colors"]:
        return lambda p: p.availability("color", slots["colors"][0]).describe()
    if slots["size"]:
        return lambda p: p.availability("size", slots["size"]).describe()
    return None


def _availability(product: ProductFacts, slots: dict[str, Any]) -> dict[str, Any]:
    asked = [("color", c) for c in slots["colors"]] + ([("size", slots["size"])] if slots["size"] else [])
    kind = singular(product.category)
    if not asked:
        colors = product.values("color")
        stocked = [c for c in colors if product.availability("color", c).in_stock]
        return {
            "reply": f"The {product.name} comes in {', '.join(colors) or 'one version'}"
            + (f"; in stock now: {', '.join(stocked)}." if stocked else "; it is out of stock right now."),
            "availability": {c: product.availability("color", c).in_stock for c in colors},
        }
    answers, found = [], {}
    for attribute, value in asked:
        available = product.availability(attribute, value)
        found[value] = available.in_stock
        if available.in_stock:
            answers.append(f"Yes: this {kind} is {available.describe()}.")
        elif available.offered:
            answers.append(f"Not right now: {available.describe()}.")
        else:
            others = ", ".join(product.values(attribute)) or "other versions"
            answers.append(f"No: the {product.name} is {available.describe()}; it comes in {others}.")
    return {"reply": " ".join(answers), "availability": found}
