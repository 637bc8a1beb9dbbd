"""The catalog's own words: its categories and review features, and the phrases shoppers use for them.

Built from the database (so an imported catalog's "Active Noise Control" or "smartwatch" category work
as well as ours) plus a small table of synonyms: "ANC" and "noise-cancelling" mean noise cancellation,
"watch" means the smartwatch category. Used to read memories, route messages and label reviews.

Reviews also talk about things no catalog feature names (an imported catalog may have no
"Durability"): each synonym group no feature joined is a review topic, so "critical reviews about
durability" still finds the reviews that say a bud died.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Connection, text

from agentic_shop.db.per_database import cached_per_database

# Groups of phrases that mean one thing. A catalog feature joins a group when its name contains one of
# the group's phrases; it is then found by all of them.
_FEATURE_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("noise cancellation", "noise cancelling", "noise-cancelling", "noise canceling", "noise-canceling",
     "noise-cancellation", "anc", "active noise", "noise control", "noise isolation", "blocks out noise"),
    ("battery", "battery life", "charge lasts", "lasts all day", "runtime"),
    ("heart rate", "heart-rate", "pulse", "bpm", "hr monitor", "hr readings"),
    ("gps", "route tracking", "pace accuracy"),
    ("durability", "durable", "sturdy", "broke", "broken", "snapped", "cracked", "fell apart",
     "falling apart", "wear and tear", "last for years", "lasts for years", "long-lasting", "flimsy",
     "died", "stopped working", "quit working", "feels cheap", "cheaply made", "build quality"),
    ("water resistance", "waterproof", "water-resistant", "water resistant", "splash proof", "splash-proof",
     "rain", "ipx"),
    ("sweat resistance", "sweat", "sweat-proof", "sweatproof"),
    ("comfort", "comfortable", "uncomfortable", "clamping", "all-day wear"),
    ("sound quality", "sound", "audio quality", "audio", "sounds"),
    ("bass", "low end"),
    ("display", "screen", "brightness"),
    ("sleep", "sleep tracking"),
    ("weight", "lightweight", "heavy", "weighs"),
    ("quiet operation", "quiet", "silent", "noisy"),
    ("loudness", "loud", "volume"),
    ("ease of use", "easy to use", "simple setup", "easy setup", "intuitive", "set up"),
    ("ease of cleaning", "easy cleaning", "easy to clean", "cleaning", "clean up"),
    ("milk frother", "frother", "froth", "foam"),
    ("programmable timer", "programmable", "timer"),
    ("pencil", "stylus"),
    ("webcam", "camera"),
    ("microphone", "mic", "mics", "calls"),
    ("keyboard", "keys", "typing"),
    ("storage", "storage space"),
    ("performance", "fast", "speedy", "lag", "laggy", "processor"),
    ("fast charging", "quick charge", "charges quickly", "quick charging"),
    ("connectivity", "bluetooth", "pairing", "connection", "wireless pairing", "drops out"),
    ("touch", "touch controls", "touch display"),
    ("value for money", "value", "worth the money", "worth it", "overpriced"),
    ("design", "looks", "stylish"),
    ("fit", "stay in", "stays in", "fall out", "falls out"),
    ("cushioning", "cushion", "cushioned"),
    ("portability", "portable"),
    ("step tracking", "steps", "step count"),
    ("workout tracking", "workouts", "workout"),
    ("zipper", "zip", "zips"),
    ("laptop sleeve", "sleeve"),
    ("organization", "pockets", "compartments"),
    ("traction", "grip"),
    ("breathability", "breathable"),
    ("heat", "runs hot", "overheats", "fan noise"),
    ("brew speed", "brews quickly", "slow to brew"),
    ("taste", "flavor", "flavour"),
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

_TTL_S = 300.0  # a newly imported catalog's words count within five minutes in every process


@dataclass(frozen=True)
class CatalogFeature:
    id: int | None  # None: a review topic, not in the catalog's features table
    name: str
    phrases: tuple[str, ...]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return _phrase_pattern(self.phrases)


class Vocabulary:
    def __init__(self, features: list[tuple[int, str]], categories: list[str]) -> None:
        self.features = [CatalogFeature(fid, name, _feature_phrases(name)) for fid, name in features]
        joined = {phrase for feature in self.features for phrase in feature.phrases}
        self.review_topics = self.features + [
            CatalogFeature(None, group[0].capitalize(), group)
            for group in _FEATURE_SYNONYMS
            if not joined.intersection(group)
        ]
        self.categories = categories
        self._category_patterns = {c: _phrase_pattern(_category_forms(c)) for c in categories}

    def features_in(self, text: str, among: list[CatalogFeature] | None = None) -> list[CatalogFeature]:
        """Catalog features the text talks about, in the order it mentions them."""
        found = []
        for feature in among if among is not None else self.features:
            match = feature.pattern.search(text)
            if match:
                found.append((match.start(), -len(match.group()), feature))
        found.sort(key=lambda item: (item[0], item[1]))
        return [feature for _, _, feature in found]

    def feature_named(self, name: str) -> CatalogFeature | None:
        """A catalog feature or review topic by name."""
        return next((f for f in self.review_topics if f.name.casefold() == name.casefold()), None)

    def categories_in(self, text: str) -> list[str]:
        """Catalog categories the text names ("watch" finds Smartwatches), in order of mention."""
        found = []
        for category, pattern in self._category_patterns.items():
            match = pattern.search(text)
            if match:
                found.append((match.start(), -len(match.group()), category))
        found.sort()
        return [category for _, _, category in found]


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
    lowered = name.casefold()
    phrases = [lowered]
    for group in _FEATURE_SYNONYMS:
        if any(re.search(rf"\b{re.escape(phrase)}\b", lowered) for phrase in group):
            phrases += group
    return tuple(dict.fromkeys(phrases))


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])", re.I)


@cached_per_database(_TTL_S)
def vocabulary(connection: Connection) -> Vocabulary:
    """The catalog's vocabulary, read at most every five minutes per process (and per database)."""
    features = [tuple(row) for row in connection.execute(text("SELECT id, name FROM features ORDER BY id"))]
    categories = list(
        connection.execute(text("SELECT DISTINCT category FROM products ORDER BY category")).scalars()
    )
    return Vocabulary(features, categories)
