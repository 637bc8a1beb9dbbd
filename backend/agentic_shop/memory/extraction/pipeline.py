"""From chat messages to facts: the configured LLM when there is one, the offline language engine
otherwise or whenever the LLM fails (timeout, HTTP error, output that does not fit the schema)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from agentic_shop.understanding.engine import understand
from agentic_shop.understanding.facts import Fact
from agentic_shop.understanding.lexicon import Vocabulary

log = logging.getLogger(__name__)

NOTHING_FOUND = "the language model found no fact where the offline engine reads one"
MAX_MESSAGES_LENGTH = 8000  # one add is a chat turn or two, not a document


@dataclass(frozen=True)
class Extraction:
    facts: list[Fact]
    engine: str  # "offline" or "llm"
    fallback_reason: str | None = None  # why the LLM's answer was not used


def shopper_statements(messages: str | dict | list[Any]) -> list[str]:
    """What the shopper said: a plain string, or the user turns of a chat (assistant turns are ours)."""
    if isinstance(messages, (str, dict)):
        messages = [messages]
    if not isinstance(messages, list):
        raise ValueError("messages must be a string or a list of {'role', 'content'} messages")
    statements: list[str] = []
    for message in messages:
        if isinstance(message, str):
            statements.append(message)
            continue
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise ValueError("each message needs a string 'content'")
        if message.get("role", "user") == "user":
            statements.append(message["content"])
    if sum(len(statement) for statement in statements) > MAX_MESSAGES_LENGTH:
        raise ValueError(f"messages are limited to {MAX_MESSAGES_LENGTH} characters in all")
    return statements


def extract_facts(
    statements: list[str], *, words: Vocabulary, llm: Any = None, stated: bool = False
) -> Extraction:
    """`stated`: the statements are known to be about the shopper (not chat): the offline engine reads
    each clause as the fact it most likely states instead of deciding whether it states one."""
    if llm is not None:
        from agentic_shop.memory.extraction.llm import LlmExtractionError, extract_with_llm

        try:
            facts = extract_with_llm(llm, statements, words=words, stated=stated)
        except LlmExtractionError as error:
            log.warning("LLM extraction failed, using the offline extractor: %s", error)
            return Extraction(_offline(statements, words, stated), "offline", fallback_reason=str(error))
        if facts:
            return Extraction(facts, engine="llm")
        # Nothing, where the engine reads a preference ("I now prefer white"): not lost to a weak model.
        offline = _offline(statements, words, stated)
        if offline:
            return Extraction(offline, "offline", fallback_reason=NOTHING_FOUND)
        return Extraction([], engine="llm")
    return Extraction(_offline(statements, words, stated), engine="offline")


def _offline(statements: list[str], words: Vocabulary, stated: bool) -> list[Fact]:
    facts: list[Fact] = []
    for statement in statements:
        for fact in understand(statement, words, stated=stated).facts:
            if fact not in facts:
                facts.append(fact)
    return facts
