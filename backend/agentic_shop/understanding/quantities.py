"""Prices and sizes in shopper language: "$30", "30 bucks", "1.5k", "between 300 and 500 dollars",
"no more than €80"; "US 10", "size 9.5", "an M", "42mm". Number grammar, not phrasings: which of
them a message *means* as a budget or a filter is the model's call (see `engine`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

_CURRENCY_WORDS = ("dollars", "dollar", "bucks", "usd", "euros", "euro", "eur", "pounds", "quid", "gbp")
_CURRENCY_WORD = rf"(?:{'|'.join(_CURRENCY_WORDS)})"
_NUM = r"\d[\d,]*(?:\.\d+)?"
_MONEY = rf"(?:[$€£]\s?{_NUM}\s?k?\b|{_NUM}\s?k\b|{_NUM}\s?{_CURRENCY_WORD}\b)"
# A bare number counts as money after a bound word ("under 100"), unless a unit follows ("under 300 g").
_UNIT = r"(?:\s?(?:mm|cm|m|g|kg|gb|tb|mb|hours?|hrs?|h|mins?|minutes?|inch(?:es)?|in|lbs?|oz|w|mah|hz|x)\b)"
_AMOUNT = rf"(?:{_MONEY}|\b{_NUM}\b(?!{_UNIT}|\.\d|%))"

_RANGE = re.compile(
    rf"(?:\b(?:between|from)\s+)?(?P<low>{_MONEY}|\b{_NUM})\s*(?:and|to|-|–|—)\s*(?P<high>{_MONEY}|{_NUM}\b)",
    _I,
)
_BOUND = re.compile(
    r"\b(?P<bound>under|below|beneath|less than|lower than|cheaper than|no more than|not more than|"
    r"nothing over|nothing above|not over|up to|upto|at most|max(?:imum)?(?: of)?|tops|within|around|about|"
    r"roughly|approximately|approx|~|over|above|more than|at least|min(?:imum)?(?: of)?|"
    r"budget(?: is| of|:)?|spend|pay|afford|is|of|for)\s*"
    rf"(?P<amount>{_AMOUNT})",
    _I,
)
_LOOSE_MONEY = re.compile(_MONEY, _I)
_BOUND_WORDS = {
    "below": "under", "beneath": "under", "less than": "under", "lower than": "under",
    "cheaper than": "under", "no more than": "under", "not more than": "under", "nothing over": "under",
    "nothing above": "under", "not over": "under", "up to": "under", "upto": "under", "at most": "under",
    "max": "under", "maximum": "under", "max of": "under", "maximum of": "under", "tops": "under",
    "within": "under", "about": "around", "roughly": "around", "approximately": "around",
    "approx": "around", "~": "around", "above": "over", "more than": "over", "at least": "over",
    "min": "over", "minimum": "over", "min of": "over", "minimum of": "over",
}  # fmt: skip
_AMBIGUOUS_BOUNDS = frozenset(
    {"budget", "budget is", "budget of", "budget:", "spend", "pay", "afford", "is", "of", "for"}
)
# A bare number after "is", "of", "for" is an amount only where a budget is spoken of.
_BUDGET = re.compile(r"\b(?:budget|limit)\b", _I)
_NEGATED = re.compile(r"\b(?:don't|do not|dont|can't|cannot|won't|not|never|nothing)\b[^.]*$", _I)
_NUMBER_THEN_TOPS = re.compile(rf"\b{_NUM}(?=\s*(?:tops|max|or less|or under)\b)", _I)
_TOPS_AFTER = re.compile(r"^\s*(?:tops|max|maximum|at most|or less|or under)\b", _I)


@dataclass(frozen=True)
class Price:
    """A price or budget: `low`/`high` in the currency's units; one of them None for a one-sided bound."""

    bound: str  # "under", "around", "over" or "between"
    low: float | None
    high: float | None
    symbol: str  # "$", "€" or "£"
    span: tuple[int, int]  # where the message says it

    @property
    def max_price(self) -> float | None:
        return self.high if self.bound in ("under", "around", "between") else None

    @property
    def min_price(self) -> float | None:
        return self.low if self.bound in ("over", "between") else None

    @property
    def values(self) -> tuple[str, ...]:
        """The amounts as digits, low first ("300", "500")."""
        return tuple(_digits(a) for a in (self.low, self.high) if a is not None)

    def phrase(self) -> str:
        """ "under $150", "around $200", "over $100", "$300–$500" (with the stated currency)."""
        if self.bound == "between":
            return f"{self.money(self.low)}–{self.money(self.high)}"
        return f"{self.bound} {self.money(self.high if self.high is not None else self.low)}"

    def money(self, amount: float | None) -> str:
        return f"{self.symbol}{amount:,.2f}".removesuffix(".00")


_UNIT_WORDS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
_TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS = {word: value for value, word in enumerate(_UNIT_WORDS)} | {
    word: 10 * (i + 2) for i, word in enumerate(_TENS_WORDS)
}
_SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000}
# Words the price grammar reads: never "corrected" into catalog words ("quid" is not "quit").
AMOUNT_WORDS = frozenset((*_NUMBER_WORDS, *_SCALES, *_CURRENCY_WORDS))
_NUMBER_WORD = rf"(?:{'|'.join((*_NUMBER_WORDS, *_SCALES))})"
# A run of number words ("two hundred and fifty", "seventy-five", "a grand"); "a"/"an" only before a
# scale, "and" only after one ("one and two" stays two numbers).
_AFTER_SCALE = rf"(?:{'|'.join(f'(?<={scale})' for scale in _SCALES)})"
_SPELLED = re.compile(
    rf"\b(?:{_NUMBER_WORD}|an?(?=\s+(?:{'|'.join(_SCALES)})\b))"
    rf"(?:(?:{_AFTER_SCALE}\s+and\s+|[\s-]+){_NUMBER_WORD})*\b",
    _I,
)


def _spelled_values(words: list[str]) -> list[int]:
    """The numbers a run of number words says: ["two", "hundred", "fifty"] -> [250]. A second
    "hundred" in one number starts the next ("three hundred and five hundred" -> [300, 500])."""
    numbers: list[int] = []
    total = current = since_scale = 0
    for word in words:
        if word == "hundred" and current - since_scale >= 100:
            numbers.append(total + current - since_scale)
            total, current = 0, since_scale
        if word in _SCALES:
            current = (current or 1) * _SCALES[word]
            if _SCALES[word] == 1000:
                total, current = total + current, 0
            since_scale = 0
        else:  # a number word, or "a"/"an" before a scale
            value = _NUMBER_WORDS.get(word, 1)
            current += value
            since_scale += value
    return [*numbers, total + current]


# Rewritten to digits before the price patterns run: "2 grand", "two hundred and fifty", "a grand".
_IN_WORDS = re.compile(rf"\b(?P<digits>\d+(?:\.\d+)?)\s?(?:grand|thousand)\b|{_SPELLED.pattern}", _I)


def _digits_for_words(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """ "under a hundred" -> "under 100", "two hundred and fifty" -> "250", "seventy-five bucks" ->
    "75 bucks"; thousands as "k", money in any context like "1.5k": "a grand" -> "1k". Also where each
    rewrite sits, (start, end) in the text as given, then in the rewritten text."""
    out: list[str] = []
    rewrites: list[tuple[int, int, int, int]] = []
    last = length = 0
    for match in _IN_WORDS.finditer(text):
        if match["digits"]:
            digits = f"{match['digits']}k"
        else:
            words = [w for w in re.split(r"[\s-]+", match[0].lower()) if w != "and"]
            thousands = "thousand" in words or "grand" in words
            digits = " and ".join(
                f"{value / 1000:g}k" if thousands else str(value) for value in _spelled_values(words)
            )
        out.append(text[last : match.start()])
        length += match.start() - last
        rewrites.append((match.start(), match.end(), length, length + len(digits)))
        out.append(digits)
        length += len(digits)
        last = match.end()
    out.append(text[last:])
    return "".join(out), rewrites


def _as_given(position: int, rewrites: list[tuple[int, int, int, int]], *, start: bool) -> int:
    """A position in the rewritten text, in the text as given (a rewritten number maps whole)."""
    shift = 0
    for given_start, given_end, new_start, new_end in rewrites:
        if position <= new_start:
            break
        if position < new_end:
            return given_start if start else given_end
        shift += (new_end - new_start) - (given_end - given_start)
    return position - shift


_LONG_NUMBER = re.compile(r"[\d,.]{13,}")


def find_price(text: str) -> Price | None:
    """The first price a message states, with its bound, and where the text as given says it; a bare
    number only after a bound word. Amounts in words count ("about eighty", "a grand")."""
    # No price has 13 digits; a pasted run of thousands would make the patterns below backtrack for
    # seconds. Masked letter for digit, the spans stay those of the text as given.
    text = _LONG_NUMBER.sub(lambda match: "x" * len(match[0]), text)
    spelled, rewrites = _digits_for_words(text)
    price = _find_price(spelled)
    if price is None or not rewrites:
        return price
    low, high = price.span
    span = (_as_given(low, rewrites, start=True), _as_given(high, rewrites, start=False))
    return Price(price.bound, price.low, price.high, price.symbol, span)


def _find_price(text: str) -> Price | None:
    for match in _RANGE.finditer(text):
        low, high = match["low"], match["high"]
        if _is_money(low) or _is_money(high) or re.search(r"\bbetween\b", match[0], _I):
            low_v, high_v = _amount(low), _amount(high)
            if high_v is not None and low_v is not None and high_v > low_v:
                return Price("between", low_v, high_v, _symbol(low + high), match.span())
    for match in _BOUND.finditer(text):
        raw = match["bound"].lower()
        amount = _amount(match["amount"])
        unclear = amount is None or (raw in _AMBIGUOUS_BOUNDS and not _is_money(match["amount"]))
        if unclear and (raw not in _AMBIGUOUS_BOUNDS or not _BUDGET.search(text)):
            continue
        bound = _BOUND_WORDS.get(raw, raw)
        if bound not in ("under", "around", "over"):
            bound = "under"  # "my budget is $150", "I can spend 200": a ceiling
        if bound == "over" and _NEGATED.search(text[: match.start()]):
            bound = "under"  # "I don't want to spend more than $100", "nothing over $50"
        if _TOPS_AFTER.match(text[match.end() :]):
            bound = "under"
        low, high = (amount, None) if bound == "over" else (None, amount)
        return Price(bound, low, high, _symbol(match["amount"]), match.span())
    match = _LOOSE_MONEY.search(text) or _NUMBER_THEN_TOPS.search(text)
    if match:
        amount = _amount(match[0])
        return Price("under", None, amount, _symbol(match[0]), match.span()) if amount else None
    return None


def _is_money(amount: str) -> bool:
    return bool(re.search(rf"[$€£]|\d\s?k\b|{_CURRENCY_WORD}", amount, _I))


def _amount(amount: str) -> float | None:
    number = re.search(_NUM, amount)
    if not number:
        return None
    value = float(number[0].replace(",", ""))
    if re.search(r"\d\s?k\b", amount, _I):
        value *= 1000
    return value if value > 0 else None


def _symbol(amount: str) -> str:
    if "€" in amount or re.search(r"\beuros?\b|\beur\b", amount, _I):
        return "€"
    if "£" in amount or re.search(r"\b(?:pounds|quid|gbp)\b", amount, _I):
        return "£"
    return "$"


def _digits(amount: float) -> str:
    return f"{amount:.2f}".removesuffix(".00")


# --- Sizes ---------------------------------------------------------------------------------------

_LETTER = r"(?:xxxl|xxl|xl|xxs|xs|s|m|l|small|medium|large|x-large)"
_NOT_A_SIZE = (
    r"(?![-\w]|\.\d|\s?(?:[$€£%]|mm|inch|in\b|\"|gb|tb|hours?|hrs?|mins?|minutes?|days?|weeks?|months?|"
    r"years?|times|cups?|kg|km|miles?|dollars|bucks|euros?|quid|pounds|grand))"
)
_SIZE_PATTERNS = (
    # A change of size: the one it changed to ("gone from a men's 10 to a 10.5").
    re.compile(
        rf"\bfrom\b[^.;]*?\bto\s+(?:an?\s+)?(?:us\s+|uk\s+|eu\s+|men'?s\s+|women'?s\s+)?"
        rf"(?P<v>\d{{1,2}}(?:\.5)?|{_LETTER}){_NOT_A_SIZE}",
        _I,
    ),
    re.compile(rf"\bsize\s*(?:is\s+)?(?:an?\s+)?(?:us|uk|eu)?\s*(?P<v>\d{{1,2}}(?:\.5)?|{_LETTER})\b", _I),
    re.compile(r"\b(?:us|uk|eu|men'?s|women'?s|mens|womens)\s*(?:size\s*)?(?P<v>\d{1,2}(?:\.5)?)\b", _I),
    re.compile(r"\bin an?\s+(?P<v>\d{1,2}(?:\.5)?)\b(?!\.\d|\s?(?:mm|inch|in\b|\"|gb|tb|hours?|cups?))", _I),
    re.compile(r"\b(?P<v>\d{2})\s?mm\b", _I),
    re.compile(r"\b(?P<v>xxxl|xxl|xl|xs|xxs|small|medium|large|x-large)\s+(?:size|strap|band)s?\b", _I),
    # "my feet are a 12", "runners are always a 9", "im a medium"
    re.compile(
        rf"\b(?:(?:i'm|im|am|are|is)\s+(?:always\s+|usually\s+)?an?\s+(?P<v>\d{{1,2}}(?:\.5)?)"
        rf"|(?:i'm|im|am)\s+(?:always\s+|usually\s+)?an?\s+(?P<w>small|medium|large)){_NOT_A_SIZE}",
        _I,
    ),
    re.compile(r"\b(?:an?|in|wear|wears|take|takes)\s+(?P<v>xxxl|xxl|xl|xs|xxs|m|l|s)\b(?![\w'-])", _I),
    re.compile(r"\b(?P<v>xxxl|xxl|xl|xs|xxs)\b", _I),
    re.compile(
        rf"\b(?:wear|wears|take|takes|i'm|im|am)\s+(?:an?\s+)?(?P<v>\d{{1,2}}(?:\.5)?){_NOT_A_SIZE}", _I
    ),
)
_LETTER_NAMES = {"small": "S", "medium": "M", "large": "L", "x-large": "XL"}


def find_size(text: str) -> str | None:
    """A clothing, shoe or watch size: "10", "9.5", "M", "42mm"."""
    for pattern in _SIZE_PATTERNS:
        match = pattern.search(text)
        if match:
            value = next(v for v in match.groupdict().values() if v)
            if "mm" in match[0].lower() and value.isdigit():
                return f"{value}mm"
            return _LETTER_NAMES.get(value.lower(), value.upper() if value.isalpha() else value)
    return None


_WRITTEN_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def amounts(text: str) -> set[float]:
    """Every amount the text states: the price it names (in digits or words, "1.5k", "eighty quid")
    and each number written in it."""
    found = {float(n) for n in _WRITTEN_NUMBER.findall(text.replace(",", ""))}
    price = find_price(text)
    if price is not None:
        found |= {v for v in (price.low, price.high) if v is not None}
    return found
