"""Catalog reads shared by the agents, batched: one query per kind of fact for any number of products."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from agentic_shop.schemas import Variant
from agentic_shop.services.catalog import FIRST_IMAGE, variants_of
from agentic_shop.understanding.lexicon import CatalogFeature, Vocabulary


@dataclass
class ProductFacts:
    id: int
    name: str
    category: str
    brand: str
    price: float
    rating_avg: float | None
    review_count: int
    image_url: str | None
    features: list[CatalogFeature] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)

    def values(self, attribute: str) -> list[str]:
        """The values an attribute takes across variants ("Black", "Red"), in catalog order."""
        found = (v.attributes.get(attribute) for v in self.variants)
        return list(dict.fromkeys(value for value in found if value))

    def availability(self, attribute: str, wanted: str) -> Availability:
        matching = [v for v in self.variants if _same(v.attributes.get(attribute), wanted)]
        in_stock = [v for v in matching if v.in_stock]
        known = [v.stock for v in in_stock if v.stock is not None]
        return Availability(
            offered=bool(matching),
            in_stock=bool(in_stock),
            units=sum(known) if known and len(known) == len(in_stock) else None,
            label=next((v.attributes[attribute] for v in matching), wanted.title()),
        )

    @property
    def in_stock(self) -> bool:
        return any(v.in_stock for v in self.variants)

    def card(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "brand": self.brand,
            "price": self.price,
            "rating_avg": self.rating_avg,
            "review_count": self.review_count,
            "image_url": self.image_url,
            "in_stock": self.in_stock,
        }


@dataclass(frozen=True)
class Availability:
    offered: bool
    in_stock: bool
    units: int | None  # None: the catalog only says yes or no
    label: str  # the catalog's spelling: "Black", "10"

    def describe(self) -> str:
        if not self.offered:
            return f"not made in {self.label}"
        if not self.in_stock:
            return f"{self.label} is out of stock"
        return f"available in {self.label}, {self.units} in stock" if self.units else f"{self.label} in stock"


@dataclass
class SentimentCounts:
    positive: int = 0
    negative: int = 0
    neutral: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.negative + self.neutral

    def to_dict(self) -> dict[str, int]:
        return {"positive": self.positive, "negative": self.negative, "neutral": self.neutral}


def _same(value: str | None, wanted: str) -> bool:
    if value is None:
        return False
    value, wanted = value.casefold(), wanted.casefold()
    return value == wanted or value.removeprefix("us ") == wanted.removeprefix("us ")


def product_facts(connection: Connection, ids: list[int], words: Vocabulary) -> dict[int, ProductFacts]:
    if not ids:
        return {}
    params = {"ids": list(ids)}
    products = {
        row.id: ProductFacts(
            id=row.id,
            name=row.name,
            category=row.category,
            brand=row.brand,
            price=float(row.price),
            rating_avg=row.rating_avg,
            review_count=row.review_count,
            image_url=row.image_url,
        )
        for row in connection.execute(
            text(f"""
            SELECT p.id, p.name, p.category, p.brand, p.price, p.rating_avg, p.review_count,
                   {FIRST_IMAGE} AS image_url
            FROM products p WHERE p.id = ANY(:ids)
        """),
            params,
        )
    }
    by_id = {feature.id: feature for feature in words.features}
    for product_id, feature_id in connection.execute(
        text("SELECT product_id, feature_id FROM product_features WHERE product_id = ANY(:ids)"), params
    ):
        if feature_id in by_id and product_id in products:
            products[product_id].features.append(by_id[feature_id])
    for product_id, variants in variants_of(connection, list(products)).items():
        products[product_id].variants = variants
    return products


def labelled_sentiment(connection: Connection, ids: list[int]) -> dict[int, dict[str, SentimentCounts]]:
    """Per product and feature name, how many labelled reviews praise, criticize or are neutral."""
    counts: dict[int, dict[str, SentimentCounts]] = defaultdict(lambda: defaultdict(SentimentCounts))
    if not ids:
        return counts
    for product_id, feature, sentiment, n in connection.execute(
        text("""
        SELECT r.product_id, f.name, r.sentiment, count(*)
        FROM reviews r JOIN features f ON f.id = r.feature_id
        WHERE r.product_id = ANY(:ids) AND r.sentiment IN ('positive', 'negative', 'neutral')
        GROUP BY 1, 2, 3
    """),
        {"ids": list(ids)},
    ):
        setattr(counts[product_id][feature], sentiment, n)
    return counts


def feature_verdict(feature: str, c: dict[str, int], tone: str = "balanced") -> tuple[str, str | None]:
    """ "7 of 9 reviewers who mention battery life praise it", and which sentiment it reports."""
    total, name = c["positive"] + c["negative"] + c["neutral"], feature.lower()
    critical = tone == "critical" or (tone == "balanced" and c["negative"] > c["positive"])
    if critical and c["negative"]:
        verdict, sentiment = ("is critical", "are critical"), "negative"
        n = c["negative"]
    elif critical:
        return f"None of the {total} reviewers who mention {name} complain about it", "positive"
    elif c["positive"]:
        verdict, sentiment = ("praises it", "praise it"), "positive"
        n = c["positive"]
    else:
        return (
            f"{total} reviewer{'s' * (total != 1)} mention{'s' * (total == 1)} {name}"
            " without a strong opinion",
            "neutral",
        )
    if total == 1:
        return f"The one reviewer who mentions {name} {verdict[0]}", sentiment
    return f"{n} of {total} reviewers who mention {name} {verdict[1]}", sentiment
