"""Deterministic seed-catalog generator.

Writes eight CSV files (users, products, features, product_features, product_reviews,
product_images, variants, variant_attributes) that the loader imports into PostgreSQL.

Everything is driven by one local ``random.Random(seed)``: the same arguments always give
byte-identical files. Rows are streamed with ``csv.writer`` and all text templates are
pre-rendered per category, so 50,000 products / 500,000 reviews take well under a minute.
"""

from __future__ import annotations

import csv
import html
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DEFAULT_PRODUCTS = 170
DEFAULT_SEED = 42
DEFAULT_REVIEWS_RANGE = (8, 32)  # per product when reviews_per_product is None (mean 20)
BASE_DATE = date(2023, 1, 1)  # review dates are BASE_DATE + 0..729 days
REVIEW_DAYS = 730
GENERAL_REVIEW_SHARE = 0.05  # reviews not about one feature (empty feature_id)

HEADERS: dict[str, tuple[str, ...]] = {
    "users.csv": (
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
    ),
    "products.csv": ("id", "name", "category", "price", "brand", "description", "specifications"),
    "features.csv": ("id", "feature_name", "categories"),
    "product_features.csv": ("id", "product_id", "feature_id"),
    "product_reviews.csv": (
        "id",
        "product_id",
        "user_name",
        "review",
        "rating",
        "feature_id",
        "sentiment",
        "review_date",
    ),
    "product_images.csv": ("id", "product_id", "image_url"),
    "variants.csv": ("id", "product_id", "price", "in_stock", "stock"),
    "variant_attributes.csv": ("id", "product_id", "variant_id", "attribute_name", "attribute_value"),
}

# --------------------------------------------------------------------------------------------
# Personas (hand-written; their count never depends on --products)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    first_name: str
    last_name: str
    city: str
    country: str
    gender: str
    age: int
    hobbies: tuple[str, ...]
    lifestyle: tuple[str, ...]
    preferences: tuple[str, ...]
    color: str  # avatar background


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "Maya",
        "Chen",
        "Portland",
        "USA",
        "Female",
        34,
        ("marathon running", "trail running", "meal prep"),
        ("early riser", "trains six days a week", "tracks every workout"),
        (
            "I'm training for a marathon this fall",
            "I prefer black color",
            "My budget is under $150",
            "I wear running shoes in US size 10",
            "Accurate heart-rate monitoring matters more to me than smart features",
        ),
        "#1f2937",
    ),
    Persona(
        "Daniel",
        "Okafor",
        "London",
        "UK",
        "Male",
        41,
        ("vinyl collecting", "jazz concerts", "podcasts"),
        ("commutes two hours a day by train", "works in a busy open-plan office"),
        (
            "I commute two hours a day by train and need strong noise cancellation",
            "I only wear over-ear headphones",
            "I trust Auralis and Velvetone for audio gear",
            "Sound quality matters more to me than price",
            "I prefer comfortable headphones for long listening sessions",
        ),
        "#7c3aed",
    ),
    Persona(
        "Sofia",
        "Alvarez",
        "Madrid",
        "Spain",
        "Female",
        20,
        ("photography", "language exchange", "indie games"),
        ("university student", "on a tight budget", "studies in libraries and cafés"),
        (
            "I'm a university student on a tight budget",
            "My budget is under $100",
            "I need long battery life for full days on campus",
            "I like pink and white colors",
        ),
        "#db2777",
    ),
    Persona(
        "Kenji",
        "Sato",
        "Tokyo",
        "Japan",
        "Male",
        38,
        ("travel photography", "street food", "city running"),
        ("flies for work almost every week", "packs carry-on only"),
        (
            "I fly for work almost every week",
            "I need long battery life for travel",
            "Lightweight gear is a must for my carry-on",
            "I prefer blue color",
            "Noise cancellation on long flights is a big plus for me",
        ),
        "#2563eb",
    ),
    Persona(
        "Priya",
        "Nair",
        "Toronto",
        "Canada",
        "Female",
        39,
        ("baking", "yoga", "gardening"),
        ("works remotely", "parent of two young kids", "on video calls most of the day"),
        (
            "I work from home and I'm on video calls all day",
            "I need a laptop with 16GB RAM",
            "I prefer quiet appliances because my kids nap in the afternoon",
            "I want a programmable coffee maker so coffee is ready when I wake up",
            "My budget for a laptop is under $1,500",
            "I value a good webcam and microphone",
        ),
        "#059669",
    ),
    Persona(
        "Lars",
        "Eriksson",
        "Bergen",
        "Norway",
        "Male",
        52,
        ("mountain hiking", "fly fishing", "wild camping"),
        ("spends most weekends outdoors", "hikes in rain and snow"),
        (
            "I hike in the mountains most weekends, often in the rain",
            "I need waterproof gear",
            "I want durable backpacks that last for years",
            "I prefer critical reviews about durability",
            "I prefer green and gray colors",
        ),
        "#4d7c0f",
    ),
    Persona(
        "Amara",
        "Diallo",
        "Paris",
        "France",
        "Female",
        29,
        ("illustration", "typography", "museum visits"),
        ("freelance designer", "works from studios and cafés"),
        (
            "I'm a freelance illustrator and designer",
            "I need a tablet with excellent pencil support",
            "I prefer silver or white devices",
            "A color-accurate display is important to me",
            "I'm willing to pay more for quality",
        ),
        "#0891b2",
    ),
    Persona(
        "Marcus",
        "Johnson",
        "Atlanta",
        "USA",
        "Male",
        26,
        ("weightlifting", "basketball", "hip-hop production"),
        ("gym five days a week", "meal preps on Sundays"),
        (
            "I lift weights five days a week",
            "I need sweat-proof earbuds that stay in during workouts",
            "I prefer red color",
            "Deep bass keeps me motivated at the gym",
            "My budget is under $200",
        ),
        "#dc2626",
    ),
    Persona(
        "Elena",
        "Rossi",
        "Milan",
        "Italy",
        "Female",
        63,
        ("walking", "choir singing", "grandchildren"),
        ("retired teacher", "walks 10,000 steps every day", "goes to bed early"),
        (
            "I walk 10,000 steps every day",
            "I want a fitness tracker with good sleep tracking",
            "I need a large, easy-to-read display",
            "Simple setup and ease of use matter most to me",
        ),
        "#ea580c",
    ),
    Persona(
        "Robin",
        "Becker",
        "Melbourne",
        "Australia",
        "Non-binary",
        45,
        ("home barista", "hosting barbecues", "cycling"),
        ("works shifts as a nurse", "loves hosting friends on weekends"),
        (
            "I make espresso at home every morning",
            "I want a coffee maker with a good milk frother",
            "Easy cleaning matters to me",
            "I like loud portable speakers for backyard parties",
            "I prefer stainless silver appliances",
        ),
        "#b45309",
    ),
)

# --------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    name: str
    noun: str  # how reviewers refer to one item
    plural: bool  # "they are" (headphones, shoes) vs "it is"
    price_range: tuple[float, float]
    brands: tuple[str, ...]
    lines: tuple[str, ...]  # model line names
    numbers: tuple[str, ...]  # model numbers / generations
    colors: tuple[str, ...]  # palette, display order
    core: tuple[str, ...]  # features every product of the category has
    likely: tuple[str, ...]  # features most products have
    uses: tuple[str, ...]  # "Bought these for ..."
    blurbs: tuple[str, ...]  # description lead sentence, after the product name

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")


CATEGORIES: tuple[Category, ...] = (
    Category(
        "Headphones",
        "headphones",
        True,
        (59, 399),
        ("Auralis", "Velvetone", "Kestrel Audio", "Lumen Sound", "Orvane"),
        ("Quiet", "Studio", "Voyage", "Aria", "Nocturne", "Atlas", "Halo", "Echo"),
        ("300", "350", "500", "550", "700", "750", "900", "X2", "X5"),
        ("Black", "White", "Silver", "Navy", "Beige", "Blue", "Red"),
        ("Sound Quality", "Comfort"),
        ("Noise Cancellation", "Battery Life", "Durability"),
        ("my daily commute", "long-haul flights", "focus time at the office", "working from home"),
        (
            "deliver rich, detailed sound for commutes, flights and long focus sessions.",
            "pair a refined sound signature with all-day wearability.",
            "are built for listeners who want studio-grade sound on the go.",
        ),
    ),
    Category(
        "Earbuds",
        "earbuds",
        True,
        (29, 279),
        ("Auralis", "Pebblebeat", "Trillo", "Quillon", "Velvetone"),
        ("Buds", "Tune", "Flow", "Sprint", "Air", "Beat", "Mini", "Loop"),
        ("1", "2", "3", "4", "5", "Lite", "Pro"),
        ("Black", "White", "Blue", "Red", "Pink", "Green", "Gray"),
        ("Sound Quality", "Fit", "Battery Life"),
        ("Noise Cancellation", "Comfort", "Durability", "Sweat Resistance"),
        ("the gym", "my morning runs", "calls on the go", "the subway"),
        (
            "pack big sound into a tiny, pocketable charging case.",
            "are true wireless earbuds made for workouts, calls and commutes.",
            "deliver crisp audio and a secure fit wherever the day takes you.",
        ),
    ),
    Category(
        "Smartwatches",
        "watch",
        False,
        (129, 549),
        ("Chronex", "Tempora", "Vantor", "Meridia", "Pulsewright"),
        ("Vector", "Pulse", "Orbit", "Summit", "Vita", "Nova", "Axis", "Stride"),
        ("2", "3", "4", "5", "6", "S", "Pro", "Sport"),
        ("Black", "Silver", "Pink", "Blue", "Green", "White", "Gray"),
        ("Battery Life", "Heart Rate Monitoring"),
        ("Water Resistance", "GPS Accuracy", "Display Quality", "Durability", "Comfort", "Sleep Tracking"),
        ("marathon training", "everyday wear", "tracking my workouts", "hiking trips"),
        (
            "keeps your health, training and notifications on your wrist.",
            "is a sporty smartwatch with serious training features.",
            "combines a bright display with accurate health tracking.",
        ),
    ),
    Category(
        "Tablets",
        "tablet",
        False,
        (199, 1099),
        ("Slateon", "Lumio", "Corvix", "Papyra", "Halden"),
        ("Canvas", "Tab", "Sketch", "Vista", "Note", "Folio", "Air", "Studio"),
        ("S", "X", "Plus", "Pro", "Lite", "Neo", "Ultra"),
        ("Silver", "Gray", "Black", "Blue", "Pink", "White"),
        ("Display Quality", "Performance"),
        ("Battery Life", "Pencil Support", "Durability"),
        ("drawing and note-taking", "streaming movies", "university lectures", "reading on trips"),
        (
            "is a slim tablet for creativity, study and entertainment.",
            "brings a vivid display and desktop-class speed to a thin, light body.",
            "is made for sketching, note-taking and binge-watching.",
        ),
    ),
    Category(
        "Laptops",
        "laptop",
        False,
        (549, 2299),
        ("Corvix", "Halden", "Zentrix", "Brightforge", "Vellum"),
        ("Meridian", "WorkBook", "Zenith", "Slate", "Forge", "Nimbus", "Vertex", "Metro"),
        ("Pro", "Air", "Plus", "X1", "S", "Ultra", "G2", "G3"),
        ("Silver", "Gray", "Black", "Blue"),
        ("Performance", "Battery Life"),
        ("Keyboard", "Durability", "Display Quality", "Quiet Operation"),
        ("remote work", "university", "software development", "photo editing"),
        (
            "is a thin and capable laptop for work, study and creative projects.",
            "balances performance, battery life and portability.",
            "is built for long workdays, video calls and heavy multitasking.",
        ),
    ),
    Category(
        "Running Shoes",
        "shoes",
        True,
        (79, 219),
        ("Stridewell", "Northpeak", "Kinetra", "Arrowlane", "Velora"),
        ("Tempo", "Glide", "Velocity", "Drift", "Pacer", "Ridge", "Surge", "Cadence", "Float"),
        ("2", "3", "4", "5", "6", "7", "8"),
        ("Black", "White", "Blue", "Red", "Gray", "Navy", "Green", "Pink", "Orange"),
        ("Cushioning", "Comfort"),
        ("Durability", "Fit", "Weight"),
        ("marathon training", "my daily 5K", "trail runs", "long weekend runs"),
        (
            "are versatile running shoes for daily miles and long runs.",
            "combine responsive cushioning with a secure, breathable upper.",
            "are built for runners who log serious weekly mileage.",
        ),
    ),
    Category(
        "Backpacks",
        "backpack",
        False,
        (39, 229),
        ("Northpeak", "Trailhaven", "Kiteline", "Rookwood", "Ridgeway Supply"),
        ("Summit", "Metro", "Trek", "Nomad", "Canyon", "Transit", "Fjord", "Scout"),
        ("1", "2", "3", "Pro", "Plus", "Lite"),
        ("Black", "Gray", "Navy", "Green", "Red", "Blue", "Beige"),
        ("Comfort", "Durability"),
        ("Water Resistance", "Organization", "Laptop Sleeve"),
        ("hiking", "my commute", "weekend trips", "carrying my laptop to class"),
        (
            "is a tough, comfortable pack for trails, travel and the daily commute.",
            "keeps your gear organised and protected in any weather.",
            "is designed to carry heavy loads comfortably all day.",
        ),
    ),
    Category(
        "Coffee Makers",
        "coffee maker",
        False,
        (39, 699),
        ("Brewhaus", "Caffeo", "Kettlecraft", "Roastline", "Dripwell"),
        ("Morning", "Barista", "Classic", "Crema", "Ritual", "Origin", "Daybreak", "Brewmaster"),
        ("100", "200", "300", "500", "S", "Pro", "Plus"),
        ("Black", "Silver", "White", "Red", "Beige"),
        ("Taste", "Brew Speed"),
        ("Ease of Cleaning", "Durability", "Quiet Operation"),
        ("my morning routine", "the office kitchen", "weekend brunches", "a busy household"),
        (
            "brews café-quality coffee at home with minimal fuss.",
            "makes rich, hot coffee fast, from the first cup to the last.",
            "is made for coffee lovers who care about taste and convenience.",
        ),
    ),
    Category(
        "Fitness Trackers",
        "tracker",
        False,
        (39, 199),
        ("Tempora", "Vitalband", "Kinetra", "Pulsewright", "Stepwise"),
        ("Band", "Fit", "Move", "Active", "Loop", "Spark", "Motion", "Core"),
        ("2", "3", "4", "5", "6", "Lite", "Plus"),
        ("Black", "Blue", "Pink", "Green", "Gray", "White", "Red"),
        ("Battery Life", "Heart Rate Monitoring"),
        ("Sleep Tracking", "Step Tracking", "Comfort", "Durability"),
        ("tracking my daily steps", "sleep tracking", "the gym", "my walking group"),
        (
            "tracks steps, sleep and heart rate in a light, comfortable band.",
            "is a slim fitness tracker with days of battery life.",
            "keeps an eye on your activity, sleep and heart rate around the clock.",
        ),
    ),
    Category(
        "Speakers",
        "speaker",
        False,
        (29, 399),
        ("Lumen Sound", "Boomhaus", "Resonet", "Kestrel Audio", "Tidewave"),
        ("Wave", "Party", "Ember", "Tide", "Cube", "Arena", "Drift", "Orbit"),
        ("1", "2", "3", "4", "5", "S", "Pro"),
        ("Black", "Blue", "Red", "Gray", "Green", "White"),
        ("Sound Quality", "Battery Life"),
        ("Bass", "Water Resistance", "Durability", "Loudness"),
        ("backyard parties", "beach trips", "camping", "the kitchen"),
        (
            "is a portable Bluetooth speaker with big, room-filling sound.",
            "brings rich sound and long battery life to every party.",
            "is a rugged speaker made for outdoor adventures.",
        ),
    ),
)
CATEGORY_BY_NAME = {c.name: c for c in CATEGORIES}

# Feature pairs that contradict each other in one product (an espresso machine with a milk
# frother is not a 12-cup carafe brewer).
EXCLUSIVE_FEATURES = {("Milk Frother", "Brew Capacity"), ("Brew Capacity", "Milk Frother")}

# --------------------------------------------------------------------------------------------
# Features: categories, description highlight and review sentence pools
# --------------------------------------------------------------------------------------------
# Review pools map "*" (all categories of the feature) or "Cat A,Cat B" to sentence tuples per
# sentiment. Placeholders filled once per category: {noun} {a_noun} {this} {it} {It} {obj} {is}
# {has} {was} {s} {its}; filled per review: {months} {km} {brand} {use}.

ALL = tuple(c.name for c in CATEGORIES)
H, E, SW, T, L, RS, B, CM, FT, SP = ALL

Pools = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class FeatureDef:
    name: str
    categories: tuple[str, ...]
    highlight: str | dict[str, str]  # description bullet; a dict maps "Cat,Cat"/"*" to a template
    reviews: dict[str, Pools]


def _p(pos: Iterable[str], neg: Iterable[str], neu: Iterable[str]) -> Pools:
    return {"positive": tuple(pos), "negative": tuple(neg), "neutral": tuple(neu)}


FEATURES: tuple[FeatureDef, ...] = (
    FeatureDef(
        "Noise Cancellation",
        (H, E),
        "{noise_cancellation} noise cancellation that hushes engines, trains and open offices",
        {
            "*": _p(
                (
                    "The noise cancellation is superb; the train rumble just disappears.",
                    "ANC is seriously good, I can't hear the office air conditioning at all.",
                    "Noise cancelling blocks out airplane engine drone better than anything I've owned.",
                    "Switched on the ANC in a busy café and it went almost silent.",
                    "The noise cancellation makes my open-plan office feel like a library.",
                    "Long flights are so much calmer with this level of noise cancelling.",
                ),
                (
                    "The noise cancellation barely does anything against voices.",
                    "The ANC creates an annoying hiss and a weird pressure feeling.",
                    "Noise cancelling is weak; I still hear every bus engine on my commute.",
                    "The ANC stopped working properly on one side after {months} months.",
                    "Noise cancellation is much weaker than my old pair and wind noise is awful.",
                ),
                (
                    "Noise cancellation handles engine hum, but voices still come through.",
                    "The ANC is okay, not class-leading, but fine for the office.",
                    "Noise cancelling works, though there is a faint hiss in quiet rooms.",
                    "The ANC is good on planes, less impressive on windy city streets.",
                ),
            )
        },
    ),
    FeatureDef(
        "Battery Life",
        (H, E, SW, T, L, FT, SP),
        {
            "*": "Up to {battery_life_hours} hours per charge",
            f"{SW},{FT}": "Up to {battery_days} days per charge",
        },
        {
            "*": _p(
                (
                    "Battery life is excellent; {it} easily last{s} longer than advertised.",
                    "Great battery, I honestly forgot where I put the charger.",
                    "The battery life is the best part, I rarely think about charging.",
                    "Battery easily outlasts my longest days.",
                ),
                (
                    "Battery barely lasts a day now.",
                    "The battery drains way faster than the advertised numbers.",
                    "After {months} months the battery life dropped by half.",
                    "Battery life is terrible, I'm charging {obj} constantly.",
                    "The battery degraded quickly, now {it} need{s} charging all the time.",
                ),
                (
                    "Battery life is fine, roughly what the box says.",
                    "The battery gets me through a normal day but not much more.",
                    "Battery is average; heavy use means charging every night.",
                    "Battery life is okay, though it drains faster with every feature switched on.",
                ),
            ),
            H: _p(
                (
                    "The battery lasted a full week of commuting without a charge.",
                    "Battery lasted an entire transatlantic flight with plenty to spare.",
                ),
                (
                    "Battery went from 30 hours to maybe 10 within a year.",
                    "The battery dies halfway through a long-haul flight.",
                ),
                ("Battery life is decent, about three days of commuting per charge.",),
            ),
            E: _p(
                ("The case keeps the battery topped up for days of commuting.",),
                (
                    "The left earbud battery dies an hour before the right one.",
                    "Battery lasts maybe two hours per charge, not the six they claim.",
                ),
                ("Battery is okay, about four hours before I put them back in the case.",),
            ),
            f"{SW},{FT}": _p(
                (
                    "Battery life is great, almost a week between charges even with workouts.",
                    "Ten days on one charge; the battery life is amazing.",
                    "I charge it on Sunday and the battery still has juice on Friday.",
                ),
                (
                    "With GPS on the battery is dead before the end of a long run.",
                    "Battery used to last a week, now it's barely two days.",
                    "The battery drains overnight even with notifications off.",
                ),
                ("Battery lasts about three days with the always-on display.",),
            ),
            f"{T},{L}": _p(
                (
                    "Battery gets me through a full workday unplugged.",
                    "The battery easily handles a cross-country flight of work.",
                    "Battery lasts all day of classes plus movies at night.",
                ),
                (
                    "Battery lasts about three hours of real work, nowhere near the claim.",
                    "Battery life drops off a cliff as soon as I open a video call.",
                    "The battery drains overnight in standby.",
                ),
                ("Battery gets me to mid-afternoon, then I need the charger.",),
            ),
            SP: _p(
                ("Battery lasted the whole beach day and the evening too.",),
                ("The battery died halfway through a backyard party.",),
                ("Battery is fine for an afternoon, not a whole weekend.",),
            ),
        },
    ),
    FeatureDef(
        "Comfort",
        (H, E, SW, RS, B, FT),
        {
            H: "Memory-foam ear cushions and a padded headband for all-day comfort",
            E: "{ear_tip_sizes} sizes of soft silicone ear tips for all-day comfort",
            f"{SW},{FT}": "Soft {band_material} band that is comfortable day and night",
            RS: "Plush collar and a seamless {upper} upper for blister-free comfort",
            B: "Padded shoulder straps and a ventilated back panel for comfortable carrying",
        },
        {
            "*": _p(
                (
                    "Really comfortable, I forget I'm wearing {obj}.",
                    "Comfort is excellent even after hours of wear.",
                    "So comfortable that I use {obj} all day.",
                    "Comfort is the standout; no pressure points at all.",
                ),
                (
                    "Comfort is a problem; {it} start{s} to hurt after an hour.",
                    "Uncomfortable to wear for more than 30 minutes.",
                    "Not comfortable at all, I get sore spots after a short while.",
                    "Comfort is poor, I can't use {obj} for long.",
                ),
                (
                    "Comfort is okay for a couple of hours, then I need a break.",
                    "Reasonably comfortable, though not the most comfortable I've tried.",
                    "Comfort is fine once you get used to {obj}.",
                ),
            ),
            H: _p(
                ("The ear cushions are soft and the clamp is just right, very comfortable on long flights.",),
                (
                    "The clamping force gives me a headache after an hour, really uncomfortable.",
                    "The ear pads get hot and sweaty; not comfortable in summer.",
                ),
                ("Comfortable enough, but my ears get warm after a while.",),
            ),
            E: _p(
                ("Comfortable enough to sleep in on a flight.",),
                ("My ears ache after wearing these for an hour, not comfortable.",),
                ("Comfort is fine with the small tips, the default ones hurt a bit.",),
            ),
            f"{SW},{FT}": _p(
                ("The band is soft and comfortable, I even wear {obj} to sleep.",),
                ("The strap gave me a rash and is uncomfortable to sleep with.",),
                ("Comfortable during the day, a little bulky in bed.",),
            ),
            RS: _p(
                (
                    "Comfortable right out of the box, no break-in needed.",
                    "The most comfortable shoes I've run in, even past 30 km.",
                    "So comfortable that I wear them for walking the dog too.",
                ),
                (
                    "Gave me blisters on every run; the comfort just isn't there.",
                    "The heel counter rubs and is uncomfortable after 5 km.",
                    "The tongue digs into my ankle, not comfortable on long runs.",
                ),
                ("Comfortable for short runs, my feet get tired on long ones.",),
            ),
            B: _p(
                (
                    "Comfortable to carry even fully loaded; the straps are well padded.",
                    "The hip belt takes the weight off my shoulders, super comfortable on long hikes.",
                ),
                (
                    "The straps dig into my shoulders, really uncomfortable on long walks.",
                    "The back panel gets sweaty and uncomfortable within an hour.",
                ),
                ("Comfortable for the commute, less so on a full-day hike.",),
            ),
        },
    ),
    FeatureDef(
        "Durability",
        ALL,
        "Reinforced construction built for years of daily use",
        {
            "*": _p(
                (
                    "Durability is impressive, {it} still look{s} new after a year of daily use.",
                    "Held up really well, no signs of wear after {months} months.",
                    "Very durable; {it} survived a lot of abuse without a scratch.",
                    "Solid and durable, {it} handle{s} daily abuse without complaint.",
                ),
                (
                    "Durability is poor, {it} started falling apart after {months} months.",
                    "Broke just after the warranty ended. Not durable at all.",
                    "Cheap materials; durability is a real concern.",
                    "Durability is disappointing; {it} stopped working properly after {months} months.",
                ),
                (
                    "Durability seems okay so far, a few scuffs after {months} months.",
                    "Too early to judge durability, but there are a couple of marks already.",
                    "Durability is average; some wear after {months} months, nothing broken.",
                ),
            ),
            H: _p(
                ("The headband and hinges feel tough, still perfect after a year of travel.",),
                (
                    "The headband cracked after three months.",
                    "The hinge snapped after {months} months of careful use.",
                ),
                ("The ear pads are flaking a little after a year, otherwise holding up.",),
            ),
            E: _p(
                ("Dropped the case on concrete more than once and it's still fine.",),
                (
                    "The charging case hinge broke after a few months.",
                    "One earbud died after {months} months, durability is disappointing.",
                ),
                ("The case scratches easily, but the buds themselves are holding up.",),
            ),
            f"{SW},{FT}": _p(
                ("The screen has survived rock scrambles without a scratch.",),
                (
                    "The screen scratched within a week, not durable.",
                    "The band snapped after {months} months.",
                ),
                ("A few hairline scratches on the screen after {months} months.",),
            ),
            f"{T},{L}": _p(
                ("It survived a fall from the couch onto tile without a mark.",),
                (
                    "The charging port came loose after {months} months, so much for durability.",
                    "The hinge started creaking and then cracked after a year.",
                ),
                ("The finish shows wear on the corners, but it works fine.",),
            ),
            RS: _p(
                ("Over 600 km on these and the outsole still has plenty of life left.",),
                (
                    "The sole started peeling after about {km} km.",
                    "The outsole wore through after {months} months, not durable.",
                ),
                ("Outsole shows wear around 400 km, which is about average.",),
            ),
            B: _p(
                (
                    "Dragged it through two seasons of hiking and it still looks new.",
                    "Survived granite scrambles and airport baggage handlers without a scuff.",
                ),
                (
                    "A shoulder strap seam ripped after {months} months.",
                    "The fabric tore at the bottom on my first real hike.",
                    "The buckle snapped on day two of a trek; not durable.",
                ),
                ("Some fraying on the straps after a year, nothing serious.",),
            ),
            CM: _p(
                ("Two years of daily brewing and it still works like new.",),
                (
                    "Stopped heating after {months} months. Durability is awful.",
                    "The carafe lid broke and the machine started leaking after a few months.",
                ),
                ("Still working after a year, though the buttons feel worn.",),
            ),
            SP: _p(
                ("Dropped it off a picnic table twice, still works perfectly.",),
                ("The rubber coating peeled and a button stopped working after {months} months.",),
                ("The grille dented after a fall, but the sound is unaffected.",),
            ),
        },
    ),
    FeatureDef(
        "Sound Quality",
        (H, E, SP, T, L),
        {
            "*": "{driver_size_mm} mm drivers tuned for clear, balanced sound",
            f"{T},{L}": "{speakers} with rich sound",
        },
        {
            f"{H},{E},{SP}": _p(
                (
                    "Sound quality is fantastic, clear highs and a wide soundstage.",
                    "The sound is detailed and balanced; I hear things in songs I never noticed.",
                    "Vocals sound natural and crisp, great sound quality.",
                    "Rich, clear sound quality at any volume.",
                ),
                (
                    "Sound quality is muddy and flat, even after playing with the EQ.",
                    "The sound distorts at higher volume.",
                    "Tinny, harsh sound. Not what I expected at this price.",
                    "Sound quality is disappointing, everything sounds muffled.",
                ),
                (
                    "Sound is decent but a bit bright for my taste.",
                    "Sound quality is fine for podcasts, average for music.",
                    "Sound quality is good, not great; fine for casual listening.",
                ),
            ),
            f"{T},{L}": _p(
                ("The speakers sound surprisingly full for {a_noun}.", "Sound quality is great for movies."),
                (
                    "The built-in speakers sound tinny and quiet.",
                    "Sound quality is poor, I always need headphones.",
                ),
                ("Speakers are okay for video calls, not for music.",),
            ),
        },
    ),
    FeatureDef(
        "Water Resistance",
        (E, SW, FT, SP, B, RS),
        {
            "*": "{water_resistance} water resistance against rain and splashes",
            B: "{water_resistance} fabric keeps your gear dry",
            RS: "{water_resistance} upper",
        },
        {
            f"{E},{SP}": _p(
                (
                    "Water resistance is legit; {it} survived a downpour without issues.",
                    "Took {obj} to the pool and the water resistance held up fine.",
                ),
                (
                    "Water resistance is a joke; {it} stopped working after getting caught in the rain.",
                    "Water resistance failed after a little splash; {it} never worked properly again.",
                ),
                (
                    "Handles light rain fine, I wouldn't trust the water resistance in a downpour.",
                    "Water resistance seems okay for splashes, but I keep {obj} away from the pool.",
                ),
            ),
            f"{SW},{FT}": _p(
                ("Swim tracking works and the water resistance has held up through months of laps.",),
                ("Fogged up inside after a swim, so much for water resistance.",),
                ("Fine in the shower and rain; I haven't risked swimming with {obj}.",),
            ),
            B: _p(
                (
                    "Waterproof as advertised, contents bone dry after a full day of rain.",
                    "Got caught in a storm on the ridge and everything inside stayed dry.",
                ),
                (
                    "Not waterproof at all; my laptop got wet in a 20 minute shower.",
                    "Water leaks in through the zippers in any real rain.",
                ),
                ("Water resistance is fine for drizzle; I use a rain cover for heavy rain.",),
            ),
            RS: _p(
                ("The waterproof upper kept my feet dry through puddles and wet grass.",),
                ("Feet soaked after one wet trail run, the waterproofing failed.",),
                ("Waterproofing works in light rain, but water gets in over the collar.",),
            ),
        },
    ),
    FeatureDef(
        "Heart Rate Monitoring",
        (SW, FT),
        "{heart_rate_sensor} heart-rate sensor with continuous monitoring",
        {
            "*": _p(
                (
                    "Heart rate readings match my chest strap almost exactly.",
                    "Heart rate tracking is accurate even during intervals.",
                    "The heart rate monitor is spot on, great for zone training.",
                ),
                (
                    "Heart rate accuracy is awful during runs; it shows 180 when I'm jogging easy.",
                    "Heart rate monitoring lags way behind on intervals.",
                    "The HR sensor drops out constantly during workouts.",
                ),
                (
                    "Heart rate is accurate at rest, a bit jumpy during sprints.",
                    "Heart rate tracking is okay for steady runs but struggles with intervals.",
                    "Heart rate is mostly right, though it reads high in cold weather.",
                ),
            )
        },
    ),
    FeatureDef(
        "GPS Accuracy",
        (SW, FT),
        "{gps} for accurate pace and distance",
        {
            "*": _p(
                (
                    "GPS locks on in seconds and the tracks are accurate even in the city.",
                    "GPS accuracy is excellent, my race distance was within 50 m.",
                ),
                (
                    "GPS is all over the place; my 10K showed up as 11.2 km.",
                    "GPS takes forever to lock on and drifts badly under trees.",
                ),
                (
                    "GPS is decent in open areas but drifts a bit between tall buildings.",
                    "GPS accuracy is okay, but the live pace jumps around a bit.",
                ),
            )
        },
    ),
    FeatureDef(
        "Display Quality",
        (SW, T, L, FT),
        "{screen_size_in}-inch {display} display",
        {
            "*": _p(
                (
                    "The display is bright and sharp, easy to read in full sun.",
                    "Gorgeous screen with great colors.",
                ),
                (
                    "The display is dim and hard to read outdoors.",
                    "The screen has washed-out colors and visible backlight bleed.",
                    "Display quality is poor, the screen looks grainy.",
                ),
                (
                    "Display is fine indoors, a little dim in direct sunlight.",
                    "The display is decent, just not very bright.",
                ),
            ),
            f"{T},{L}": _p(
                ("The screen is stunning for movies and photo editing, colors are accurate.",),
                ("Colors on the display are way off, useless for photo work.",),
                ("The screen is sharp, but reflections are annoying near windows.",),
            ),
        },
    ),
    FeatureDef(
        "Cushioning",
        (RS,),
        "{cushioning} cushioning with a {stack_height_mm} mm stack",
        {
            "*": _p(
                (
                    "The cushioning is plush but still bouncy; my legs feel fresh after long runs.",
                    "Perfect cushioning for marathon training.",
                    "Great cushioning, my knees thank me after every long run.",
                ),
                (
                    "The cushioning packed out after 200 km and feels dead now.",
                    "Cushioning is too firm, my feet ache after a half marathon.",
                    "The cushioning felt great at first but went flat after {months} months.",
                ),
                (
                    "Cushioning is firmer than I expected; fine for tempo runs, not for long ones.",
                    "The cushioning is soft, maybe a bit mushy for faster runs.",
                ),
            )
        },
    ),
    FeatureDef(
        "Fit",
        (E, RS),
        {
            E: "{ear_tip_sizes} ear-tip sizes for a secure fit",
            RS: "True-to-size fit with a {toe_box} toe box",
        },
        {
            E: _p(
                (
                    "The fit is secure, they never fall out even on runs.",
                    "Great fit, they stay put even during burpees.",
                ),
                (
                    "They keep falling out of my ears; none of the tips fit well.",
                    "The fit is awful, they pop out every time I chew.",
                ),
                (
                    "Fit is okay with the largest tips, but I readjust them often.",
                    "The fit is decent, though one ear needs a different tip size.",
                ),
            ),
            RS: _p(
                (
                    "True to size fit with a roomy toe box.",
                    "The fit is perfect, locked-in heel and no slipping.",
                ),
                (
                    "The fit runs a half size small and very narrow.",
                    "Heel slips no matter how I lace them; bad fit.",
                ),
                (
                    "The fit is a bit snug in the midfoot; consider half a size up.",
                    "The fit is narrow in the toe box, fine once laced loosely.",
                ),
            ),
        },
    ),
    FeatureDef(
        "Weight",
        (H, T, L, RS, B, SW),
        "Just {weight_g} g",
        {
            f"{T},{L},{B}": _p(
                (
                    "Really lightweight, I barely notice {obj} in my bag.",
                    "The low weight makes a huge difference when traveling.",
                ),
                (
                    "Way too heavy; the weight makes {obj} tiring to carry around.",
                    "Heavier than it looks, the weight is a dealbreaker for travel.",
                ),
                ("Weight is about average, not a problem for daily use.",),
            ),
            H: _p(
                (
                    "So light I forget they're on my head.",
                    "The low weight makes them great for long flights.",
                ),
                ("Heavy on the head, I feel the weight after an hour.",),
                ("A little heavy, but the weight is well distributed.",),
            ),
            RS: _p(
                ("So light they disappear on my feet.", "The low weight makes tempo runs feel effortless."),
                ("Heavy for a running shoe, they feel clunky at tempo pace.",),
                ("Not the lightest, but the weight is fine for easy runs.",),
            ),
            SW: _p(
                ("Light enough that I forget it's on my wrist.",),
                ("Too heavy and bulky on a small wrist.",),
                ("A bit heavy for sleeping, the weight is fine during the day.",),
            ),
        },
    ),
    FeatureDef(
        "Build Quality",
        (H, T, L, SP, CM, SW),
        "{material} construction",
        {
            "*": _p(
                (
                    "Build quality feels premium, solid materials and no creaks.",
                    "Excellent build quality, everything feels tight and well made.",
                ),
                (
                    "Build quality is flimsy, lots of creaky plastic.",
                    "Feels cheap, the build quality does not match the price.",
                ),
                (
                    "Build quality is decent, mostly plastic but solid enough.",
                    "Build quality is fine, though a couple of seams are uneven.",
                ),
            )
        },
    ),
    FeatureDef(
        "Brew Speed",
        (CM,),
        "Brews in about {brew_time_min} minutes",
        {
            "*": _p(
                (
                    "Coffee is ready in minutes, perfect for rushed mornings.",
                    "Brewing is fast, coffee is ready before I finish getting dressed.",
                ),
                (
                    "Brewing is painfully slow, it takes forever to heat up.",
                    "So slow to brew that I gave up using it on workdays.",
                ),
                (
                    "Brew speed is average, not fast but not annoying either.",
                    "Brewing speed is fine for one cup, slower for a full batch.",
                ),
            )
        },
    ),
    FeatureDef(
        "Taste",
        (CM,),
        "Balanced extraction for rich, full-bodied flavour",
        {
            "*": _p(
                (
                    "The coffee tastes rich and smooth, better than my local café.",
                    "The taste is fantastic, no bitterness at all.",
                    "Coffee tastes clean and full-bodied every morning.",
                ),
                (
                    "The coffee tastes bitter and burnt no matter which beans I use.",
                    "Weak, watery taste even on the strong setting.",
                    "Everything tastes slightly metallic, not great coffee.",
                ),
                (
                    "The coffee tastes good, though a little flat with darker roasts.",
                    "Taste is fine with medium roasts, a bit sour with light ones.",
                ),
            )
        },
    ),
    FeatureDef(
        "Ease of Cleaning",
        (CM,),
        "Removable, dishwasher-safe parts for quick cleaning",
        {
            "*": _p(
                (
                    "Super easy to clean, the parts go straight in the dishwasher.",
                    "Cleaning takes a minute, the brew basket pops right out.",
                ),
                (
                    "A pain to clean; coffee grounds get stuck everywhere.",
                    "Hard to clean and the descaling cycle is a mess.",
                ),
                (
                    "Cleaning is okay, though the water tank is awkward to reach.",
                    "Easy enough to clean, but descaling takes a while.",
                ),
            )
        },
    ),
    FeatureDef(
        "Keyboard",
        (L,),
        "Backlit keyboard with {key_travel_mm} mm key travel",
        {
            "*": _p(
                (
                    "The keyboard is a joy to type on, great travel and quiet keys.",
                    "Best laptop keyboard I've used, and the backlight is nice and even.",
                ),
                (
                    "The keyboard feels mushy and a few keys double type.",
                    "Keyboard flex is bad and the backlight is uneven.",
                ),
                ("The keyboard is fine, a bit shallow but I got used to it.",),
            )
        },
    ),
    FeatureDef(
        "Performance",
        (L, T),
        "{processor} processor with {ram_gb} GB RAM",
        {
            "*": _p(
                (
                    "Performance is snappy; it handles dozens of tabs and video calls at once.",
                    "Really fast, apps open instantly and editing is smooth.",
                    "Performance is great, big exports finish quickly.",
                ),
                (
                    "Performance is sluggish, it stutters with a few browser tabs open.",
                    "Slows to a crawl under load, very disappointing performance.",
                    "Performance is poor, even simple apps lag.",
                ),
                (
                    "Performance is fine for everyday work but struggles with heavy editing.",
                    "Performance is adequate for browsing and documents.",
                ),
            )
        },
    ),
    FeatureDef(
        "Pencil Support",
        (T,),
        "Works with the {brand} Pencil for low-latency sketching and notes",
        {
            "*": _p(
                (
                    "Pencil support is excellent; latency is low and palm rejection works for sketching.",
                    "Drawing with the stylus feels natural, great pencil support.",
                ),
                (
                    "Pencil support is laggy and palm rejection keeps failing.",
                    "The stylus disconnects constantly; pencil support is frustrating.",
                ),
                ("Pencil support is good for notes, a little laggy for detailed drawing.",),
            )
        },
    ),
    FeatureDef(
        "Storage Space",
        (T, L),
        "From {storage_gb} GB of fast storage",
        {
            "*": _p(
                ("Plenty of storage space for my photos, projects and offline movies.",),
                ("The base storage fills up fast; storage space is far too tight.",),
                ("Storage is enough for documents, but I'd pick the bigger option for media.",),
            )
        },
    ),
    FeatureDef(
        "Bass",
        (H, E, SP),
        "Deep, punchy bass from {driver_size_mm} mm drivers",
        {
            "*": _p(
                (
                    "Deep, punchy bass without drowning the vocals.",
                    "The bass is rich and tight, great for hip-hop.",
                    "The bass hits hard at the gym without getting muddy.",
                ),
                (
                    "The bass is boomy and muddy, it bleeds into everything.",
                    "Almost no bass, everything sounds thin.",
                ),
                (
                    "Bass is a bit too much out of the box, better after some EQ.",
                    "Bass is present but a little soft for electronic music.",
                ),
            )
        },
    ),
    FeatureDef(
        "Connectivity",
        (H, E, SP, SW, FT),
        "Bluetooth {bluetooth_version} for stable, instant pairing",
        {
            "*": _p(
                (
                    "The Bluetooth connection is rock solid and pairing is instant.",
                    "Switches between my phone and laptop seamlessly, connectivity is great.",
                ),
                (
                    "Bluetooth keeps dropping; connectivity is a constant headache.",
                    "The connection cuts out whenever my phone is in my pocket.",
                ),
                ("Connectivity is mostly stable, with the odd dropout in crowded places.",),
            )
        },
    ),
    FeatureDef(
        "Sweat Resistance",
        (E, FT, SW),
        "{water_resistance} sweat and splash resistance for hard workouts",
        {
            "*": _p(
                (
                    "Sweat resistance is great, {it} survived months of hot gym sessions.",
                    "Sweat-proof as promised; I just rinse {obj} after every workout.",
                ),
                (
                    "Sweat got in and killed {obj} after {months} months of gym use.",
                    "Not sweat resistant at all, the charging contacts corroded.",
                ),
                ("Handles sweat okay, but I wipe {obj} down after every workout to be safe.",),
            )
        },
    ),
    FeatureDef(
        "Sleep Tracking",
        (SW, FT),
        "Sleep stages and a nightly sleep score",
        {
            "*": _p(
                (
                    "Sleep tracking is surprisingly accurate and the sleep score is genuinely helpful.",
                    "Love the sleep tracking, it picks up every time I wake up.",
                ),
                (
                    "Sleep tracking is useless; it says I was asleep while I was reading in bed.",
                    "Sleep tracking misses whole nights.",
                ),
                (
                    "Sleep tracking is roughly right, but the sleep stages look like guesses.",
                    "Sleep tracking is fine for total hours, less so for naps.",
                ),
            )
        },
    ),
    FeatureDef(
        "Microphone Quality",
        (H, E, L),
        "{microphones} beamforming microphones for clear calls",
        {
            "*": _p(
                ("People on calls say the microphone sounds clear, even outside.",),
                (
                    "The microphone is terrible; callers say I sound like I'm in a tunnel.",
                    "Mic quality is awful, it picks up every bit of background noise.",
                ),
                ("Mic quality is fine indoors but struggles with wind.",),
            )
        },
    ),
    FeatureDef(
        "Touch Controls",
        (H, E),
        "Touch controls for playback, calls and volume",
        {
            "*": _p(
                ("The touch controls are intuitive and respond every time.",),
                ("The touch controls are way too sensitive, I pause music just adjusting {obj}.",),
                ("Touch controls work, but there's a learning curve.",),
            )
        },
    ),
    FeatureDef(
        "Charging Case",
        (E,),
        "Pocketable charging case adds {case_battery_hours} extra hours",
        {
            "*": _p(
                ("The charging case is compact and the magnetic lid feels great.",),
                ("The charging case doesn't always charge the right earbud.",),
                ("The charging case is a bit bulky for jeans pockets.",),
            )
        },
    ),
    FeatureDef(
        "Fast Charging",
        (E, SW, T, L, H),
        "{fast_charge}",
        {
            "*": _p(
                ("Fast charging is a lifesaver, ten minutes on the cable and I'm good for hours.",),
                ("Fast charging isn't fast at all, it takes over two hours to fill up.",),
                ("Charging speed is okay, just not as fast as advertised.",),
            )
        },
    ),
    FeatureDef(
        "Companion App",
        (SW, FT, H, E, SP),
        "Companion app for settings, updates and insights",
        {
            "*": _p(
                ("The companion app is clean, fast and actually useful.",),
                (
                    "The companion app is buggy and keeps logging me out.",
                    "The app crashes every time I open it.",
                ),
                ("The app does the basics but feels cluttered.",),
            )
        },
    ),
    FeatureDef(
        "Step Tracking",
        (FT, SW),
        "All-day step, distance and calorie tracking",
        {
            "*": _p(
                ("Step tracking matches my manual count almost exactly.",),
                ("Step tracking counts steps while I'm driving. Not accurate at all.",),
                ("The step count is within about 10%, good enough for me.",),
            )
        },
    ),
    FeatureDef(
        "Traction",
        (RS,),
        "{outsole} outsole for reliable traction",
        {
            "*": _p(
                ("Traction is excellent on wet roads and muddy trails.",),
                ("Traction is scary on wet pavement, I nearly slipped twice.",),
                ("Grip is fine on dry roads, a bit sketchy on wet leaves.",),
            )
        },
    ),
    FeatureDef(
        "Breathability",
        (RS,),
        "Breathable {upper} upper keeps feet cool",
        {
            "*": _p(
                ("The mesh upper is very breathable; my feet stay cool in summer.",),
                ("Not breathable at all, my feet overheat and sweat.",),
                ("Breathability is okay, a bit warm on hot days.",),
            )
        },
    ),
    FeatureDef(
        "Responsiveness",
        (RS,),
        "{midsole} midsole for snappy energy return",
        {
            "*": _p(
                ("Super responsive and springy, great for tempo runs and race day.",),
                ("They feel flat and unresponsive, no energy return at all.",),
                ("Responsive enough for easy days, but not a race shoe.",),
            )
        },
    ),
    FeatureDef(
        "Organization",
        (B,),
        "{pockets} pockets for smart organization",
        {
            "*": _p(
                ("Tons of smart pockets, organization is excellent.",),
                ("Organization is poor; everything ends up in one pile at the bottom.",),
                ("Pockets are fine, though I'd like a few more small ones for organization.",),
            )
        },
    ),
    FeatureDef(
        "Laptop Sleeve",
        (B,),
        "Padded sleeve fits laptops up to {laptop_sleeve_in} inches",
        {
            "*": _p(
                ("The padded laptop sleeve fits my 16-inch laptop perfectly.",),
                ("The laptop sleeve has no padding at the bottom; my laptop hits the floor every time.",),
                ("The laptop sleeve fits a 15-inch laptop, but it's tight.",),
            )
        },
    ),
    FeatureDef(
        "Zipper Quality",
        (B,),
        "Heavy-duty, lockable zippers",
        {
            "*": _p(
                ("The zippers are smooth and beefy, no snagging.",),
                ("The main zipper broke after {months} months.",),
                ("Zippers work but snag on the corners sometimes.",),
            )
        },
    ),
    FeatureDef(
        "Brew Temperature",
        (CM,),
        "Brews at an optimal {brew_temp_c} °C",
        {
            "*": _p(
                ("Coffee comes out piping hot, brew temperature is spot on.",),
                ("Coffee comes out lukewarm; the brew temperature is too low.",),
                ("The temperature is okay, but the coffee cools down quickly.",),
            )
        },
    ),
    FeatureDef(
        "Milk Frother",
        (CM,),
        "Built-in steam wand for silky milk foam",
        {
            "*": _p(
                ("The milk frother makes silky microfoam for lattes.",),
                ("The milk frother barely froths and is hard to clean.",),
                ("The frother works, though the foam is a bit bubbly.",),
            )
        },
    ),
    FeatureDef(
        "Brew Capacity",
        (CM,),
        "Makes up to {capacity_cups} cups at once",
        {
            "*": _p(
                ("The big carafe is perfect for our family, the capacity is ideal.",),
                ("The capacity is tiny, I refill the water after every two cups.",),
                ("Capacity is fine for two people, not for guests.",),
            )
        },
    ),
    FeatureDef(
        "Programmable Timer",
        (CM,),
        "24-hour programmable timer",
        {
            "*": _p(
                ("The programmable timer means coffee is ready when I wake up.",),
                ("The timer resets after every power cut and the menu is confusing.",),
                ("Programming the timer works, but the buttons are fiddly.",),
            )
        },
    ),
    FeatureDef(
        "Quiet Operation",
        (CM, L),
        {CM: "Quiet operation at about {noise_db} dB", L: "Whisper-quiet fans at about {noise_db} dB"},
        {
            CM: _p(
                ("Very quiet; I can brew coffee without waking the kids.",),
                ("It's so loud it wakes up the whole house.",),
                ("It's not silent, but the noise isn't annoying.",),
            ),
            L: _p(
                ("The fans are nearly silent, even on long video calls.",),
                ("Fan noise is constant and loud, even when idle.",),
                ("The fans are quiet most of the time, noticeable under load.",),
            ),
        },
    ),
    FeatureDef(
        "Portability",
        (SP, T, L),
        "Weighs just {weight_g} g, easy to carry anywhere",
        {
            "*": _p(
                ("Very portable, it slips into my bag easily.",),
                ("Too bulky to be truly portable.",),
                ("Portable enough for short trips.",),
            )
        },
    ),
    FeatureDef(
        "Loudness",
        (SP,),
        "{output_w} W of output power",
        {
            "*": _p(
                ("Gets seriously loud without distortion, it fills the whole backyard.",),
                ("Not loud enough outdoors, even at max volume.",),
                ("Loud enough for a room, struggles a bit outside.",),
            )
        },
    ),
    FeatureDef(
        "Stereo Pairing",
        (SP,),
        "Pair two speakers for true stereo sound",
        {
            "*": _p(
                ("Stereo pairing two of them was instant and sounds amazing.",),
                ("Stereo pairing keeps dropping, one speaker falls out of sync.",),
                ("Stereo pairing works, but setup took a few tries.",),
            )
        },
    ),
    FeatureDef(
        "Voice Assistant",
        (SP, SW),
        "Built-in voice assistant",
        {
            "*": _p(
                ("The voice assistant picks me up even across the room.",),
                ("The voice assistant rarely understands me.",),
                ("The voice assistant is handy for timers, not much else.",),
            )
        },
    ),
    FeatureDef(
        "Trackpad",
        (L,),
        "Large glass trackpad with precise gestures",
        {
            "*": _p(
                ("The trackpad is huge, smooth and precise.",),
                ("The trackpad is jumpy and the click is loud.",),
                ("The trackpad is decent but a bit small.",),
            )
        },
    ),
    FeatureDef(
        "Port Selection",
        (L,),
        "Ports: {ports}",
        {
            "*": _p(
                ("Great port selection, no dongles needed.",),
                ("Only two USB-C ports, I need a dongle for everything.",),
                ("The ports are okay, but I wish it had an SD card reader.",),
            )
        },
    ),
    FeatureDef(
        "Webcam",
        (L,),
        "{webcam} webcam for sharp video calls",
        {
            "*": _p(
                ("The webcam is sharp, my colleagues noticed the upgrade.",),
                ("The webcam is grainy even in good light.",),
                ("The webcam is fine for calls, nothing special.",),
            )
        },
    ),
    FeatureDef(
        "Heat Management",
        (L,),
        "{cooling} cooling keeps it cool under load",
        {
            "*": _p(
                ("It stays cool even when rendering; heat management is excellent.",),
                ("It gets uncomfortably hot on my lap, heat management is bad.",),
                ("It gets warm under load, but never throttles badly.",),
            )
        },
    ),
    FeatureDef(
        "Value for Money",
        ALL,
        "Premium features at an everyday price",
        {
            "*": _p(
                (
                    "Great value for money, {it} perform{s} like {a_noun} twice the price.",
                    "Excellent value, I'd happily have paid more.",
                ),
                (
                    "Poor value for money; cheaper options do the same thing better.",
                    "Overpriced for what you get.",
                ),
                (
                    "Value is fair, though it goes on sale often.",
                    "Decent value, but there are better deals around.",
                ),
            )
        },
    ),
    FeatureDef(
        "Ease of Use",
        (CM, SW, FT, SP, T),
        "Simple setup and intuitive controls",
        {
            "*": _p(
                ("Setup took two minutes and everything is intuitive to use.",),
                ("Confusing to use; the menus make no sense.",),
                ("Easy enough to use once you read the manual.",),
            )
        },
    ),
    FeatureDef(
        "Design",
        (H, SW, B, SP, RS, L),
        "Sleek, minimalist design",
        {
            "*": _p(
                (
                    "Love the design, it looks sleek and gets compliments.",
                    "The design is gorgeous in person and looks more expensive than it is.",
                ),
                (
                    "The design looks cheap in person, nothing like the photos.",
                    "The design is clunky and dated.",
                ),
                (
                    "The design is fine, a bit plain.",
                    "Nice design, though it picks up fingerprints and smudges.",
                ),
            )
        },
    ),
    FeatureDef(
        "Workout Tracking",
        (SW, FT),
        "{sport_modes} sport modes with automatic workout detection",
        {
            "*": _p(
                ("Workout tracking is detailed; auto-detect picked up my runs and rides.",),
                ("Workout tracking misses half my sessions and auto-detect is useless.",),
                ("Workout tracking covers the basics, not many sport profiles.",),
            )
        },
    ),
    FeatureDef(
        "Transparency Mode",
        (H, E),
        "Transparency mode to hear announcements and conversations",
        {
            "*": _p(
                ("Transparency mode sounds natural, great for hearing announcements.",),
                ("Transparency mode sounds robotic and amplifies wind noise.",),
                ("Transparency mode is usable but a bit artificial.",),
            )
        },
    ),
    FeatureDef(
        "Multitasking",
        (T,),
        "Split-screen multitasking with {ram_gb} GB RAM",
        {
            "*": _p(
                ("Split-screen multitasking is smooth; I run notes next to a video lecture.",),
                ("Multitasking is clumsy, apps reload whenever I switch.",),
                ("Multitasking works for two apps, gets laggy with more.",),
            )
        },
    ),
)
FEATURE_BY_NAME = {f.name: f for f in FEATURES}

# --------------------------------------------------------------------------------------------
# Review framing: openers, closers, general (feature-less) reviews, reviewer names
# --------------------------------------------------------------------------------------------

OPENERS: Pools = _p(
    (
        "Bought {this} for {use}.",
        "I mainly use {this} for {use}.",
        "Really happy with this purchase.",
        "Second {brand} product I own.",
        "Exceeded my expectations.",
        "I've had {this} {noun} for {months} months now.",
    ),
    (
        "Bought {this} for {use}.",
        "I really wanted to like {this} {noun}.",
        "Disappointed overall.",
        "Expected more from {brand}.",
        "I've had {this} {noun} for {months} months now.",
    ),
    (
        "Bought {this} for {use}.",
        "Mixed feelings about {this} {noun}.",
        "Some good, some bad.",
        "I've had {this} {noun} for {months} months now.",
        "Picked {obj} up on sale.",
    ),
)
CLOSERS: Pools = _p(
    (
        "Would buy again.",
        "Highly recommend.",
        "Worth every penny.",
        "No regrets.",
        "Easy recommendation.",
        "Perfect for {use}.",
        "Ideal for {use}.",
    ),
    (
        "Not good enough for {use}.",
        "Returning {obj}.",
        "Wouldn't buy again.",
        "Customer support was no help.",
        "Not worth the money.",
        "Look elsewhere.",
    ),
    (
        "Fine for the price.",
        "Does the job.",
        "Not bad, not great.",
        "Might keep {obj}.",
        "Ask me again in a year.",
        "Good enough for {use}.",
    ),
)
GENERAL: Pools = _p(
    (
        "Exactly as described and it arrived quickly.",
        "Does everything I need, very happy with {this} {noun}.",
        "Great {noun} overall, no complaints.",
        "Solid all-rounder, it does everything well.",
        "Arrived well packed and worked perfectly out of the box.",
    ),
    (
        "Arrived with a scratch and support took weeks to respond.",
        "Overall a letdown, nothing about {this} {noun} stands out.",
        "Not what I expected from the product photos.",
        "Too many small issues add up; I can't recommend {obj}.",
    ),
    (
        "It's okay overall, nothing special.",
        "Average {noun}, does the basics.",
        "Decent, but I expected a bit more.",
        "Some things are great, others are just okay.",
    ),
)
MONTHS = ("two", "three", "four", "six", "eight", "ten")
KMS = ("250", "300", "350", "400")

# fmt: off
FIRST_NAMES = (
    "Maya", "Jonas", "Aisha", "Liam", "Chloe", "Mateo", "Yuki", "Noah", "Zara", "Ethan", "Ines", "Omar",
    "Hannah", "Luca", "Priyanka", "Tom", "Grace", "Diego", "Sara", "Felix", "Nadia", "Ben", "Emma", "Kofi",
    "Lena", "Raj", "Olivia", "Marco", "Freya", "Sam", "Julia", "Ahmed", "Mia", "Oscar", "Leila", "Jake",
    "Anya", "Carlos", "Elif", "Hugo", "Nora", "Tariq", "Isla", "Wei", "Rosa", "Max", "Alina", "Dev",
)
# fmt: on
HANDLE_WORDS = ("runner", "techie", "coffee", "trail", "audio", "city", "gadget", "daily", "urban", "mtn")
LETTERS = "ABCDEFGHIJKLMNOPRSTVWY"

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _lerp(lo: float, hi: float, t: float) -> float:
    return lo + (hi - lo) * t


def _step(value: float, step: float) -> int:
    return int(round(value / step) * step)


def _clamp(value: float, lo: float = 0.03, hi: float = 0.97) -> float:
    return min(hi, max(lo, value))


def _cents(price: float) -> int:
    """Snap a raw price to a shop-like ending: 149.99, 89.99, 24.99."""
    step = 10 if price >= 100 else 5
    return max(step, round(price / step) * step) * 100 - 1


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class _Keep(dict[str, str]):
    """format_map mapping that leaves unknown placeholders for a later pass."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _grammar(cat: Category) -> dict[str, str]:
    plural = cat.plural
    return {
        "noun": cat.noun,
        "a_noun": cat.noun if plural else ("an " if cat.noun[0] in "aeiou" else "a ") + cat.noun,
        "this": "these" if plural else "this",
        "it": "they" if plural else "it",
        "It": "They" if plural else "It",
        "obj": "them" if plural else "it",
        "is": "are" if plural else "is",
        "has": "have" if plural else "has",
        "was": "were" if plural else "was",
        "s": "" if plural else "s",
        "its": "their" if plural else "its",
    }


def _pick_for(mapping: dict[str, Any], category: str) -> list[Any]:
    """Entries of a '*' / 'Cat,Cat' keyed mapping that apply to category (specific keys last)."""
    out = [v for k, v in mapping.items() if k == "*"]
    out += [v for k, v in mapping.items() if k != "*" and category in k.split(",")]
    return out


# --------------------------------------------------------------------------------------------
# Pre-rendered text, per category (computed once per run)
# --------------------------------------------------------------------------------------------


@dataclass
class CategoryText:
    reviews: dict[str, Pools]  # feature name -> sentiment -> sentences
    general: Pools
    openers: Pools
    closers: Pools
    highlights: dict[str, str]  # feature name -> template over specs


def _render_pools(pools: Iterable[Pools], ctx: dict[str, str]) -> Pools:
    merged: dict[str, list[str]] = {"positive": [], "negative": [], "neutral": []}
    for pool in pools:
        for sentiment, sentences in pool.items():
            merged[sentiment] += [s.format_map(_Keep(ctx)) for s in sentences]
    return {k: tuple(v) for k, v in merged.items()}


def _category_text(cat: Category) -> CategoryText:
    ctx = _grammar(cat)
    reviews: dict[str, Pools] = {}
    highlights: dict[str, str] = {}
    for feature in FEATURES:
        if cat.name not in feature.categories:
            continue
        reviews[feature.name] = _render_pools(_pick_for(feature.reviews, cat.name), ctx)
        if isinstance(feature.highlight, str):
            highlights[feature.name] = feature.highlight
        else:
            highlights[feature.name] = _pick_for(feature.highlight, cat.name)[-1]
    return CategoryText(
        reviews=reviews,
        general=_render_pools([GENERAL], ctx),
        openers=_render_pools([OPENERS], ctx),
        closers=_render_pools([CLOSERS], ctx),
        highlights=highlights,
    )


# --------------------------------------------------------------------------------------------
# Specifications per category (consistent with the product's features and quality)
# --------------------------------------------------------------------------------------------

Quality = Callable[[str], float]  # feature name -> 0..1 (tier-based guess when not linked)
SpecFn = Callable[[random.Random, set[str], Quality, float], dict[str, Any]]


def _anc(has: set[str], q: Quality) -> str:
    if "Noise Cancellation" not in has:
        return "Passive"
    return "Active (hybrid)" if q("Noise Cancellation") > 0.6 else "Active"


def _spec_headphones(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    over = rng.random() < 0.75
    specs: dict[str, Any] = {
        "form_factor": "Over-Ear" if over else "On-Ear",
        "driver_size_mm": rng.choice((40, 40, 45, 50)) if over else rng.choice((30, 32, 40)),
        "battery_life_hours": _step(_lerp(18, 60, q("Battery Life")), 2),
        "noise_cancellation": _anc(has, q),
        "weight_g": _step(_lerp(350, 215, q("Weight")), 5),
        "bluetooth_version": rng.choice(("5.2", "5.3", "5.3", "5.4")),
        "frequency_response": "4Hz-40kHz" if q("Sound Quality") > 0.7 else "20Hz-20kHz",
        "microphones": 2 + 2 * int(q("Microphone Quality") * 3),
        "foldable": rng.random() < 0.6,
        "multipoint": "Connectivity" in has or rng.random() < 0.3,
        "transparency_mode": "Transparency Mode" in has,
        "material": "Aluminium and protein leather" if q("Build Quality") > 0.6 else "Matte polycarbonate",
        "charging_port": "USB-C",
        "warranty_years": 2 if q("Durability") > 0.6 else 1,
    }
    if "Fast Charging" in has:
        specs["fast_charge"] = "10 minutes for 5 hours of playback"
    return specs


def _spec_earbuds(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    sealed = "Water Resistance" in has or "Sweat Resistance" in has
    water = max(q("Water Resistance"), q("Sweat Resistance"))
    specs: dict[str, Any] = {
        "battery_life_hours": _step(_lerp(4, 10, q("Battery Life")), 1),
        "case_battery_hours": _step(_lerp(16, 36, q("Charging Case")), 2),
        "driver_size_mm": rng.choice((6, 8, 10, 11, 12)),
        "noise_cancellation": _anc(has, q),
        "water_resistance": ("IPX7" if water > 0.65 else "IPX5") if sealed else "IPX4",
        "weight_g": round(_lerp(7.0, 4.0, t), 1),
        "ear_tip_sizes": 4 if "Fit" in has else 3,
        "wireless_charging": t > 0.5,
        "bluetooth_version": rng.choice(("5.2", "5.3", "5.4")),
        "microphones": 2 + 2 * int(q("Microphone Quality") * 2),
        "transparency_mode": "Transparency Mode" in has,
        "multipoint": "Connectivity" in has,
        "warranty_years": 1,
    }
    if "Fast Charging" in has:
        specs["fast_charge"] = "10 minutes for 2 hours of playback"
    return specs


def _spec_wearable(rng: random.Random, has: set[str], q: Quality, t: float, watch: bool) -> dict[str, Any]:
    gps = "GPS Accuracy" in has
    specs: dict[str, Any] = {
        "display": rng.choice(("AMOLED", "AMOLED", "LTPO OLED"))
        if watch
        else rng.choice(("AMOLED", "PMOLED")),
        "screen_size_in": rng.choice((1.3, 1.4, 1.43, 1.6, 1.9))
        if watch
        else rng.choice((0.96, 1.1, 1.47, 1.6)),
        "battery_life_hours": _step(
            _lerp(24, 240, q("Battery Life")) if watch else _lerp(96, 336, q("Battery Life")), 12
        ),
        "water_resistance": "10 ATM" if q("Water Resistance") > 0.7 else "5 ATM",
        "gps": ("Dual-band GPS" if q("GPS Accuracy") > 0.6 else "Built-in GPS")
        if gps
        else "Connected GPS (via phone)",
        "heart_rate_sensor": "Multi-LED optical" if q("Heart Rate Monitoring") > 0.6 else "Optical",
        "sleep_tracking": "Sleep Tracking" in has or rng.random() < 0.5,
        "step_tracking": True,
        "weight_g": _step(_lerp(62, 30, q("Weight")), 1) if watch else _step(_lerp(34, 18, t), 1),
        "band_material": rng.choice(("silicone sport", "woven nylon", "fluoroelastomer")),
        "sport_modes": _step(_lerp(20, 150, q("Workout Tracking")), 10),
        "bluetooth_version": rng.choice(("5.2", "5.3")),
        "spo2_sensor": t > 0.4,
        "warranty_years": 2 if q("Durability") > 0.6 else 1,
    }
    if watch:
        specs["material"] = (
            "Titanium" if q("Build Quality") > 0.75 else "Aluminium" if t > 0.35 else "Polymer"
        )
        specs["voice_assistant"] = "Voice Assistant" in has
    if "Fast Charging" in has:
        specs["fast_charge"] = "0-80% in 30 minutes"
    return specs


def _spec_smartwatch(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    return _spec_wearable(rng, has, q, t, watch=True)


def _spec_tracker(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    return _spec_wearable(rng, has, q, t, watch=False)


def _spec_tablet(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    screen = rng.choice((8.3, 10.9, 11, 11, 12.4, 13))
    perf = q("Performance")
    specs: dict[str, Any] = {
        "screen_size_in": screen,
        "display": "OLED"
        if q("Display Quality") > 0.75
        else "Mini-LED"
        if q("Display Quality") > 0.55
        else "IPS LCD",
        "refresh_rate_hz": 120 if q("Display Quality") > 0.6 else 90 if t > 0.4 else 60,
        "processor": "10-core" if perf > 0.7 else "8-core" if perf > 0.4 else "6-core",
        "ram_gb": 12 if perf > 0.75 else 8 if perf > 0.5 else 6 if perf > 0.3 else 4,
        "battery_life_hours": _step(_lerp(7, 15, q("Battery Life")), 1),
        "weight_g": _step(_lerp(300, 560, (screen - 8.3) / 4.7) + _lerp(120, 0, q("Weight")), 5),
        "pencil_support": "Yes (magnetic pairing and charging)" if "Pencil Support" in has else "No",
        "speakers": "Quad speakers" if q("Sound Quality") > 0.5 else "Stereo speakers",
        "material": "Aluminium unibody" if q("Build Quality") > 0.5 else "Polycarbonate",
        "warranty_years": 1,
    }
    if "Fast Charging" in has:
        specs["fast_charge"] = "45 W USB-C fast charging"
    return specs


def _spec_laptop(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    screen = rng.choice((13.3, 14, 14, 15.6, 16))
    perf = q("Performance")
    specs: dict[str, Any] = {
        "screen_size_in": screen,
        "display": "OLED" if q("Display Quality") > 0.75 else "IPS",
        "resolution": "2880x1800" if q("Display Quality") > 0.6 else "1920x1200",
        "processor": "14-core" if perf > 0.7 else "10-core" if perf > 0.4 else "8-core",
        "ram_gb": 32 if perf > 0.8 else 16 if perf > 0.45 else 8,  # entry config, synced with variants
        "gpu": "Discrete, 8 GB" if perf > 0.8 and screen >= 15.6 else "Integrated",
        "battery_life_hours": _step(_lerp(5, 20, q("Battery Life")), 1),
        "weight_g": _step(_lerp(1050, 1500, (screen - 13.3) / 2.7) + _lerp(600, 0, q("Weight")), 10),
        "key_travel_mm": round(_lerp(1.0, 1.6, q("Keyboard")), 1),
        "keyboard_backlight": True,
        "webcam": "1440p" if q("Webcam") > 0.75 else "1080p" if q("Webcam") > 0.4 else "720p",
        "ports": "2x USB-C, 2x USB-A, HDMI, SD card"
        if q("Port Selection") > 0.6
        else "2x USB-C, headphone jack",
        "noise_db": _step(_lerp(44, 22, q("Quiet Operation")), 1),
        "microphones": 3 if q("Microphone Quality") > 0.5 else 2,
        "speakers": "Quad speakers" if q("Sound Quality") > 0.6 else "Stereo speakers",
        "material": "CNC aluminium" if q("Build Quality") > 0.5 else "Plastic and aluminium",
        "cooling": "Dual-fan vapour chamber" if q("Heat Management") > 0.5 else "Single-fan",
        "warranty_years": 2 if q("Durability") > 0.6 else 1,
    }
    if "Fast Charging" in has:
        specs["fast_charge"] = "65 W USB-C, 50% in 30 minutes"
    return specs


def _spec_shoes(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    trail = "Water Resistance" in has or ("Traction" in has and rng.random() < 0.5)
    resp = q("Responsiveness")
    cushion = q("Cushioning")
    fit = q("Fit")
    return {
        "surface": "Trail" if trail else "Road",
        "drop_mm": rng.choice((4, 6, 8, 8, 10, 12)),
        "stack_height_mm": _step(_lerp(26, 42, cushion), 1),
        "cushioning": "Max" if cushion > 0.7 else "Balanced" if cushion > 0.4 else "Firm",
        "weight_g": _step(_lerp(330, 190, q("Weight")), 5),
        "midsole": "Supercritical PEBA foam"
        if resp > 0.7
        else "Nitrogen-infused EVA"
        if resp > 0.4
        else "EVA foam",
        "outsole": "Sticky rubber with 5 mm lugs" if trail else "Carbon rubber",
        "upper": rng.choice(("engineered mesh", "knit")),
        "toe_box": "roomy" if fit > 0.6 else "standard" if fit > 0.35 else "narrow",
        "water_resistance": "Waterproof membrane"
        if "Water Resistance" in has
        else "Breathable mesh (not waterproof)",
        "carbon_plate": resp > 0.8,
        "warranty_years": 1,
    }


def _spec_backpack(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    water = "Water Resistance" in has
    return {
        "capacity_l": 0,  # replaced by the smallest capacity variant
        "weight_g": _step(_lerp(1600, 550, q("Weight")), 10),
        "water_resistance": ("Waterproof (TPU-coated)" if q("Water Resistance") > 0.6 else "Water-resistant")
        if water
        else "Splash-resistant",
        "material": rng.choice(("Recycled 420D nylon", "1000D ballistic nylon", "600D polyester")),
        "laptop_sleeve_in": 16 if "Laptop Sleeve" in has else rng.choice((0, 15)),
        "pockets": _step(_lerp(4, 14, q("Organization")), 1),
        "zippers": "Heavy-duty lockable" if q("Zipper Quality") > 0.5 else "Standard coil",
        "hip_belt": water or rng.random() < 0.3,
        "warranty_years": 5 if q("Durability") > 0.75 else 2,
    }


def _spec_coffee(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    if "Milk Frother" in has or ("Brew Capacity" not in has and rng.random() < 0.3):
        kind = "Espresso"
    elif "Brew Capacity" not in has and "Programmable Timer" not in has and rng.random() < 0.3:
        kind = "Single-Serve"
    else:
        kind = "Drip"
    speed = q("Brew Speed")
    specs: dict[str, Any] = {
        "type": kind,
        "capacity_cups": {"Espresso": 2, "Single-Serve": 1}.get(
            kind, _step(_lerp(5, 14, q("Brew Capacity")), 1)
        ),
        "water_tank_l": round(_lerp(0.8, 2.0, t), 1),
        "brew_time_min": _step(_lerp(12, 4, speed), 1) if kind == "Drip" else _step(_lerp(4, 1, speed), 1),
        "brew_temp_c": _step(_lerp(86, 96, q("Brew Temperature")), 1),
        "noise_db": _step(_lerp(72, 42, q("Quiet Operation")), 1),
        "programmable": "Programmable Timer" in has,
        "milk_frother": "Milk Frother" in has,
        "dishwasher_safe_parts": "Ease of Cleaning" in has,
        "power_w": rng.choice((900, 1000, 1200, 1350, 1500)),
        "material": "Brushed stainless steel" if q("Build Quality") > 0.55 else "BPA-free plastic",
        "warranty_years": 2 if q("Durability") > 0.6 else 1,
    }
    if kind == "Espresso":
        specs["pressure_bar"] = rng.choice((15, 19))
    return specs


def _spec_speaker(rng: random.Random, has: set[str], q: Quality, t: float) -> dict[str, Any]:
    water = "Water Resistance" in has
    out = _step(_lerp(10, 120, q("Loudness")), 5)
    return {
        "output_w": out,
        "battery_life_hours": _step(_lerp(8, 30, q("Battery Life")), 1),
        "water_resistance": ("IP67" if q("Water Resistance") > 0.6 else "IPX5") if water else "IPX4",
        "weight_g": _step(250 + out * 18 + _lerp(300, 0, q("Portability")), 10),
        "driver_size_mm": _step(_lerp(40, 100, q("Bass")), 5),
        "bluetooth_version": rng.choice(("5.0", "5.3")),
        "stereo_pairing": "Stereo Pairing" in has,
        "voice_assistant": "Voice Assistant" in has,
        "material": "Fabric and rubber" if water else "Aluminium grille",
        "warranty_years": 2 if q("Durability") > 0.6 else 1,
    }


COFFEE_PRICES = {"Drip": (39, 249), "Single-Serve": (49, 199), "Espresso": (179, 699)}  # within CM range

SPEC_FNS: dict[str, SpecFn] = {
    H: _spec_headphones,
    E: _spec_earbuds,
    SW: _spec_smartwatch,
    T: _spec_tablet,
    L: _spec_laptop,
    RS: _spec_shoes,
    B: _spec_backpack,
    CM: _spec_coffee,
    FT: _spec_tracker,
    SP: _spec_speaker,
}

# --------------------------------------------------------------------------------------------
# Product names
# --------------------------------------------------------------------------------------------


def _product_name(
    cat: Category, brand: str, line: str, number: str, has: set[str], specs: dict[str, Any]
) -> str:
    model = f"{brand} {line} {number}"
    nc = "Noise Cancelling " if "Noise Cancellation" in has else ""
    match cat.name:
        case "Headphones":
            return f"{model} {nc}Wireless {specs['form_factor']} Headphones"
        case "Earbuds":
            kind = "Sport Earbuds" if "Sweat Resistance" in has else f"{nc}True Wireless Earbuds"
            return f"{model} {kind}"
        case "Smartwatches":
            return f"{model} {'GPS ' if 'GPS Accuracy' in has else ''}Smartwatch"
        case "Tablets":
            return f"{model} {specs['screen_size_in']}-inch Tablet"
        case "Laptops":
            return f"{model} {specs['screen_size_in']}-inch Laptop"
        case "Running Shoes":
            wp = "WP " if "Water Resistance" in has else ""
            return f"{model} {wp}{'Trail ' if specs['surface'] == 'Trail' else ''}Running Shoes"
        case "Backpacks":
            kind = "Hiking" if specs["hip_belt"] else "Commuter" if specs["laptop_sleeve_in"] else "Travel"
            return f"{model} {kind} Backpack"
        case "Coffee Makers":
            if specs["type"] == "Espresso":
                return f"{model} Espresso Machine{' with Milk Frother' if specs['milk_frother'] else ''}"
            if specs["type"] == "Single-Serve":
                return f"{model} Single-Serve Coffee Maker"
            prog = "Programmable " if specs["programmable"] else ""
            return f"{model} {specs['capacity_cups']}-Cup {prog}Drip Coffee Maker"
        case "Fitness Trackers":
            return f"{model} Fitness Tracker"
        case _:
            wp = "Waterproof " if "Water Resistance" in has else ""
            return f"{model} {wp}Portable Bluetooth Speaker"


# --------------------------------------------------------------------------------------------
# Variants
# --------------------------------------------------------------------------------------------

SHOE_SIZES = ("7", "7.5", "8", "8.5", "9", "9.5", "10", "10.5", "11", "11.5", "12")
WATCH_SIZES = (("40mm", "44mm"), ("41mm", "45mm"), ("42mm", "46mm"))
TABLET_STORAGE = ("64GB", "128GB", "256GB", "512GB", "1TB")
LAPTOP_CONFIGS = (("8GB", "256GB"), ("8GB", "512GB"), ("16GB", "512GB"), ("16GB", "1TB"), ("32GB", "1TB"))
BACKPACK_CAPACITY = ("18L", "22L", "28L", "35L", "45L")

Option = tuple[tuple[tuple[str, str], ...], int]  # (extra attributes, price delta in cents)


def _window(rng: random.Random, items: tuple[Any, ...], start_t: float, min_n: int, max_n: int) -> list[Any]:
    """A run of consecutive options (e.g. 128GB, 256GB) starting near start_t of the range."""
    n = rng.randint(min_n, max_n)
    start = min(int(start_t * (len(items) - n + 1)), len(items) - n)
    return list(items[start : start + n])


def _options(cat: Category, rng: random.Random, specs: dict[str, Any], t: float) -> list[Option]:
    match cat.name:
        case "Running Shoes":
            lo, hi = rng.randint(0, 2), rng.randint(8, 10)
            return [((("size", s),), 0) for s in SHOE_SIZES[lo : hi + 1]]
        case "Smartwatches":
            small, large = rng.choice(WATCH_SIZES)
            return [((("size", small),), 0), ((("size", large),), 3000)]
        case "Tablets":
            sizes = _window(rng, TABLET_STORAGE, t, 2, 3)
            return [((("storage", s),), i * 10000) for i, s in enumerate(sizes)]
        case "Laptops":
            configs = _window(rng, LAPTOP_CONFIGS, specs["ram_gb"] / 32, 1, 3)
            return [((("ram", r), ("storage", s)), i * 20000) for i, (r, s) in enumerate(configs)]
        case "Backpacks":
            caps = _window(rng, BACKPACK_CAPACITY, rng.random(), 1, 2)
            return [((("capacity", c),), i * 2000) for i, c in enumerate(caps)]
        case _:
            return [((), 0)]


def _colors(cat: Category, rng: random.Random) -> list[str]:
    n = rng.choice((1, 2, 2, 3, 3, 4))
    chosen = {"Black"} if "Black" in cat.colors and rng.random() < 0.62 else set()
    others = [c for c in cat.colors if c != "Black"]
    chosen.update(rng.sample(others, min(len(others), max(0, n - len(chosen)))))
    return [c for c in cat.colors if c in chosen]  # palette order, stable for display


def _stock(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.1:
        return 0
    if r < 0.2:
        return rng.randint(1, 3)
    return rng.randint(4, 60)


# --------------------------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------------------------


@dataclass
class Product:
    id: int
    category: Category
    name: str
    brand: str
    price_cents: int
    features: list[str]
    quality: dict[str, float]
    base_quality: float
    specs: dict[str, Any]
    options: list[Option]
    colors: list[str]


def _choose_features(cat: Category, rng: random.Random, pool: list[str]) -> list[str]:
    chosen = list(cat.core)
    target = rng.randint(4, 8)
    candidates = [f for f in cat.likely if rng.random() < 0.6] + rng.sample(pool, len(pool))
    for name in candidates:
        if len(chosen) >= target:
            break
        if name in chosen or any((name, other) in EXCLUSIVE_FEATURES for other in chosen):
            continue
        chosen.append(name)
    return chosen


def _qualities(rng: random.Random, features: list[str], base: float) -> dict[str, float]:
    quality = {f: _clamp(base + rng.gauss(0, 0.12)) for f in features}
    # One weak spot and one standout on many products, so feature sentiment differs per product.
    if rng.random() < 0.45:
        weak = rng.choice(features)
        quality[weak] = _clamp(quality[weak] - 0.35)
    if rng.random() < 0.45:
        strong = rng.choice(features)
        quality[strong] = _clamp(quality[strong] + 0.25)
    return quality


def _unique_name(
    cat: Category, brand: str, has: set[str], specs: dict[str, Any], rng: random.Random, names: set[str]
) -> str:
    """Catalog-style model numbers first; large catalogs fall back to codes like "K47", then "(Gen N)"."""
    name = ""
    for attempt in range(24):
        number = rng.choice(cat.numbers) if attempt < 8 else f"{rng.choice(LETTERS)}{rng.randint(10, 99)}"
        name = _product_name(cat, brand, rng.choice(cat.lines), number, has, specs)
        if name not in names:
            break
    base_name, gen = name, 2
    while name in names:
        name, gen = f"{base_name} (Gen {gen})", gen + 1
    names.add(name)
    return name


def _make_product(pid: int, cat: Category, rng: random.Random, pool: list[str], names: set[str]) -> Product:
    base = rng.uniform(0.3, 0.92)
    tier = _clamp(0.55 * (base - 0.3) / 0.62 + 0.45 * rng.random(), 0.0, 1.0)  # price tier tracks quality
    features = _choose_features(cat, rng, pool)
    quality = _qualities(rng, features, base)
    has = set(features)

    def q(name: str) -> float:
        return quality.get(name, _lerp(0.2, 0.8, tier))

    specs = SPEC_FNS[cat.name](rng, has, q, tier)
    options = _options(cat, rng, specs, tier)
    _sync_specs_with_options(cat, specs, options)
    brand = rng.choice(cat.brands)
    name = _unique_name(cat, brand, has, specs, rng, names)
    lo, hi = COFFEE_PRICES[specs["type"]] if cat.name == CM else cat.price_range
    price = _cents(_lerp(lo, hi, tier**1.6))  # skewed: more affordable products than premium ones
    return Product(pid, cat, name, brand, price, features, quality, base, specs, options, _colors(cat, rng))


def _sync_specs_with_options(cat: Category, specs: dict[str, Any], options: list[Option]) -> None:
    """Specs describe the entry configuration (the cheapest variant)."""
    first = dict(options[0][0])
    if cat.name == "Backpacks":
        specs["capacity_l"] = int(first["capacity"].rstrip("L"))
    if "storage" in first:
        value = first["storage"]
        specs["storage_gb"] = 1024 if value == "1TB" else int(value.rstrip("GB"))
    if "ram" in first:
        specs["ram_gb"] = int(first["ram"].rstrip("GB"))


def _description(p: Product, text: CategoryText, rng: random.Random) -> str:
    context = {**p.specs, "brand": p.brand, "battery_days": round(p.specs.get("battery_life_hours", 0) / 24)}
    items = "".join(
        f"<li><strong>{html.escape(f)}:</strong> {html.escape(text.highlights[f].format_map(context))}</li>"
        for f in p.features
    )
    lead = html.escape(rng.choice(p.category.blurbs))
    colors = ", ".join(p.colors)
    return (
        f"<p>The <strong>{html.escape(p.name)}</strong> {lead}</p>"
        f"<ul>{items}</ul>"
        f"<p><em>Available in {html.escape(colors)}.</em> "
        f"Backed by a {p.specs['warranty_years']}-year warranty.</p>"
    )


# --------------------------------------------------------------------------------------------
# Reviews
# --------------------------------------------------------------------------------------------


def _rating(rng: random.Random, quality: float) -> int:
    x = quality + rng.gauss(0, 0.17)
    if x < 0.22:
        return 1
    if x < 0.37:
        return 2
    if x < 0.52:
        return 3
    if x < 0.7:
        return 4
    return 5


def _sentiment(rng: random.Random, rating: int) -> str:
    if rating >= 4:
        return "neutral" if rating == 4 and rng.random() < 0.07 else "positive"
    return "neutral" if rating == 3 else "negative"


def _fill(text: str, rng: random.Random, brand: str, uses: tuple[str, ...]) -> str:
    if "{" not in text:
        return text
    return text.format(months=rng.choice(MONTHS), km=rng.choice(KMS), brand=brand, use=rng.choice(uses))


def _review_text(
    rng: random.Random, text: CategoryText, feature: str | None, sentiment: str, p: Product
) -> str:
    core_pool = text.general[sentiment] if feature is None else text.reviews[feature][sentiment]
    parts = []
    if rng.random() < 0.55:
        parts.append(rng.choice(text.openers[sentiment]))
    parts.append(rng.choice(core_pool))
    if rng.random() < 0.5:
        parts.append(rng.choice(text.closers[sentiment]))
    return _fill(" ".join(parts), rng, p.brand, p.category.uses)


def _reviewer_names(rng: random.Random, count: int = 1500) -> list[str]:
    names = []
    for _ in range(count):
        first = rng.choice(FIRST_NAMES)
        style = rng.random()
        if style < 0.6:
            names.append(f"{first} {rng.choice(LETTERS)}.")
        elif style < 0.8:
            names.append(f"{first.lower()}_{rng.choice(LETTERS).lower()}")
        else:
            names.append(f"{rng.choice(HANDLE_WORDS)}_{first.lower()}{rng.randint(1, 99)}")
    return names


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _user_rows() -> Iterable[list[Any]]:
    for uid, p in enumerate(PERSONAS, start=1):
        yield [
            uid,
            p.first_name,
            p.last_name,
            p.city,
            p.gender,
            p.age,
            _dumps(list(p.hobbies)),
            f"{p.city}, {p.country}",
            _dumps(list(p.lifestyle)),
            _dumps(list(p.preferences)),
            f"/static/img/avatars/persona-{uid}.svg",
        ]


def _feature_rows() -> Iterable[list[Any]]:
    for fid, f in enumerate(FEATURES, start=1):
        yield [fid, f.name, _dumps(list(f.categories))]


class _Writers:
    """One csv.writer per output file, plus a row counter per file."""

    def __init__(self, out_dir: Path) -> None:
        self._files = {name: (out_dir / name).open("w", encoding="utf-8", newline="") for name in HEADERS}
        self.rows = {name: 0 for name in HEADERS}
        self._writers = {name: csv.writer(fh, lineterminator="\n") for name, fh in self._files.items()}
        for name, header in HEADERS.items():
            self._writers[name].writerow(header)

    def write(self, name: str, row: list[Any]) -> int:
        """Write a row that starts with its id; returns that id."""
        self._writers[name].writerow(row)
        self.rows[name] += 1
        return self.rows[name]

    def next_id(self, name: str) -> int:
        return self.rows[name] + 1

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()


def _write_product(
    w: _Writers,
    p: Product,
    text: CategoryText,
    feature_ids: dict[str, int],
    rng: random.Random,
    reviews: int,
    reviewers: list[str],
    dates: list[str],
) -> None:
    w.write(
        "products.csv",
        [
            p.id,
            p.name,
            p.category.name,
            _money(p.price_cents),
            p.brand,
            _description(p, text, rng),
            _dumps(p.specs),
        ],
    )
    for f in p.features:
        w.write("product_features.csv", [w.next_id("product_features.csv"), p.id, feature_ids[f]])
    w.write(
        "product_images.csv",
        [w.next_id("product_images.csv"), p.id, f"/static/img/categories/{p.category.slug}.svg"],
    )
    for color in p.colors:
        for extra, delta in p.options:
            stock = _stock(rng)
            vid = w.write(
                "variants.csv",
                [w.next_id("variants.csv"), p.id, _money(p.price_cents + delta), stock > 0, stock],
            )
            for attr, value in (("color", color), *extra):
                w.write(
                    "variant_attributes.csv", [w.next_id("variant_attributes.csv"), p.id, vid, attr, value]
                )
    for _ in range(reviews):
        feature = None if rng.random() < GENERAL_REVIEW_SHARE else rng.choice(p.features)
        rating = _rating(rng, p.base_quality if feature is None else p.quality[feature])
        sentiment = _sentiment(rng, rating)
        w.write(
            "product_reviews.csv",
            [
                w.next_id("product_reviews.csv"),
                p.id,
                rng.choice(reviewers),
                _review_text(rng, text, feature, sentiment, p),
                rating,
                "" if feature is None else feature_ids[feature],
                sentiment,
                rng.choice(dates),
            ],
        )


def generate_catalog(
    out_dir: Path,
    products: int = DEFAULT_PRODUCTS,
    seed: int = DEFAULT_SEED,
    reviews_per_product: int | None = None,
) -> dict[str, int]:
    """Write the eight seed CSV files into out_dir and return the row count per file name.

    reviews_per_product=None draws 8..32 reviews per product (about 20 on average).
    """
    if products < 1:
        raise ValueError("products must be at least 1")
    if reviews_per_product is not None and reviews_per_product < 0:
        raise ValueError("reviews_per_product must be >= 0")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    texts = {c.name: _category_text(c) for c in CATEGORIES}
    pools = {
        c.name: [f.name for f in FEATURES if c.name in f.categories and f.name not in c.core]
        for c in CATEGORIES
    }
    feature_ids = {f.name: i for i, f in enumerate(FEATURES, start=1)}
    dates = [(BASE_DATE + timedelta(days=d)).isoformat() for d in range(REVIEW_DAYS)]
    reviewers = _reviewer_names(rng)
    names: set[str] = set()

    w = _Writers(out_dir)
    try:
        for row in _user_rows():
            w.write("users.csv", row)
        for row in _feature_rows():
            w.write("features.csv", row)
        for pid in range(1, products + 1):
            cat = CATEGORIES[(pid - 1) % len(CATEGORIES)]  # round-robin keeps categories balanced
            product = _make_product(pid, cat, rng, pools[cat.name], names)
            count = (
                reviews_per_product
                if reviews_per_product is not None
                else rng.randint(*DEFAULT_REVIEWS_RANGE)
            )
            _write_product(w, product, texts[cat.name], feature_ids, rng, count, reviewers, dates)
    finally:
        w.close()
    return dict(w.rows)
