"""Turning stored facts into words for the shopper: memories in the second person, product bullets."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

_VERBS = {
    "prefers": "prefer", "needs": "need", "values": "value", "wants": "want", "likes": "like",
    "loves": "love", "trusts": "trust", "wears": "wear", "avoids": "avoid", "dislikes": "dislike",
    "hates": "hate", "commutes": "commute", "flies": "fly", "lifts": "lift", "walks": "walk",
    "hikes": "hike", "makes": "make", "works": "work", "uses": "use", "travels": "travel",
    "runs": "run", "has": "have", "is": "are", "enjoys": "enjoy", "buys": "buy", "owns": "own",
    "does": "do", "goes": "go", "plays": "play", "cooks": "cook", "lives": "live",
}  # fmt: skip
_ADVERB = re.compile(r"^(only|always|usually|really|mostly|also|often|never|still)\s+", re.I)
_BULLET = re.compile(r"<li>\s*<strong>([^<:]+):?\s*</strong>:?\s*(.*?)</li>", re.I | re.S)


def second_person(fact: str) -> str:
    """ "Prefers black color" -> "You prefer black color"; "Budget under $150" -> "Your budget is under
    $150". A fact that does not start with a verb is quoted instead."""
    text = fact.strip().rstrip(".")
    adverb = ""
    match = _ADVERB.match(text)
    if match:
        adverb, text = match.group(1).lower() + " ", text[match.end() :]
    first, _, rest = text.partition(" ")
    verb = _VERBS.get(first.casefold())
    if verb:
        return f"You {adverb}{verb} {_their_to_your(rest)}".strip()
    if first.casefold() == "budget":
        return f"Your budget is {rest}"
    if first.casefold().endswith("ing") and not adverb:
        return f"You're {first.lower()} {_their_to_your(rest)}".strip()
    return f"You told us: “{fact}”"


def _their_to_your(text: str) -> str:
    return re.sub(r"\b(?:their|his|her)\b", "your", re.sub(r"\bthem\b", "you", text))


def description_bullets(description_html: str) -> dict[str, str]:
    """ "<li><strong>Battery Life:</strong> Up to 32 hours</li>" -> {"battery life": "Up to 32 hours"}."""
    bullets = {}
    for name, body in _BULLET.findall(description_html or ""):
        plain = html.unescape(re.sub(r"<[^>]+>", "", body)).strip()
        if plain:
            bullets[name.strip().casefold()] = plain
    return bullets


def money(amount: float) -> str:
    return f"${amount:,.0f}" if float(amount).is_integer() else f"${amount:,.2f}"


def day_phrase(stamp: str | None, now: datetime | None = None) -> str:
    """When something happened, as said in conversation: "today", "yesterday", "on Monday, Nov 30"."""
    if not stamp:
        return "earlier"
    moment = datetime.fromisoformat(stamp)
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    days = ((now or datetime.now(UTC)).date() - moment.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"on {moment:%A, %b} {moment.day}"
