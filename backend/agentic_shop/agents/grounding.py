"""Checks on text shown to shoppers: short quotes from reviews, and LLM prose that must stay grounded.

An LLM answer that links somewhere, shows markup or ids, speaks in the first person, names another
category, a brand or a number that is not in the data it was given is rejected (LlmError), and the
offline engine's text is shown instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from agentic_shop.llm import ChatModel, LlmError
from agentic_shop.understanding.grammar import first_person
from agentic_shop.understanding.lexicon import Vocabulary

_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|io|ru|xyz)\b", re.I)
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions?|rules|prompt|above)\b|system prompt|"
    r"\byou are (?:an? )?(?:ai|assistant|language model)\b",
    re.I,
)
_MARKUP = re.compile(r"[<>{}\[\]]|\b(?:review|product|memory|user)[ _-]?id\b|#\d", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# Quoted reviewers may say "I"; the prose around them may not.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"']?\s+(?=[A-Z“\"'])")


def short_quote(text: str, about: re.Pattern[str] | None = None, limit: int = 90) -> str:
    """The review's sentence about a feature (else its first), at most `limit` characters; '' when it is
    not quotable (links, or text that addresses the machine instead of describing the product)."""
    if _URL.search(text) or _INSTRUCTION.search(text):
        return ""
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    first = next((s for s in sentences if about and about.search(s)), sentences[0])
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:-")
    return cut + "…"


def plain_sentences(text: str, limit: int) -> str:
    """At most `limit` sentences, whitespace collapsed."""
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    return " ".join(sentences[:limit]).strip()


def check_grounded(
    text: str,
    allowed_numbers: Iterable[str],
    sources: Iterable[str] = (),
    *,
    words: Vocabulary | None = None,
    category: str | None = None,
) -> None:
    """Raise LlmError when the prose is not what it should be: plain, in the shop's voice, about this
    product's category, and naming only numbers and brands that are in the data (`sources`)."""
    if _URL.search(text):
        raise LlmError("the LLM answer contains a link")
    if _MARKUP.search(text):
        raise LlmError("the LLM answer contains markup or ids")
    if _INSTRUCTION.search(text):
        raise LlmError("the LLM answer repeats an instruction")
    sources = list(sources)
    own = _QUOTED.sub("", text)
    if first_person(own):
        raise LlmError("the LLM answer speaks in the first person")
    if words is not None:
        given = " ".join(sources)
        others = set(words.categories_in(own)) - {category} - set(words.categories_in(given))
        if others:
            raise LlmError(f"the LLM answer is about another category: {', '.join(sorted(others))}")
        brands = set(words.brands_in(own)) - set(words.brands_in(given))
        if brands:
            raise LlmError(f"the LLM answer names a brand not in the data: {', '.join(sorted(brands))}")
    known = {_normal(n) for n in allowed_numbers}
    for source in sources:
        known |= {_normal(n) for n in _NUMBER.findall(source)}
    invented = [n for n in _NUMBER.findall(text) if _normal(n) not in known]
    if invented:
        raise LlmError(f"the LLM answer cites numbers that are not in the data: {', '.join(invented[:3])}")


def _normal(number: str) -> str:
    number = number.replace(",", "")
    return number.rstrip("0").rstrip(".") if "." in number else number


def write_prose(
    llm: ChatModel,
    system: str,
    user: str,
    *,
    field: str,
    example: str,
    sentences: int,
    words: Vocabulary,
    category: str,
    allowed_numbers: Iterable[str] = (),
    sources: Iterable[str] = (),
) -> str:
    """One LLM call for a piece of prose (JSON {field: text}), cut to `sentences` and checked."""
    schema = {
        "type": "object",
        "properties": {field: {"type": "string"}},
        "required": [field],
        "additionalProperties": False,
    }
    data = llm.complete_json(
        system, user, schema=schema, name=field, example={field: example}, max_tokens=60 * sentences + 40
    )
    prose = data[field]
    if not prose.strip():
        raise LlmError(f"the LLM returned no {field}")
    prose = plain_sentences(prose, limit=sentences)
    check_grounded(prose, allowed_numbers, sources, words=words, category=category)
    return prose
