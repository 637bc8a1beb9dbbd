"""Consolidation: what a new fact does to what the shop already remembers (mem0 2.x only appends).

Given a new fact and the shopper's active memories at the same level, the plan says whether the fact
is already known (exact or near duplicate), and which memories it supersedes:
- a fact in an exclusive slot (preferred color, budget, size, per thing) replaces the one holding it;
  "also"/"too" merges colors instead ("I also like blue" -> "Prefers black and blue colors");
- a reversal replaces its opposite: a dislike replaces the like of the same thing ("actually I don't
  like red anymore" retires "Prefers red color"), and a like replaces the matching dislike. When the
  retired color preference named other colors too, those are kept in a new memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agentic_shop.understanding.facts import Fact, normalize_text, render_color_preference

# Cosine similarity above which two facts of the same polarity say the same thing. Measured with the
# local MiniLM: rewordings ("Needs long battery life" / "Wants long battery life") score 0.93-0.97,
# while different preferences of the same shape ("Prefers black color" / "Prefers red color") can
# reach 0.88, so those never rely on similarity: the slot and value rules above decide them.
NEAR_DUPLICATE = 0.92

_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True)
class Existing:
    id: str
    fact: Fact
    similarity: float  # cosine similarity with the new fact


@dataclass
class Plan:
    add: Fact | None  # what to store (the new fact, or a merged version of it)
    duplicate_of: Existing | None = None
    supersede: list[tuple[Existing, str]] = field(default_factory=list)  # (memory, reason)
    keep: list[Fact] = field(default_factory=list)  # remainders of a partly reversed memory


def _numbers(text: str) -> set[str]:
    return {number.replace(",", "") for number in _NUMBER.findall(text)}


def _subjects_match(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return (
        a == b
        or re.search(rf"\b{re.escape(a)}\b", b) is not None
        or re.search(rf"\b{re.escape(b)}\b", a) is not None
    )


def _about_same_thing(new: Fact, old: Fact) -> bool:
    if new.values and old.values:
        return bool(set(new.values) & set(old.values))
    return _subjects_match(new.subject, old.subject)


def _is_reversal(new: Fact, old: Fact) -> bool:
    opposite = {new.polarity, old.polarity} == {"like", "dislike"}
    return opposite and _about_same_thing(new, old)


def _color_preference(colors: list[str], like: Fact) -> Fact:
    return Fact(
        text=render_color_preference(colors),
        category="color",
        slot="color",
        polarity="like",
        values=tuple(colors),
        subject=like.subject,
        scope=like.scope,
    )


def plan(new: Fact, existing: list[Existing]) -> Plan:
    normalized = normalize_text(new.text)
    for memory in existing:
        if normalize_text(memory.fact.text) == normalized:
            return Plan(add=None, duplicate_of=memory)

    result = Plan(add=new)
    for memory in existing:
        old = memory.fact
        if _is_reversal(new, old):
            result.supersede.append((memory, "the newer one says the opposite"))
            remaining = [value for value in old.values if value not in new.values]
            if old.slot == "color" and old.polarity == "like" and remaining:
                result.keep.append(_color_preference(remaining, old))
        elif new.slot and old.slot == new.slot and old.polarity == new.polarity:
            if set(old.values) == set(new.values):
                return Plan(add=None, duplicate_of=memory)
            if new.additive and new.slot == "color":
                result.add = _color_preference(list(dict.fromkeys([*old.values, *new.values])), new)
                result.supersede.append((memory, "both colors kept in one memory"))
            else:
                result.supersede.append((memory, f"a newer {new.slot} preference"))

    if not result.supersede:
        for memory in existing:
            if (
                memory.similarity >= NEAR_DUPLICATE
                and memory.fact.polarity == new.polarity
                and _numbers(memory.fact.text) == _numbers(new.text)
            ):
                return Plan(add=None, duplicate_of=memory)
    return result
