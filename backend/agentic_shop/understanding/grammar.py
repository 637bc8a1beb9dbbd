"""The grammar of shopper statements: sentences and clauses, and a clause rewritten as a third-person
fact ("I commute two hours a day by train" -> "Commutes two hours a day by train"). Which clauses state
a fact, and of what kind, is the model's call (see `engine`); this module only rewrites.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentic_shop.understanding.facts import color_phrase, render_color_preference
from agentic_shop.understanding.lexicon import COLOR_RE, find_colors

_I = re.IGNORECASE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
_SUBORDINATE = re.compile(r"^(?:when|whenever|if|while|because|since|once|before|after|as soon as)\b", _I)

# A time marker for "now": with a shopping intent the fact only holds for this visit, without one it
# is a passing mood ("I hate meetings today").
_NOW = re.compile(r",?\s*\b(?:today|tonight|right now|this time|for now|at the moment)\b,?", _I)
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


def _sentences(statement: str) -> list[str]:
    statement = statement.replace("’", "'").replace("‘", "'")
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+|[;\n]+", statement) if part.strip()]


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


def _drop_additive(clause: str) -> tuple[str, bool]:
    dropped = _ADDITIVE_END.sub("", _ADDITIVE_WORD.sub("", clause))
    return _AGAIN.sub("", dropped).strip(), dropped != clause


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
    if re.search(r"[^su]s$", verb):
        return verb  # already conjugated: "I prefers black color" (the AgenticShop personas write so)
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


# --- What the engine calls ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    text: str  # as said, without fillers ("actually", "hmm"), a final "now" or "also"/"too"
    additive: bool  # "I also like blue": merge with what is remembered instead of replacing it


def clauses(message: str) -> list[Clause]:
    """The message's clauses: split at sentences, and at "and"/"but"/"," where a new subject or a verb
    with an implied "I" follows ("I commute by train and need noise cancellation" is two)."""
    found: list[Clause] = []
    for sentence in _sentences(message):
        asked = "?" if sentence.rstrip().endswith("?") else ""  # kept: the model reads questions as such
        body = _NOW_END.sub("", _FILLERS.sub("", sentence).rstrip(" .!?"))
        if not body:
            continue
        for piece in [body] if _instruction(body) else _clauses(body):
            piece, additive = _drop_additive(_FILLERS.sub("", piece).strip(" ,.!?"))
            piece = re.sub(r"^i\s+am\b|^im\b", "I'm", piece, flags=_I)
            if piece:
                found.append(Clause(piece + asked, additive))
    return found


def third_person(clause: str) -> str:
    """The clause as a short third-person fact, for the kinds of facts said in the shopper's own words:
    "I'm training for a marathon this fall" -> "Training for a marathon this fall"."""
    clause = clause.rstrip("?")
    instruction = _instruction(clause)
    if instruction:
        return _finish(instruction)
    clause = _NOW.sub(" ", clause).strip(" ,") or clause
    if clause.split(maxsplit=1)[0].casefold() in _BASE_VERBS:
        clause = f"I {clause}"  # "need a backpack for trekking": the "I" went unsaid
    return _finish(_third_person(clause) or _swap_pronouns(clause))


def subject(fact_text: str) -> str:
    """The object of a like or dislike, for reversals: "Dislikes bulky headphones" -> "bulky headphones"."""
    match = _OBJECT.match(fact_text)
    return normalize_subject(match["object"]) if match else ""


_OBJECT = re.compile(
    r"^(?:(?:only|usually|always|also|really|mostly|strongly|still|no longer)\s+)*"
    r"(?:prefers|would prefer|likes|loves|enjoys|trusts|wants|needs|values|is interested in|interested in|"
    r"looking for|is a fan of|fan of|"
    r"adores|dislikes|hates|avoids|does not like|doesn't like|does not want|doesn't want|no longer likes|"
    r"never buys|can't stand|cannot stand|is not a fan of|detests)\s+(?P<object>.+)$",
    _I,
)
_ARTICLES = re.compile(r"\b(?:a|an|the)\b")


def normalize_subject(phrase: str) -> str:
    """Lowercase, without articles and punctuation (inner hyphens stay): "the Red color." -> "red color"."""
    phrase = re.sub(r"[^\w\s$-]|(?<!\w)-|-(?!\w)", " ", phrase.casefold())
    phrase = re.sub(r"\s+any ?more$", "", phrase)
    return " ".join(_ARTICLES.sub(" ", phrase).split())


# Said by the shopper about themselves: "I", "my", "we"... (quotes of others are the caller's to strip).
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|mine|we|our|ours)\b")


def first_person(text: str) -> bool:
    return _FIRST_PERSON.search(text) is not None


def mentions(text: str, value: str) -> bool:
    """Whether `text` says `value` as a word of its own ("M" in "size M", not in "Maya")."""
    return re.search(rf"(?<!\w){re.escape(value.strip())}(?!\w)", text, _I) is not None
