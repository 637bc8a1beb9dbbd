"""The review summarizer's steps. Each takes the state, the run context and its trace step."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sqlalchemy import text

from agentic_shop.agents import learning
from agentic_shop.agents.catalog import SentimentCounts, feature_verdict
from agentic_shop.agents.grounding import short_quote, write_prose
from agentic_shop.agents.profile import features_that_matter, load_profile
from agentic_shop.agents.review_summarizer import prompts
from agentic_shop.agents.review_summarizer.state import ReviewState
from agentic_shop.agents.runtime import RunContext, Step
from agentic_shop.llm import ChatModel
from agentic_shop.understanding.engine import understand
from agentic_shop.understanding.lexicon import CatalogFeature, Vocabulary

MAX_REVIEWS = 400  # newest first; enough for counts that mean something, bounded for huge products


def recall_memories(state: ReviewState, run: RunContext, step: Step) -> dict[str, Any]:
    profile = load_profile(run)
    return {"profile": profile}


def load_reviews(state: ReviewState, run: RunContext, step: Step) -> dict[str, Any]:
    product = (
        run.connection.execute(
            text("SELECT id, name, category, rating_avg, review_count FROM products WHERE id = :id"),
            {"id": state["product_id"]},
        )
        .mappings()
        .one()
    )
    rows = run.connection.execute(
        text("""
        SELECT r.id, r.author, r.text, r.rating, f.name AS feature, r.sentiment
        FROM reviews r LEFT JOIN features f ON f.id = r.feature_id
        WHERE r.product_id = :id ORDER BY r.review_date DESC NULLS LAST, r.id DESC LIMIT :limit
    """),
        {"id": state["product_id"], "limit": MAX_REVIEWS},
    ).mappings()
    return {"product": dict(product), "reviews": [dict(row) for row in rows]}


def classify_reviews(state: ReviewState, run: RunContext, step: Step) -> dict[str, Any]:
    """Label reviews the catalog left unlabelled (imported catalogs): the product feature the text
    talks about (else any catalog feature or review topic), and the sentiment its rating gives."""
    words = run.words
    offered = _product_features(run, state["product_id"])
    reviews, classified = [], 0
    for review in state["reviews"]:
        if review["feature"] is None or review["sentiment"] is None:
            found = words.features_in(review["text"], among=offered) or words.features_in(
                review["text"], among=words.review_topics
            )
            review = {
                **review,
                "feature": review["feature"] or (found[0].name if found else None),
                "sentiment": review["sentiment"] or _sentiment(review["rating"]),
                "classified": True,
            }
            classified += 1
        reviews.append(review)
    return {"reviews": reviews, "classified": classified}


def count_sentiment(state: ReviewState, run: RunContext, step: Step) -> dict[str, Any]:
    counts: dict[str, SentimentCounts] = defaultdict(SentimentCounts)
    for review in state["reviews"]:
        if review["feature"] and review["sentiment"] in ("positive", "negative", "neutral"):
            counter = counts[review["feature"]]
            setattr(counter, review["sentiment"], getattr(counter, review["sentiment"]) + 1)
    ordered = sorted(counts.items(), key=lambda item: (-item[1].total, item[0]))
    return {"counts": {feature: c.to_dict() for feature, c in ordered}}


def choose_focus(state: ReviewState, run: RunContext, step: Step) -> dict[str, Any]:
    """The features and tone to lead with: the shopper's question first, then their memories
    ("prefers critical reviews about durability"), then what they care about, then what reviewers
    discuss most."""
    words = run.words
    counts, profile, question = state["counts"], state["profile"], state.get("question") or ""
    discussed = [f for f in words.review_topics if f.name in counts]
    if question:
        asked = words.features_in(question, among=discussed) or words.features_in(
            question, among=words.review_topics
        )
        # "what do people dislike about this?" asks for the critical side: the language engine's tone.
        tone = understand(question, words, product_category=state["product"].get("category")).slots["tone"]
        if asked or tone:
            return {"focus": _focus([f.name for f in asked], tone or "balanced", "your question", None)}
    mattering = features_that_matter(profile, discussed)
    critical = [(f, m) for f, m in mattering if f.name in profile.critical_about]
    if critical:
        step.used([m for _, m in critical])
        return {
            "focus": _focus([f.name for f, _ in critical], "critical", critical[0][1].memory, critical[0][1])
        }
    wish = (
        profile.critical_reviews
    )  # "I only trust negative reviews": the critical side, whatever the feature
    tone = "critical" if wish else "balanced"
    if mattering:
        step.used([m for _, m in mattering[:2]] + ([wish] if wish else []))
        names = [f.name for f, _ in mattering[:2]]
        return {"focus": _focus(names, tone, (wish or mattering[0][1]).memory, wish or mattering[0][1])}
    # No stated focus: what shoppers ask about most for this category (learned from all of them).
    popular = [i.feature for i in learning.asked_most(run.connection, state["product"].get("category"))]
    leading = [f for f in popular if f in counts][:2]
    features = list(dict.fromkeys([*leading, *counts]))[:2]
    because = f"what shoppers ask about most for {state['product']['category'].lower()}" if leading else None
    if wish:
        step.used([wish])
        return {"focus": _focus(features, tone, wish.memory, wish)}
    return {"focus": _focus(features, "balanced", because, None)}


def summarize(state: ReviewState, run: RunContext, step: Step) -> dict[str, Any]:
    reviews, focus = state["reviews"], state["focus"]
    if focus.get("memory_id"):
        step.used([m for m in state["profile"].memories if m.id == focus["memory_id"]])
    if not reviews:
        return {"summary": "No reviews yet.", "quotes": []}
    evidence = _evidence(reviews, focus)
    words = run.words
    quotes = _distinct([_quote(review, words) for review in evidence[:24]])[:3]

    def with_llm(llm: ChatModel) -> str:
        return _llm_summary(llm, state, evidence, words)

    summary = run.think(step, llm=with_llm, offline=lambda: _extractive(state, evidence, words))
    return {"summary": summary, "quotes": quotes}


# -- helpers -------------------------------------------------------------------------------------------


def _focus(features: list[str], tone: str, because: str | None, memory) -> dict[str, Any]:
    return {
        "features": features,
        "tone": tone,
        "because": because,
        "memory_id": memory.id if memory else None,
    }


def _average(reviews: list[dict[str, Any]]) -> float:
    return sum(r["rating"] for r in reviews) / max(1, len(reviews))


def _sentiment(rating: int) -> str:
    return "positive" if rating >= 4 else "negative" if rating <= 2 else "neutral"


def _product_features(run: RunContext, product_id: int) -> list[CatalogFeature]:
    ids = set(
        run.connection.execute(
            text("SELECT feature_id FROM product_features WHERE product_id = :id"), {"id": product_id}
        ).scalars()
    )
    return [f for f in run.words.features if f.id in ids]


def _evidence(reviews: list[dict[str, Any]], focus: dict[str, Any]) -> list[dict[str, Any]]:
    """Reviews in the order they support the summary: focus features and tone first. All of them may
    go to an LLM as data; only quotable ones are ever quoted."""
    wanted = {"critical": "negative", "positive": "positive"}.get(focus["tone"])
    features = focus["features"]

    def rank(review: dict[str, Any]) -> tuple:
        on_feature = review["feature"] in features if features else True
        on_tone = review["sentiment"] == wanted if wanted else review["sentiment"] != "neutral"
        return (not on_feature, not on_tone, -abs(review["rating"] - 3), -len(review["text"]) // 40)

    return sorted(reviews, key=rank)


def _about(feature: str | None, words: Vocabulary) -> re.Pattern[str] | None:
    found = words.feature_named(feature) if feature else None
    return found.pattern if found else None


def _distinct(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes in order, each text once: reviewers often write the same sentence, and three copies of
    one complaint read like a broken page."""
    seen: set[str] = set()
    kept = []
    for quote in quotes:
        key = quote["text"].casefold()
        if quote["text"] and key not in seen:
            seen.add(key)
            kept.append(quote)
    return kept


def _quote(review: dict[str, Any], words: Vocabulary) -> dict[str, Any]:
    return {
        "text": short_quote(review["text"], _about(review["feature"], words)),
        "author": review["author"],
        "rating": review["rating"],
        "feature": review["feature"],
        "sentiment": review["sentiment"],
    }


def _extractive(state: ReviewState, evidence: list[dict[str, Any]], words: Vocabulary) -> str:
    """Up to three sentences of counts and quotes, focus first."""
    counts, focus = state["counts"], state["focus"]
    sentences = []
    features = focus["features"] or list(counts)[:2]
    for feature in features[:2]:
        c = counts.get(feature)
        if not c:
            sentences.append(f"No reviewer mentions {feature.lower()} yet.")
            continue
        lead, sentiment = feature_verdict(feature, c, focus["tone"])
        candidates = (r for r in evidence if r["feature"] == feature and r["sentiment"] == sentiment)
        about = _about(feature, words)
        quote = next((q for r in candidates if (q := short_quote(r["text"], about))), "")
        sentences.append(f"{lead}: “{quote}”" if quote else f"{lead}.")
    rated = len(state["reviews"])
    average = _average(state["reviews"])
    sentences.append(f"Overall {average:.1f} out of 5 from {rated} review{'s' * (rated != 1)}.")
    return " ".join(sentences[:3])


def _llm_summary(
    llm: ChatModel, state: ReviewState, evidence: list[dict[str, Any]], words: Vocabulary
) -> str:
    focus = state["focus"]
    focus_text = ", ".join(focus["features"]) or "what reviewers discuss most"
    focus_text += f" ({focus['tone']} reviews first)" if focus["tone"] != "balanced" else ""
    if focus["because"]:
        focus_text += f"; the shopper said: {focus['because']}"
    counts = "\n".join(
        f"- {feature}: {c['positive']} / {c['negative']} / {c['neutral']}"
        for feature, c in list(state["counts"].items())[:8]
    )
    shown = evidence[:12]
    reviews = "\n".join(
        f"[{r['feature'] or 'general'}, {r['sentiment']}, {r['rating']} stars] {_flatten(r['text'])}"
        for r in shown
    )
    allowed_numbers = {str(n) for c in state["counts"].values() for n in (*c.values(), sum(c.values()))}
    allowed_numbers |= {str(len(state["reviews"])), "1", "2", "3", "4", "5"}
    average = _average(state["reviews"])
    allowed_numbers |= {f"{average:.1f}", f"{average:.2f}"}
    return write_prose(
        llm,
        prompts.SYSTEM,
        prompts.USER.format(
            product=state["product"]["name"], focus=focus_text, counts=counts, reviews=reviews
        ),
        field="summary",
        example=prompts.EXAMPLE,
        sentences=3,
        words=words,
        category=state["product"]["category"],
        allowed_numbers=allowed_numbers,
        sources=[state["product"]["name"], *(r["text"] for r in shown)],
    )


def _flatten(review_text: str) -> str:
    # One line per review, and nothing that could close the data block early.
    return " ".join(review_text.replace("<", "‹").replace(">", "›").split())[:600]
