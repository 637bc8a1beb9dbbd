"""`shop nlu eval`: how well a reader of shopper language does on a corpus split.

Reported: route accuracy (with a confusion table), fact-category accuracy (of the labelled facts, the
share found with their category), slot-value F1 (request slots and fact values, micro-averaged),
nothing-to-store (of the messages that state nothing, the share that stored nothing), polarity and
scope accuracy of the facts found, and exact canonical texts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agentic_shop.understanding.corpus import Item
from agentic_shop.understanding.facts import Fact, normalize_text
from agentic_shop.understanding.lexicon import Vocabulary
from agentic_shop.understanding.model import HEADS

SLOT_ROUTES = frozenset({"product_search", "feature_search", "product_question"})
_LIST_SLOTS = ("categories", "colors", "brands", "features")
_VALUE_SLOTS = ("max_price", "min_price", "size", "tone")

# A reader: (item) -> (route, slots, facts)
Reader = Callable[[Item], tuple[str, dict[str, Any], list[Fact]]]


@dataclass
class Report:
    items: int = 0
    route_right: int = 0
    confusion: Counter = field(default_factory=Counter)  # (gold, predicted) -> count
    gold_facts: int = 0
    category_right: int = 0
    polarity_right: int = 0
    scope_right: int = 0
    text_right: int = 0
    slot_tp: int = 0
    slot_fp: int = 0
    slot_fn: int = 0
    silent: int = 0  # messages that state nothing
    silent_right: int = 0
    mistakes: list[str] = field(default_factory=list)
    timing: dict[str, float] = field(default_factory=dict)  # per message, when measured

    def metrics(self) -> dict[str, float]:
        precision = self.slot_tp / max(self.slot_tp + self.slot_fp, 1)
        recall = self.slot_tp / max(self.slot_tp + self.slot_fn, 1)
        return {
            "messages": self.items,
            "route_accuracy": round(self.route_right / max(self.items, 1), 4),
            "fact_category_accuracy": round(self.category_right / max(self.gold_facts, 1), 4),
            "slot_f1": round(2 * precision * recall / max(precision + recall, 1e-9), 4),
            "slot_precision": round(precision, 4),
            "slot_recall": round(recall, 4),
            "nothing_to_store": round(self.silent_right / max(self.silent, 1), 4),
            "fact_polarity_accuracy": round(self.polarity_right / max(self.category_right, 1), 4),
            "fact_scope_accuracy": round(self.scope_right / max(self.category_right, 1), 4),
            "fact_text_exact": round(self.text_right / max(self.gold_facts, 1), 4),
        }

    def table(self) -> str:
        routes = HEADS["route"]
        width = max(len(r) for r in routes)
        head = " " * (width + 2) + " ".join(f"{r[:8]:>8}" for r in routes)
        rows = [
            f"{gold:<{width}}  " + " ".join(f"{self.confusion[gold, p]:>8}" for p in routes)
            for gold in routes
        ]
        return "\n".join(["gold \\ predicted", head, *rows])


def evaluate(items: list[Item], read: Reader) -> Report:
    report = Report()
    for item in items:
        route, slots, facts = read(item)
        report.items += 1
        report.confusion[item.route, route] += 1
        report.route_right += route == item.route
        if route != item.route:
            report.mistakes.append(f"route {item.route} -> {route}: {item.text}")
        gold, found = _pairs(item.route, item.slots, item.facts), _pairs(item.route, slots, _as_dicts(facts))
        report.slot_tp += len(gold & found)
        report.slot_fp += len(found - gold)
        report.slot_fn += len(gold - found)
        if gold != found:
            report.mistakes.append(
                f"slots missing {sorted(gold - found)} extra {sorted(found - gold)}: {item.text}"
            )
        _score_facts(report, item, facts)
    return report


def _as_dicts(facts: list[Fact]) -> list[dict[str, Any]]:
    return [
        {
            "category": f.category,
            "polarity": f.polarity,
            "values": list(f.values),
            "scope": f.scope,
            "text": f.text,
        }
        for f in facts
    ]


def _pairs(route: str, slots: dict[str, Any], facts: list[dict[str, Any]]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    if route in SLOT_ROUTES:
        for key in _LIST_SLOTS:
            pairs |= {(key, str(v).casefold()) for v in slots.get(key) or ()}
        for key in _VALUE_SLOTS:
            value = slots.get(key)
            if value is not None:
                pairs.add((key, _number(value)))
    for fact in facts:
        pairs |= {(f"fact:{fact['category']}", _number(v)) for v in fact["values"]}
    return pairs


def _number(value: Any) -> str:
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return str(value).casefold()


def _score_facts(report: Report, item: Item, facts: list[Fact]) -> None:
    if not item.facts:
        report.silent += 1
        report.silent_right += not facts
        if facts:
            report.mistakes.append(f"stored {[f.text for f in facts]} from nothing: {item.text}")
        return
    remaining = list(facts)
    for gold in item.facts:
        report.gold_facts += 1
        match = next((f for f in remaining if f.category == gold["category"]), None)
        if match is None:
            report.mistakes.append(
                f"missed {gold['category']} {gold['text']!r} (got {[f.text for f in facts]}): {item.text}"
            )
            continue
        remaining.remove(match)
        report.category_right += 1
        report.polarity_right += match.polarity == gold["polarity"]
        report.scope_right += match.scope == gold["scope"]
        report.text_right += normalize_text(match.text) == normalize_text(gold["text"])


def llm_reader(llm: Any, words: Vocabulary) -> Reader:
    """The configured LLM's router and extractor as a reader; a failed call counts as a wrong answer
    (the app would fall back to the offline engine, but this measures the LLM)."""
    from agentic_shop.agents.assistant.router import route_with_llm
    from agentic_shop.llm import LlmError
    from agentic_shop.memory.extraction.llm import LlmExtractionError, extract_with_llm

    product_of = {category: pid for pid, category in words.product_categories.items()}

    def read(item: Item) -> tuple[str, dict[str, Any], list[Fact]]:
        try:
            route, slots = route_with_llm(llm, item.text, words, product_of.get(item.product), [])
        except LlmError:
            route, slots = "(failed)", {}
        try:
            facts = extract_with_llm(llm, [item.text], words=words)
        except LlmExtractionError:
            facts = []
        return route, slots, facts

    return read
