"""Offline memory extraction: deterministic rules that turn a shopper's message into third-person facts.

"I prefer black color and I'm looking for headphones under $200" becomes "Prefers black color",
"Looking for headphones" and "Budget under $200". Questions, greetings, requests to the shop, passing
moods and statements about other people give nothing. Every fact text goes through `facts.analyze`,
so these facts carry the same attributes as the ones an LLM extracts.
"""

from __future__ import annotations

import re

from agentic_shop.memory.facts import (
    COLOR_RE,
    Fact,
    analyze,
    color_phrase,
    find_colors,
    render_color_preference,
)

_I = re.IGNORECASE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Words the rules share -------------------------------------------------------------------------

_ADVERBS = _words(
    "only usually always also really mostly generally strongly definitely still often typically normally "
    "absolutely especially mainly primarily exclusively regularly sometimes rarely never"
)
_ADVERB_RE = "|".join(sorted(_ADVERBS))
# Verbs after which "and"/"but"/"," starts a new clause with an implied "I": "... and need X".
_BASE_VERBS = _words(
    "need want prefer like love hate dislike use wear have own enjoy trust buy value care commute hike fly "
    "don't dont can't cannot"
)
_THIRD_PERSON_VERBS = _words(
    "needs wants prefers likes loves hates dislikes uses wears has owns enjoys trusts buys values cares "
    "commutes hikes flies"
)
_SUBJECTS = frozenset({"i", "i'm", "im", "i've", "i'd", "i'll", "my"})
_IMPERATIVES = _words("show find recommend suggest compare give tell")

_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "be": "is", "am": "is"}
_UNCONJUGATED = _words(
    "can could will would should must might may shall used was had did went bought got made tried said"
)

# --- Whole sentences that carry no fact ------------------------------------------------------------

_WH_WORDS = _words("what which who where when why how")
_AUXILIARIES = _words("can could would will do does did is are should may has have am")
_ASKED_ABOUT = _words(
    "you it this that these those there the they we i he she your any anything something someone my"
)
_CHITCHAT = _words(
    "hi hello hey hiya yo there thanks thank you thx ty so much very a lot ok okay k cool great awesome nice "
    "perfect sure yes yeah yep no nope bye goodbye good morning afternoon evening night see later cheers "
    "alright fine got it sounds lol haha wow oh welcome"
)
_INTERJECTION = re.compile(r"^(?:ugh+|meh|sigh|argh+|oof|blah|bleh|yawn|ouch|hmm+)\b", _I)

# --- Clause-level filters ----------------------------------------------------------------------------

_FILLERS = re.compile(
    r"^(?:(?:actually|well|oh|so|um+|uh+|honestly|by the way|btw|and|but|anyway|anyways|plus|"
    r"hi there|hey there|hello there|hi|hello|hey|ok|okay|hmm+)(?=[\s,!.:;]|$)[\s,!.:;-]*)+",
    _I,
)
# "I prefer blue now": the change is the fact; "now" would only stop it matching later statements.
# ("right now" is different: it makes the need this visit's, see the session-scope rules.)
_NOW_END = re.compile(r"(?<!\bright)[\s,]+(?:now|these days|nowadays)$", _I)
_ADDITIVE_WORD = re.compile(r"\s*\balso\b", _I)
_ADDITIVE_END = re.compile(r"[\s,]*\b(?:too|as well)$", _I)
_AGAIN = re.compile(r"[\s,]*\bagain\b", _I)  # "I love red again": a reversal, which consolidation handles
_MOOD = re.compile(
    r"^(?:i(?:'m| am)\s+(?:feeling\s+)?(?:(?:so+|really|very|a bit|a little|kind of|kinda|pretty|super|"
    r"totally|just|quite|too|extremely)\s+)*(?:tired|bored|sad|happy|angry|mad|stressed|exhausted|sleepy|"
    r"hungry|great|good|fine|okay|ok|annoyed|frustrated|excited|sick|busy|upset|grumpy|cranky|down|awful|"
    r"terrible|meh|lonely|anxious|nervous|confused|curious|thirsty|sore|overwhelmed|done|late|"
    r"in a hurry|in a rush)\b|^i\s+feel\b|^feeling\b)",
    _I,
)
_BROWSING = re.compile(r"\bjust\s+(?:browsing|looking)(?:\s+around)?$", _I)
_OTHERS = re.compile(
    r"^(?:my|our)\s+(?:\w+\s+)?(?:sister|brother|mom|mum|mother|dad|father|wife|husband|partner|girlfriend|"
    r"boyfriend|friends?|sons?|daughters?|kids?|children|child|boss|colleagues?|coworkers?|family|parents|"
    r"grandma|grandmother|grandpa|grandfather|aunt|uncle|cousin|niece|nephew|neighbou?r|roommate|baby|"
    r"teenager|fianc[ée]e?)\b",
    _I,
)
_REQUEST = re.compile(
    r"^(?:(?:please|pls|just|now|then|don't|do not)\s+)*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?)?"
    r"(?:show|find|give|tell|compare|recommend|suggest|list|search|get me|help|send|add|remove|sort|filter|"
    r"display|check|let me|open|bring|pick|choose|look up|look at|browse|take me|go to|order|buy me)\b"
    r"|^i(?:'d| would| want)\s+(?:like\s+)?to\s+see\b",
    _I,
)
# Decisions about the current purchase: "I'll take it", "I'll think about it".
_DECISION = re.compile(
    r"^i(?:'ll| will)\s+(?:take|buy|get|think|go with|order|check|look|come back|pass)\b", _I
)
_SUBORDINATE = re.compile(r"^(?:when|whenever|if|while|because|since|once|before|after|as soon as)\b", _I)

# A time marker for "now": with a shopping intent the fact only holds for this visit, without one it
# is a passing mood ("I hate meetings today").
_NOW = re.compile(r",?\s*\b(?:today|tonight|right now|this time|for now|at the moment)\b,?", _I)
_SHOPPING = re.compile(
    r"\b(?:looking for|shopping for|searching for|need|needs|want|wants|would like|'d like|prefer|buy|"
    r"buying|get|getting|gift|present|budget|spend|order)\b|[$€£]\d",
    _I,
)
_GIFT = re.compile(r"\b(?:gift|present|birthday|anniversary|christmas)\b", _I)

# --- Standing instructions --------------------------------------------------------------------------

_WANTS_TO = {
    "show": "to see",
    "tell": "to know",
    "let": "to know",
    "mention": "to know",
    "notify": "to be notified",
    "alert": "to be alerted",
    "warn": "to be warned",
    "remind": "to be reminded",
    "check": "the shop to check",
    "include": "to see",
}
_TELL = r"(?P<verb>" + "|".join(_WANTS_TO) + r")\s+(?:me\s+)?(?:know\s+)?(?P<rest>.+)$"
_ALWAYS = re.compile(r"^(?:please\s+)?always\s+(?:please\s+)?" + _TELL, _I)
_TELL_ME = re.compile(r"^(?:please\s+)?" + _TELL, _I)
_WHENEVER = re.compile(r"^whenever\s+(?P<when>[^,]+),\s*(?:please\s+)?" + _TELL, _I)
_NEVER_SHOW = re.compile(
    r"^(?:please\s+)?never\s+(?:show|recommend|suggest|offer)\s+(?:me\s+)?(?P<rest>.+)$", _I
)

# --- Budgets ----------------------------------------------------------------------------------------

_AMT = (
    r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?k?\b|\d[\d,]*(?:\.\d+)?k?\s?(?:dollars|bucks|usd|euros?|eur|pounds|gbp)\b)"
)
_NUMBER = r"\b\d[\d,]*(?:\.\d+)?k?\b"  # an amount without currency counts only in a budget statement
_RANGE = re.compile(
    rf"(?:\b(?:between|from)\s+)?(?P<low>{_AMT}|\d[\d,]*)\s*(?:and|to|-|–|—)\s*(?P<high>{_AMT}|\d[\d,]*\b)",
    _I,
)
_BOUND = re.compile(
    r"\b(?P<bound>under|below|less than|no more than|not more than|up to|at most|max(?:imum)?(?: of)?|"
    r"within|around|about|roughly|approximately|over|above|more than|at least)\s+"
    rf"(?P<amount>{_AMT}|{_NUMBER})",
    _I,
)
_BARE_AMOUNT = re.compile(rf"(?P<amount>{_AMT}|{_NUMBER})", _I)
_BOUND_WORDS = {
    "below": "under", "less than": "under", "no more than": "under", "not more than": "under",
    "at most": "under", "max": "under", "maximum": "under", "max of": "under", "maximum of": "under",
    "within": "under", "about": "around", "roughly": "around", "approximately": "around",
    "above": "over", "more than": "over",
}  # fmt: skip
_BUDGET_CLAUSE = re.compile(
    r"^(?:(?:my|our|the)\s+)?(?:total\s+)?budget\b|^(?:my|our)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+budget\b|"
    rf"^i(?:'ve|\s+have)(?:\s+got)?\s+(?:a\s+)?(?:{_AMT}\s+)?budget\b|"
    r"^i\s+(?:can|could|want to|would like to|'d like to|"
    r"am willing to|'m willing to|plan to|don't want to|do not want to|can't|cannot|won't)\s+"
    rf"(?:spend|afford|pay)\b|^i\s+have\s+{_AMT}\s+to\s+spend\b|^.*\bis\s+my\s+(?:limit|max(?:imum)?|budget)$",
    _I,
)
_NEGATED = re.compile(r"\b(?:don't|do not|can't|cannot|won't|not)\b", _I)
_BUDGET_LEFTOVER = re.compile(
    r"[\s,]*(?:\b(?:with|and|for|at|priced|costing|costs?|that|which|is|of|budget|a|my)\b[\s,]*)*$", _I
)
# "My headphone budget is $150": the thing budgeted comes before the word budget.
_THING_BUDGET = re.compile(
    r"^(?:my|our)\s+(?!(?:total|overall|whole|entire|monthly|weekly|yearly|annual|max|maximum)\b)"
    r"(?P<thing>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+budget\b",
    _I,
)
_BUDGET_THING = re.compile(
    r"\b(?:for|on)\s+(?P<thing>(?:(?:a|an|the|my|new)\s+)*[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)"
    r"(?=\s+(?:is|are|was|would be|will be)\b|\s*,|\s*$)",
    _I,
)

# --- Rewriting to the third person ------------------------------------------------------------------

_FACT_VERBS = (
    "prefers|likes|loves|enjoys|trusts|wants|needs|values|dislikes|hates|avoids|is|has|wears|uses|owns|works|"
    "lives|runs|jogs|hikes|commutes|travels|flies|walks|cycles|swims|lifts|makes|plays|cooks|bakes|buys|shops|"
    "does|goes|trains|practices|watches|listens|reads|drives|spends|cares|never"
)
_FACTUAL = re.compile(
    rf"^(?:(?:{_ADVERB_RE})\s+)*(?:{_FACT_VERBS})\b"
    r"|^(?:interested in|looking for|shopping for|searching for|budget|shoe size|allergic to|no longer|"
    r"willing to|would like|would prefer|does not|doesn't|favou?rite|can't stand|cannot stand)\b"
    r"|^[a-z]+ing\s+(?:for|to|a|an|the|in|on|at|with|from|their)\b",
    _I,
)
_MATTERS_MORE = re.compile(
    r"^(?P<x>.+?)\s+(?:really\s+)?matters?\s+(?P<degree>more|most)\s+to\s+me(?:\s+than\s+(?P<y>.+))?$", _I
)
_VALUED = re.compile(
    r"^(?P<x>.+?)\s+(?:(?:really\s+|also\s+)?matters?\s+(?:a lot\s+)?to\s+me"
    r"|(?:is|are)\s+(?:really\s+|very\s+|super\s+|so\s+|extremely\s+)?important\s+to\s+me"
    r"|(?:is|are)\s+an?\s+(?:big\s+|huge\s+|nice\s+|real\s+|major\s+)?(?:plus|bonus|priority)\s+for\s+me)$"
    r"|^i\s+(?:really\s+)?care\s+(?:a lot\s+|deeply\s+|most\s+)?about\s+(?P<about>.+)$",
    _I,
)
_MUST = re.compile(
    r"^(?P<x>.+?)\s+(?:is|are)\s+(?:a\s+)?must(?:-have)?(?:\s+for\s+(?:me|my\s+(?P<y>.+)))?$", _I
)
_NO_LONGER = re.compile(
    r"^i\s+(?:(?:do not|don't|dont)\s+(?P<v1>like|love|want|need|prefer|use|wear)\s+(?P<x1>.+?)\s+any\s?more"
    r"|no longer\s+(?P<v2>like|love|want|need|prefer|use|wear)\s+(?P<x2>.+?)(?:\s+any\s?more)?"
    r"|(?:stopped|quit)\s+(?:liking|loving)\s+(?P<x3>.+))$"
    r"|^i'm\s+(?:not|no longer)\s+(?:a fan of|into)\s+(?P<x4>.+?)(?:\s+any\s?more)?$",
    _I,
)
_DISLIKE = re.compile(
    r"^i\s+(?:really\s+|just\s+|absolutely\s+)?(?:(?:do not|don't|dont)\s+(?:really\s+)?like|dislike|hate|"
    r"detest|can't stand|cannot stand|can not stand)\s+(?P<x>.+)$",
    _I,
)
_LIKE_COLORS = re.compile(
    r"^i\s+(?:really\s+|just\s+)?(?:like|love|prefer|adore)\s+(?:the\s+)?(?:colou?rs?\s+)?(?P<x>.+)$", _I
)
_FAVORITE = re.compile(r"^my\s+favou?rite\s+(?P<kind>colou?rs?|brands?)\s+(?:is|are)\s+(?P<x>.+)$", _I)
_MY_SIZE = re.compile(
    r"^my\s+(?:(?P<thing>shoe|dress|shirt|pants|jeans|ring|t-shirt|jacket)\s+)?size\s+is\s+(?P<x>.+)$", _I
)
_I_AM = re.compile(
    r"^i'm\s+(?:(?:also|still|currently|really|just|always|usually|now)\s+)*"
    r"(?:(?P<adjective>(?:interested|allergic|willing|sensitive|keen)\b.*)|(?P<ing>[a-z]+ing\b.*)|(?P<rest>.+))$",
    _I,
)
_I_HAVE = re.compile(r"^i've\s+(?:got\s+)?(?P<rest>.+)$", _I)
_I_WOULD = re.compile(r"^i(?:'d|\s+would)\s+(?P<rest>.+)$", _I)
_I_WILL = re.compile(r"^i(?:'ll|\s+will)\s+(?P<rest>.+)$", _I)
_I_DO_NOT = re.compile(r"^i\s+(?:do not|don't|dont)\s+(?P<rest>.+)$", _I)
_I_VERB = re.compile(rf"^i\s+(?P<adverbs>(?:(?:{_ADVERB_RE})\s+)*)(?P<verb>[a-z'-]+)(?P<rest>.*)$", _I)
_MODALS = {"can't": "Cannot", "cannot": "Cannot", "won't": "Will not", "didn't": "Did not"}
_COLOR_NOUNS = frozenset({"color", "colors", "colour", "colours", "one", "ones", "and", "or", "&", "/", ","})
_PRONOUNS = (
    (re.compile(r"\bI'm\b", _I), "they're"),
    (re.compile(r"\bI am\b", _I), "they are"),
    (re.compile(r"\bI was\b", _I), "they were"),
    (re.compile(r"\bI've\b", _I), "they've"),
    (re.compile(r"\bI'd\b", _I), "they'd"),
    (re.compile(r"\bI'll\b", _I), "they'll"),
    (re.compile(r"\bI\b", _I), "they"),
    (re.compile(r"\bmyself\b", _I), "themselves"),
    (re.compile(r"\bmine\b", _I), "theirs"),
    (re.compile(r"\bmy\b", _I), "their"),
    (re.compile(r"\bme\b", _I), "them"),
)
_PRONOUN_SUBJECTS = frozenset({"it", "this", "that", "these", "those", "them", "this one", "that one"})
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|mine|myself)\b", _I)


def extract(statement: str, *, known_brands: frozenset[str] = frozenset()) -> list[Fact]:
    """The facts one shopper message states about the shopper, in the order said, without duplicates."""
    facts: list[Fact] = []
    for sentence in _sentences(statement):
        body = _NOW_END.sub("", _FILLERS.sub("", sentence).rstrip(" .!"))
        if not body or _is_question(sentence, body) or _is_chitchat(sentence):
            continue
        clauses = [body] if _instruction(body) else _clauses(body)  # "whenever X, tell me Y" is one
        for clause in clauses:
            for fact in _clause_facts(clause, known_brands):
                if fact.subject in _PRONOUN_SUBJECTS:
                    continue  # "I like it": about whatever is on screen, nothing lasting about the shopper
                if all(fact.text != seen.text for seen in facts):
                    facts.append(fact)
    return facts


def _sentences(statement: str) -> list[str]:
    statement = statement.replace("’", "'").replace("‘", "'")
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+|[;\n]+", statement) if part.strip()]


def _is_question(sentence: str, body: str) -> bool:
    if sentence.endswith("?"):
        return True
    words = re.findall(r"[a-z']+", body.lower())
    if not words:
        return False
    first = words[0].split("'")[0]
    if first in _WH_WORDS:
        return re.search(r",\s*i\b", body, _I) is None  # "When I travel, I need ..." states a fact
    return first in _AUXILIARIES and len(words) > 1 and words[1] in _ASKED_ABOUT


def _is_chitchat(sentence: str) -> bool:
    words = re.findall(r"[a-z']+", sentence.lower())
    # "Ugh, mondays" is chitchat; "Hmm, I don't like black anymore" is not.
    interjection = bool(_INTERJECTION.match(sentence)) and not _FIRST_PERSON.search(sentence)
    return all(word in _CHITCHAT for word in words) or interjection


def _clauses(body: str) -> list[str]:
    """Split at "and"/"but"/"," only where a new subject or a verb with an implied "I" follows."""
    pieces, start, prefix = [], 0, ""
    for joint in re.finditer(r",\s*(?:(?:and|but)\s+)?|\s+(?:and|but)\s+", body, _I):
        opener = _clause_opener(body[joint.end() :])
        if opener is None:
            continue
        pieces.append(prefix + body[start : joint.start()])
        start, prefix = joint.end(), opener
    pieces.append(prefix + body[start:])
    if len(pieces) > 1 and _SUBORDINATE.match(pieces[0]):
        # "When I travel, I need X" -> "I need X when I travel"
        pieces[:2] = [f"{pieces[1]} {_lower_first(pieces[0])}"]
    return pieces


def _clause_opener(rest: str) -> str | None:
    """None when `rest` continues a noun phrase, else the subject to put in front of it ("" or "I ")."""
    words = re.findall(r"[\w']+", rest.lower())[:2]
    if not words:
        return None
    first, second = words[0], words[1] if len(words) > 1 else ""
    if first in _SUBJECTS or first in _THIRD_PERSON_VERBS or first in _IMPERATIVES:
        return ""
    if first in _BASE_VERBS:
        return "I "
    if first in _ADVERBS and second in _BASE_VERBS:
        return "I "
    if first in _ADVERBS and second in _THIRD_PERSON_VERBS:
        return ""
    return None


def _clause_facts(clause: str, known_brands: frozenset[str]) -> list[Fact]:
    clause, additive = _drop_additive(_FILLERS.sub("", clause).strip(" ,.!"))
    clause = re.sub(r"^i\s+am\b|^im\b", "I'm", clause, flags=_I)
    if not clause:
        return []
    instruction = _instruction(clause)
    if instruction:
        return [analyze(instruction, known_brands=known_brands)]
    if _is_noise(clause):
        return []
    now = _NOW.search(clause)
    shopping = _SHOPPING.search(clause)
    if now and not shopping:
        return []
    scope = "session" if now or (shopping and _GIFT.search(clause)) else "user"
    clause = _NOW.sub(" ", clause).strip(" ,") if now else clause
    budget, rest = _split_budget(clause)
    texts = [text for text in (_third_person(rest) if rest else None, budget) if text]
    return [
        analyze(_finish(text), scope=scope, additive=additive, known_brands=known_brands) for text in texts
    ]


def _drop_additive(clause: str) -> tuple[str, bool]:
    dropped = _ADDITIVE_END.sub("", _ADDITIVE_WORD.sub("", clause))
    return _AGAIN.sub("", dropped).strip(), dropped != clause


def _is_noise(clause: str) -> bool:
    """Moods, browsing, other people's tastes and requests to the shop are not the shopper's facts."""
    return any(pattern.search(clause) for pattern in (_MOOD, _BROWSING, _OTHERS, _REQUEST, _DECISION))


def _instruction(clause: str) -> str | None:
    """A standing instruction ("always show me if red is in stock") as "Always wants to see ..."."""
    match = _ALWAYS.match(clause) or _TELL_ME.match(clause)
    if match and (match.re is _ALWAYS or match["rest"].lower().startswith("whenever")):
        return f"Always wants {_WANTS_TO[match['verb'].lower()]} {_swap_pronouns(match['rest'])}"
    match = _WHENEVER.match(clause)
    if match:
        wanted = f"{_WANTS_TO[match['verb'].lower()]} {match['rest']} when {match['when']}"
        return f"Always wants {_swap_pronouns(wanted)}"
    match = _NEVER_SHOW.match(clause)
    if match:
        return f"Never wants to see {_swap_pronouns(match['rest'])}"
    return None


def _split_budget(clause: str) -> tuple[str | None, str | None]:
    """(the budget fact, what is left of the clause): a budget phrase becomes a fact of its own."""
    found = _find_budget(clause)
    if not found:
        return None, clause
    phrase, span = found
    if _BUDGET_CLAUSE.match(clause):
        remainder = clause[: span[0]] + clause[span[1] :]
        thing = _THING_BUDGET.match(remainder) or _BUDGET_THING.search(remainder)
        suffix = f" for {_swap_pronouns(thing['thing'])}" if thing else ""
        return f"Budget {phrase}{suffix}", None
    before = _BUDGET_LEFTOVER.sub("", clause[: span[0]])
    rest = " ".join(f"{before} {clause[span[1] :]}".split()).strip(" ,")
    return f"Budget {phrase}", rest or None


def _find_budget(clause: str) -> tuple[str, tuple[int, int]] | None:
    for match in _RANGE.finditer(clause):
        low, high = match["low"], match["high"]
        symbol = next((s for s in "$€£" if s in low + high), None) or _symbol(high) or _symbol(low)
        if symbol:
            return f"{_money(low, symbol)}–{_money(high, symbol)}", match.span()
    stated = bool(_BUDGET_CLAUSE.match(clause) or re.search(r"\bbudget\b", clause, _I))
    match = next((m for m in _BOUND.finditer(clause) if stated or _has_currency(m["amount"])), None)
    if match:
        bound = match["bound"].lower()
        bound = _BOUND_WORDS.get(bound, bound)
        if bound == "over" and _NEGATED.search(clause[: match.start()]):
            bound = "under"  # "I don't want to spend more than $100"
        return f"{bound} {_money(match['amount'])}", match.span()
    match = _BARE_AMOUNT.search(clause) if stated else None
    return (_money(match["amount"]), match.span()) if match else None


def _has_currency(amount: str) -> bool:
    return amount[0] in "$€£" or _symbol(amount) is not None


def _symbol(amount: str) -> str | None:
    """The currency a spelled-out amount names ("300 dollars" -> "$"), None for a bare number."""
    word = re.search(r"(dollars|bucks|usd|euros?|eur|pounds|gbp)$", amount, _I)
    if not word:
        return None
    return {"e": "€", "p": "£", "g": "£"}.get(word[1][0].lower(), "$")


def _money(amount: str, symbol: str | None = None) -> str:
    """An amount as "$1,500" (the user's digits and separators, the currency symbol in front)."""
    amount = amount.strip()
    if amount[0] in "$€£":
        return amount[0] + amount[1:].strip()
    number = re.match(r"\d[\d,]*(?:\.\d+)?k?", amount, _I)[0]
    return f"{_symbol(amount) or symbol or '$'}{number}"


def _third_person(clause: str) -> str | None:
    """The clause as a third-person fact, or None when it says nothing about the shopper."""
    if _FACTUAL.match(clause):
        return _swap_pronouns(clause)
    clause = re.sub(r"^(i|i'm)\s+just\s+", r"\1 ", clause, flags=_I)  # "I just need X" -> "Needs X"
    for rule in (_valued, _reversal, _preference, _mine, _subject_verb):
        text = rule(clause)
        if text:
            return text
    if _FIRST_PERSON.search(clause):
        return _swap_pronouns(clause)  # "Deep bass keeps me motivated" -> "Deep bass keeps them motivated"
    return None


def _valued(clause: str) -> str | None:
    """ "X matters more to me than Y", "X is important to me", "X is a must" -> "Values X ..."/"Needs X"."""
    match = _MATTERS_MORE.match(clause)
    if match:
        than = f" than {match['y']}" if match["y"] else ""
        return _swap_pronouns(f"Values {_lower_first(match['x'])} {match['degree'].lower()}{than}")
    match = _VALUED.match(clause)
    if match:
        return _swap_pronouns(f"Values {_lower_first(match['x'] or match['about'])}")
    match = _MUST.match(clause)
    if match:
        purpose = f" for their {match['y']}" if match["y"] else ""
        return _swap_pronouns(f"Needs {_lower_first(match['x'])}{purpose}")
    return None


def _reversal(clause: str) -> str | None:
    """ "I don't like red anymore" -> "No longer likes red color"; "I hate X" -> "Dislikes X"."""
    match = _NO_LONGER.match(clause)
    if match:
        verb = _conjugate((match["v1"] or match["v2"] or "like").lower())
        return f"No longer {verb} {_colors_or(match['x1'] or match['x2'] or match['x3'] or match['x4'])}"
    match = _DISLIKE.match(clause)
    if match:
        return f"Dislikes {_colors_or(match['x'])}"
    return None


def _preference(clause: str) -> str | None:
    """Liking nothing but colors is the canonical color preference: "I love red" -> "Prefers red color"."""
    match = _LIKE_COLORS.match(clause)
    colors = _color_list(match["x"]) if match else ()
    if colors:
        return render_color_preference(colors)
    match = _FAVORITE.match(clause)
    if match and match["kind"].lower().startswith("brand"):
        return f"Prefers {match['x']}"
    colors = _color_list(match["x"]) if match else ()
    return render_color_preference(colors) if colors else None


def _mine(clause: str) -> str | None:
    """Sentences about "my size" and "I'm ...": "My shoe size is 42" -> "Shoe size 42"."""
    match = _MY_SIZE.match(clause)
    if match:
        return (
            f"{match['thing'].capitalize()} size {match['x']}"
            if match["thing"]
            else f"Wears size {match['x']}"
        )
    match = _I_AM.match(clause)
    if match:
        return _swap_pronouns(match["adjective"] or match["ing"] or f"Is {match['rest']}")
    return None


def _subject_verb(clause: str) -> str | None:
    """ "I <adverbs> <verb> X" -> "<Adverbs> <verb>s X", for the verbs and contractions left."""
    for pattern, replacement in (
        (_I_HAVE, "Has"),
        (_I_WOULD, "Would"),
        (_I_WILL, "Will"),
        (_I_DO_NOT, "Does not"),
    ):
        match = pattern.match(clause)
        if match:
            return _swap_pronouns(f"{replacement} {match['rest']}")
    match = _I_VERB.match(clause)
    if not match:
        return None
    verb = match["verb"].lower()
    verb = _MODALS.get(verb) or _conjugate(verb)
    return _swap_pronouns(f"{match['adverbs']}{verb}{match['rest']}")


def _conjugate(verb: str) -> str:
    """Third person singular: go -> goes, fly -> flies, watch -> watches, need -> needs."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb in _UNCONJUGATED or (verb.endswith("ed") and not verb.endswith("eed")):
        return verb
    if re.search(r"(?:s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def _color_list(phrase: str) -> tuple[str, ...]:
    """The colors of a phrase that is only a list of colors ("pink and white colors"), else ()."""
    rest = re.findall(r"[\w&/-]+|,", COLOR_RE.sub(" ", phrase.lower()))
    colors = find_colors(phrase)
    return colors if colors and all(word in _COLOR_NOUNS for word in rest) else ()


def _colors_or(phrase: str) -> str:
    """A phrase of colors in canonical form ("red" -> "red color"), anything else in the third person."""
    colors = _color_list(phrase)
    return color_phrase(colors) if colors else _swap_pronouns(phrase)


def _swap_pronouns(text: str) -> str:
    for pattern, replacement in _PRONOUNS:
        text = pattern.sub(replacement, text)
    return text


def _lower_first(text: str) -> str:
    """ "Lightweight gear" -> "lightweight gear", but acronyms stay ("ANC", "USB-C")."""
    first = text.split(maxsplit=1)[0]
    return text[0].lower() + text[1:] if first in {"A", "An", "The"} or first[1:].islower() else text


def _finish(text: str) -> str:
    text = " ".join(text.split()).strip(" ,.;:!")
    return text[0].upper() + text[1:]
