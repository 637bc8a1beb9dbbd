"""The offline language engine: one message in, what it asks (route, slots) and states (facts) out.

The trained model decides what each text *is* (the route; per clause the kinds of fact, polarity,
scope; the review tone). The values come from the catalog's own vocabulary and from number grammar:
colors, brands, categories, the features products of the asked category really have, prices, sizes.
Canonical fact texts are rendered from those values; facts said in the shopper's own words (an
activity, who they are) are rewritten to the third person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from agentic_shop.understanding import grammar
from agentic_shop.understanding.facts import POLAR, Fact, for_category, listing, render_color_preference
from agentic_shop.understanding.lexicon import Vocabulary, find_colors
from agentic_shop.understanding.model import HEADS, KINDS, POLARITIES, SCOPES, TONES, Model, load_model
from agentic_shop.understanding.quantities import Price, find_price, find_size

MAX_MESSAGE = 2000  # characters read; the rest of a pasted essay says nothing more about routing
MAX_CLAUSES = 16
# Chosen on the dev split: a clause states a kind of fact from 0.4, and facts are kept from a message
# only when the gate is sure it states something (facts stored from nothing cost more than facts
# missed: at 0.5, 3.2% of the dev messages that state nothing stored a fact; at 0.85, 1.6%).
KIND_THRESHOLD = 0.4
STATING_THRESHOLD = 0.85

# "silver over black", "gray, not blue", "white instead of black": the color after these lost.
_LOSING = re.compile(
    r"\b(?:over|instead of|rather than|not|than|except|but not|no more)\s+(?:the\s+)?(?:\w+\s+)?$", re.I
)
_INSTRUCTION_KEYS = (
    ("stock", re.compile(r"\b(?:in stock|stock|available|availability|sold out|back in)\b", re.I)),
    (
        "discounts",
        re.compile(r"\b(?:discount\w*|sales?|deals?|offers?|coupons?|promo\w*|price drops?)\b", re.I),
    ),
    ("shipping", re.compile(r"\b(?:ship\w*|deliver\w*|arrive\w*)\b", re.I)),
    ("refurbished", re.compile(r"\b(?:refurb\w*|used|second[- ]hand|open[- ]box)\b", re.I)),
    ("price", re.compile(r"\b(?:price|prices|cost|costs)\b", re.I)),
)


@dataclass(frozen=True)
class Reading:
    route: str
    slots: dict[str, Any]
    facts: tuple[Fact, ...] = ()
    confidence: float = 1.0  # the route's probability


def understand(
    message: str,
    words: Vocabulary,
    *,
    product_category: str | None = None,
    stated: bool = False,
    model: Model | None = None,
) -> Reading:
    """What a shopper's message asks for and states (cached: the router and memory both ask).
    `stated`: the text is known to be about the shopper (a persona's preferences, a memory typed
    into "add a memory"), so every clause is read as the fact it most likely states. `model`: another
    trained model than the shipped one (evaluation)."""
    message = " ".join(message.replace("’", "'").split())[:MAX_MESSAGE]
    return _understand(message, words, product_category, stated, model or load_model())


@lru_cache(maxsize=1024)
def _understand(
    message: str, words: Vocabulary, product_category: str | None, stated: bool, model: Model
) -> Reading:
    text = words.correct(message)
    if not text:
        return Reading("other", empty_slots(""))
    said = grammar.clauses(text)[:MAX_CLAUSES]
    on_product = product_category is not None
    read = model.read([text, *(c.text for c in said)], words, [on_product] * (len(said) + 1))
    routes = read.route[0]
    route = HEADS["route"][int(routes.argmax())]
    tone = TONES[int(read.tone[0].argmax())]
    slots = read_slots(text, words, product_category, tone)
    if route in ("product_search", "feature_search") and not slots["categories"] and product_category:
        slots["categories"] = [product_category]  # "anything like this but cheaper?"
    facts: list[Fact] = []
    if said and (stated or read.stating[0] >= STATING_THRESHOLD):
        kinds = read.kinds[1:]
        polarity = read.polarity[1:].argmax(axis=1)
        scope = read.scope[1:].argmax(axis=1)
        clause_tone = read.tone[1:].argmax(axis=1)
        stated_kinds = [(i, kind) for i in range(len(said)) for kind in _kinds(kinds[i], stated)]
        for i, kind in stated_kinds:
            fact = build_fact(
                kind,
                said[i].text,
                words,
                polarity=POLARITIES[polarity[i]],
                scope=SCOPES[scope[i]],
                tone=TONES[clause_tone[i]],
                additive=said[i].additive,
            )
            extra = _budget_of_intent(fact, said[i].text, words)
            for one in (fact, extra):
                if one and all(one.text != seen.text for seen in facts):
                    facts.append(one)
    return Reading(route, slots, tuple(facts), float(routes.max()))


def _budget_of_intent(fact: Fact | None, clause: str, words: Vocabulary) -> Fact | None:
    """ "I'm looking for headphones under $200": the price of a shopping intent is a budget of the same
    scope (this visit's), whatever the model made of the clause."""
    if fact is None or fact.category != "interest" or find_price(clause) is None:
        return None
    return build_fact("budget", clause, words, scope=fact.scope)


def _kinds(probabilities: np.ndarray, stated: bool) -> list[str]:
    found = [KINDS[i] for i in np.flatnonzero(probabilities >= KIND_THRESHOLD)]
    return found or ([KINDS[int(probabilities.argmax())]] if stated else [])


def analyze(text: str, words: Vocabulary, *, scope: str = "user", category: str | None = None) -> Fact:
    """The attributes of an already written fact ("Avoids red", an LLM's fact, a shopper's edit): its
    text stays as written. `category`: the writer's own classification, trusted when given."""
    text = " ".join(text.split()).strip().rstrip(".")
    return _analyze(text, words, scope, category, load_model())


@lru_cache(maxsize=4096)
def _analyze(text: str, words: Vocabulary, scope: str, category: str | None, model: Model) -> Fact:
    corrected = words.correct(text)
    read = model.read([corrected], words, [False])
    kind = category or KINDS[int(read.kinds[0].argmax())]
    polarity = POLARITIES[int(read.polarity[0].argmax())]
    tone = TONES[int(read.tone[0].argmax())]
    fact = build_fact(kind, corrected, words, polarity=polarity, scope=scope, tone=tone)
    if fact is None:
        fact = Fact(text=text, category=kind if kind in KINDS else "other", scope=scope)
    return replace(fact, text=text)


def empty_slots(query: str) -> dict[str, Any]:
    return {
        "categories": [],
        "colors": [],
        "brands": [],
        "features": [],
        "topic": None,
        "size": None,
        "max_price": None,
        "min_price": None,
        "tone": None,
        "query": query,
    }


def read_slots(text: str, words: Vocabulary, product_category: str | None, tone: str) -> dict[str, Any]:
    """What a request names: categories, colors, brands, features (of the asked category only), the
    aspect asked about when no feature names it, price bounds, a size and the review tone."""
    slots = empty_slots(text[:300])
    slots["categories"] = words.categories_in(text)
    slots["colors"] = list(find_colors(text))
    slots["brands"] = words.brands_in(text)
    category = slots["categories"][0] if slots["categories"] else product_category
    slots["features"] = [f.name for f in words.features_in(text, category=category)]
    price = find_price(text)
    if not slots["features"]:
        slots["topic"] = aspect(_cut(text, price), words)  # "under eighty" is no aspect
    if price:
        slots["max_price"], slots["min_price"] = price.max_price, price.min_price
    slots["size"] = find_size(text)
    slots["tone"] = None if tone == "none" else tone
    return slots


_ASPECT = re.compile(
    r"\b(?:with|that has|that have|has|have|about|regarding|for|on|and)\s+"
    r"(?P<aspect>[a-z][\w -]{2,40}?)\s*(?:\?|$|,|\.)",
    re.I,
)
_NOT_ASPECT = re.compile(
    r"\b(?:great|good|best|excellent|amazing|reliable|solid|decent|nice|strong|long|top|the|a|an|really|"
    r"very|super|most|more|critical|negative|positive|bad|reviews?|reviewers?|people|say|this|it|these|that|"
    r"one|ones|me|my|i|under|over|below|around)\b",
    re.I,
)


def aspect(text: str, words: Vocabulary) -> str | None:
    """The aspect a request is about when no catalog feature names it ("tablets with reliable
    cellular connectivity" -> "cellular connectivity"), to be looked up in review texts by meaning."""
    match = _ASPECT.search(text)
    if not match:
        return None
    phrase = match["aspect"]
    for category in words.categories_in(phrase):
        phrase = words.category_pattern(category).sub(" ", phrase)
    phrase = " ".join(_NOT_ASPECT.sub(" ", phrase).split()).casefold()
    return phrase if len(phrase) >= 3 and not re.fullmatch(r"[\d\s$.,]+", phrase) else None


# --- Facts -------------------------------------------------------------------------------------------


def build_fact(
    kind: str,
    clause: str,
    words: Vocabulary,
    *,
    polarity: str = "neutral",
    scope: str = "user",
    tone: str = "none",
    additive: bool = False,
) -> Fact | None:
    """A fact of `kind` from a clause said to state one: its values and its canonical text."""
    polarity_ = (polarity if polarity != "neutral" else "like") if kind in POLAR else None
    categories = words.categories_in(clause)
    applies_to = categories[0] if categories else None
    base = Fact(
        text="", category=kind, polarity=polarity_, scope=scope, additive=additive, applies_to=applies_to
    )
    builder = _BUILDERS.get(kind, _in_own_words)
    fact = builder(base, clause if kind == "budget" else without_price(clause), words, tone)
    if fact is None:
        return None
    subject = grammar.subject(fact.text) if fact.polarity else ""
    return replace(fact, subject=subject)


_DANGLING = r"[\s,;:–-]*\b(?:for|at|with|and|max|of|costing|priced)?[\s,;:–-]*$"


def without_price(clause: str) -> str:
    """A price belongs to the budget fact: "I need a laptop for coding, max 1.2k" -> "... for coding"."""
    return _cut(clause, find_price(clause))


def _cut(clause: str, price: Price | None) -> str:
    if price is None:
        return clause
    before = re.sub(r"\b(?:for|at|with|costing|priced)[\s,]*$", "", clause[: price.span[0]])
    rest = f"{before} {clause[price.span[1] :]}"
    return re.sub(_DANGLING, "", " ".join(rest.split())) or clause


def _color(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    colors = [c for c in find_colors(clause) if not _lost(c, clause)] or list(find_colors(clause))
    if not colors:
        return _in_own_words(replace(base, category="style"), clause, words, tone)
    if base.polarity == "dislike":
        return replace(base, text=f"Avoids {listing(colors)}", values=tuple(colors))
    return replace(base, text=render_color_preference(colors), values=tuple(colors), slot="color")


def _lost(color: str, clause: str) -> bool:
    """ "silver over black": black is what the shopper moves away from."""
    match = re.search(rf"\b{color}\b", clause.casefold().replace("grey", "gray"))
    return bool(match and _LOSING.search(clause[: match.start()]))


def _budget(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    price = find_price(clause)
    if price is None:
        return _in_own_words(base, clause, words, tone)
    return replace(
        base,
        text=f"Budget {price.phrase()}{for_category(base.applies_to)}",
        values=price.values,
        slot=f"budget:{base.applies_to}" if base.applies_to else "budget",
    )


def _size(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    size = find_size(clause)
    if size is None:
        return None
    return replace(
        base,
        text=f"Wears size {size}{for_category(base.applies_to)}",
        values=(size,),
        slot=f"size:{base.applies_to}" if base.applies_to else "size",
    )


def _brand(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    brands = words.brands_in(clause)
    if not brands:
        return _in_own_words(base, clause, words, tone)
    verb = "Avoids" if base.polarity == "dislike" else "Prefers"
    return replace(base, text=f"{verb} {listing(brands)}", values=tuple(brands))


def _reviews(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    tone = tone if tone != "none" else "critical"
    features = [f.name for f in words.features_in(clause, among=words.review_topics)]
    about = f" about {listing([name.casefold() for name in features])}" if features else ""
    return replace(base, text=f"Wants {tone} reviews{about}", values=(tone, *features))


def _instruction(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    keys = tuple(key for key, pattern in _INSTRUCTION_KEYS if pattern.search(clause))
    return replace(base, text=grammar.third_person(clause), values=keys[:1])


def _feature(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    features = [f.name for f in words.features_in(clause, category=base.applies_to)]
    return replace(base, text=grammar.third_person(clause), values=tuple(features))


def _interest(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    return replace(base, text=grammar.third_person(clause), values=tuple(words.categories_in(clause)))


def _in_own_words(base: Fact, clause: str, words: Vocabulary, tone: str) -> Fact | None:
    return replace(base, text=grammar.third_person(clause))


_BUILDERS = {
    "color": _color,
    "budget": _budget,
    "size": _size,
    "brand": _brand,
    "reviews": _reviews,
    "instruction": _instruction,
    "feature": _feature,
    "interest": _interest,
}
