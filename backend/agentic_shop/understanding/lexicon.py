"""The catalog's own words: its categories, brands, colors and review features, and the phrases
shoppers use for them.

Built from the database (so an imported catalog's "Active Noise Control" or "smartwatch" category work
as well as ours) plus a small table of synonyms: "ANC" and "noise-cancelling" mean noise cancellation,
"watch" means the smartwatch category. Each feature knows the categories that have it, so "smartwatch
with great battery life" can only mean a smartwatch feature.

Reviews also talk about things no catalog feature names (an imported catalog may have no
"Durability"): each synonym group no feature joined is a review topic, so "critical reviews about
durability" still finds the reviews that say a bud died.

Typos in catalog words are read as the word meant ("hedphones", "bakpack", "wite"): a token that is not
an English word (the embedding model's own word list) and is one edit away from a catalog word.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache, cached_property

from sqlalchemy import Connection, text

from agentic_shop.db.per_database import cached_per_database
from agentic_shop.embeddings.local import TOKENIZER_PATH
from agentic_shop.understanding.meaning import similarity
from agentic_shop.understanding.quantities import AMOUNT_WORDS

# Groups of phrases that mean one thing. A catalog feature joins a group when its name contains one of
# the group's phrases; it is then found by all of them.
_FEATURE_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("noise cancellation", "noise cancelling", "noise-cancelling", "noise canceling", "noise-canceling",
     "noise-cancellation", "anc", "active noise", "noise control", "noise isolation", "blocks out noise",
     "block out", "blocks out", "drown out", "drowns out", "shuts out"),
    ("battery", "battery life", "charge lasts", "lasts all day", "runtime", "between charges", "juice",
     "battery-life", "all-day battery"),
    ("heart rate", "heart-rate", "pulse", "bpm", "hr monitor", "hr readings"),
    ("gps", "route tracking", "pace accuracy"),
    ("durability", "durable", "sturdy", "broke", "broken", "snapped", "cracked", "fell apart",
     "falling apart", "wear and tear", "last for years", "lasts for years", "long-lasting", "flimsy",
     "died", "stopped working", "quit working", "feels cheap", "cheaply made", "build quality", "break",
     "breaks", "breaking", "tough", "rugged", "take a beating", "survive", "survives", "falls apart"),
    ("water resistance", "waterproof", "water-resistant", "water resistant", "splash proof", "splash-proof",
     "rain", "ipx", "ipx7", "ip67", "ip68", "swimming", "swim", "shower", "splashes"),
    ("sweat resistance", "sweat", "sweat-proof", "sweatproof"),
    ("comfort", "comfortable", "uncomfortable", "clamping", "all-day wear", "comfy", "hurt", "hurts", "pinch",
     "pinches", "rubs", "blisters", "sore", "painful"),
    ("sound quality", "sound", "audio quality", "audio", "sounds", "clarity", "crisp"),
    ("bass", "low end"),
    ("display", "screen", "brightness", "nits", "oled", "bright"),
    ("sleep", "sleep tracking"),
    ("weight", "lightweight", "heavy", "weighs", "light", "lighter", "lightest", "heavier", "featherweight"),
    ("quiet operation", "quiet", "silent", "noisy"),
    ("loudness", "loud", "volume"),
    ("ease of use", "easy to use", "simple setup", "easy setup", "intuitive", "set up", "user-friendly",
     "get the hang of", "simple to use"),
    ("ease of cleaning", "easy cleaning", "easy to clean", "cleaning", "clean up"),
    ("milk frother", "frother", "froth", "foam"),
    ("programmable timer", "programmable", "timer"),
    ("pencil", "stylus"),
    ("webcam", "camera"),
    ("microphone", "mic", "mics", "calls", "call quality", "mic quality"),
    ("keyboard", "keys", "typing"),
    ("storage", "storage space"),
    ("performance", "fast", "speedy", "lag", "laggy", "processor"),
    ("fast charging", "quick charge", "charges quickly", "quick charging"),
    ("connectivity", "bluetooth", "pairing", "connection", "wireless pairing", "drops out", "cuts out",
     "disconnects", "stays connected", "signal", "wifi"),
    ("touch", "touch controls", "touch display"),
    ("value for money", "value", "worth the money", "worth it", "overpriced", "bang for buck",
     "bang for the buck", "money's worth"),
    ("design", "looks", "stylish"),
    ("fit", "stay in", "stays in", "fall out", "falls out"),
    ("cushioning", "cushion", "cushioned", "cushy", "plush"),
    ("portability", "portable"),
    ("step tracking", "steps", "step count", "step counting", "counts steps", "counts my steps"),
    ("workout tracking", "workouts", "workout"),
    ("zipper", "zip", "zips"),
    ("laptop sleeve", "sleeve", "laptop compartment", "laptop pocket", "padded slot"),
    ("organization", "pockets", "compartments", "organised", "organized"),
    ("traction", "grip", "grippy", "slippery", "slips"),
    ("breathability", "breathable", "sweaty feet", "airy", "ventilated"),
    ("heat", "runs hot", "overheats", "fan noise"),
    ("brew speed", "brews quickly", "slow to brew", "brews fast", "quick brew"),
    ("brew temperature", "hot enough", "properly hot", "lukewarm", "temperature"),
    ("brew capacity", "capacity", "whole pot", "carafe", "cups at once"),
    ("transparency", "transparency mode", "ambient mode", "aware mode", "hear announcements",
     "hear my surroundings"),
    ("multitasking", "split screen", "split-screen", "multiple apps"),
    ("voice assistant", "alexa", "siri", "google assistant", "voice control"),
    ("stereo pairing", "stereo pair", "pair two"),
    ("responsiveness", "responsive", "springy", "energy return", "bouncy"),
    ("taste", "flavor", "flavour", "tastes", "bitter"),
    ("trackpad", "touchpad"),
    ("ports", "port selection", "usb-c"),
)  # fmt: skip

# Words for a category beyond its own name, keyed by the category's singular form.
_CATEGORY_ALIASES = {
    "smartwatch": ("watch", "watches", "smart watch", "smart watches"),
    "running shoe": ("shoe", "shoes", "sneaker", "sneakers", "trainers", "runners"),
    "earbud": ("earphones", "in-ear", "buds"),
    "headphone": ("headset", "headsets", "over-ear", "cans"),
    "laptop": ("notebook", "notebooks", "computer"),
    "coffee maker": ("coffee machine", "espresso machine", "coffee", "espresso"),
    "fitness tracker": ("tracker", "trackers", "fitness band", "activity tracker"),
    "backpack": ("bag", "bags", "rucksack", "daypack"),
    "speaker": ("soundbar",),
    "tablet": ("ipad",),
}

# Measured: "pulse tracking"/"heart rate" 0.60, "fast charging"/"performance" 0.38.
_SAME_CONCEPT = 0.45
_TTL_S = 300.0  # a newly imported catalog's words count within five minutes in every process

# Longest names first so "rose gold" wins over "gold".
COLORS = tuple(
    sorted(
        (
            "black", "white", "gray", "grey", "silver", "red", "blue", "navy", "green", "pink", "purple",
            "yellow", "orange", "brown", "beige", "gold", "rose gold", "space gray", "teal", "turquoise",
            "cyan", "magenta", "maroon", "burgundy", "olive", "khaki", "cream", "ivory", "tan", "lavender",
            "violet", "indigo", "charcoal", "coral", "mint", "copper", "bronze", "graphite", "lilac", "sage",
            "mauve", "peach", "lime", "neon", "mustard", "emerald",
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
COLOR_RE = re.compile(r"\b(" + "|".join(re.escape(color) for color in COLORS) + r")\b", re.IGNORECASE)


def find_colors(text: str) -> tuple[str, ...]:
    """Color names in order of appearance, once each, "grey" spelled "gray"."""
    found = (match.lower().replace("grey", "gray") for match in COLOR_RE.findall(text))
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class CatalogFeature:
    id: int | None  # None: a review topic, not in the catalog's features table
    name: str
    phrases: tuple[str, ...]
    # Singular and casefolded ("smartwatch"): an imported catalog may name its products' category
    # "smartwatch" and its features' "Smartwatches". Empty: any category (a review topic).
    categories: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return phrase_pattern(self.phrases)

    def offered_in(self, category: str | None) -> bool:
        return category is None or not self.categories or singular(category) in self.categories


class Vocabulary:
    def __init__(
        self,
        features: list[tuple[int, str, list[str]]],
        categories: list[str],
        brands: list[str] = (),
        product_categories: dict[int, str] | None = None,
    ) -> None:
        self.features = [
            CatalogFeature(fid, name, _feature_phrases(name), frozenset(singular(c) for c in cats))
            for fid, name, cats in features
        ]
        joined = {phrase for feature in self.features for phrase in feature.phrases}
        self.review_topics = self.features + [
            CatalogFeature(None, group[0].capitalize(), group)
            for group in _FEATURE_SYNONYMS
            if not joined.intersection(group)
        ]
        self.categories = categories
        self.brands = sorted(brands, key=len, reverse=True)
        self.product_categories = product_categories or {}
        self._category_patterns = {c: phrase_pattern(_category_forms(c)) for c in categories}
        self._brand_pattern = phrase_pattern(tuple(b.casefold() for b in self.brands)) if brands else None
        self._catalog_words = frozenset(
            word
            for phrase in (
                *COLORS,
                *joined,
                *(f for c in categories for f in _category_forms(c)),
                *self.brands,
            )
            for word in re.findall(r"[a-z]+", phrase.casefold())
            if len(word) >= 4
        )

    def features_in(
        self, text: str, among: list[CatalogFeature] | None = None, *, category: str | None = None
    ) -> list[CatalogFeature]:
        """Catalog features the text talks about, in the order it mentions them; with `category`, only
        the features products of that category have. One phrase names one feature: the one called
        that ("durability" is Durability, though Build Quality shares its synonyms)."""
        found = []
        for order, feature in enumerate(among if among is not None else self.features):
            if not feature.offered_in(category):
                continue
            match = feature.pattern.search(text)
            if match:
                own_name = match.group().casefold() == feature.name.casefold()
                found.append((match.start(), -len(match.group()), not own_name, order, feature))
        found.sort(key=lambda item: item[:4])
        spans, features = set(), []
        for start, length, _, _, feature in found:
            if (start, length) not in spans:
                spans.add((start, length))
                features.append(feature)
        return features

    def feature_named(self, name: str) -> CatalogFeature | None:
        """A catalog feature or review topic by name."""
        return next((f for f in self.review_topics if f.name.casefold() == name.casefold()), None)

    def features_of(self, category: str | None) -> list[CatalogFeature]:
        return [f for f in self.features if f.offered_in(category)]

    def categories_in(self, text: str) -> list[str]:
        """Catalog categories the text names ("watch" finds Smartwatches), in order of mention."""
        found = []
        for category, pattern in self._category_patterns.items():
            match = pattern.search(text)
            if match:
                found.append((match.start(), -len(match.group()), category))
        found.sort()
        return [category for _, _, category in found]

    def category_pattern(self, category: str) -> re.Pattern[str]:
        return self._category_patterns[category]

    def brands_in(self, text: str) -> list[str]:
        """Catalog brands the text names, as the catalog spells them, in order of mention."""
        if self._brand_pattern is None:
            return []
        spelled = {b.casefold(): b for b in self.brands}
        return list(dict.fromkeys(spelled[m.casefold()] for m in self._brand_pattern.findall(text)))

    def correct(self, text: str) -> str:
        """The text with misspelled catalog words fixed: "red hedphones" -> "red headphones"."""

        def fix(match: re.Match[str]) -> str:
            word = match[0]
            lowered = word.casefold()
            known = lowered in self._catalog_words or lowered in _english_words() or lowered in AMOUNT_WORDS
            if len(lowered) < 4 or known:
                return word
            near = _one_edit_away(lowered, self._catalog_words)
            return near if near else word

        return re.sub(r"[A-Za-z]+", fix, text)


def _one_edit_away(word: str, candidates: frozenset[str]) -> str | None:
    """The candidate one deletion, insertion, substitution or swap away (the first, alphabetically)."""
    near = sorted(c for c in candidates if abs(len(c) - len(word)) <= 1 and _within_one_edit(word, c))
    return near[0] if near else None


def _within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
        return len(diff) == 1 or swapped
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@cache
def _english_words() -> frozenset[str]:
    """Whole words of the embedding model's vocabulary: real words are never "corrected"."""
    vocab = json.loads(TOKENIZER_PATH.read_text())["model"]["vocab"]
    return frozenset(word for word in vocab if word.isalpha())


def singular(word: str) -> str:
    word = word.casefold().strip()
    if word.endswith(("ches", "shes", "sses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _category_forms(category: str) -> tuple[str, ...]:
    one = singular(category)
    many = one + ("es" if one.endswith(("ch", "sh", "ss")) else "s")
    return (category.casefold(), one, many, *_CATEGORY_ALIASES.get(one, ()))


def _feature_phrases(name: str) -> tuple[str, ...]:
    """A feature's own name, plus the synonyms of the concept it names: its name contains the group's
    head ("GPS Accuracy": "gps") or one of its phrases of several words ("Active Noise Control":
    "active noise"), or a single synonym word *and* the name means the concept ("Pulse Tracking":
    "pulse", close to "heart rate"). "Fast Charging" contains "fast" but is not about speed."""
    lowered = name.casefold()
    phrases = [lowered]
    for group in _FEATURE_SYNONYMS:
        strong = (group[0], *(phrase for phrase in group[1:] if " " in phrase))
        weak = [phrase for phrase in group[1:] if " " not in phrase]
        if any(_contains(lowered, phrase) for phrase in strong) or (
            any(_contains(lowered, phrase) for phrase in weak)
            and similarity(lowered, group[0]) >= _SAME_CONCEPT
        ):
            phrases += group
    return tuple(dict.fromkeys(phrases))


def _contains(name: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", name) is not None


def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])", re.I)


@cached_per_database(_TTL_S)
def vocabulary(connection: Connection) -> Vocabulary:
    """The catalog's vocabulary, read at most every five minutes per process (and per database)."""
    features = [
        (fid, name, list(categories or []))
        for fid, name, categories in connection.execute(
            text("SELECT id, name, categories FROM features ORDER BY id")
        )
    ]
    products = dict(connection.execute(text("SELECT id, category FROM products")).all())
    brands = list(connection.execute(text("SELECT DISTINCT brand FROM products WHERE brand <> ''")).scalars())
    return Vocabulary(features, sorted(set(products.values())), brands, products)
