"""Shopper facts: short third-person statements ("Prefers white color") and their structured attributes,
and the canonical texts of the kinds of fact that have one ("Avoids red", "Budget under $120 for
earbuds", "Wears size 10 for running shoes", "Prefers Auralis and Velvetone")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

CATEGORIES = (
    "color",
    "budget",
    "size",
    "brand",
    "feature",
    "style",
    "activity",
    "identity",
    "reviews",
    "instruction",
    "interest",
    "other",
)
POLAR = frozenset({"color", "brand", "feature", "style", "interest"})  # a like or a dislike


@dataclass(frozen=True)
class Fact:
    text: str  # short third-person fact, capitalized, no trailing period: "Prefers black color"
    category: str  # one of CATEGORIES
    slot: str | None = (
        None  # exclusive slot: "color", "budget", "budget:<Category>", "size", "size:<Category>"
    )
    polarity: str | None = None  # "like", "dislike" or None
    values: tuple[str, ...] = ()  # colors, amounts as digits, sizes, brands, feature names, review tone
    subject: str = ""  # normalized object of a like/dislike, for reversals
    scope: str = "user"  # "user" (long-term) or "session" (only this shopping session)
    additive: bool = False  # the statement said "also"/"too"/"as well": merge instead of replace
    applies_to: str | None = None  # the catalog category a budget, size or preference is limited to


def normalize_text(text: str) -> str:
    """casefold, collapse whitespace, strip punctuation except $ and digits' separators.

    For exact-duplicate checks: "Prefers black color." and "prefers  black color" are the same fact.
    """
    text = re.sub(r"[^\w\s$.,]|_", " ", text.casefold())
    text = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", text)
    return " ".join(text.split())


def listing(items: Sequence[str]) -> str:
    """["a"] -> "a"; ["a", "b", "c"] -> "a, b and c"."""
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def color_phrase(colors: Sequence[str]) -> str:
    """["black"] -> "black color"; ["pink", "white"] -> "pink and white colors"."""
    if not colors:
        raise ValueError("a color phrase needs at least one color")
    return f"{listing(colors)} color" + ("s" if len(set(colors)) > 1 else "")


def render_color_preference(colors: Sequence[str]) -> str:
    """["black"] -> "Prefers black color"; ["pink","white"] -> "Prefers pink and white colors"."""
    return f"Prefers {color_phrase(colors)}"


def for_category(category: str | None) -> str:
    """ " for earbuds", " for running shoes", or nothing for a general fact."""
    return f" for {category.casefold()}" if category else ""
