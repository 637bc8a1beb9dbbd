"""Shopper facts: short third-person statements ("Prefers black color") and their structured attributes.

`analyze` reads a fact's text (written by the offline extractor or by an LLM) and works out what the
consolidation step needs: the category, the exclusive slot it occupies, like/dislike polarity, the
normalized values (colors, amounts, sizes, brands) and the subject a later reversal must match.
"""

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
    "activity",
    "style",
    "identity",
    "dislike",
    "reviews",
    "instruction",
    "interest",
    "other",
)


@dataclass(frozen=True)
class Fact:
    text: str  # short third-person fact, capitalized, no trailing period: "Prefers black color"
    category: str  # one of CATEGORIES
    slot: str | None = None  # exclusive slot: "color", "budget", "budget:<thing>", "size", "size:<thing>"
    polarity: str | None = None  # "like", "dislike" or None
    values: tuple[str, ...] = ()  # normalized colors, amounts as digits, sizes, lowercase brands
    subject: str = ""  # normalized object of a like/dislike, for reversals
    scope: str = "user"  # "user" (long-term) or "session" (only this shopping session)
    additive: bool = False  # the statement said "also"/"too"/"as well": merge instead of replace


# Longest names first so "rose gold" wins over "gold".
COLORS = tuple(
    sorted(
        (
            "black", "white", "gray", "grey", "silver", "red", "blue", "navy", "green", "pink", "purple",
            "yellow", "orange", "brown", "beige", "gold", "rose gold", "space gray", "teal", "turquoise",
            "cyan", "magenta", "maroon", "burgundy", "olive", "khaki", "cream", "ivory", "tan", "lavender",
            "violet", "indigo", "charcoal", "coral", "mint", "copper", "bronze", "graphite",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
COLOR_RE = re.compile(r"\b(" + "|".join(re.escape(color) for color in COLORS) + r")\b", re.IGNORECASE)

# Words that may surround colors in a statement that is still only about color ("silver or white devices").
_COLOR_FILLER = frozenset(
    [
        "color",
        "colors",
        "colour",
        "colours",
        "colored",
        "coloured",
        "one",
        "ones",
        "device",
        "devices",
        "appliance",
        "appliances",
        "gear",
        "product",
        "products",
        "item",
        "items",
        "thing",
        "things",
        "stuff",
        "finish",
        "finishes",
        "tone",
        "tones",
        "shade",
        "shades",
        "option",
        "options",
        "version",
        "versions",
        "model",
        "models",
        "stainless",
        "and",
        "or",
        "mostly",
        "mainly",
        "only",
        "in",
    ]
)

_ADVERBS = (
    "only|usually|always|also|really|mostly|generally|strongly|definitely|still|often|typically|normally|"
    "absolutely|especially|mainly|primarily|exclusively|truly"
)
_LIKE_VERBS = (
    "prefers|would prefer|likes|would like|loves|enjoys|trusts|wants|needs|values|is interested in|"
    "interested in|is looking for|looking for|is a fan of|is a big fan of|fan of|adores"
)
_DISLIKE_VERBS = (
    "dislikes|hates|avoids|does not like|doesn't like|does not love|does not want|doesn't want|"
    "does not need|doesn't need|no longer likes|no longer loves|no longer wants|no longer prefers|"
    "never buys|never wears|never uses|can't stand|cannot stand|is not a fan of|detests"
)
_POLAR = re.compile(
    rf"^(?:(?:{_ADVERBS})\s+)*(?P<verb>{_DISLIKE_VERBS}|{_LIKE_VERBS})\b\s*(?P<object>.*)$", re.IGNORECASE
)
_DISLIKE = re.compile(rf"^(?:{_DISLIKE_VERBS})$", re.IGNORECASE)

_INSTRUCTION = re.compile(r"^(?:always|whenever|every time)\b|^never\s+wants\s+to\b", re.IGNORECASE)

_AMOUNT = re.compile(
    r"[$€£]\s?(?P<a>\d[\d,]*(?:\.\d+)?)(?P<ak>k\b)?"
    r"|\b(?P<b>\d[\d,]*(?:\.\d+)?)(?P<bk>k)?\s?(?:dollars|bucks|usd|euros?|eur|pounds|gbp)\b",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_BUDGET_WORDS = re.compile(
    r"\bbudget\b|\bwilling to (?:pay|spend)\b|\b(?:cheap|affordable|inexpensive|price-conscious|"
    r"value for money|bargains?|deals?|discounts?)\b",
    re.IGNORECASE,
)
_BUDGET_THING = re.compile(
    r"\bfor\s+(?:(?:a|an|the|their|his|her|new)\s+)*(?P<thing>[a-z][\w-]*(?:\s+[\w-]+){0,2})\s*$", re.I
)

_SIZE = re.compile(
    r"\bsize\s+(?P<value>\d+(?:\.5)?|xxs|xs|s|m|l|xl|xxl|xxxl|small|medium|large|x-large)\b", re.IGNORECASE
)
_SIZE_STOP = frozenset(
    [
        "wears",
        "wear",
        "buys",
        "needs",
        "takes",
        "has",
        "is",
        "usually",
        "typically",
        "normally",
        "always",
        "mostly",
        "a",
        "an",
        "the",
        "their",
        "in",
        "us",
        "uk",
        "eu",
        "european",
        "american",
        "mens",
        "womens",
        "men's",
        "women's",
        "kids",
        "size",
        "fits",
    ]
)

# Several words name the same sized thing; "sneakers" and "shoe" share the shoe size.
_THING_ALIASES = {
    "shoe": "shoes", "shoes": "shoes", "sneaker": "shoes", "sneakers": "shoes", "trainers": "shoes",
    "boot": "shoes", "boots": "shoes", "footwear": "shoes", "tee": "shirts", "tees": "shirts",
    "t-shirt": "shirts", "t-shirts": "shirts", "shirt": "shirts", "shirts": "shirts",
    "headphone": "headphones", "earbud": "earbuds", "earphone": "earphones",
}  # fmt: skip
_ALWAYS_PLURAL = frozenset(
    [
        "headphones",
        "earbuds",
        "earphones",
        "jeans",
        "pants",
        "trousers",
        "shorts",
        "glasses",
        "sunglasses",
        "leggings",
        "tights",
    ]
)

_BRAND_VERB = re.compile(
    r"\b(?:trusts?|prefers?|likes?|loves?|buys?|fan of|dislikes?|hates?|avoids?|does not like|"
    r"doesn't like|no longer likes|never buys)\s+(?P<rest>.*)$",
    re.IGNORECASE,
)
_BRAND_TOKEN = re.compile(r"[A-Z][\w&'-]*")
_NOT_BRANDS = frozenset({"i", "us", "uk", "eu", "usb", "ram", "gb", "tb", "anc", "gps"})

_IDENTITY = re.compile(
    r"^(?:is\s+(?!(?:a\s+|a\s+big\s+|not\s+a\s+)?fan\s+of\b|looking\b|interested\b|shopping\b|into\b)|works\s+(?:as|from|at|in|for|remotely|nights)\b|"
    r"lives\s+(?:in|with|on|near|alone)\b|has\s+(?:a|an|two|three|\d+|kids|children|a\s+baby|pets?|"
    r"sensitive|small|big|large)\b|allergic\s+to\b|is\s+allergic\b|studies\b|owns\b)",
    re.IGNORECASE,
)
_ACTIVITY = re.compile(
    rf"^(?:(?:{_ADVERBS}|often|regularly|occasionally|frequently)\s+)*(?:runs|jogs|hikes|trains|training|"
    r"commutes|travels|traveling|travelling|flies|lifts|walks|cycles|bikes|rides|swims|makes|cooks|bakes|"
    r"works out|plays|games|gaming|practices|does|goes|camps|climbs|skis|snowboards|surfs|paddles|fishes|"
    r"gardens|reads|paints|draws|photographs|shoots|streams|watches|listens|brews|drives|exercises|golfs|"
    r"dances|sings|records|edits|codes|spends|attends|visits|hosts|running|hiking|cycling|swimming)\b",
    re.IGNORECASE,
)
_FEATURE = re.compile(
    r"\b(?:battery|noise[- ]cancel\w*|anc|waterproof|water[- ]resistant|sweat[- ]?proof|lightweight|"
    r"durab\w*|comfort\w*|sound|bass|audio quality|display|screens?|webcams?|cameras?|microphones?|mics?|"
    r"ram|storage|ssd|\d+\s?gb|\d+\s?tb|heart[- ]rate|gps|sleep tracking|tracking|frothers?|quiet\w*|"
    r"easy[- ]cleaning|easy to clean|ease of use|easy[- ]to[- ]\w+|setup|pencil|stylus|charging|wireless|"
    r"bluetooth|programmable|portable|loud|compact|powerful|performance|processor|keyboard|cushion\w*|"
    r"grip|fit|brightness|resolution|refresh rate|capacity|ports?|usb-c|accurate|smart features|"
    r"warm|insulated|breathable|stay in|long-lasting|fast|speed|power)\b",
    re.IGNORECASE,
)
_STYLE = re.compile(
    r"\b(?:design|designs|minimalist|minimal|classic|modern|retro|vintage|sleek|elegant|over-ear|on-ear|"
    r"in-ear|stainless|look|looks|aesthetic|style|stylish|matte|glossy|leather|wooden|slim|fashion\w*)\b",
    re.IGNORECASE,
)
_INTEREST = re.compile(
    r"^(?:is\s+)?(?:looking for|interested in|shopping for|searching for|buying|getting|into)\b", re.I
)
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")


def analyze(
    text: str, *, scope: str = "user", additive: bool = False, known_brands: frozenset[str] = frozenset()
) -> Fact:
    """Attributes of an already third-person fact text (also used on facts an LLM extracted)."""
    text = text.strip().rstrip(".").strip()
    polarity, subject = _polarity(text)
    fact = Fact(
        text=text, category="other", polarity=polarity, subject=subject, scope=scope, additive=additive
    )
    category, slot, values = _classify(fact, known_brands)
    if category == "instruction":
        polarity, subject = None, ""
    return Fact(
        text=text,
        category=category,
        slot=slot,
        polarity=polarity,
        values=values,
        subject=subject,
        scope=scope,
        additive=additive,
    )


def _classify(fact: Fact, known_brands: frozenset[str]) -> tuple[str, str | None, tuple[str, ...]]:
    """Category, slot and values, the most specific reading first."""
    text = fact.text
    if _INSTRUCTION.match(text):
        return "instruction", None, ()
    amounts = budget_amounts(text)
    if amounts:
        return "budget", _budget_slot(text), amounts
    size = _SIZE.search(text)
    if size:
        thing = _size_thing(text, size)
        return "size", f"size:{thing}" if thing else "size", (size["value"].lower(),)
    if _IDENTITY.match(text):
        return "identity", None, ()
    colors = only_colors(fact.subject) if fact.polarity else None
    if colors and fact.polarity == "like":
        return "color", "color", colors
    if colors:
        return "dislike", None, colors
    brands = _brands(text, known_brands)
    if brands:
        return "brand", None, brands
    if _BUDGET_WORDS.search(text):
        return "budget", None, ()
    if fact.polarity == "dislike":
        return "dislike", None, ()
    return _keyword_category(fact), None, ()


def _keyword_category(fact: Fact) -> str:
    if re.search(r"\breviews?\b", fact.text, re.IGNORECASE):
        return "reviews"
    if _ACTIVITY.match(fact.text):
        return "activity"
    if _FEATURE.search(fact.text):
        return "feature"
    if _STYLE.search(fact.text):
        return "style"
    if fact.polarity == "like" or _INTEREST.match(fact.text):
        return "interest"
    return "other"


def _polarity(text: str) -> tuple[str | None, str]:
    match = _POLAR.match(text)
    if not match:
        return None, ""
    polarity = "dislike" if _DISLIKE.match(match["verb"]) else "like"
    obj = re.sub(r"\s+any ?more$", "", match["object"], flags=re.IGNORECASE)
    return polarity, normalize_subject(obj)


def normalize_subject(phrase: str) -> str:
    """Lowercase, without articles and punctuation (inner hyphens stay): "the Red color." -> "red color"."""
    phrase = re.sub(r"[^\w\s$-]|(?<!\w)-|-(?!\w)", " ", phrase.casefold())
    return " ".join(_ARTICLES.sub(" ", phrase).split())


def find_colors(text: str) -> tuple[str, ...]:
    """Color names in order of appearance, once each, "grey" spelled "gray"."""
    found = (match.lower().replace("grey", "gray") for match in COLOR_RE.findall(text))
    return tuple(dict.fromkeys(found))


def only_colors(phrase: str) -> tuple[str, ...]:
    """The colors of a phrase that names nothing but colors ("silver or white devices"), else ()."""
    colors = find_colors(phrase)
    rest = COLOR_RE.sub(" ", phrase.casefold())
    words = re.findall(r"[\w-]+", rest)
    if colors and all(word in _COLOR_FILLER for word in words):
        return colors
    return ()


def budget_amounts(text: str) -> tuple[str, ...]:
    """Money amounts as digits ("$1,500" -> "1500", "$2k" -> "2000"); bare numbers only after "Budget"."""
    amounts = [_digits(m["a"] or m["b"], bool(m["ak"] or m["bk"])) for m in _AMOUNT.finditer(text)]
    if not amounts and re.match(r"budget\b", text, re.IGNORECASE):
        amounts = [_digits(number, False) for number in _BARE_NUMBER.findall(text)]
    return tuple(amounts)


def _digits(number: str, thousands: bool) -> str:
    number = number.replace(",", "")
    if thousands:
        number = str(round(float(number) * 1000))
    return number.removesuffix(".00")


def _budget_slot(text: str) -> str:
    amounts = list(_AMOUNT.finditer(text))
    after_amount = text[amounts[-1].end() :] if amounts else text
    match = _BUDGET_THING.search(after_amount) or _BUDGET_THING.search(text)
    if match:
        return f"budget:{normalize_thing(match['thing'].split()[-1])}"
    return "budget"


def _size_thing(text: str, size: re.Match[str]) -> str | None:
    before = [word for word in text[: size.start()].lower().split() if word not in _SIZE_STOP]
    if before:
        return normalize_thing(before[-1])
    after = re.match(r"\s+(?:in\s+|for\s+)?([a-z][\w-]*)", text[size.end() :], re.IGNORECASE)
    if after and after[1].lower() not in _SIZE_STOP:
        return normalize_thing(after[1])
    return None


def normalize_thing(word: str) -> str:
    """One name per kind of thing: "running shoes" -> "shoes", "laptops" -> "laptop"."""
    word = word.lower().strip(".,")
    if word in _THING_ALIASES:
        return _THING_ALIASES[word]
    if word in _ALWAYS_PLURAL or word.endswith("ss"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(?:ches|shes|xes|ses)$", word):
        return word[:-2]
    return word.removesuffix("s")


def _brands(text: str, known_brands: frozenset[str]) -> tuple[str, ...]:
    if known_brands:
        return _known_brands(text, known_brands)
    match = _BRAND_VERB.search(text)
    if not match:
        return ()
    brands = []
    # A list of capitalized names right after the verb: "Trusts Auralis and Velvetone for audio gear".
    for token in re.findall(r"[\w&'-]+|,", match["rest"]):
        if token.lower() in {"and", "or", "&", ","}:
            continue
        if not _BRAND_TOKEN.fullmatch(token) or token.lower() in _NOT_BRANDS or COLOR_RE.fullmatch(token):
            break
        brands.append(token.lower())
    return tuple(dict.fromkeys(brands))


def _known_brands(text: str, known_brands: frozenset[str]) -> tuple[str, ...]:
    found: list[tuple[int, str]] = []
    for brand in known_brands:
        pattern = r"(?<![\w-])" + re.escape(brand) + r"(?![\w-])"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            if match[0][0].isupper() or not match[0][0].isalpha():
                found.append((match.start(), brand.lower()))
    return tuple(dict.fromkeys(brand for _, brand in sorted(found)))


def normalize_text(text: str) -> str:
    """casefold, collapse whitespace, strip punctuation except $ and digits' separators.

    For exact-duplicate checks: "Prefers black color." and "prefers  black color" are the same fact.
    """
    text = re.sub(r"[^\w\s$.,]|_", " ", text.casefold())
    text = re.sub(r"(?<!\d)[.,]|[.,](?!\d)", " ", text)
    return " ".join(text.split())


def color_phrase(colors: Sequence[str]) -> str:
    """["black"] -> "black color"; ["pink", "white"] -> "pink and white colors"."""
    colors = list(dict.fromkeys(colors))
    if not colors:
        raise ValueError("a color phrase needs at least one color")
    if len(colors) == 1:
        return f"{colors[0]} color"
    return f"{', '.join(colors[:-1])} and {colors[-1]} colors"


def render_color_preference(colors: Sequence[str]) -> str:
    """["black"] -> "Prefers black color"; ["pink","white"] -> "Prefers pink and white colors";
    ["black","blue","red"] -> "Prefers black, blue and red colors"."""
    return f"Prefers {color_phrase(colors)}"
