"""The personalization agent's steps: recall memories, find candidates, rank them, explain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from agentic_shop.agents.catalog import ProductFacts, feature_verdict, labelled_sentiment, product_facts
from agentic_shop.agents.grounding import write_prose
from agentic_shop.agents.personalization import prompts
from agentic_shop.agents.personalization.state import PersonalizationState
from agentic_shop.agents.profile import ShopperProfile, features_that_matter, load_profile
from agentic_shop.agents.runtime import RunContext, Step
from agentic_shop.agents.wording import day_phrase, description_bullets, money, second_person
from agentic_shop.llm import ChatModel
from agentic_shop.memory.records import MemoryRecord
from agentic_shop.memory.service import MemoryService
from agentic_shop.understanding.facts import listing
from agentic_shop.understanding.lexicon import Vocabulary, singular

PER_MEMORY = 12  # nearest products per memory
PER_CATEGORY = 8  # best-rated products per category the shopper talks about
# Memories whose meaning describes products (not colors, budgets or sizes: those are filters).
_DESCRIBES_PRODUCTS = ("feature", "interest", "activity", "style", "identity", "brand", "reviews", "other")
_FORMS = ("over-ear", "on-ear", "in-ear")


@dataclass(frozen=True)
class Reason:
    kind: str  # color, size, budget, brand, feature, style, category, similar, rating, watch, popular
    text: str
    weight: float
    memory: MemoryRecord | None = None
    blocks: bool = False  # rules the product out of recommendations (over budget, avoided brand, ...)
    feature: str | None = None  # the catalog feature a feature reason is about

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "memory_id": self.memory.id if self.memory else None,
            "memory": self.memory.memory if self.memory else None,
            "positive": self.weight > 0,
        }


# -- nodes ---------------------------------------------------------------------------------------------


def recall_memories(state: PersonalizationState, run: RunContext, step: Step) -> dict[str, Any]:
    """All active memories (as preferences) and, on a product page, the ones most relevant to it."""
    profile = load_profile(run)
    relevant: list[MemoryRecord] = []
    if state["mode"] == "section" and not profile.is_empty:
        name, category = run.connection.execute(
            text("SELECT name, category FROM products WHERE id = :id"), {"id": state["product_id"]}
        ).one()
        memory = MemoryService(connection=run.connection, llm=None)
        relevant = list(memory.search(f"{name} ({category})", run.user_id, limit=5))
    step.used(relevant or profile.memories)
    return {"profile": profile, "relevant": relevant}


def find_candidates(state: PersonalizationState, run: RunContext, step: Step) -> dict[str, Any]:
    words = run.words
    if state["mode"] == "section":
        return {"candidates": product_facts(run.connection, [state["product_id"]], words), "similarity": {}}
    profile = state["profile"]
    similarity = _nearest_to_memories(run, profile)
    ids = list(similarity)
    ids += _best_in_categories(run, profile, exclude=ids)
    if not ids:  # nothing remembered yet: what shoppers like most
        ids = list(
            run.connection.execute(
                text(
                    "SELECT id FROM products"
                    " ORDER BY review_count DESC, rating_avg DESC NULLS LAST, id LIMIT 24"
                )
            ).scalars()
        )
    step.used([m for m in profile.memories if m.id in {mid for _, mid in similarity.values()}])
    return {"candidates": product_facts(run.connection, ids, words), "similarity": similarity}


def rank(state: PersonalizationState, run: RunContext, step: Step) -> dict[str, Any]:
    """Score = meaning match + preference matches (color/size in stock, budget, brand, features and
    what reviewers say about them) + rating. Every term keeps the memory behind it."""
    profile, candidates = state["profile"], state["candidates"]
    sentiment = labelled_sentiment(run.connection, list(candidates))
    by_id = {m.id: m for m in profile.memories}
    ranked = []
    for product in candidates.values():
        best, memory_id = state["similarity"].get(product.id, (0.0, None))
        reasons = _reasons(product, profile, sentiment.get(product.id, {}), best, by_id.get(memory_id))
        score = sum(r.weight for r in reasons) + 0.05 * ((product.rating_avg or 3.0) - 3.0)
        ranked.append(
            {"product_id": product.id, "score": round(score, 4), "reasons": reasons,
             "blocked": any(r.blocks for r in reasons)}
        )  # fmt: skip
    ranked.sort(key=lambda item: (item["blocked"], -item["score"], item["product_id"]))
    step.used([r.memory for item in ranked[:10] for r in item["reasons"] if r.memory])
    return {"ranked": ranked, "sentiment": sentiment}


def explain(state: PersonalizationState, run: RunContext, step: Step) -> dict[str, Any]:
    if state["mode"] == "section":
        return {"section": _section(state, run, step)}
    step.engine = "offline"
    items = []
    for entry in state["ranked"]:
        if entry["blocked"] or len(items) >= state.get("limit", 8):
            continue
        product = state["candidates"][entry["product_id"]]
        lead = _lead(entry["reasons"])
        items.append(
            {
                **product.card(),
                "score": entry["score"],
                "reason": lead.text if lead else _popular(product),
                "reasons": [r.to_dict() for r in entry["reasons"]],
            }
        )
    step.used([r.memory for entry in state["ranked"][: len(items)] for r in entry["reasons"] if r.memory])
    return {"items": items}


# -- candidates ----------------------------------------------------------------------------------------


def _nearest_to_memories(run: RunContext, profile: ShopperProfile) -> dict[int, tuple[float, str]]:
    """Products nearest to each memory's own stored vector (no embedding work at request time)."""
    seeds = [m.id for m in profile.memories if m.category in _DESCRIBES_PRODUCTS]
    if not seeds:
        return {}
    general = profile.budget_for("")
    run.connection.execute(text("SET LOCAL hnsw.iterative_scan = relaxed_order"))
    rows = run.connection.execute(
        text("""
        SELECT m.id::text AS memory_id, c.id AS product_id, 1 - c.distance AS similarity
        FROM mem0_chatstore m
        CROSS JOIN LATERAL (
            SELECT p.id, p.embedding <=> m.vector AS distance FROM products p
            WHERE p.embedding IS NOT NULL AND p.price <= :max_price AND NOT lower(p.brand) = ANY(:avoid)
            ORDER BY p.embedding <=> m.vector LIMIT :k
        ) c
        WHERE m.id = ANY(CAST(:seeds AS uuid[]))
    """),
        {
            "seeds": seeds,
            "k": PER_MEMORY,
            "max_price": general.amount if general and not profile.quality_over_price else 1e12,
            "avoid": list(profile.avoided_brands),
        },
    )
    best: dict[int, tuple[float, str]] = {}
    for memory_id, product_id, similarity in rows:
        if similarity > best.get(product_id, (-1.0, ""))[0]:
            best[product_id] = (float(similarity), memory_id)
    return best


def _best_in_categories(run: RunContext, profile: ShopperProfile, exclude: list[int]) -> list[int]:
    if not profile.categories:
        return []
    return list(
        run.connection.execute(
            text("""
            SELECT id FROM (
                SELECT p.id, row_number() OVER (PARTITION BY p.category
                       ORDER BY p.rating_avg DESC NULLS LAST, p.review_count DESC, p.id) AS rank
                FROM products p WHERE p.category = ANY(:categories) AND NOT p.id = ANY(:exclude)
            ) best WHERE rank <= :k
        """),
            {"categories": list(profile.categories), "exclude": exclude, "k": PER_CATEGORY},
        ).scalars()
    )


# -- matching ------------------------------------------------------------------------------------------


def _reasons(
    product: ProductFacts,
    profile: ShopperProfile,
    sentiment: dict,
    similarity: float,
    found_by: MemoryRecord | None,
) -> list[Reason]:
    reasons: list[Reason] = []
    reasons += _color_reasons(product, profile)
    reasons += _size_reasons(product, profile)
    budget = profile.budget_for(product.category)
    if budget and product.price <= budget.amount:
        reasons.append(
            Reason(
                "budget",
                f"{money(product.price)}, within your {money(budget.amount)} budget",
                0.1,
                budget.memory,
            )
        )
    elif budget:
        reasons.append(
            Reason("budget", f"{money(product.price)} is over your {money(budget.amount)} budget", -1.0,
                   budget.memory, blocks=not profile.quality_over_price)
        )  # fmt: skip
    brand = product.brand.casefold()
    if brand in profile.brands:
        memory = profile.brands[brand]
        reasons.append(
            Reason("brand", f"{second_person(memory.memory)}: made by {product.brand}", 0.25, memory)
        )
    if brand in profile.avoided_brands:
        memory = profile.avoided_brands[brand]
        reasons.append(
            Reason("brand", f"Made by {product.brand}, which you avoid", -1.0, memory, blocks=True)
        )
    reasons += _form_reasons(product, profile)
    for feature, memory in features_that_matter(profile, product.features):
        counts = sentiment.get(feature.name)
        if counts and counts.total:
            verdict, _ = feature_verdict(feature.name, counts.to_dict())
            # Net praise: a feature most reviewers criticise counts against the product, never for it.
            weight = 0.25 * (counts.positive - counts.negative) / counts.total
            reasons.append(
                Reason(
                    "feature",
                    f"{second_person(memory.memory)}: {verdict}",
                    weight,
                    memory,
                    feature=feature.name,
                )
            )
        else:
            text_ = f"{second_person(memory.memory)}: it has {feature.name.lower()}"
            reasons.append(Reason("feature", text_, 0.1, memory, feature=feature.name))
    if product.category in profile.categories:
        memory = profile.categories[product.category]
        reasons.append(Reason("category", second_person(memory.memory), 0.15, memory))
    if found_by is not None and similarity > 0:
        reasons.append(
            Reason("similar", f"Matches what you told us: “{found_by.memory}”", 0.6 * similarity, found_by)
        )
    if profile.quality_over_price and product.rating_avg:
        memory = profile.quality_over_price
        rated = f"{second_person(memory.memory)}: rated {product.rating_avg:.1f} out of 5"
        reasons.append(Reason("rating", rated, 0.05 * (product.rating_avg - 3), memory))
    return reasons


def _color_reasons(product: ProductFacts, profile: ShopperProfile) -> list[Reason]:
    colors = product.values("color")
    reasons = []
    if colors and profile.colors:
        for color, memory in profile.colors.items():
            available = product.availability("color", color)
            if available.offered:
                weight = 0.3 if available.in_stock else 0.05
                reasons.append(Reason("color", f"{_short(memory)}: {available.describe()}", weight, memory))
                break
        else:
            memory = next(iter(profile.colors.values()))
            reasons.append(
                Reason("color", f"{_short(memory)}: comes in {', '.join(colors)} only", -0.1, memory)
            )
    if colors and profile.avoided_colors and all(c.casefold() in profile.avoided_colors for c in colors):
        memory = profile.avoided_colors[colors[0].casefold()]
        reasons.append(Reason("color", f"Only in {', '.join(colors)}, which you avoid", -0.4, memory))
    for color, memory in profile.watched_colors.items():
        available = product.availability("color", color)
        reasons.append(
            Reason("watch", f"{second_person(memory.memory)}: {available.describe()}", 0.05, memory)
        )
    if profile.stock_watch and not profile.watched_colors:
        memory, stocked = profile.stock_watch, product.in_stock
        status = "in stock" if stocked else "out of stock"
        reasons.append(
            Reason("watch", f"{second_person(memory.memory)}: {status}", 0.05 if stocked else -0.05, memory)
        )
    return reasons


def _size_reasons(product: ProductFacts, profile: ShopperProfile) -> list[Reason]:
    size = profile.size_for(product.category)
    if size is None or size.category != product.category or not product.values("size"):
        return []
    available = product.availability("size", size.value)
    if available.in_stock:
        return [
            Reason("size", f"{second_person(size.memory.memory)}: {available.describe()}", 0.25, size.memory)
        ]
    return [Reason("size", f"{second_person(size.memory.memory)}: {available.describe()}", -0.6, size.memory,
                   blocks=True)]  # fmt: skip


def _form_reasons(product: ProductFacts, profile: ShopperProfile) -> list[Reason]:
    """ "Only wears over-ear headphones" against an on-ear model."""
    product_text = product.name.casefold()
    for memory in profile.memories:
        wanted = [form for form in _FORMS if form in memory.memory.casefold()]
        if not wanted or memory.category != "style":
            continue
        # Earbuds are in-ear whatever their name says.
        has = [form for form in _FORMS if form in product_text] or (
            ["in-ear"] if singular(product.category) == "earbud" else []
        )
        if has and has[0] in wanted:
            return [Reason("style", f"{second_person(memory.memory)}: this one is {has[0]}", 0.2, memory)]
        if has:
            return [Reason("style", f"{second_person(memory.memory)}: this one is {has[0]}", -0.5, memory,
                           blocks=True)]  # fmt: skip
    return []


# Concrete evidence ("available in Black, 12 in stock") explains better than "matches what you said".
_LEAD_ORDER = ("color", "size", "feature", "brand", "style", "watch", "category", "similar", "budget")


def _lead(reasons: list[Reason]) -> Reason | None:
    positive = [r for r in reasons if r.weight > 0 and r.kind in _LEAD_ORDER]
    if not positive:
        return None
    concrete = [r for r in positive if r.kind not in ("similar", "budget", "category")]
    return max(concrete or positive, key=lambda r: r.weight)


def _short(memory: MemoryRecord) -> str:
    """ "Prefers black color" -> "You prefer black" (the example every shopper understands)."""
    return re.sub(r"\s+colou?rs?$", "", second_person(memory.memory))


def _popular(product: ProductFacts) -> str:
    if product.rating_avg:
        return f"Rated {product.rating_avg:.1f} out of 5 by {product.review_count} reviewers"
    return "Popular with shoppers"


# -- the product page section --------------------------------------------------------------------------


def _section(state: PersonalizationState, run: RunContext, step: Step) -> dict[str, Any]:
    product = state["candidates"][state["product_id"]]
    entry = state["ranked"][0]
    reasons: list[Reason] = entry["reasons"]
    html = run.connection.execute(
        text("SELECT description_html FROM products WHERE id = :id"), {"id": product.id}
    ).scalar_one()
    bullets = description_bullets(html)
    relevance = {m.id: rank for rank, m in enumerate(state.get("relevant") or [])}
    features = sorted(
        (r for r in reasons if r.kind == "feature"),
        key=lambda r: (relevance.get(r.memory.id, 99), -r.weight),
    )
    cards = [
        _matters_card(product, features, bullets),
        _reviewers_card(product, features, state["sentiment"].get(product.id, {})),
        _variant_card(product, reasons),
    ]
    earlier = None if run.private else _earlier_card(run, product)
    if earlier:
        cards.append(earlier)
    step.used([m for card in cards for m in card.pop("_memories")])

    def with_llm(llm: ChatModel) -> str:
        return _llm_description(llm, product, bullets, state["profile"], cards, run.words)

    description = run.think(step, llm=with_llm, offline=lambda: _offline_description(product, cards))
    return {
        "product_id": product.id,
        "personalized": not state["profile"].is_empty,
        "cards": cards,
        "description": description,
        "score": entry["score"],
        "reasons": [r.to_dict() for r in reasons],
    }


_EARLIER_DAYS = 30  # a conversation summary older than this is not brought up on a product page


def _earlier_card(run: RunContext, product: ProductFacts) -> dict[str, Any] | None:
    """ "You were comparing this with the Auralis Echo 550 (yesterday)": the latest recent conversation
    in which the shopper asked about this product and others."""
    since = (datetime.now(UTC) - timedelta(days=_EARLIER_DAYS)).isoformat()
    for summary in MemoryService(connection=run.connection, llm=None).summaries(run.user_id, limit=5):
        if (summary.happened_at or "") < since:
            continue
        products = [p for p in (summary.about or {}).get("products") or [] if p.get("discussed")]
        if product.id not in [p.get("id") for p in products]:
            continue
        others = [f"the {p['name']}" for p in products if p.get("id") != product.id][:2]
        if not others:
            return None
        line = f"You were comparing this with {listing(others)} ({day_phrase(summary.happened_at)})."
        card = _card("From your last visit", [line], [summary])
        card["memories"] = []  # not something the shopper told us: the trace names the summary
        card["source"] = "From your earlier conversation (listed under My memories)"
        return card
    return None


def _card(title: str, lines: list[str], memories: list[MemoryRecord]) -> dict[str, Any]:
    return {
        "title": title,
        "lines": lines,
        "memories": [{"id": m.id, "memory": m.memory} for m in memories],
        "_memories": memories,
    }


def _matters_card(product, features: list[Reason], bullets: dict[str, str]) -> dict[str, Any]:
    if not features:
        names = [f.name for f in product.features[:2]]
        lines = [f"{name}: {bullets.get(name.casefold(), 'listed for this product')}" for name in names]
        why = "Tell the assistant what matters to you and this card will follow it."
        return _card("Highlights", [*lines, why], [])
    lines, memories = [], []
    for reason in features[:2]:
        detail = bullets.get((reason.feature or "").casefold())
        lines.append(reason.text.split(":", 1)[0] + (f" — {reason.feature}: {detail}" if detail else ""))
        memories.append(reason.memory)
    return _card("What matters to you", lines, memories)


def _reviewers_card(product: ProductFacts, features: list[Reason], sentiment: dict) -> dict[str, Any]:
    names = {r.feature for r in features}
    wanted = [f for f in product.features if f.name in names]
    if not wanted:
        wanted = [f for f in product.features if f.name in sentiment]
        wanted.sort(key=lambda f: -sentiment[f.name].total)
    lines = []
    for feature in wanted[:2]:
        counts = sentiment.get(feature.name)
        if counts and counts.total:
            lines.append(feature_verdict(feature.name, counts.to_dict())[0])
        else:
            lines.append(f"No reviewer mentions {feature.name.lower()} yet")
    if not lines:
        lines.append("No reviews yet")
    return _card("What reviewers say", lines, [r.memory for r in features[:2] if r.memory])


def _variant_card(product: ProductFacts, reasons: list[Reason]) -> dict[str, Any]:
    picked = [r for r in reasons if r.kind in ("color", "size", "watch", "budget", "style")]
    lines = [r.text for r in picked]
    if not any(r.kind in ("color", "size") for r in picked):
        colors = product.values("color")
        if colors:
            lines.insert(0, f"Comes in {', '.join(colors)}" + ("" if product.in_stock else "; out of stock"))
    if not lines:
        lines.append(f"{money(product.price)}, " + ("in stock" if product.in_stock else "out of stock"))
    return _card("Your variant", lines, [r.memory for r in picked if r.memory])


def _offline_description(product: ProductFacts, cards: list[dict[str, Any]]) -> str:
    """Two sentences from the cards' own facts: what matters and how this product meets it, then the
    shopper's variant and budget."""
    kind = singular(product.category)
    matters = cards[0]["lines"][0] if cards[0]["memories"] else None
    if matters and " — " in matters:
        wish, detail = matters.split(" — ", 1)
        first = f"{wish}, and this {kind} offers {_lower_first(detail.split(': ', 1)[-1])}"
    elif matters:
        first = f"{matters}; reviewers: {_lower_first(cards[1]['lines'][0])}"
    else:
        first = f"The {product.name} is a {product.brand} {kind} at {money(product.price)}"
    fit = cards[2]["lines"][:2]
    second = fit[0].split(": ", 1)[-1] + (
        f", and {_lower_first(fit[1].split(': ', 1)[-1])}" if len(fit) > 1 else ""
    )
    return f"{first.rstrip('.')}. {second[:1].upper()}{second[1:].rstrip('.')}."


def _lower_first(text_: str) -> str:
    return text_[:1].lower() + text_[1:] if text_[:2] != text_[:2].upper() else text_


def _llm_description(
    llm: ChatModel,
    product: ProductFacts,
    bullets: dict[str, str],
    profile: ShopperProfile,
    cards: list,
    words: Vocabulary,
) -> str:
    facts = [line for card in cards for line in card["lines"]]
    user = prompts.USER.format(
        product=product.name,
        category=singular(product.category),
        brand=product.brand,
        price=money(product.price),
        bullets="\n".join(f"- {name}: {text}" for name, text in list(bullets.items())[:8]) or "- (none)",
        memories="\n".join(f"- {m.memory}" for m in profile.memories[:12]) or "- (nothing yet)",
        reasons="\n".join(f"- {line}" for line in facts),
    )
    sources = [
        *facts,
        *bullets.values(),
        product.name,
        money(product.price),
        *(m.memory for m in profile.memories),
    ]
    return write_prose(
        llm,
        prompts.SYSTEM,
        user,
        field="description",
        example=prompts.EXAMPLE,
        sentences=2,
        words=words,
        category=product.category,
        sources=sources,
    )
