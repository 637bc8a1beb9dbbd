"""The seed-catalog generator: determinism, the CSV contract, and the data properties the shop relies on."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agentic_shop.catalog.generator import DEFAULT_PRODUCTS, generate_catalog

# The contract other code relies on: exact headers, in this order.
EXPECTED_HEADERS = {
    "users.csv": [
        "id",
        "first_name",
        "last_name",
        "city",
        "gender",
        "age",
        "hobbies",
        "location",
        "lifestyle_preferences",
        "preferences",
        "avatar_url",
    ],
    "products.csv": ["id", "name", "category", "price", "brand", "description", "specifications"],
    "features.csv": ["id", "feature_name", "categories"],
    "product_features.csv": ["id", "product_id", "feature_id"],
    "product_reviews.csv": [
        "id",
        "product_id",
        "user_name",
        "review",
        "rating",
        "feature_id",
        "sentiment",
        "review_date",
    ],
    "product_images.csv": ["id", "product_id", "image_url"],
    "variants.csv": ["id", "product_id", "price", "in_stock", "stock"],
    "variant_attributes.csv": ["id", "product_id", "variant_id", "attribute_name", "attribute_value"],
}
CATEGORIES = {
    "Headphones",
    "Earbuds",
    "Smartwatches",
    "Tablets",
    "Laptops",
    "Running Shoes",
    "Backpacks",
    "Coffee Makers",
    "Fitness Trackers",
    "Speakers",
}
REPO_ROOT = Path(__file__).resolve().parents[3]

Rows = list[dict[str, str]]


def _read(directory: Path, name: str) -> Rows:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class Catalog:
    """All eight files of one generated catalog, read once."""

    def __init__(self, directory: Path, counts: dict[str, int]) -> None:
        self.directory = directory
        self.counts = counts
        self.files: dict[str, Rows] = {name: _read(directory, name) for name in EXPECTED_HEADERS}
        self.products = {r["id"]: r for r in self.files["products.csv"]}
        self.features = {r["id"]: r for r in self.files["features.csv"]}
        self.variants = {r["id"]: r for r in self.files["variants.csv"]}
        self.feature_names = {r["id"]: r["feature_name"] for r in self.files["features.csv"]}
        self.product_features: dict[str, set[str]] = defaultdict(set)
        for r in self.files["product_features.csv"]:
            self.product_features[r["product_id"]].add(r["feature_id"])

    def __getitem__(self, name: str) -> Rows:
        return self.files[name]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    directory = tmp_path_factory.mktemp("catalog")
    return Catalog(directory, generate_catalog(directory))


def _bytes(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in EXPECTED_HEADERS}


# --- determinism ----------------------------------------------------------------------------------


def test_same_arguments_give_byte_identical_files(tmp_path: Path) -> None:
    generate_catalog(tmp_path / "a", products=40, seed=7)
    generate_catalog(tmp_path / "b", products=40, seed=7)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_a_different_seed_gives_a_different_catalog(tmp_path: Path) -> None:
    generate_catalog(tmp_path / "a", products=40, seed=7)
    generate_catalog(tmp_path / "b", products=40, seed=8)
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert a["products.csv"] != b["products.csv"]
    assert a["product_reviews.csv"] != b["product_reviews.csv"]
    assert a["users.csv"] == b["users.csv"]  # personas are hand-written, not random


def test_reviews_per_product_is_exact(tmp_path: Path) -> None:
    counts = generate_catalog(tmp_path, products=25, seed=1, reviews_per_product=3)
    reviews = _read(tmp_path, "product_reviews.csv")
    assert counts["product_reviews.csv"] == len(reviews) == 75
    assert set(Counter(r["product_id"] for r in reviews).values()) == {3}


# --- counts and layout ----------------------------------------------------------------------------


def test_counts_at_default_scale(catalog: Catalog) -> None:
    assert {name: len(rows) for name, rows in catalog.files.items()} == catalog.counts
    assert DEFAULT_PRODUCTS >= 160
    assert len(catalog["users.csv"]) >= 8
    assert len(catalog["products.csv"]) == DEFAULT_PRODUCTS
    assert len(catalog["features.csv"]) >= 40
    assert len(catalog["product_reviews.csv"]) >= 3000
    images = Counter(r["product_id"] for r in catalog["product_images.csv"])
    assert set(images) == set(catalog.products) and set(images.values()) <= {1, 2}
    assert set(Counter(r["product_id"] for r in catalog["variants.csv"])) == set(catalog.products)
    assert all(4 <= len(catalog.product_features[pid]) <= 8 for pid in catalog.products)


def test_every_file_has_exactly_the_contract_headers(catalog: Catalog) -> None:
    for name, header in EXPECTED_HEADERS.items():
        with (catalog.directory / name).open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == header, name


def test_ids_are_one_based_and_sequential(catalog: Catalog) -> None:
    for name, rows in catalog.files.items():
        assert [int(r["id"]) for r in rows] == list(range(1, len(rows) + 1)), name


def test_every_foreign_key_resolves(catalog: Catalog) -> None:
    products, features, variants = catalog.products, catalog.features, catalog.variants
    for r in catalog["product_features.csv"]:
        assert r["product_id"] in products and r["feature_id"] in features
    for r in catalog["product_reviews.csv"]:
        assert r["product_id"] in products
        if r["feature_id"]:
            assert r["feature_id"] in catalog.product_features[r["product_id"]]
    for r in catalog["product_images.csv"]:
        assert r["product_id"] in products
    for r in catalog["variants.csv"]:
        assert r["product_id"] in products
    for r in catalog["variant_attributes.csv"]:
        assert variants[r["variant_id"]]["product_id"] == r["product_id"]


def test_product_features_fit_the_category_and_are_unique(catalog: Catalog) -> None:
    pairs = [(r["product_id"], r["feature_id"]) for r in catalog["product_features.csv"]]
    assert len(pairs) == len(set(pairs))
    for product_id, feature_id in pairs:
        categories = json.loads(catalog.features[feature_id]["categories"])
        assert catalog.products[product_id]["category"] in categories


# --- products -------------------------------------------------------------------------------------


def test_categories_are_balanced_and_images_use_the_category_slug(catalog: Catalog) -> None:
    per_category = Counter(p["category"] for p in catalog.products.values())
    assert set(per_category) == CATEGORIES
    assert max(per_category.values()) - min(per_category.values()) <= 1
    for r in catalog["product_images.csv"]:
        slug = catalog.products[r["product_id"]]["category"].lower().replace(" ", "-")
        assert r["image_url"] == f"/static/img/categories/{slug}.svg"


def test_prices_and_names(catalog: Catalog) -> None:
    for p in catalog.products.values():
        assert re.fullmatch(r"\d+\.\d\d", p["price"]), p["price"]
        assert 10 < float(p["price"]) < 3000
        assert p["name"].startswith(p["brand"] + " ")
    assert len({p["name"] for p in catalog.products.values()}) == len(catalog.products)
    assert len({p["brand"] for p in catalog.products.values()}) >= 20


def test_specifications_are_sorted_json_objects(catalog: Catalog) -> None:
    for p in catalog.products.values():
        specs = json.loads(p["specifications"])
        assert isinstance(specs, dict) and specs
        assert p["specifications"] == json.dumps(specs, sort_keys=True, ensure_ascii=False)
        assert specs["warranty_years"] >= 1


def test_descriptions_use_only_safe_tags(catalog: Catalog) -> None:
    allowed = {"p", "ul", "li", "strong", "em", "br"}
    for p in catalog.products.values():
        tags = re.findall(r"<\s*/?\s*([^\s>/]+)([^>]*)>", p["description"])
        assert tags
        assert {name for name, _ in tags} <= allowed, p["description"]
        assert all(not attrs.strip() for _, attrs in tags)  # no attributes at all
        assert "{" not in p["description"] and p["name"] in p["description"]


def test_descriptions_mention_the_linked_features(catalog: Catalog) -> None:
    for pid, p in catalog.products.items():
        for fid in catalog.product_features[pid]:
            assert f"<strong>{catalog.feature_names[fid]}:</strong>" in p["description"]


def test_specs_agree_with_features(catalog: Catalog) -> None:
    by_name = {v: k for k, v in catalog.feature_names.items()}
    for pid, p in catalog.products.items():
        specs, linked = json.loads(p["specifications"]), catalog.product_features[pid]
        if p["category"] in {"Headphones", "Earbuds"}:
            assert (specs["noise_cancellation"] != "Passive") == (by_name["Noise Cancellation"] in linked)
        if p["category"] == "Tablets":
            assert (specs["pencil_support"] != "No") == (by_name["Pencil Support"] in linked)
        if p["category"] == "Coffee Makers":
            assert specs["milk_frother"] == (by_name["Milk Frother"] in linked)


# --- features -------------------------------------------------------------------------------------


def test_key_features_exist_and_span_several_categories(catalog: Catalog) -> None:
    by_name = {r["feature_name"]: json.loads(r["categories"]) for r in catalog["features.csv"]}
    for name in ("Durability", "Battery Life", "Comfort"):
        assert len(by_name[name]) >= 5, name
    assert all(set(cats) <= CATEGORIES and cats for cats in by_name.values())
    assert len(by_name) == len(catalog["features.csv"])  # names are unique


# --- reviews --------------------------------------------------------------------------------------


def test_ratings_and_sentiments_cover_the_scale_and_agree(catalog: Catalog) -> None:
    reviews = catalog["product_reviews.csv"]
    assert {r["rating"] for r in reviews} == {"1", "2", "3", "4", "5"}
    assert {r["sentiment"] for r in reviews} == {"positive", "negative", "neutral"}
    for r in reviews:
        rating = int(r["rating"])
        expected = {"positive", "neutral"} if rating >= 4 else {"neutral"} if rating == 3 else {"negative"}
        assert r["sentiment"] in expected, r


def test_review_text_dates_and_authors(catalog: Catalog) -> None:
    reviews = catalog["product_reviews.csv"]
    general = sum(not r["feature_id"] for r in reviews)
    assert 0 < general < 0.1 * len(reviews)
    for r in reviews:
        assert r["review"] and "{" not in r["review"] and "}" not in r["review"]
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", r["review"])) <= 4
        assert date(2020, 1, 1) <= date.fromisoformat(r["review_date"]) <= date(2026, 1, 1)
        assert r["user_name"]
    assert len({r["user_name"] for r in reviews}) > 300
    assert len({r["review"] for r in reviews}) > 0.6 * len(reviews)


FEATURE_WORDS = {
    "Noise Cancellation": ("noise", "anc"),
    "Battery Life": ("batter", "charg"),
    "Heart Rate Monitoring": ("heart", "hr "),
    "GPS Accuracy": ("gps",),
    "Pencil Support": ("pencil", "stylus"),
    "Cushioning": ("cushion",),
    "Keyboard": ("keyboard",),
    "Bass": ("bass",),
    "Webcam": ("webcam",),
    "Taste": ("tast",),
}


def test_reviews_talk_about_their_feature(catalog: Catalog) -> None:
    for r in catalog["product_reviews.csv"]:
        words = FEATURE_WORDS.get(catalog.feature_names.get(r["feature_id"], ""))
        if words:
            assert any(w in r["review"].lower() for w in words), r


@pytest.mark.parametrize(
    ("feature", "words"),
    [
        (
            "Durability",
            ("durab", "broke", "crack", "snap", "peel", "tore", "ripped", "wore", "apart", "stopped"),
        ),
        ("Battery Life", ("batter",)),
        ("Comfort", ("comfort", "hurt", "ache", "blister", "rub", "dig", "headache", "sore")),
    ],
)
def test_critical_reviews_exist_for_key_features(
    catalog: Catalog, feature: str, words: tuple[str, ...]
) -> None:
    critical = [
        r["review"]
        for r in catalog["product_reviews.csv"]
        if catalog.feature_names.get(r["feature_id"]) == feature
        and int(r["rating"]) <= 2
        and r["sentiment"] == "negative"
    ]
    assert len(critical) >= 10
    assert all(any(w in text.lower() for w in words) for text in critical), critical


def test_products_differ_in_how_reviewers_rate_a_feature(catalog: Catalog) -> None:
    shares: dict[str, list[float]] = defaultdict(list)
    per_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in catalog["product_reviews.csv"]:
        if r["feature_id"]:
            per_pair[(r["product_id"], catalog.feature_names[r["feature_id"]])].append(r["sentiment"])
    for (_, feature), sentiments in per_pair.items():
        if len(sentiments) >= 3:
            shares[feature].append(sentiments.count("positive") / len(sentiments))
    for feature in ("Durability", "Battery Life", "Comfort"):
        assert max(shares[feature]) - min(shares[feature]) >= 0.6, feature


# --- variants -------------------------------------------------------------------------------------


def test_stock_levels(catalog: Catalog) -> None:
    variants = catalog["variants.csv"]
    for v in variants:
        assert v["in_stock"] in {"True", "False"}
        assert (int(v["stock"]) == 0) == (v["in_stock"] == "False")
        assert re.fullmatch(r"\d+\.\d\d", v["price"])
    out = sum(v["stock"] == "0" for v in variants)
    low = sum(1 <= int(v["stock"]) <= 3 for v in variants)
    assert 0.04 * len(variants) < out < 0.2 * len(variants)
    assert 0.04 * len(variants) < low < 0.2 * len(variants)


def test_variant_attributes(catalog: Catalog) -> None:
    attrs: dict[str, dict[str, str]] = defaultdict(dict)
    for r in catalog["variant_attributes.csv"]:
        assert r["attribute_name"] == r["attribute_name"].lower()
        attrs[r["variant_id"]][r["attribute_name"]] = r["attribute_value"]
    required = {
        "Running Shoes": {"color", "size"},
        "Smartwatches": {"color", "size"},
        "Tablets": {"color", "storage"},
        "Laptops": {"color", "storage", "ram"},
        "Backpacks": {"color", "capacity"},
    }
    for vid, v in catalog.variants.items():
        category = catalog.products[v["product_id"]]["category"]
        assert set(attrs[vid]) == required.get(category, {"color"}), (category, attrs[vid])
        if category == "Running Shoes":
            assert 7 <= float(attrs[vid]["size"]) <= 12
    colors_by_product: dict[str, set[str]] = defaultdict(set)
    for vid, a in attrs.items():
        colors_by_product[catalog.variants[vid]["product_id"]].add(a["color"])
    with_black = sum("Black" in c for c in colors_by_product.values())
    assert 0.3 * len(catalog.products) < with_black < len(catalog.products)
    assert any("Red" in c for c in colors_by_product.values())
    assert any("Blue" in c for c in colors_by_product.values())


def test_entry_variant_matches_product_price(catalog: Catalog) -> None:
    cheapest: dict[str, float] = {}
    for v in catalog["variants.csv"]:
        cheapest[v["product_id"]] = min(cheapest.get(v["product_id"], 1e9), float(v["price"]))
    for pid, p in catalog.products.items():
        assert cheapest[pid] == float(p["price"])


# --- personas -------------------------------------------------------------------------------------


def test_personas(catalog: Catalog) -> None:
    users = catalog["users.csv"]
    assert [int(u["id"]) for u in users] == list(range(1, len(users) + 1))
    for u in users:
        preferences = json.loads(u["preferences"])
        assert 4 <= len(preferences) <= 6, u["first_name"]
        assert all(re.search(r"\b(I|I'm|my|me|My)\b", s) for s in preferences), preferences  # first person
        for column in ("hobbies", "lifestyle_preferences"):
            assert json.loads(u[column]) and all(isinstance(s, str) for s in json.loads(u[column]))
        assert u["avatar_url"] == f"/static/img/avatars/persona-{u['id']}.svg"
        assert u["location"].startswith(u["city"] + ", ")
        assert 16 <= int(u["age"]) <= 90
    assert len({u["gender"] for u in users}) >= 2
    assert len({u["city"] for u in users}) == len(users)
    assert len({u["preferences"] for u in users}) == len(users)


def test_static_images_exist_for_categories_and_personas(catalog: Catalog) -> None:
    img = REPO_ROOT / "frontend" / "static" / "img"
    if not img.is_dir():
        pytest.skip("no frontend checkout next to the backend")
    for url in {r["image_url"] for r in catalog["product_images.csv"]} | {
        u["avatar_url"] for u in catalog["users.csv"]
    }:
        path = img / url.removeprefix("/static/img/")
        assert path.is_file(), url
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<svg") and "href" not in text and len(text) < 2500


def test_the_catalog_reader_accepts_the_output(catalog: Catalog) -> None:
    reader: Any = pytest.importorskip("agentic_shop.catalog.reader")
    data = reader.read_catalog(catalog.directory)
    assert len(data["products.csv"]) == len(catalog.products)
