"""How the agents read a shopper's memories: which colors, budget, sizes, brands and features each
memory asks for. Every preference keeps the memory it came from, so an explanation can name it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agentic_shop.memory.records import MemoryRecord
from agentic_shop.understanding.engine import analyze
from agentic_shop.understanding.lexicon import CatalogFeature, Vocabulary, find_colors

if TYPE_CHECKING:
    from agentic_shop.agents.runtime import RunContext

_QUALITY_OVER_PRICE = re.compile(r"\b(?:pay more|more than price|over price|premium|quality)\b", re.I)


@dataclass(frozen=True)
class Budget:
    amount: float
    category: str | None  # None: any purchase
    memory: MemoryRecord


@dataclass(frozen=True)
class Size:
    value: str
    category: str | None
    memory: MemoryRecord


@dataclass
class ShopperProfile:
    memories: list[MemoryRecord]
    colors: dict[str, MemoryRecord] = field(default_factory=dict)  # liked, in order of preference
    avoided_colors: dict[str, MemoryRecord] = field(default_factory=dict)
    watched_colors: dict[str, MemoryRecord] = field(default_factory=dict)  # "always show if red is in stock"
    stock_watch: MemoryRecord | None = None  # "always tell me if it's in stock"
    budgets: list[Budget] = field(default_factory=list)
    sizes: list[Size] = field(default_factory=list)
    brands: dict[str, MemoryRecord] = field(default_factory=dict)  # casefolded brand
    avoided_brands: dict[str, MemoryRecord] = field(default_factory=dict)
    features: dict[str, MemoryRecord] = field(default_factory=dict)  # catalog feature name
    critical_about: dict[str, MemoryRecord] = field(default_factory=dict)  # wants critical reviews of
    critical_reviews: MemoryRecord | None = None  # wants the critical side of every review summary
    categories: dict[str, MemoryRecord] = field(default_factory=dict)  # categories they talk about
    quality_over_price: MemoryRecord | None = None

    def budget_for(self, category: str) -> Budget | None:
        """The budget that applies to a category: one named for it, else a general one."""
        named = [b for b in self.budgets if b.category == category]
        general = [b for b in self.budgets if b.category is None]
        return (named or general or [None])[0]

    def size_for(self, category: str) -> Size | None:
        return next((s for s in self.sizes if s.category in (category, None)), None)

    @property
    def is_empty(self) -> bool:
        return not self.memories


def read_profile(memories: list[MemoryRecord], words: Vocabulary) -> ShopperProfile:
    """Interpret active long-term memories, newest first (so the newest statement wins a tie)."""
    profile = ShopperProfile(list(memories))
    for memory in memories:
        # The category stored with the memory is trusted (its values are read off the text again).
        fact = analyze(memory.memory, words, category=memory.category)
        text = memory.memory
        categories = words.categories_in(text)
        features = words.features_in(text)
        for category in categories:
            profile.categories.setdefault(category, memory)
        if fact.category == "color":
            target = profile.avoided_colors if fact.polarity == "dislike" else profile.colors
            for color in fact.values:
                target.setdefault(color, memory)
        elif fact.category == "instruction" and "stock" in fact.values:
            for color in find_colors(text):
                profile.watched_colors.setdefault(color, memory)
            if not find_colors(text):
                profile.stock_watch = profile.stock_watch or memory
        elif fact.category == "budget" and fact.values:
            profile.budgets.append(Budget(float(fact.values[-1]), fact.applies_to, memory))
        elif fact.category == "budget" and _QUALITY_OVER_PRICE.search(text):
            profile.quality_over_price = profile.quality_over_price or memory
        elif fact.category == "size" and fact.values:
            profile.sizes.append(Size(fact.values[0], fact.applies_to, memory))
        elif fact.category == "brand":
            target = profile.avoided_brands if fact.polarity == "dislike" else profile.brands
            for brand in fact.values:
                target.setdefault(brand.casefold(), memory)
        if fact.category == "reviews" and fact.values[:1] == ("critical",):
            about = [words.feature_named(name) for name in fact.values[1:]]
            for feature in [f for f in about if f]:
                profile.critical_about.setdefault(feature.name, memory)
            if not fact.values[1:]:
                profile.critical_reviews = profile.critical_reviews or memory
            continue
        if fact.category in ("feature", "interest", "activity", "style", "identity", "other"):
            if fact.polarity != "dislike":  # a disliked feature is not one that matters to them
                for feature in features:
                    profile.features.setdefault(feature.name, memory)
        elif fact.category == "budget" and _QUALITY_OVER_PRICE.search(text):
            for feature in features:
                profile.features.setdefault(feature.name, memory)
    return profile


def features_that_matter(
    profile: ShopperProfile, offered: list[CatalogFeature]
) -> list[tuple[CatalogFeature, MemoryRecord]]:
    """The product's features this shopper cares about, in the order of their memories."""
    wanted = {name.casefold(): memory for name, memory in profile.features.items()}
    wanted.update({name.casefold(): memory for name, memory in profile.critical_about.items()})
    order = {memory.id: rank for rank, memory in enumerate(profile.memories)}
    found = [(f, wanted[f.name.casefold()]) for f in offered if f.name.casefold() in wanted]
    found.sort(key=lambda pair: order.get(pair[1].id, 0))
    return found


def load_profile(run: RunContext) -> ShopperProfile:
    """The run's shopper's active long-term memories (none in private mode), read as preferences."""
    return read_profile(run.memories(), run.words)
