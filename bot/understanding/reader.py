"""Read a message: which findings it mentions, and whether each is present, absent or hedged.

Phrases of ``findings.yaml`` are found clause by clause (typos corrected); frames add pain tied
to an activity, changes in training load and how long it has hurt. Each mention then gets an
assertion from the cues of ``language.yaml`` (see :mod:`bot.understanding.assertion`); location
findings need a word for pain near them; implications fill in what the findings heard entail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from bot.knowledge.model import Becomes, CueDirection, CueMeaning
from bot.understanding.assertion import (
    Assertion,
    CueAt,
    Verdict,
    assess,
    find_cues,
    strongest,
)
from bot.understanding.frames import FrameHit, PairHit, spans
from bot.understanding.language import Cue, Language
from bot.understanding.lexicon import FILLERS, IDIOM, Lexicon, Pattern
from bot.understanding.normalize import (
    Clause,
    asks_of_itself,
    normalize_text,
    split_interview,
    split_normalized,
    tokenize,
    without_interview_labels,
)

MAX_AGE = 110
ADULT_AGE = 16
OLDER_AGE = 45
UNDER_16 = "age_under_16"
OVER_45 = "age_45_plus"
MAX_FILLER_GAP = 2
CLOSED_OPENINGS = frozenset({"no"})
"""First words of a phrase after which no filler may be skipped: a word between them starts
another clause ("No I can stand on it" is not "no can stand")."""
UNPAINED = "location without pain"
ANSWERED = "answered "
NORMAL_FROM = 35.0
"""Below this many degrees Celsius a number after "temp" is no body temperature."""
FAHRENHEIT_FROM = 50.0
_READING = re.compile(
    r"\b(?:temp|temperature|fever|thermometer)(?:(?!\b(?:am|aged?)\b)[^\d.!;]){0,16}?"
    r"\b(\d{2,3}(?:\.\d)?)\b(?!\s*(?:days?|weeks?|k|km|miles?|years?|yrs?|yo)\b)"
)
"""A temperature told after the word for it, in the same sentence ("temp of 39.4"); not an
age ("I haven't got a fever. I'm 39", "no fever and I am 39")."""
_BARE_READING = re.compile(
    r"\b(?:had|have|got|hit|was|of|at|running|reading)\s+"
    r"(?:((?:3[5-9]|4[0-2])\.\d)(?:\s*(?:°|degrees|deg|c)\b"
    r"|(?=\s+(?:yesterday|today|last|this|since|and|but)\b|\s*[,.]|$))"
    r"|(10[0-5](?:\.\d)?)\s*(?:°|degrees|deg|f)\b)"
    r"|\b(?:hot|burning up|boiling),?\s+(10[0-5](?:\.\d)?)\b"
)
"""A temperature told as a number alone, with a decimal ("had 38.5 yesterday")."""
TOPIC_ONLY = "topic word, not denied"
LOAD_PAIN_REACH = 3
"""How near a word for pain keeps a load's word an activity that hurts ("achin on runs")."""
ECHO_WORDS = 6
"""The most words of a clause that echoes the one before ("redness too")."""
LIST_ITEM_WORDS = 8
ANY_ITEM = "any"
"""A list item opening with it carries the denial before it even when it names a pain: "I don't
have: any fever, any groin pain"."""
TOPIC_WORDS = 4
LABEL_WORDS = 5
"""A clause this short that ends in a bare yes or no is a label and its answer: "warm to
touch: no"."""
"""A clause this short, then a bare yes or no, is a topic with its answer: "numbness, no"."""
PROXY_SENTENCES = 2
"""How many sentences a message that tells of a relative's hip needs to be written for them."""
WRITER_PART_REACH = 3
"""How far before a body part "my" may stand to make it the writer's: "my own lower back"."""
LONGEST_ANSWER = 6
"""The most words a reply's opening yes or no is looked up in ("not that I have noticed")."""
TOPIC_DETERMINERS = frozenset({"the", "my", "any"})
"""A topic that opens with one of these may be a word longer: "the outside of the knee, no"."""
PREDICATE_WORDS = frozenset(
    {"is", "are", "was", "were", "feels", "feel", "gets", "got", "has", "have", "had"}
)
"""A list item is a noun phrase; with one of these it says something of its own."""
SUBJECT_WORDS = frozenset(
    {"i", "it", "my", "there", "the", "this", "mine", "me", "that", "he", "she", "we", "they",
     "its", "now", "just", "only", "which", "am", "is", "was", "more", "rather", "mainly",
     "mostly", "instead", "actually", "really", "but", "though"}
)  # fmt: skip
TOPIC_REACH = 2
CLOSING_REACH = 3
ASKED_REACH = 2
"""How many sentences back a denial may answer the runner's own question."""
FLIPPED_WHY = "denied absent phrase"
ABSENT_PHRASE = "absent phrase"
DENYING_PAIR = "a pair that denies"
ABILITY_DENIED = "an ability denied"
ABILITY_AFFIRMED = "an ability affirmed"
TOLD_BY_YES = "a topic answered yes"
BARE_YES = frozenset(
    {("yes",), ("yeah",), ("yep",), ("yup",), ("y",), ("ya",), ("yea",), ("aye",)}
)
BARE_ANSWERS = frozenset(
    {("present", yes) for yes in BARE_YES}
    | {("absent", (no,)) for no in ("no", "nope", "nah", "none", "negative")}
)
"""A verdict and the bare answer that ends its clause: a label's "redness no", "fever yes"."""
BARE_DENIAL_WORDS = 8
"""The most words of a bare denial ("there's none on mine", "nothing to see")."""
TOPIC_AFTER = 6
ONE_OF_REACH = 4
"""How many words after "one of my" the group may be named ("one of my under 15 girls")."""
LED_FRAGMENT_WORDS = 5
"""A clause of at most this many words led by "only" or "just" borrows the pain told elsewhere
in the message ("Used to hurt at night. Just during runs now.")."""
ANSWER_WORDS = {"yes": True, "yeah": True, "yep": True, "yup": True, "no": False,
                "nope": False, "nah": False, "none": False, "never": False}  # fmt: skip

_AGE = re.compile(
    r"\b(?:i am(?: now| only| just)?|aged?|age is|age|i turned|i just turned|just turned|turned"
    r"|how old am i)"
    r"(?:\s*[:?-])*\s+\(?(\d{1,3})\b"
    r"(?!\s*(?:km|k|miles?|mi|mins?|minutes?|%|kg|lbs?"
    r"|weeks?|days?|months?|years? (?:ago|into|of|running)|hours?|times?|x|kms|k|st|lb|stone|th|nd"
    r"|rd|ft|foot|feet|cm|m\b|and a half|percent|sessions?|runs?))"
    r"|\b(?<!my )(?<!our )(?<!his )(?<!her )(?<!coach a )(?<!train a )(\d{1,3})[\s-]*"
    r"(?:yo|y o|y/o|yrs?[- ]old|years?[- ]old|years of age|years young"
    r"|years? (?:girl|boy|woman|man|lady|female|male))\b"
    r"|\b(\d{2})\s?(?:f|m)\b(?!\s*(?:pace|run|sprint))"
    r"|\b(?:son|daughter|child|kid|boy|girl) is (\d{1,2})\b"
    r"|(?:^|[.,!;] |\bnow )at (\d{2}),? (?:i|and i|i am|years|my)\b"
    r"|\b(?:my|our|his|her) (\d{1,2})[- ]?(?:yo|y o|y/o|yrs? old|years? old|year old)\b"
    r"|(?:^|[.,!;] )am (\d{2})\b(?!\s*(?:km|k|miles?|mins?|minutes?|%|kg|weeks?|days?))"
    r"|\bi am (?:a )?(?:woman|man|lady|girl|boy|female|male|mother|father|mum|mom|dad)"
    r",? (\d{2})\b(?!\s*(?:km|k|miles?|mins?|minutes?|%|kg|weeks?|days?|months?))"
    r"|\bi am (?:[a-z]+ ){0,5}[a-z]+, (\d{2}) years?\b(?! ago| of| running)"
    r"|\bi be (\d{2})(?: years?)?\b(?! ago| of| running| (?:km|k|miles?|weeks?|days?|months?))"
    r"|^(1[2-9]|[2-8]\d), (?!(?:maybe|or|to|about|and|\d))(?=[a-z]+ [a-z])"
    r"|\b(?:teenager|teen)(?: runner)?(?: here)?,? \((\d{1,2})\)"
    r"|\b(?:here|runner|coach|teacher|nurse|mum|mom|dad|kid|athlete|triathlete|walker|hiker"
    r"|woman|man|lady|bloke|guy|me|female|male)[:,] (\d{2})(?=[,.;]| and\b| years\b| yo\b)"
    r"|\bi have (\d{2}) years\b(?! of| ago| running)"
    r"|[,;] (\d{2}) now\b(?! (?:km|k|miles?|weeks?|days?|months?|years?|mins?|minutes?)\b)"
    r"|(?:^|[.!?:] |^(?:hi|hiya|hey|hello|howdy)[,!]? )(\d{2}),? (?:been|i|and|male|female|f|m|fit"
    r"|healthy|never|mum|mom|dad|always|lol"
    r"|retired|running|keen|club|play|years young|still)\b"
    r"|\bat my age,? -? ?(\d{2})\b"
    r"|, (\d{2}) (?:male|female|yo)\b"
    r"|\bmi (?:a|only|is) (\d{2})\b"
    r"|\bmi (\d{2})\b(?=,| an\b| and\b)"
    r"|\b(?:mum|mom|mother|dad|father) of (?:one|two|three|four|five|\d),? (\d{2})\b(?=[,.;])"
    r"|\babout me,? (\d{2})\b(?=[,.;])"
    r"|(?:^|[.!?] )me (\d{1,2})\b(?=,| and\b| years\b| yo\b)"
    r"|(?:^|[.!?] )(\d{2}) years?,? (?:female|male|woman|man|old)\b"
    r"|\bi am [a-z]+, (\d{2})(?=[,.;!]|$)"
    r"|\b(?:woman|man|lady|girl|boy|runner|mother|father) of (\d{2}) years?\b"
    r"|\bi am (\d{1,2}) and a half\b(?! (?:km|k|miles?|weeks?|hours?|days?|months?))"
    r"|\bmy name is [a-z]+,? (\d{2}) years?\b"
    r"|(?:^|[.!?] )now (\d{2})\b(?=,| and\b)"
    r"|\btengo (\d{1,3})(?: anos\b|(?=[.,;!]|$))"
    r"|\bi am the (?:baby|youngest|oldest)(?: one)?(?: of us| of them| here)? at (\d{2})\b"
    r"|\bhow old(?: are you| am i| is she| is he)?(?:\s*[?:])+\s*(\d{1,2})\b"
    r"|\b(\d{2}),? btw\b"
    r"|(?:^|[.!?] |^(?:hi|hiya|hey|hello)[,!]? )(?!(?:my|our|his|her|their) )(?:i am (?:a |an )?)?"
    r"(?:[a-z0-9]+ ){0,6}[a-z]+"
    r", (1[1-9]|[2-9]\d)(?=[,;]|\.(?!\d)| and\b| from\b| training\b| playing\b| play\b"
    r"| living\b| based\b)"
    r"|(?:^|[.!?] )(1[1-9]|[2-9]\d), [a-z]+(?=[.,])"
    r"|(?:^|[.!?] )(1[1-9]|[2-9]\d)(?:\.(?= )|$)"
)
_NOT_YET = re.compile(
    r" (?:on|next|this) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month"
    r"|birthday)\b"
    r"| in (?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\b"
)
"""After "I'm 45": an age not reached yet ("I'm 45 on Friday" is 44 today)."""
_SAYS_AGE = ("i am", "he is", "she is", "hes", "shes")
"""How an age told as not reached yet opens: "I'm 45", "she's 45" (then "next month")."""
_CHILD_AGE_GROUPS = (4, 6)
"""The groups of :data:`_AGE` that tell a child's age ("my son is 13"): read when the message
gives no age of the writer's own."""
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+")
AGE_BEFORE = 80
"""How far before a number an age pattern may start ("i am a retired teacher, 45")."""
AGE_AFTER = 40
"""How far after a number an age pattern may look ("45 years of age")."""
_THEIR_AGE = re.compile(
    r"\b(?:he is|she is|hes|shes) (?:only |just |now )?(\d{1,2})\b"
    r"(?! ?(?:km|k|miles?|mins?|minutes?|%|percent|kg|weeks?|days?|months?|times?|x|th|nd|rd"
    r"|st|m\b))"
    r"|\b(?:son|daughter|boy|girl|kid|child|lad|nephew|niece|grandson|granddaughter)"
    r"(?:s|(?: [a-z]+)?),? \(?(\d{1,2})\)?"
    r"(?=[,.;:)]| is\b| and\b| years\b)"
    r"|\b(?:son|daughter|boy|girl|kid|child|lad|grandson|granddaughter|grandaughter) [a-z]+"
    r" who is (\d{1,2})\b"
    r"|\b(?:son|daughter|boy|girl|kid|child|lad|granddaughter|grandson|athletes?|runners?"
    r"|players?|husband|wife|dad|mum|mom|father|mother|partner|grandad|grandma|little one|youngest"
    r"|eldest|brother|sister|anak|cousin|nephew|niece)(?: [a-z]+)?"
    r" is (\d{1,2})\b"
    r"|\b(?:son|daughter|boy|girl|kid|child|lad|granddaughter|grandson|husband|wife|dad|mum"
    r"|mom|father|mother|partner|mate|friend|brother|sister|cousin|nephew|niece|grandmother"
    r"|grandfather|granny|nan|gran|grandad|grandma|client),? who is (\d{1,2})\b"
    r"|\b(\d{1,2})[- ]?(?:year|yr)s?[- ]old\b(?! (?:ago|of)\b)"
    r"|\bone of (?:my|our) (\d{1,2})[- ]?(?:year|yr)s?[- ]olds\b"
    r"|\b(?:women|woman|men|ladies|runners|athletes|girls|boys|players|freshmen|juniors|kids"
    r"|lads)"
    r",? \(?(\d{1,2})\)?(?=[,.;:)]| years?\b| yrs?\b)"
    r"|\btiene (\d{1,2}) anos\b"
    r"|[a-z] \((\d{1,2}) ?(?:yo|y o|yrs?|years?)?\)"
)
"""In a message written for someone: the age told of them ("she is 14", "my daughter (16)")."""
_CORRECTION = re.compile(r"\b(?:should have said|i meant|i mean|correction)\b")
"""A writer correcting themselves: the age told after it is the runner's."""
_WORDED_NUMBER = re.compile(
    r"\b(?:a |one )?(hundred)(?: and)? (one|two|three|four|five)\b"
    r"|\b(thirty|forty)[ -](one|two|three|four|five|six|seven|eight|nine)"
    r"(?: point (one|two|three|four|five|six|seven|eight|nine))?\b"
)
"""A temperature in words: "thirty nine", "thirty eight point five", "a hundred and two"."""


def _number_of(match: re.Match[str]) -> str:
    hundred, over, tens, units, tenths = match.groups()
    if hundred:
        return str(100 + _UNITS[over])
    number = str(_TENS[tens] + _UNITS[units])
    return f"{number}.{_UNITS[tenths]}" if tenths else number


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9}  # fmt: skip
_TEENS = {"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19}  # fmt: skip
_WORDED = re.compile(
    r"(\bi am |\baged? |\bat |^|[.!?] )("
    + "|".join([*_TENS, *_TEENS])
    + r")(?:[- ]("
    + "|".join(_UNITS)
    + r"))?\b"
)


def _digits(match: re.Match[str]) -> str:
    """ "i am seventy-four" read as "i am 74"; "Fifteen, play rugby" as "15, play rugby"."""
    tens = {**_TENS, **_TEENS}[match.group(2)]
    return f"{match.group(1)}{tens + _UNITS.get(match.group(3) or '', 0)}"


_DECADE = re.compile(r"\b(?:in (my|his|her) )?(?:(early|mid|late)[ -])?([2-9])0s\b")
_PAST_DECADE = re.compile(
    r"\b(?:back in|since|was in|were in|from|through) "
    r"(?:(?:my|his|her) )?(?:(?:early|mid|late)[ -])?$"
)
"""Words before a decade that make it a time gone by: "back in my 30s", "since my 40s"."""
_PART_OF_DECADE = {None: (0, 9), "early": (0, 3), "mid": (3, 6), "late": (6, 9)}
"""The years of a decade each qualifier spans: "late 40s" is 46 to 49, "40s" is 40 to 49."""

VERDICTS = {
    Assertion.PRESENT: "present",
    Assertion.ABSENT: "absent",
    Assertion.RESOLVED: "absent",
    Assertion.HYPOTHETICAL: "hedged",
    Assertion.OTHER_PERSON: "ignored",
    Assertion.ELSEWHERE: "ignored",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """A phrase or frame found in the message, what it was taken to mean, and why."""

    finding: str
    phrase: str
    words: str
    verdict: str
    edits: int
    assertion: str = Assertion.PRESENT.value
    why: str = ""
    clause: int = 0

    @property
    def score(self) -> int:
        """100 for an exact match, less for each typo corrected."""
        return 100 - 15 * self.edits


@dataclass(frozen=True, slots=True)
class Understanding:
    """What a message says: findings present and absent, hedged ones, and an age if given."""

    present: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    hedged: frozenset[str] = frozenset()
    age: int | None = None
    normalized: str = ""
    clauses: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = field(default=())
    implied: tuple[str, ...] = ()
    for_someone: bool = False
    """Written for someone else (a parent for a child): they are the runner."""

    @property
    def empty(self) -> bool:
        """Nothing was understood."""
        return not (self.present or self.absent or self.hedged or self.age is not None)


Found = tuple[Pattern, int, int, int]


def _match_at(pattern: Pattern, stems: list[str], start: int) -> int | None:
    """End index (exclusive) if ``pattern`` matches from ``start``, skipping a few fillers."""
    position = start + 1
    for wanted in pattern.stems[1:]:
        gap = 0
        while position < len(stems) and stems[position] != wanted:
            if stems[position] not in FILLERS or gap == MAX_FILLER_GAP:
                return None
            if position == start + 1 and stems[start] in CLOSED_OPENINGS:
                return None  # "no can stand", not "No I can stand on it"
            gap += 1
            position += 1
        if position == len(stems):
            return None
        position += 1
    return position


def _find(lexicon: Lexicon, tokens: tuple[str, ...]) -> list[Found]:
    canon = [lexicon.canonical(token) for token in tokens]
    stems = [stem for stem, _ in canon]
    present = frozenset(stems)
    found = []
    for start, first in enumerate(stems):
        starting = lexicon.starting.get(first)
        if starting is None:
            continue
        for _, pattern in starting.candidates(present):
            if not pattern.rest <= present:
                continue
            end = _match_at(pattern, stems, start)
            if end is not None:
                edits = sum(edit for _, edit in canon[start:end])
                found.append((pattern, start, end, edits))
    found.sort(key=lambda m: (-len(m[0].stems), m[0].polarity == "subject", m[3], m[1]))
    taken: set[int] = set()
    chosen = []
    for pattern, start, end, edits in found:
        span = set(range(start, end))
        if not span & taken:
            taken |= span
            chosen.append((pattern, start, end, edits))
    chosen.sort(key=lambda m: m[1])
    return chosen


def _unslipped(lexicon: Lexicon, tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Real-word slips read as meant where a finding follows: "know swelling"."""
    slips = lexicon.language.slips
    if not slips.keys() & set(tokens):
        return tokens
    fixed = list(tokens)
    for i, token in enumerate(tokens[:-1]):
        if token not in slips:
            continue
        means, unless, before = slips[token]
        after_ok = i == 0 or tokens[i - 1] not in unless
        following = tokens[i + 1]
        fits = (
            following in before if before else lexicon.canonical(following)[0] in lexicon.patterns
        )
        if after_ok and fits:
            fixed[i] = means
    return tuple(fixed)


def _resolves(language: Language, tokens: tuple[str, ...]) -> tuple[Cue, ...]:
    """A clause that says what came before is over: "but that's gone", "it's cleared up",
    "but not since"; the cues that say so (one per group that holds its words: "back to normal
    now" ends a pain, and, in another group, missed periods)."""
    cues = find_cues(language, tokens)
    first = _resolving_cue(language, tokens, cues)
    if first is None:
        return ()
    return tuple(
        c.cue
        for c in cues
        if (c.cue.tokens, c.cue.means, c.cue.direction)
        == (first.tokens, first.means, first.direction)
    )


def _resolving_cue(language: Language, tokens: tuple[str, ...], cues: list[CueAt]) -> Cue | None:
    """The first of ``cues`` that closes what the clauses before said."""
    anaphoric = bool(language.anaphors & set(tokens))
    for c in cues:
        after = [t for t in tokens[c.end :] if t not in language.closing_tail]
        ended_since = tokens[c.end : c.end + 1] == ("since",)
        caused = ended_since or (
            bool(after) and after[0] in language.closing_causes
        )  # "but that's gone since", "that's all gone now after I started yoga"
        if (
            c.cue.means is CueMeaning.RESOLVED
            and c.cue.direction is CueDirection.BACKWARD
            and (len(tokens) - c.end <= CLOSING_REACH or caused)
            and tokens[c.end : c.end + 1] != ("be",)  # "mile 2 now, it used to be mile 8"
            and (
                anaphoric
                or (
                    _auxiliaries_only(language, tokens[: c.start])  # "doesn't anymore"
                    and (ended_since or set(tokens[c.end :]) <= language.closing_tail)
                )  # "the limp (gone since Christmas)", "the hip's been totally fine since"
            )
        ):
            return c.cue
    return None


def _auxiliaries_only(language: Language, tokens: tuple[str, ...]) -> bool:
    """Whether ``tokens`` hold nothing but auxiliaries after the hip as the subject: "doesn't",
    "the hip has been totally"."""
    for subject in language.elliptic_across:
        if tokens[: len(subject)] == subject:
            tokens = tokens[len(subject) :]
            break
    return language.closing_auxiliaries.issuperset(tokens)


def _told_by(lexicon: Lexicon, tokens: tuple[str, ...], cue: Cue) -> bool:
    """Whether the words of a resolving cue are part of a finding's own phrase in the clause
    ("her periods have stopped")."""
    expanded = _unslipped(lexicon, lexicon.expand(tokens))
    words = set(cue.tokens)
    return any(
        words <= set(expanded[start:end])
        for pattern, start, end, _ in _find(lexicon, expanded)
        if pattern.polarity == "present" and pattern.finding not in lexicon.language.transparent
    )  # "but that's settled": the course words are the resolution itself


def _denying_after(
    language: Language,
    tokens: tuple[str, ...],
    subjects: frozenset[tuple[str, ...]],
    *,
    filler_only: bool,
) -> bool:
    """Whether the clause opens with one of ``subjects`` and a denying verb, and nothing after
    but filler (or, unless ``filler_only``, a new subject: "mine doesn't, it just aches")."""
    for subject in subjects:
        if tokens[: len(subject)] != subject:
            continue
        rest = tokens[len(subject) :]
        for verb in language.elliptic_verbs:
            if rest[: len(verb)] != verb:
                continue
            after = rest[len(verb) :]
            if set(after) <= language.elliptic_filler:
                return True
            if not filler_only and after[0] in SUBJECT_WORDS:
                return True
    return False


def _denies_hip_alone(language: Language, tokens: tuple[str, ...]) -> bool:
    """Whether the clause is only the hip and a denying verb ("Hip doesn't though")."""
    return _denying_after(language, tokens, language.elliptic_across, filler_only=True)


def _has_any_opening(tokens: tuple[str, ...], openings: frozenset[tuple[str, ...]]) -> bool:
    return any(tokens[:size] in openings for size in _sizes(openings))


@cache
def _sizes(phrases: frozenset[tuple[str, ...]]) -> tuple[int, ...]:
    """The lengths ``phrases`` come in: an opening is looked up once per length."""
    return tuple(sorted({len(p) for p in phrases}))


def _elliptic(language: Language, tokens: tuple[str, ...]) -> bool:
    """A subject and a verb alone, denying: "but the hip doesn't", "mine isn't"; or a clause
    opening that denies the list before it: "stairs, the car, none of that hurts"."""
    if _has_any_opening(tokens, language.elliptic_summaries):
        return True
    for alone in language.elliptic_alone:
        if tokens[: len(alone)] == alone and set(tokens[len(alone) :]) <= language.elliptic_filler:
            return True
    return _denying_after(language, tokens, language.elliptic_subjects, filler_only=False)


def _regained(language: Language, clauses: list[Clause], index: int) -> bool:
    """A clause that says an ability is back: "but I can now", "now I can hobble about", "it's
    4 days later and I can hobble" (the time word in the clause before, in its sentence)."""
    tokens = clauses[index].tokens
    if language.regained_unless.intersection(tokens):
        return False
    timed = language.regained_times.intersection(tokens) or (
        index > 0
        and clauses[index - 1].sentence == clauses[index].sentence
        and language.regained_times.intersection(clauses[index - 1].tokens)
    )
    return bool(timed) and any(_contains(tokens, verb) for verb in language.regained_verbs)


def _afterward(language: Language, tokens: tuple[str, ...]) -> bool:
    """A clause that only says the pain comes afterwards: "only after", "sore after", "but it
    aches afterwards"."""
    if language.afterward_words.isdisjoint(tokens):
        return False
    return language.afterward_unless.isdisjoint(tokens) and language.afterward_allowed.issuperset(
        tokens
    )


def _denies_hurt(language: Language, tokens: tuple[str, ...]) -> bool:
    """Whether an elliptic clause denies a hurt: a word for pain before anything that ends its
    scope ("that doesn't hurt", not "the hip doesn't, it just aches")."""
    for token in tokens:
        if token in language.terminators:
            return False
        if token in language.pain_words:
            return True
    return False


def _bare_denial(language: Language, tokens: tuple[str, ...]) -> bool:
    """A short clause that denies and names nothing: "there's none on mine", "nothing to see"."""
    if len(tokens) > BARE_DENIAL_WORDS:
        return False
    means = {c.cue.means for c in find_cues(language, tokens)}
    if CueMeaning.NEGATED not in means or CueMeaning.HYPOTHETICAL in means:
        return False
    return not any(_contains(tokens, p) for p in language.unsure_answers)  # "I don't remember"


def _contains(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return any(tokens[i : i + len(phrase)] == phrase for i in range(len(tokens)))


def _redirected(language: Language, clauses: list[Clause], index: int) -> bool:
    """A clause opening "not the hip" in a sentence that names another body part: what the
    sentence said before it is of that body part ("my wrist is the puffy one, not the hip",
    "fell off a ladder, not onto the hip though, I hurt my wrist")."""
    tokens = clauses[index].tokens
    if not any(tokens[: len(r)] == r for r in language.elliptic_redirects):
        return False
    sentence = clauses[index].sentence
    return any(
        c.cue.means is CueMeaning.ELSEWHERE
        for j, clause in enumerate(clauses)
        if j != index and clause.sentence == sentence
        for c in find_cues(language, clause.tokens)
    )


def _listed_questions(language: Language, clauses: list[Clause]) -> dict[int, int]:
    """Sentences that are a list of short topics asked as one question ("Fever, chills, feeling
    rough?"), with the index of their last clause, the one with the question mark; a topic with
    a word for pain is told, not asked ("outer hip sore, maybe a slight limp?")."""
    by_sentence: dict[int, list[int]] = {}
    for index, clause in enumerate(clauses):
        by_sentence.setdefault(clause.sentence, []).append(index)
    return {
        sentence: indices[-1]
        for sentence, indices in by_sentence.items()
        if len(indices) > 1
        and clauses[indices[-1]].question
        and not asks_of_itself(clauses[indices[-1]].tokens)  # "hip swollen and red do i need..."
        and all(
            len(clauses[i].tokens) <= TOPIC_WORDS
            and not (PREDICATE_WORDS | language.pain_words) & set(clauses[i].tokens)
            and clauses[i].tokens[0] not in SUBJECT_WORDS
            for i in indices
        )
    }


def _questioned(language: Language, clause: Clause, answer: bool | None) -> bool:
    if not clause.question or answer is not None:
        return False
    tokens = clause.tokens
    return not _has_any_opening(tokens, language.presuming_questions) and not any(
        len(tokens) > len(p) and tokens[-len(p) :] == p for p in language.presuming_tails
    )


def _answer(language: Language, clauses: list[Clause], index: int) -> bool | None:
    """The yes or no that follows a one-clause question ("puffiness? nah") or a bare topic in
    its sentence ("numbness, no. pins and needles, no", "lying on it, not really a problem")."""
    if index + 1 >= len(clauses):
        return None
    clause, following = clauses[index], clauses[index + 1].tokens
    if _has_any_opening(following, language.unsure_answers):  # "Swollen? no idea"
        return None
    after = clauses[index + 2 : index + 3]
    doubted = bool(after) and _has_any_opening(after[0].tokens, language.unsure_answers)
    if doubted and after[0].sentence == clauses[index + 1].sentence:
        return None  # "Pain at night? Sometimes, I'm not really sure"
    if clause.question and clauses[index + 1].reply:  # "Q: swelling? A: a little, on the side"
        return _leading_answer(language, following)
    if clause.question:
        if len(following) <= 2 and following and following[0] in ANSWER_WORDS:
            return ANSWER_WORDS[following[0]]
        degree = following[1:2] if following[:1] == ("a",) else following[:1]
        if len(clause.tokens) <= TOPIC_WORDS and language.degree_words.issuperset(degree):
            return _leading_answer(language, following)  # "Swollen? a little bit, round the side"
    else:
        same_sentence = clause.sentence == clauses[index + 1].sentence
        named = clause.tokens[0] in TOPIC_DETERMINERS  # "the outside of the knee, no"
        if not same_sentence or len(clause.tokens) > TOPIC_WORDS + named:
            return None
        if len(following) == 1 and following[0] in ANSWER_WORDS:
            return ANSWER_WORDS[following[0]]
    said = language.answers.get(following)  # "Numbness, not that I've noticed."
    if said in ("yes", "no"):
        return said == "yes"
    if len(following) > TOPIC_WORDS:
        return None
    for cut in range(len(following), 0, -1):
        said = language.answers.get(following[:cut])
        if said in ("yes", "no") and set(following[cut:]) <= language.answer_tail:
            return said == "yes"
    return None


def _settled(reading: _Reading, clauses: list[Clause]) -> frozenset[str]:
    """What the rules read from more than the words, which the learned reading leaves as it is:
    a bare topic asked and answered ("Red? No."), an ability asked about or answered ("Weight
    bearing: no"), a label and its bare answer ("Redness: no", "fever ✅", "red: yes"), what an
    exception opens ("Other than the clicking, nothing."), what a contrast tells after a denial
    ("not the front, it's more the side"), and the reading's own (``_Reading.settled``: what
    pain scores tell, among others)."""
    abilities = reading.language.ability_findings
    return (
        frozenset(reading.settled)
        | frozenset(
            m.finding
            for m in reading.mentions
            if (
                m.why.startswith(ANSWERED)
                and (len(clauses[m.clause].tokens) <= TOPIC_WORDS or m.finding in abilities)
            )
            or (
                len(clauses[m.clause].tokens) <= LABEL_WORDS
                and (m.verdict, clauses[m.clause].tokens[-1:]) in BARE_ANSWERS
            )
            or (m.clause in reading.excepted and m.verdict == "present")
            or m.why.startswith((ABILITY_DENIED, ABILITY_AFFIRMED, TOLD_BY_YES))
        )
        | _told_past_a_contrast(reading, clauses)
    )


def _told_past_a_contrast(reading: _Reading, clauses: list[Clause]) -> frozenset[str]:
    """Findings told after a contrast that follows a denial in their clause: "it's not the
    front, it's more the side" tells the side."""
    denied = {m.clause: m.words for m in reading.mentions if m.verdict == "absent"}
    told = set()
    for m in reading.mentions:
        if m.verdict != "present" or m.clause not in denied:
            continue
        tokens = clauses[m.clause].tokens
        text = " ".join(tokens)
        turn = next(
            (
                len(" ".join(tokens[:i]))
                for i, token in enumerate(tokens)
                for p in reading.language.contrasts_by_first.get(token, ())
                if tokens[i : i + len(p)] == p
            ),
            None,
        )
        if turn is not None and text.find(denied[m.clause]) < turn <= text.find(m.words):
            told.add(m.finding)
    return frozenset(told)


def _comparison_before(language: Language, clauses: list[Clause], index: int) -> int:
    """The comparison nearest before clause ``index`` in its sentence, which an elliptic denial
    there denies alone ("like I've sat on a saddle for hours, even though I haven't"); 0 for
    none."""
    sentence = clauses[index].sentence
    for j in range(index - 1, -1, -1):
        if clauses[j].sentence != sentence:
            break
        if _has_any_opening(clauses[j].tokens, language.elliptic_comparisons):
            return j
    return 0


def _told_before(clauses: list[Clause], index: int) -> tuple[int, ...]:
    """The clause before ``index``, and the question before that one when it is a reply."""
    before = index - 1
    if before > 0 and clauses[before].reply:
        return (before, before - 1)
    return (before,) if before >= 0 else ()


def _leading_answer(language: Language, tokens: tuple[str, ...]) -> bool | None:
    """The yes or no the first words of a reply say, whatever follows them ("yes, esp hills",
    "no never", "a little on the outer hip"); None when they say neither, or are unsure."""
    for cut in range(min(len(tokens), LONGEST_ANSWER), 0, -1):
        said = language.answers.get(tokens[:cut])
        if said is not None:
            return {"yes": True, "no": False}.get(said)
    return None


def _polarity(
    language: Language,
    pattern: Pattern,
    verdict: Verdict,
    span: tuple[int, int],
    tokens: tuple[str, ...],
) -> Verdict:
    """Absent phrases are flipped only by a denial right before them ("not walking normally");
    topic words count when denied, or for pain findings with a pain word beside them."""
    start, end = span
    if pattern.polarity == "present":
        return verdict
    if pattern.polarity == "subject":
        denied = verdict.assertion in (Assertion.ABSENT, Assertion.RESOLVED)
        if denied and _ability_denied(language, pattern.finding, verdict, tokens):
            return Verdict(Assertion.PRESENT, f"{ABILITY_DENIED}: {verdict.why}")
        if not denied and _ability_affirmed(language, pattern.finding, tokens, span):
            return Verdict(Assertion.ABSENT, ABILITY_AFFIRMED)
        if not denied and _told_by_yes(language, pattern.finding, tokens, span):
            return Verdict(Assertion.PRESENT, TOLD_BY_YES)
        beside = set(tokens[max(0, start - TOPIC_REACH) : end + TOPIC_AFTER])
        pained = pattern.finding in language.pain_subjects and bool(language.pain_words & beside)
        if denied or (pained and verdict.assertion is Assertion.PRESENT):
            return verdict
        return Verdict(Assertion.ELSEWHERE, TOPIC_ONLY)
    if verdict.assertion is Assertion.ABSENT:
        if _flipped(language, tokens, start):
            return Verdict(Assertion.PRESENT, f"{FLIPPED_WHY}: {verdict.why}")
        return Verdict(Assertion.ABSENT, ABSENT_PHRASE)
    if verdict.assertion is Assertion.PRESENT and _flipped(language, tokens, start):
        return Verdict(Assertion.PRESENT, f"{FLIPPED_WHY}: no cue, a phrase before it")
    if verdict.assertion in (Assertion.PRESENT, Assertion.RESOLVED):
        return Verdict(Assertion.ABSENT, ABSENT_PHRASE)
    return verdict


def _ability_denied(
    language: Language, finding: str, verdict: Verdict, tokens: tuple[str, ...]
) -> bool:
    """Whether a bare denial after an ability's topic tells its loss: "Weight bearing: no"."""
    if finding not in language.ability_findings or language.pain_words & set(tokens):
        return False
    return verdict.cue_after in language.ability_denials


def _ability_reply(language: Language, question: tuple[str, ...], reply: tuple[str, ...]) -> bool:
    """Whether a reply is a bare yes or no to a question with no word for pain, which an
    ability's topic turns round ("Can you bear weight? No"; not "Walking? Fine.")."""
    if language.pain_words.intersection(question):
        return False
    if reply[:1] in BARE_YES:
        return True
    return any(
        reply[: len(p)] == p and not language.answer_tail.intersection(reply[len(p) : len(p) + 1])
        for p in language.ability_denials
    )  # "no, not at all"; not "no problem"


def _ability_affirmed(
    language: Language, finding: str, tokens: tuple[str, ...], span: tuple[int, int]
) -> bool:
    """Whether a bare yes or "ok" after an ability's topic ends its clause, with no denial
    before it: "Weight bearing - ok", "I can put weight yes"."""
    if finding not in language.ability_findings or language.pain_words & set(tokens):
        return False
    start, end = span
    said, before = tokens[end:], tokens[:start]
    yes = said in BARE_YES and finding in language.ability_yes_denies
    opening = len(before) <= TOPIC_WORDS and not language.negative_words.intersection(before)
    return opening and (yes or said in language.fine_endings)


def _told_by_yes(
    language: Language, finding: str, tokens: tuple[str, ...], span: tuple[int, int]
) -> bool:
    """Whether a topic that opens its clause is answered by a bare yes: "red: yes", "temp ✔"."""
    start, end = span
    return (
        finding in language.told_by_yes
        and start <= 1
        and language.answers.get(tokens[end:]) == "yes"
    )


def _felt_pain(language: Language, tokens: tuple[str, ...]) -> bool:
    """Whether the clause says it hurts: a word for pain not denied right before it ("no pain
    with it", "nothing hurts" do not)."""
    return any(
        t in language.pain_words and not language.denied_pain & set(tokens[max(0, i - 2) : i])
        for i, t in enumerate(tokens)
    )


def _flipped(language: Language, tokens: tuple[str, ...], start: int) -> bool:
    """A denial right before an absent phrase, auxiliaries aside ("not been eating well"; "no
    chance I can stand")."""
    if any(tokens[max(0, start - len(p)) : start] == p for p in language.flipping_phrases):
        return True
    i = start - 1
    while i >= 0 and tokens[i] in language.auxiliaries:
        i -= 1
    return i >= 0 and tokens[i] in language.flipping_words


def _located(
    language: Language,
    pattern: Pattern,
    tokens: tuple[str, ...],
    others: int,
    pain_in_sentence: bool,
    denied: bool,
    pained: bool = False,
    felt_in_message: bool = False,
    where_of: bool = False,
) -> bool:
    """A location counts with a pain word in its clause, or alone in a clause that says nothing
    else ("not the front, it's round the back") unless it tells where the finding before it is
    (``where_of``), or, named as the hip's own ("the outside of my hip"), in a message that
    tells a pain."""
    if pattern.finding not in language.locations or pattern.polarity != "present":
        return True
    words = set(tokens)
    if language.pain_words & words or (pain_in_sentence and not others) or pained:
        return True
    if pattern.finding in language.situations and language.situation_words & words:
        return True  # "when I sit long in the office it is very bad"
    anchored = bool(language.location_anchors & set(pattern.phrase.split()))
    if anchored and felt_in_message and not others and not language.location_blockers & words:
        return True
    if denied:
        return not others
    if language.pain_words & set(pattern.phrase.split()):
        return True
    short = len(tokens) <= language.rules.locations.alone_words
    return short and not others and not where_of and not (language.location_blockers & words)


def _together(language: Language, tokens: tuple[str, ...], first: str, second: str) -> bool:
    """Whether two mentions of a clause are told together, with no denial of their own between
    them ("no numbness in the saddle area", not "no numbness, no weakness in either leg")."""
    text = f" {' '.join(tokens)} "
    a, b = text.find(f" {first} "), text.find(f" {second} ")
    if a < 0 or b < 0:
        return True
    (_, end), (start, _) = sorted([(a, a + len(first) + 1), (b, b + len(second) + 1)])
    return not language.negative_words & set(text[end:start].split())


def _implied(
    language: Language, state: dict[str, str], mentions: list[Mention], clauses: list[Clause]
) -> tuple[str, ...]:
    stated = dict(state)
    notes = []
    for rule in language.implications:
        if stated.get(rule.when) != rule.is_:
            continue
        if rule.becomes is Becomes.UNSAID:
            other = [
                m
                for m in mentions
                if m.finding == rule.then
                and m.verdict == state.get(rule.then) == rule.is_
                and (not rule.then_by or m.phrase in rule.then_by)
                and not _has_any(clauses[m.clause].tokens, rule.unless_with)
            ]
            told = [m for m in mentions if m.finding == rule.when]
            inside = all(
                any(
                    (
                        clauses[m.clause].sentence == clauses[t.clause].sentence
                        if rule.same_sentence
                        else m.clause == t.clause
                    )
                    and (
                        not rule.within
                        or _together(language, clauses[m.clause].tokens, m.words, t.words)
                    )
                    for t in told
                )
                for m in other
            )
            if other and inside and rule.then in state:
                del state[rule.then]
                notes.append(f"{rule.then} dropped: only said with {rule.when}")
        elif (rule.only_by or rule.only_with) and not any(
            m.finding == rule.when
            and (m.phrase in rule.only_by or _has_any(clauses[m.clause].tokens, rule.only_with))
            for m in mentions
        ):
            continue
        elif rule.then not in stated or (rule.moves and stated[rule.then] == rule.becomes.value):
            if rule.then not in stated:
                state[rule.then] = rule.becomes.value
                why = f"implied by {rule.when} {rule.is_}"
                notes.append(f"{rule.then} {rule.becomes.value}: {why}")
            if rule.moves and all(
                _has_any(clauses[m.clause].tokens, rule.only_with)
                for m in mentions
                if m.finding == rule.when
            ):
                del state[rule.when]
                notes.append(f"{rule.when} dropped: said of {rule.then} only")
    return tuple(notes)


def _partly_denied(
    language: Language, state: dict[str, str], mentions: list[Mention], clauses: list[Clause]
) -> list[str]:
    """A finding told in one clause and denied in other words in the next, after "but", stays
    present: "it clicks but doesn't lock", "hip feels hot but it's not red"."""
    notes = []
    for finding, value in state.items():
        denied = [m for m in mentions if m.finding == finding and m.assertion == "absent"]
        told = [m for m in mentions if m.finding == finding and m.verdict == "present"]
        if value != "absent" or not denied or not told:
            continue
        if all(
            any(
                t.clause == d.clause - 1
                and d.why.startswith("negated cue")  # "but it's not red", no absent phrase
                and "frame" not in t.phrase  # a frame's reading is no telling of it
                and clauses[t.clause].sentence == clauses[d.clause].sentence
                and clauses[d.clause].contrast
                and clauses[d.clause].tokens[0] not in language.first_person
                and not set(t.words.split()) & set(d.words.split())
                and not (language.past_words | language.now_words)
                & set(clauses[t.clause].tokens + clauses[d.clause].tokens)
                for t in told
            )
            for d in denied
        ):
            state[finding] = "present"
            notes.append(f"{finding} present: told, then denied only in other words")
    return notes


def _over_and_past(
    language: Language, state: dict[str, str], mentions: list[Mention], clauses: list[Clause]
) -> list[str]:
    """A finding told as over, or in a message that says it is all over, stays absent beside
    clauses that tell it only in the past ("swelling's gone down now, it was puffy for a few
    days"; "hip is totally fine now, all settled, was sore at the side")."""
    notes = []
    all_over: bool | None = None  # whether a clause naming no finding says it is all over
    for finding, value in state.items():
        told = [m for m in mentions if m.finding == finding and m.verdict == "present"]
        if value != "present" or not told:
            continue
        past = all(
            language.past_words & set(clauses[m.clause].tokens)
            and not language.now_words & set(clauses[m.clause].tokens)
            for m in told
        )
        if not past:
            continue
        over = any(m.finding == finding and m.assertion == Assertion.RESOLVED for m in mentions)
        if not over and finding not in language.transparent:
            if all_over is None:
                said = {m.clause for m in mentions if m.verdict != "ignored"}
                all_over = any(
                    i not in said and any(_contains(c.tokens, p) for p in language.all_over)
                    for i, c in enumerate(clauses)
                )
            over = all_over
        if over:
            state[finding] = "absent"
            notes.append(f"{finding} absent: over now, and told present only in the past")
    return notes


def _moved(
    language: Language, state: dict[str, str], mentions: list[Mention], clauses: list[Clause]
) -> list[str]:
    """A pain that has moved ("it's moved to my bum cheek", "the pain moved from the side to
    the front") is over where it was: a place told in the past before the move in its sentence
    (or in the sentence before, when the move opens its own), or after "from", is absent unless
    the move names it as where the pain is now."""
    notes = []
    for index, clause in enumerate(clauses):
        tokens = clause.tokens
        at = next(
            (
                i + len(p)
                for i, token in enumerate(tokens)
                for p in language.moved.get(token, ())
                if tokens[i : i + len(p)] == p
            ),
            None,
        )
        if at is None:
            continue
        start = tokens.index("from", at) if "from" in tokens[at:] else None
        end = tokens.index("to", start) if start is not None and "to" in tokens[start:] else None
        targets, sources = set(), set()
        for m in mentions:
            if m.clause != index or m.finding not in language.locations:
                continue
            where = _starts(tokens, tuple(m.words.split()))
            if not where or where[0] < at:
                continue
            if start is not None and start < where[0] and (end is None or where[0] < end):
                sources.add(m.finding)
            else:
                targets.add(m.finding)
        sentence = clause.sentence
        first = all(c.sentence != sentence for c in clauses[:index])
        before = {sentence, sentence - 1} if first else {sentence}
        sources |= {
            m.finding
            for m in mentions
            if m.clause < index
            and clauses[m.clause].sentence in before
            and language.past_words & set(clauses[m.clause].tokens)  # "it was on the side"
            and m.finding in language.locations
            and m.verdict == "present"
        }
        for finding in sorted(sources - targets) if targets else ():
            if state.get(finding) == "present":
                state[finding] = "absent"
                notes.append(f"{finding} absent: the pain has moved from there")
    return notes


def _starts(tokens: tuple[str, ...], phrase: tuple[str, ...]) -> list[int]:
    """Where ``phrase`` starts in ``tokens``."""
    size = len(phrase)
    return [i for i in range(len(tokens) - size + 1) if tokens[i : i + size] == phrase]


def _paired_across(lexicon: Lexicon, reading: _Reading, clauses: list[Clause]) -> None:
    """Pairs that may take their words from several clauses of a sentence (``in_sentence``):
    present when every part is told with no cue in its clause and the finding is not yet read."""
    wanted = lexicon.frames.in_sentence.difference(reading.state)
    if not wanted:
        return
    sentences: dict[int, list[int]] = {}
    for index, clause in enumerate(clauses):
        sentences.setdefault(clause.sentence, []).append(index)
    language = lexicon.language
    for indices in sentences.values():
        if len(indices) < 2 or any(clauses[i].question for i in indices):
            continue
        typed = {token for i in indices for token in clauses[i].tokens}
        if not lexicon.frames.may_pair_across(typed):
            continue
        pieces = [reading.framed[i] for i in indices]
        starts = [sum(len(p) for p in pieces[:k]) for k in range(len(pieces))]
        joined = tuple(token for piece in pieces for token in piece)
        for hit in lexicon.frames.paired_across(joined):
            if hit.finding not in wanted:
                continue
            owners = []
            for start, end in hit.parts:
                k = max(k for k, first in enumerate(starts) if first <= start)
                local = (start - starts[k], end - starts[k])
                if local[1] > len(pieces[k]):
                    break  # a part across the clauses' seam is no part
                cues = find_cues(language, pieces[k])
                verdict = assess(language, pieces[k], local, hit.finding, cues)
                if verdict.assertion is not Assertion.PRESENT:
                    break
                owners.append(indices[k])
            else:
                words = " + ".join(" ".join(joined[s:e]) for s, e in hit.parts)
                verdict = Verdict(Assertion.PRESENT, "word pair across the sentence")
                reading.note(hit.finding, words, verdict, max(owners), phrase="word pair")
                wanted = wanted - {hit.finding}


def _pained_in_sentence(language: Language, reading: _Reading, clauses: list[Clause]) -> None:
    """A location told without pain counts when another clause of its sentence tells a finding
    that is pain ("a swollen bit on the outside of my hip, and it hurts to touch")."""
    pained_by = frozenset(language.rules.locations.pained_by)
    pained = [
        m.clause for m in reading.mentions if m.finding in pained_by and m.verdict == "present"
    ]
    for i, m in enumerate(reading.mentions):
        sentence = clauses[m.clause].sentence
        if m.why == UNPAINED and any(
            c != m.clause and clauses[c].sentence == sentence for c in pained
        ):
            why = "location with pain told in its sentence"
            reading.mentions[i] = replace(m, verdict="present", assertion="present", why=why)
            reading.state.setdefault(m.finding, "present")


def _temperature(
    language: Language, normalized: str, reading: _Reading, clauses: list[Clause]
) -> None:
    """A temperature told as a number decides fever (``temperature`` in ``language.yaml``): a
    high reading is a fever, a normal one is none when the fever was heard present only from the
    word for temperature ("temp was 36.8"; "do I have a fever? no. temp was 36.8") or in a
    clause that only believes it ("my partner thinks I've got a fever but the thermometer says
    36.8")."""
    rule = language.rules.temperature
    if rule is not None and ("ty" in normalized or "hundred" in normalized):
        normalized = _WORDED_NUMBER.sub(_number_of, normalized)  # "thirty nine this morning"
    found = (_READING.search(normalized) or _BARE_READING.search(normalized)) if rule else None
    if rule is None or found is None:
        return
    value = float(next(g for g in found.groups() if g))
    celsius = value if value < FAHRENHEIT_FROM else (value - 32) * 5 / 9
    told = [m for m in reading.mentions if m.finding == rule.finding and m.verdict == "present"]
    words = frozenset(rule.words)
    beliefs = frozenset(rule.beliefs)
    if celsius >= rule.fever_from:
        reading.state[rule.finding] = "present"
        reading.settled.add(rule.finding)  # "fever 39": the number, not the word, tells it
    elif NORMAL_FROM <= celsius < rule.normal_below and all(
        words & set(m.words.split()) or beliefs & set(clauses[m.clause].tokens) for m in told
    ):
        reading.state[rule.finding] = "absent"
        reading.settled.add(rule.finding)


def _not_how_long(reading: _Reading, clauses: list[Clause], age: int) -> None:
    """ "I am French, 27 years": the runner's age, not how long it has hurt."""
    finding = reading.frames.duration_finding
    heard = [m for m in reading.mentions if m.finding == finding and m.verdict != "ignored"]
    aged = [
        m
        for m in heard
        if any(
            t == str(age) and clauses[m.clause].tokens[i + 1 : i + 2] in (("years",), ("year",))
            for i, t in enumerate(clauses[m.clause].tokens)
        )
    ]
    if not aged:
        return
    rest = [m for m in heard if m not in aged]
    if rest:
        reading.state[finding] = rest[-1].verdict
    else:
        reading.state.pop(finding, None)
    why = "the runner's age, not how long"
    reading.mentions = [
        replace(m, verdict="ignored", assertion="elsewhere", why=why) if m in aged else m
        for m in reading.mentions
    ]


def _part(groups: tuple[frozenset[str], ...], mention: Mention) -> int | None:
    """Which of a finding's parts ``mention`` tells, if exactly one."""
    words = set(mention.words.split())
    hits = [i for i, group in enumerate(groups) if words & group]
    return hits[0] if len(hits) == 1 else None


def _one_part_told(language: Language, reading: _Reading) -> tuple[str, ...]:
    """A finding of several things (``parts``) that one thing tells and another denies is
    present: "warm to the touch, and no, it's not red"."""
    notes = []
    for finding, groups in language.parts.items():
        if reading.state.get(finding) != "absent":
            continue
        told = [m for m in reading.mentions if m.finding == finding and m.verdict != "ignored"]
        present = {_part(groups, m) for m in told if m.verdict == "present"} - {None}
        denied = {_part(groups, m) for m in told if m.verdict != "present"}
        if present and None not in denied and not present & denied:
            reading.state[finding] = "present"
            notes.append(f"{finding} present: one part told, another denied")
    return tuple(notes)


def _later_of_opposites(
    language: Language, state: dict[str, str], mentions: list[Mention]
) -> None:
    """Of two opposite findings both said present, the one said last stands."""
    for pair in language.rules.opposites:
        if all(state.get(f) == "present" for f in pair):
            said = [m for m in mentions if m.finding in pair and m.verdict == "present"]
            earlier = next(f for f in pair if f != said[-1].finding)
            state[earlier] = "absent"


def _scored(language: Language, reading: _Reading, normalized: str, last: int) -> None:
    """What pain scores out of ten tell, of findings nothing else in the message told; kept from
    the learned reading, as is what the words told alike ("sitting and lying in bed 0")."""
    scores = language.scores
    if scores is None or not _DIGIT.search(normalized):
        return
    for told in scores.told(normalized):
        outcome = "present" if told.present else "absent"
        if told.finding not in reading.state:
            assertion = Assertion.PRESENT if told.present else Assertion.ABSENT
            verdict = Verdict(assertion, "told by pain scores")
            reading.note(told.finding, told.words, verdict, last, phrase="pain scores")
        if reading.state.get(told.finding) == outcome:
            reading.settled.add(told.finding)


def _written_for_someone(lexicon: Lexicon, clauses: list[Clause]) -> bool:
    """Whether the message names someone it is written for ("my son is 13, he's limping", or
    only "he" or "she") and says nothing of the writer: a word of the writer stands only in the
    phrase that names the other ("my son") or in words that ask ("what should I do?"), so "my
    daughter had a fever but I'm fine" is the writer's message."""
    language = lexicon.language
    typed = {token for clause in clauses for token in clause.tokens}
    alone = bool(language.proxy_alone & typed)  # "he cant put any weight on it"
    if alone and not language.proxy_writer & typed:
        return True
    theirs = (  # "my wife has swelling on her hip" alone is someone else's, not a proxy
        bool(language.proxy_relative_keys & typed)
        and len({c.sentence for c in clauses}) >= PROXY_SENTENCES
        and _tells_their_hip(language, clauses)
    )
    if (
        not theirs
        and not alone
        and not language.proxy_keys & typed
        and not any(t.isdigit() or (t[0].isdigit() and t.endswith("yo")) for t in typed)
    ):  # "my 10 yr old", "my 14yo"
        return False
    named = relative = own = False
    for clause in clauses:
        tokens = clause.tokens
        spans = [
            (start, start + len(phrase))
            for start, token in enumerate(tokens)
            for phrase in language.proxy_phrases.get(token, ())
            if tokens[start : start + len(phrase)] == phrase
        ]
        relative = relative or any(tokens[s:e] in language.proxy_relatives for s, e in spans)
        own = own or any(
            token in language.proxy_writer and not any(s <= i < e for s, e in spans)
            for i, token in enumerate(tokens)
        )
        naming = [
            span
            for span in spans
            if tokens[span[0] : span[1]] in language.proxy_for_whom
            or (theirs and tokens[span[0] : span[1]] in language.proxy_relatives)
        ]
        naming += _named_before_age(language, tokens) + _one_of_them(language, tokens)
        named = named or bool(naming)
        spans += naming
        if _speaks_of_writer(language, tokens, spans):
            return False
    # "hurts when she lies on it and when I press on it"; "my wife's hip clicks when she runs"
    # and "he thinks it's my back, I have pain down to my calf" stay someone else's
    return named or (alone and not relative and not own)


def _tells_their_hip(language: Language, clauses: list[Clause]) -> bool:
    """Whether the message tells of another person's hip ("his hip", "my wife's groin")."""
    told = f" {' '.join(' '.join(c.tokens) for c in clauses)} "
    return any(f" {' '.join(p)} " in told for p in language.proxy_their_hip)


def _named_before_age(language: Language, tokens: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where a phrase names someone by their age: "my 10 yr old", "my 14yo", "she's 13"."""
    return [
        (start, start + len(phrase) + 1)
        for start, token in enumerate(tokens[:-1])
        for phrase in language.proxy_for_whom_aged.get(token, ())
        if tokens[start : start + len(phrase)] == phrase
        and start + len(phrase) < len(tokens)
        and tokens[start + len(phrase)][0].isdigit()
    ]


def _one_of_them(language: Language, tokens: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where a phrase picks one of a group: "one of my under 15 girls"."""
    found = []
    for start, token in enumerate(tokens):
        for phrase in language.proxy_one_of.get(token, ()):
            end = start + len(phrase)
            if tokens[start:end] != phrase:
                continue
            group = next(
                (i for i in range(end, min(end + ONE_OF_REACH, len(tokens)))
                 if tokens[i] in language.proxy_people),
                None,
            )  # fmt: skip
            if group is not None:
                found.append((start, group + 1))
    return found


def _speaks_of_writer(
    language: Language, tokens: tuple[str, ...], spans: list[tuple[int, int]]
) -> bool:
    """Whether a clause tells of the writer: a word of theirs outside the phrases that name
    the other or ask, unless it only tells their role ("I coach her"), or of another body part
    of theirs, or follows a word naming the other ("she's staying with me")."""
    typed = set(tokens)
    if language.proxy_roles & typed and not language.pain_words & typed:
        return False
    if _writer_aside(language, tokens):
        return False  # "honestly my own lower back has been killing me"
    named_at = next((i for i, t in enumerate(tokens) if (t,) in language.proxy_they), None)
    return any(
        token in language.proxy_writer
        and not any(s <= i < e for s, e in spans)
        and not (
            token in language.proxy_writer_as_object and named_at is not None and named_at < i
        )
        for i, token in enumerate(tokens)
    )


def _writer_aside(language: Language, tokens: tuple[str, ...]) -> bool:
    """Whether a clause tells of a body part of the writer's that is not the hip."""
    return not language.hip_words & set(tokens) and any(
        token in language.proxy_writer_elsewhere
        and "my" in tokens[max(0, i - WRITER_PART_REACH) : i]
        for i, token in enumerate(tokens)
    )


def _echoing(language: Language, tokens: tuple[str, ...]) -> bool:
    """A short clause that says it is as the one before: "redness too", "so is the side"."""
    return len(tokens) <= ECHO_WORDS and (
        any(tokens[-len(tail) :] == tail for tail in language.echo_tails)
        or _has_any_opening(tokens, language.echo_openings)
    )


def _has_any(tokens: tuple[str, ...], phrases: tuple[str, ...]) -> bool:
    text = f" {' '.join(tokens)} "
    return any(f" {phrase} " in text for phrase in phrases)


def _near_numbers(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """``pattern``'s matches near the numbers of ``text`` (from :data:`AGE_BEFORE` characters
    before a number to :data:`AGE_AFTER` after it): every age pattern holds a number, and the
    patterns are many, so scanning only around the numbers keeps a long story fast."""
    windows: list[list[int]] = []
    for number in _NUMBER.finditer(text):
        start, end = max(0, number.start() - AGE_BEFORE), number.end() + AGE_AFTER
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [m for start, end in windows for m in pattern.finditer(text, start, end)]


def _age(
    normalized: str,
    state: dict[str, str],
    *,
    for_someone: bool,
    writer_own: frozenset[tuple[str, ...]] = frozenset(),
) -> int | None:
    """The runner's age: the writer's own, or, in a message written for someone (a child), the
    age told of them; and when the writer tells no age of their own and nothing says the message
    is about their own hip (``writer_own``), the age told of someone it names."""
    spelt = "ty" in normalized or "teen" in normalized
    worded = _WORDED.sub(_digits, normalized) if spelt else normalized
    matches = _near_numbers(_AGE, worded)
    if matches:  # "fever yes, 38 and shivery": a temperature, not an age
        readings = {m.span(1) for m in _READING.finditer(worded)}
        matches = [m for m in matches if _number_span(m) not in readings]
    theirs = [m for m in matches if any(m.group(g) for g in _CHILD_AGE_GROUPS)]
    corrected = _CORRECTION.search(worded)
    if for_someone:
        theirs += _near_numbers(_THEIR_AGE, worded)
        own = theirs or matches
    else:
        own = [m for m in matches if m not in theirs]
        if not own and not _says_any(normalized, writer_own):
            told_of = _near_numbers(_THEIR_AGE, worded)
            own = theirs + told_of if corrected else theirs or told_of
    if corrected:  # "my son is 9, but I should have said, it's his sister ... she's 17"
        own = [m for m in own if m.start() > corrected.end()] or own
    own.sort(key=lambda m: m.group(1) is None)  # "it's 90 years old even though I'm 27"
    age = int(next(g for g in own[0].groups() if g)) if own else None
    if own and own[0].group(0).startswith(_SAYS_AGE) and _NOT_YET.match(worded, own[0].end()):
        age = None if age is None else age - 1  # "I'm 45 on Friday", "she's 45 next month"
    if age is not None and not 1 <= age <= MAX_AGE:
        age = None
    decade = next(  # "my dad had his hips done in his 60s" tells no age of the runner
        (
            m
            for m in _DECADE.finditer(normalized)
            if (for_someone or m.group(1) in (None, "my"))
            and not _PAST_DECADE.search(normalized, 0, m.start(3))
        ),
        None,
    )
    if age is not None:
        youngest = oldest = age
    elif decade is not None:
        first, last = _PART_OF_DECADE[decade.group(2)]
        youngest, oldest = int(decade.group(3)) * 10 + first, int(decade.group(3)) * 10 + last
    else:
        return None
    if youngest >= ADULT_AGE:
        state[UNDER_16] = "absent"
    elif oldest < ADULT_AGE:
        state[UNDER_16] = "present"
    if youngest >= OLDER_AGE:
        state[OVER_45] = "present"
    elif oldest < OLDER_AGE:  # "in my 40s" tells neither
        state[OVER_45] = "absent"
    return age


def _number_span(match: re.Match[str]) -> tuple[int, int]:
    """Where the number of an age pattern's match stands."""
    return next(match.span(g) for g in range(1, len(match.groups()) + 1) if match.group(g))


def _says_any(normalized: str, phrases: frozenset[tuple[str, ...]]) -> bool:
    """Whether the message holds any of ``phrases`` (whole words)."""
    padded = f" {' '.join(tokenize(normalized))} "
    return any(f" {' '.join(phrase)} " in padded for phrase in phrases)


def _denial_elsewhere(
    parts: tuple[tuple[int, int], ...], used: set[int], denying: list[tuple[int, int]]
) -> bool:
    """Whether a denying pair's denying words belong to another phrase: one read present, or
    an absent one that holds none of the pair's other words."""
    (first, last), others = parts[-1], parts[:-1]
    if used & set(range(first, last)):
        return True
    return any(
        start <= first and last <= end and not any(start <= a and b <= end for a, b in others)
        for start, end in denying
    )


class _Reading:
    """The state of one reading: what each finding is, and every mention with its reason."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.language = lexicon.language
        self.frames = lexicon.frames
        self.state: dict[str, str] = {}
        self.mentions: list[Mention] = []
        self.settled: set[str] = set()
        """Findings read from more than the words a learned reading weighs: a denial turned round
        by the next clause, a temperature told as a number."""
        self.pain_in_message = False
        self.since_sentences: frozenset[int] = frozenset()
        self.questions: frozenset[int] = frozenset()
        self.felt_sentences: frozenset[int] = frozenset()
        self.where_it_hurts: frozenset[int] = frozenset()
        """Replies to a question about the pain: every place they name hurts."""
        self.pained_clauses: set[int] = set()
        self.excepted: set[int] = set()
        """Clauses opened by an exception ("other than the clicking"), which no reply or
        elliptic denial after them reaches."""
        self.framed: dict[int, tuple[str, ...]] = {}
        """Each clause's tokens as the frames and pairs read them."""
        self.before: tuple[int, tuple[str, ...]] = (-1, ())
        """The sentence and the frame tokens of the clause read last."""

    def note(self, finding: str, words: str, verdict: Verdict, index: int, **how: str) -> None:
        outcome = VERDICTS[verdict.assertion]
        mention = Mention(
            finding, how.get("phrase", ""), words, outcome, int(how.get("edits", "0")),
            verdict.assertion.value, verdict.why, index,
        )  # fmt: skip
        self.mentions.append(mention)
        if outcome == "present" and finding in self.language.pain_findings:
            self.pained_clauses.add(index)
        framed_again = "frame" in how and finding in self.state
        # "No periods for a year ... Is this a stress fracture?": the question keeps what was told
        told = self.state.get(finding) == "present"
        asked_after = outcome == "hedged" and index in self.questions and told
        if outcome != "ignored" and not framed_again and not asked_after:
            self.state[finding] = outcome

    def _load_told_on(self, sentence: int, framed: tuple[str, ...]) -> list[FrameHit]:
        """A change in load told across a comma ("I ran a half on Sunday, my first ever"; "5 km
        every morning, no change"): the clause before in the sentence read with this one, kept
        when it reaches into this one."""
        last_sentence, last = self.before
        if last_sentence != sentence or not last:
            return []
        if not (spans(framed, self.frames.verbs) or spans(last, self.frames.verbs)):
            return []  # a change needs a word of change on one side of the comma
        joined = last + framed
        hits = self.frames.training(joined, " ".join(joined))
        return [
            replace(hit, span=(max(0, hit.span[0] - len(last)), hit.span[1] - len(last)))
            for hit in hits
            if hit.span[1] > len(last)
        ]

    def _pain_told(self) -> bool:
        """Whether the message has a word for pain, or has told a pain finding so far, present
        or denied ("nothing at night, nothing at rest, only on the run")."""
        return self.pain_in_message or any(
            m.finding in self.language.pain_findings and m.verdict in ("present", "absent")
            for m in self.mentions
        )

    def _denied_before(self) -> bool:
        """Whether the message has denied something so far: a clause led by "just" or "only"
        after it names what is left."""
        return any(m.verdict == "absent" for m in self.mentions)

    def _pain_heard(self, index: int) -> bool:
        """Whether clause ``index`` has told a pain finding as present (a location found with
        its pain, knee pain, pain down the leg)."""
        return index in self.pained_clauses

    def said_in(self, index: int) -> bool:
        """Whether clause ``index`` has been read with any finding in it."""
        return any(m.clause == index and m.verdict != "ignored" for m in self.mentions)

    def answered(
        self, first: int, yes: bool, asked: bool, asks_fine: bool = False, ability: bool = False
    ) -> None:
        """The question's (or, not ``asked``, the bare topic's) mentions from ``first`` on, as
        the reply after it says; ``asks_fine``: the question asked whether all is well;
        ``ability``: the reply is a bare yes or no that an ability's topic turns round."""
        abilities = self.language.ability_findings if ability else frozenset()
        for i, m in enumerate(self.mentions[first:], first):
            if m.clause in self.excepted:
                continue  # "Other than the clicking, nothing."
            if m.verdict in ("present", "absent") or m.why == TOPIC_ONLY:  # "Red? No."
                verdict = "present" if yes != asks_fine else "absent"  # "Bladder ok? Yep."
                turned = m.finding in abilities and (
                    m.why == TOPIC_ONLY or (asked and m.why == ABSENT_PHRASE)
                )
                if turned and not yes:
                    verdict = "present"  # "Can you bear weight? No"
                elif turned and m.why == TOPIC_ONLY:
                    if m.finding not in self.language.ability_yes_denies:
                        continue  # "can he walk? yes" says nothing of a limp
                    verdict = "absent"  # "Could I bear weight? yes"
                # "Walks ok? Yeah." and "can still walk, but it hurts" affirm that it is absent
                elif m.why in (ABSENT_PHRASE, DENYING_PAIR):
                    verdict = "absent" if yes or not asked else "hedged"  # "not worse, no"
                why = f"{ANSWERED}{'yes' if yes else 'no'} right after the question"
                self.mentions[i] = replace(m, verdict=verdict, assertion=verdict, why=why)
                self.state[m.finding] = verdict

    def deny_before(
        self,
        clauses: list[Clause],
        index: int,
        skip: frozenset[str],
        others_only: bool = False,
        sentence: int | None = None,
        topics: bool = False,
        since: int = 0,
    ) -> None:
        """An elliptic denial: what the clauses before it in its sentence (or in ``sentence``),
        from clause ``since`` on, said is absent (with ``others_only``, only what they said of
        someone else or another body part; with ``topics``, the topics it named too: "bladder
        and bowel, all normal")."""
        sentence = clauses[index].sentence if sentence is None else sentence
        for i, m in enumerate(self.mentions):
            if m.finding in skip or not since <= m.clause < index or m.clause in self.excepted:
                continue
            if clauses[m.clause].sentence != sentence:
                continue
            scoped = m.why.startswith(("elsewhere cue", "other_person cue")) or (
                topics and m.why == TOPIC_ONLY
            )
            # "she keeps asking if my hip clicks. it doesn't": what was asked about is denied
            asked = (
                m.verdict == "hedged"
                and m.why.startswith("hypothetical cue")
                and m.why.endswith((" if' before", " whether' before", " about' before"))
            )
            if scoped or ((m.verdict == "present" or asked) and not others_only):
                why = "denied by an elliptic clause after"
                self.mentions[i] = replace(m, verdict="absent", assertion="absent", why=why)
                self.state[m.finding] = "absent"

    def _their_time(self, sentence: int, tokens: tuple[str, ...], told: set[str]) -> bool:
        """Whether a time in a clause of ``tokens`` is that of what it told (a load, a missed
        period), not how long the hip has hurt: no pain in it, no "since" on, no "it started"."""
        if not told & self.frames.told_of:
            return False
        if self.language.pain_words.intersection(tokens):
            return False
        if any(s >= sentence for s in self.since_sentences):  # "... ever since"
            return False
        return not (
            tokens[:1] in (("started",), ("began",))
            or any(tokens[i : i + 2] in self.language.it_began for i in range(len(tokens) - 1))
        )  # "it started about two months ago when I signed up for a half"

    def regain_before(self, language: Language, clauses: list[Clause], index: int) -> None:
        """An inability told in the past before a clause that says the ability is back, in its
        sentence or the one before, is over: "couldn't put weight on it for a day, but I can
        now", "... It's 4 days later and I can hobble"."""
        sentences = {clauses[index].sentence, clauses[index].sentence - 1}
        for i, m in enumerate(self.mentions):
            if (
                m.finding in language.regained_findings
                and m.verdict == "present"
                and m.clause < index
                and clauses[m.clause].sentence in sentences
                and language.regained_past.intersection(clauses[m.clause].tokens)
            ):
                why = "an inability over by a later clause"
                self.mentions[i] = replace(m, verdict="absent", assertion="resolved", why=why)
                self.state[m.finding] = "absent"

    def told_after_all(
        self, clauses: list[Clause], index: int, why: str, only: frozenset[str] | None = None
    ) -> None:
        """What the clause just before ``index``, in its sentence, denied (of ``only``, when
        given) is present after all: "no pain while running, only after", "it never used to
        click but now it does"."""
        for i, m in enumerate(self.mentions):
            if (
                (only is None or m.finding in only)
                and m.verdict == "absent"
                and m.clause == index - 1
                and clauses[m.clause].sentence == clauses[index].sentence
            ):
                self.mentions[i] = replace(m, verdict="present", assertion="present", why=why)
                self.state[m.finding] = "present"
                self.settled.add(m.finding)

    def set_aside(self, indices: set[int]) -> None:
        """What the clauses ``indices`` told is the writer's, in a message written for someone
        else ("my own knee is sore from gardening"): not the runner's."""
        for i, m in enumerate(self.mentions):
            if m.clause in indices and m.verdict != "ignored":
                why = "the writer's own aside"
                self.mentions[i] = replace(m, verdict="ignored", assertion="other_person", why=why)
        for finding in {m.finding for m in self.mentions if m.clause in indices}:
            kept = {m.verdict for m in self.mentions if m.finding == finding}
            verdict = next((v for v in ("present", "absent", "hedged") if v in kept), None)
            if verdict is None:
                self.state.pop(finding, None)
            else:
                self.state[finding] = verdict

    def told_unpained(self, index: int) -> bool:
        """Whether clause ``index`` told a finding that is no pain (swelling, numbness) present."""
        not_pain = self.language.elliptic_not_pain
        return index >= 0 and any(
            m.clause == index and m.finding in not_pain and m.verdict == "present"
            for m in self.mentions
        )

    def doubt_before(self, clauses: list[Clause], index: int) -> None:
        """What the clauses before ``index`` in its sentence said present is left unsaid: the
        runner doubts it ("my wife reckons I'm walking funny, I don't think I am")."""
        sentence = clauses[index].sentence
        for i, m in enumerate(self.mentions):
            if (
                m.clause < index
                and clauses[m.clause].sentence == sentence
                and m.verdict == "present"
            ):
                why = "doubted by the clause after"
                self.mentions[i] = replace(m, verdict="hedged", assertion="hypothetical", why=why)
                self.state[m.finding] = "hedged"

    def onset_not_activity(self, clauses: list[Clause]) -> None:
        """In a sentence that tells a sudden onset or an injury, an activity (a frame or a
        phrase) says when it happened ("suddenly, mid-interval, a stab"), not that running makes
        it worse, unless its clause says the pain goes on ("every jog since has hurt")."""
        onset = self.frames.activity_not_with
        struck = {
            clauses[m.clause].sentence
            for m in self.mentions
            if m.finding in onset and m.verdict == "present"
        }
        for i, m in enumerate(self.mentions):
            action = self.frames.struck_also.get(m.finding, frozenset())
            if (
                m.verdict == "present"
                and clauses[m.clause].sentence in struck
                and action & set(m.words.split())
                and not self.frames.ongoing & set(clauses[m.clause].tokens)
            ):
                why = "the action when it struck"
                self.mentions[i] = replace(m, verdict="ignored", assertion="elsewhere", why=why)
                if not any(
                    n.finding == m.finding and n.verdict == "present" for n in self.mentions
                ):
                    self.state.pop(m.finding, None)
        finding = self.frames.activity_finding
        told = [
            i
            for i, m in enumerate(self.mentions)
            if m.finding == finding and m.verdict == "present"
        ]
        if not told:
            return
        for i in told:
            m = self.mentions[i]
            ongoing = self.frames.ongoing & set(clauses[m.clause].tokens)
            if clauses[m.clause].sentence in struck and not ongoing:
                why = "the activity when it struck"
                self.mentions[i] = replace(m, verdict="ignored", assertion="elsewhere", why=why)
        if all(self.mentions[i].verdict == "ignored" for i in told):
            self.state.pop(finding, None)

    def _pair(
        self,
        index: int,
        tokens: tuple[str, ...],
        pair: PairHit,
        cues: list[CueAt],
        findings: set[str],
        used: set[int],
        hedged: bool,
        inherited: bool = False,
        denying: list[tuple[int, int]] | None = None,
    ) -> None:
        """Note a word pair of clause ``index``, asserted by the cues around its parts (and by
        a denial carried over a list: "no numbness, tingling or difficulty with my waterworks").
        ``denying``: the absent phrases read in the clause: a denying word in one that holds no
        other part of the pair denies that phrase's finding ("worse on runs and fine when
        resting"), not the pair's."""
        taken = not pair.shares and any(used & set(range(*part)) for part in pair.parts)
        if not pair.denies and (pair.finding in findings or taken):
            return  # a denying pair may overrule its clause ("lying on it is no worse")
        if pair.denies and any(a <= 1 and tokens[b : b + 1] == ("so",) for a, b in pair.parts):
            return  # "okay so, my daughter runs": a word that opens the telling, no denial
        if pair.denies and _denial_elsewhere(pair.parts, used, denying or []):
            return  # "worse on runs and fine when resting": "fine" denies the rest, not runs
        inside = {i for a, b in pair.parts for i in range(a, b)}
        if pair.denies and any(
            t in self.language.negative_words for i, t in enumerate(tokens) if i not in inside
        ):
            return  # "I can't walk normally": a denial of the denial is no denial
        own = [c for c in cues if not any(c.start < b and a < c.end for a, b in pair.parts)]
        verdict = strongest(
            assess(self.language, tokens, part, pair.finding, own) for part in pair.parts
        )
        wrapped = any(  # "with no pain" holds the pair's pain word: the denial is its own
            c.cue.means is CueMeaning.NEGATED
            and c.start <= a
            and b <= c.end
            and c.end - c.start > b - a
            for c in cues
            for a, b in pair.parts
        )
        if wrapped and not pair.denies and verdict.assertion is Assertion.PRESENT:
            verdict = Verdict(Assertion.ABSENT, "a denial around a part of the pair")
        if inherited and not pair.denies and verdict.assertion is Assertion.PRESENT:
            verdict = Verdict(Assertion.ABSENT, "denial carried over a list")
        if hedged and verdict.assertion in (Assertion.PRESENT, Assertion.ABSENT):
            verdict = Verdict(Assertion.HYPOTHETICAL, "question or hedge")
        if pair.denies and verdict.assertion is Assertion.PRESENT:
            verdict = Verdict(Assertion.ABSENT, DENYING_PAIR)
        elif pair.denies:  # "can't walk normally": not turned round, left unsaid
            verdict = Verdict(Assertion.HYPOTHETICAL, f"a denying pair under {verdict.why}")
        words = " + ".join(" ".join(tokens[a:b]) for a, b in pair.parts)
        now = bool(self.language.now_words & set(tokens))  # "... now it's ok to walk on"
        told = verdict.assertion is Assertion.PRESENT and not any(
            m.finding == pair.finding and m.clause == index and m.verdict != "ignored"
            for m in self.mentions
        )  # a later clause telling it outweighs an earlier one denying it
        how = (
            {} if (pair.denies and (pair.finding in findings or now)) or told else {"frame": "yes"}
        )
        self.note(pair.finding, words, verdict, index, phrase="word pair", **how)

    def deny_asked(
        self, clauses: list[Clause], index: int, skip: frozenset[str] = frozenset()
    ) -> None:
        """An elliptic denial opening a sentence after the runner's own question: what the
        question asked about, or took as true, is absent ("Is it bad if the skin goes red?
        Mine hasn't.", "Is it normal for it to go numb? Because it doesn't")."""
        sentence = clauses[index].sentence
        asked = {c.sentence for c in clauses[:index] if c.question}
        recent = asked & set(range(sentence - ASKED_REACH, sentence))
        for i, m in enumerate(self.mentions):
            if m.finding in skip or m.why.startswith(ANSWERED):  # "Able to walk? no"
                continue
            said = clauses[m.clause]
            if said.question and said.tokens[-1:] in self.language.fine_endings:
                continue  # "Bladder ok? No, I keep needing to go": a no to "all well?"
            presumed = m.verdict == "present" and said.question  # "is it normal"
            if said.sentence in recent and (m.verdict == "hedged" or presumed):
                why = "denied after the runner's own question"
                self.mentions[i] = replace(m, verdict="absent", assertion="absent", why=why)
                self.state[m.finding] = "absent"

    def resolve_back(
        self,
        clauses: list[Clause],
        index: int,
        cues: tuple[Cue, ...],
        sentence: int | None = None,
    ) -> None:
        """Resolve the nearest clause before ``index`` in ``sentence`` (by default its own) that
        said something present ("clicking ..., couldn't sit ..., but the physio sorted all
        that"; "I couldn't lie on it. That's all cleared up now.")."""
        within = clauses[index].sentence if sentence is None else sentence
        everything = "all" in clauses[index].tokens  # "That's all settled now."
        for j in range(index - 1, -1, -1):
            if clauses[j].sentence > within:
                continue
            if clauses[j].sentence != within:
                return
            said = {m.finding for m in self.mentions if m.clause == j and m.verdict == "present"}
            if said - {self.frames.duration_finding}:
                self.resolve(j, cues)
                if not everything:
                    return

    def echo(self, index: int, first: int) -> None:
        """Clause ``index`` (its mentions from ``first`` on) is as the clause before it denied
        or resolved: "Swelling's gone down now, redness too"."""
        before = [m for m in self.mentions[:first] if m.clause == index - 1]
        told = [  # "the knee pain has gone": the course it tells is no finding to echo
            m
            for m in before
            if m.verdict in ("absent", "present") and m.finding not in self.language.transparent
        ]
        if not told or any(m.verdict != "absent" for m in told):
            return
        for i, m in enumerate(self.mentions[first:], first):
            course = m.finding in self.language.transparent  # "the pain's settling too"
            if m.verdict == "present" and m.clause == index and not course:
                why = "as the denial in the clause before it"
                self.mentions[i] = replace(m, verdict="absent", assertion="absent", why=why)
                self.state[m.finding] = "absent"

    def no_course_of(self, index: int) -> None:
        """A closing clause after a symptom ("stiff in the mornings, but that's settled now";
        "... limping for days. That's all settled now.") tells that symptom over, not the pain
        easing: its course words are no course. After a place of pain it is the pain that
        settled."""
        before = [
            m
            for m in self.mentions
            if m.clause == index - 1
            and m.verdict != "ignored"
            and m.finding not in self.language.transparent
        ]
        if not before:
            return
        if any(m.finding in self.language.locations for m in before):
            return  # "sore on the side for ages, but it's settled": the pain itself
        for i, m in enumerate(self.mentions):
            if m.clause == index and m.finding in self.language.transparent:
                why = "the close of what the clause before told"
                self.mentions[i] = replace(m, verdict="ignored", assertion="elsewhere", why=why)
                if not any(
                    n.finding == m.finding and n.verdict != "ignored" for n in self.mentions
                ):
                    self.state.pop(m.finding, None)

    def drop_duration(self, index: int) -> None:
        """Forget a duration heard in clause ``index`` alone."""
        finding = self.frames.duration_finding
        heard = [m for m in self.mentions if m.finding == finding and m.verdict != "ignored"]
        if heard and all(m.clause == index for m in heard):
            self.state.pop(finding, None)

    def resolve(self, index: int, cues: tuple[Cue, ...] = ()) -> None:
        """What clause ``index`` said is present is over now: absent. How long ago it began is
        still how long ago it began."""
        for i, m in enumerate(self.mentions):
            if m.clause == index and m.finding == self.frames.duration_finding:
                why = "how long a resolved episode lasted"
                self.mentions[i] = replace(m, verdict="ignored", assertion="elsewhere", why=why)
                if not any(
                    n.finding == m.finding and n.clause != index and n.verdict != "ignored"
                    for n in self.mentions
                ):
                    self.state.pop(m.finding, None)
            elif m.clause == index and m.verdict == "present":
                if cues and not any(cue.applies_to(m.finding) for cue in cues):
                    continue
                why = "resolved by the clause after"
                self.mentions[i] = replace(m, verdict="absent", assertion="resolved", why=why)
                self.state[m.finding] = "absent"

    def clause(
        self,
        index: int,
        clause: Clause,
        hedged: bool,
        inherited: bool,
        pain_in_sentence: bool,
        where_of: bool = False,
    ) -> bool:
        """Read one clause; return whether a denial reaches its end (for the next list item).
        ``where_of``: the clause before told a finding that is no pain, which a place alone in
        this one locates."""
        language = self.language
        tokens = _unslipped(self.lexicon, self.lexicon.expand(clause.tokens))
        if _has_any_opening(tokens, language.exceptions):
            self.excepted.add(index)
        cues = find_cues(language, tokens)
        found = _find(self.lexicon, tokens)
        framed = self.lexicon.frame_tokens(tokens)
        self.framed[index] = framed
        pairs = self.frames.paired(framed)
        owned = [
            (f[1], f[2])
            for f in found
            if f[0].polarity != "subject" and f[0].finding not in language.transparent
        ]
        parts = [part for pair in pairs if not pair.denies for part in pair.parts]
        denials = language.negative_words
        ended = [  # "the front doesn't hurt anymore": a course told as an end denies the place
            (f[1], f[2])
            for f in found
            if f[0].finding in language.transparent
            and f[0].polarity == "present"
            and language.ended_words & set(tokens[f[1] : f[2]])
        ]
        negative = [
            (f[1], f[2])
            for f in found
            if denials & set(tokens[f[1] : f[2]]) and (f[1], f[2]) not in ended
        ]
        cues = [
            c
            for c in cues
            if not any(s <= c.start and c.end <= e for s, e in owned)
            and not any(c.start < e and s < c.end and c.end <= e for s, e in negative)
            and not any(s <= c.start and c.end <= e for s, e in parts)
        ]
        idiomatic = {i for f in found if f[0].finding == IDIOM for i in range(f[1], f[2])}
        found = [f for f in found if f[0].finding != IDIOM]
        findings = {f[0].finding for f in found if f[0].polarity != "subject"}
        used: set[int] = set()
        denying: list[tuple[int, int]] = []  # absent phrases read ("fine when I am resting")
        compared = False  # a load phrase read as a comparison leaves the frame to read the load
        shared: set[int] = set()  # taken by a finding the activity frame may share words with
        denied_to_end = False
        closing = [c for c in cues if c.cue.means is CueMeaning.RESOLVED]
        symptoms = findings - language.transparent
        told_before: Verdict | None = None
        denied_until: dict[str, int] = {}
        led = self.frames.led(tokens) is not None  # "only on runs", "it's only sprinting"
        denied_before = self._denied_before()
        own_time = self._their_time(  # "periods stopped a few months back"; a load's time is
            clause.sentence, tokens, findings - {self.frames.training_finding}
        )  # when the pain began: "three weeks ago I doubled my mileage" tells the course
        for pattern, start, end, edits in found:
            verdict = assess(language, tokens, (start, end), pattern.finding, cues)
            if pattern.finding == self.frames.duration_finding and own_time:
                verdict = Verdict(Assertion.ELSEWHERE, "the time of what the clause told")
            if told_before is not None and verdict.assertion is Assertion.PRESENT:
                echo = any(tokens[max(0, start - len(e)) : start] == e for e in language.echoes)
                joined = denied_until.get(pattern.finding) == start - 1 and tokens[start - 1] in (
                    "and",
                    "or",
                    "nor",
                )  # "fine at rest and at night"
                verdict = told_before if echo or joined else verdict  # "... and so are stairs"
            ends_another = symptoms and any(c.start <= start and end <= c.end for c in closing)
            if pattern.finding in language.transparent and ends_another:
                verdict = Verdict(Assertion.ELSEWHERE, "another symptom's end, not the course")
            course = pattern.finding in language.transparent  # "not better, every day worse"
            if inherited and verdict.assertion is Assertion.PRESENT and not course:
                verdict = Verdict(Assertion.ABSENT, "denial carried over a list")
            if hedged and verdict.assertion in (Assertion.PRESENT, Assertion.ABSENT):
                verdict = Verdict(Assertion.HYPOTHETICAL, "question or hedge")
            verdict = _polarity(language, pattern, verdict, (start, end), tokens)
            comparing = end < len(tokens) and tokens[end] in self.frames.not_before
            if pattern.finding == self.frames.training_finding and comparing:
                verdict = Verdict(Assertion.ELSEWHERE, "a comparison, not a change")
                compared = True  # "running more than 8 km since I changed to trail"
            others = len(findings - language.locations)
            denied = verdict.assertion in (Assertion.ABSENT, Assertion.RESOLVED)
            pained = bool(findings & set(language.rules.locations.pained_by))
            pained = pained or index in self.where_it_hurts
            located = _located(
                language, pattern, tokens, others, pain_in_sentence, denied, pained,
                felt_in_message=bool(self.felt_sentences) or (
                    led and denied_before
                ),  # "not stiff, no limp, it's just the side of my hip when I run"
                where_of=where_of,
            )  # fmt: skip
            if verdict.assertion is not Assertion.HYPOTHETICAL and not located:
                verdict = Verdict(Assertion.ELSEWHERE, UNPAINED)
            borrowed = led and (
                (len(tokens) <= LED_FRAGMENT_WORDS and self._pain_told()) or denied_before
            )  # "Used to hurt at night. Just during runs now."; "fine in bed, its only on the run"
            unpained = (
                pattern.finding == self.frames.activity_finding
                and not pain_in_sentence
                and not borrowed
                and not (denials | language.until_words) & set(tokens[start:end])
            )  # "fine till I run" tells the pain itself
            if verdict.assertion is Assertion.PRESENT and unpained:
                verdict = Verdict(Assertion.ELSEWHERE, "activity without pain")
            if pattern.polarity == "absent" and pattern.finding not in language.transparent:
                denying.append((start, end))  # not a course: "lying on it is no worse"
            if pattern.polarity == "present" and verdict.assertion is not Assertion.ELSEWHERE:
                used.update(range(start, end))
                sport = self.frames.activity_shares_with.get(pattern.finding, frozenset())
                if sport & set(tokens[start:end]):
                    shared.update(range(start, end))
            words = " ".join(tokens[start:end])
            self.note(pattern.finding, words, verdict, index, phrase=pattern.phrase,
                      edits=str(edits))  # fmt: skip
            if verdict.assertion in (Assertion.ABSENT, Assertion.RESOLVED):
                told_before = Verdict(verdict.assertion, "as the denial before it ('so are')")
                denied_until[pattern.finding] = end
            if verdict.assertion is Assertion.ABSENT and end == len(tokens):
                denied_to_end = True
        pain = [i for i, t in enumerate(tokens) if t in language.pain_words]
        hits: list[FrameHit] = []
        onset = bool(findings & self.frames.activity_not_with)
        loads: list[FrameHit] = []
        if self.frames.training_finding not in findings or compared:
            loads = self.frames.training(framed, " ".join(framed)) or self._load_told_on(
                clause.sentence, framed
            )
        changed = {  # a change of load, told or denied ("no change in training"): no activity
            i
            for hit in loads
            if not hit.absent or spans(framed[hit.span[0] : hit.span[1]], self.frames.verbs)
            for i in range(*hit.span)
            if not any(abs(i - p) <= LOAD_PAIN_REACH for p in pain)
        }
        loaded = self.frames.training_finding in self.frames.unpained_with and any(
            not hit.absent for hit in loads
        )  # "started track sessions 2 weeks ago, now the hip aches": the sessions are a load
        unpained = bool(findings & self.frames.unpained_with or loaded) and not pain
        unpained = unpained and not findings & language.pain_findings
        if self.frames.activity_finding not in findings and not unpained:
            felt = clause.sentence in self.felt_sentences or self._pain_heard(index)
            taken = frozenset((used - shared) | changed | idiomatic)  # "upped my hill reps": a
            hits += self.frames.activity(  # load, not the pain of an activity; idioms' words
                framed, pain, pain_in_sentence, onset, self._pain_told(), taken,
                felt_in_sentence=felt,  # "my outer knee after 8k"; not "no pain with it"
                contrasted=self._denied_before(),
            )  # fmt: skip
        hits += loads
        if self.frames.duration_finding not in findings:
            began = (
                bool(pain)
                or bool(language.onset_words & set(tokens))  # "since Saturday", "started Saturday"
                or bool(findings & self.frames.onset_with)
            )
            since = clause.sentence in self.since_sentences
            hits += self.frames.duration(framed, began, since)
        symptoms_alone = not pain and bool(findings) and findings <= self.frames.other_symptoms
        told = {h.finding for h in loads if not h.absent} | findings
        their_time = self._their_time(clause.sentence, tokens, told)
        for hit in hits:
            sharing = hit.finding == self.frames.activity_finding
            if ((used - shared if sharing else used) | idiomatic) & set(range(*hit.span)):
                continue  # "my tight running belt" tells no activity
            if hit.finding == self.frames.duration_finding and hit.absent and symptoms_alone:
                continue  # "shivers since last night": how long the shivers have been
            if hit.finding == self.frames.duration_finding and their_time:
                continue
            verdict = assess(language, tokens, hit.span, hit.finding, cues)
            timed = hit.finding == self.frames.duration_finding
            if timed and verdict.assertion in (Assertion.ABSENT, Assertion.RESOLVED):
                verdict = Verdict(Assertion.PRESENT, "a denial says nothing of how long")
            rough = language.approximators & set(tokens[max(0, hit.span[0] - 3) : hit.span[0]])
            if timed and verdict.assertion is Assertion.HYPOTHETICAL and rough and not hedged:
                verdict = Verdict(Assertion.PRESENT, "roughly how long")  # "maybe a month ago"
            if hedged and verdict.assertion in (Assertion.PRESENT, Assertion.ABSENT):
                verdict = Verdict(Assertion.HYPOTHETICAL, "question or hedge")
            if hit.absent and verdict.assertion is Assertion.PRESENT:
                verdict = Verdict(Assertion.ABSENT, hit.why)
            elif verdict.assertion is Assertion.PRESENT:
                verdict = Verdict(Assertion.PRESENT, hit.why)
            words = " ".join(tokens[hit.span[0] : hit.span[1]])
            self.note(hit.finding, words, verdict, index, phrase=hit.why, frame="yes")
        for pair in pairs:
            self._pair(index, tokens, pair, cues, findings, used, hedged, inherited, denying)
        ends_denied = any(
            c.cue.means is CueMeaning.NEGATED
            and c.cue.direction is not CueDirection.BACKWARD
            and len(tokens) - c.end <= c.cue.window
            and not c.cue.only_for
            for c in cues
        )
        flipped = any(
            m.clause == index and m.why.startswith(FLIPPED_WHY) for m in self.mentions
        )  # "I don't feel well at all, feverish": that denial was spent on "feel well"
        self.before = (clause.sentence, framed)
        return (ends_denied or denied_to_end) and not hedged and not flipped


MAX_READ = 4096
"""The most of one message the reader reads: a runner's account of their hip fits many times
over, and reading costs time in proportion to length. This is the core's own budget (any
caller of the engine gets it); each channel also caps what it accepts (``Channel.max_text``)."""


def understand(text: str, lexicon: Lexicon, *, for_someone: bool = False) -> Understanding:
    """Map one free-text message onto findings, each present, absent or hedged (its first
    :data:`MAX_READ` characters). ``for_someone``: the conversation is written for someone else
    (a child), whom "he" and "she" name, as an earlier message told."""
    normalized = normalize_text(text[:MAX_READ])
    unlabelled = without_interview_labels(normalized)  # "Q: age? A: 63" reads "age? 63"
    clauses = split_normalized(normalized) if unlabelled is None else split_interview(unlabelled)
    for_someone = for_someone or _written_for_someone(lexicon, clauses)
    if for_someone:
        lexicon = lexicon.for_someone_else
    reading = _Reading(lexicon)
    pain_words = lexicon.language.pain_words
    pain_sentences = {c.sentence for c in clauses if pain_words & set(c.tokens)}
    reading.pain_in_message = bool(pain_sentences)
    reading.where_it_hurts = frozenset(  # "Q: where is the pain? A: outside of hip and down..."
        i
        for i, c in enumerate(clauses)
        if c.reply
        and (pain_words & set(clauses[i - 1].tokens) or clauses[i - 1].tokens[:1] == ("where",))
    )  # "Q: where? A: outer hip and outer knee"
    reading.felt_sentences = frozenset(
        c.sentence for c in clauses if _felt_pain(lexicon.language, c.tokens)
    )
    reading.since_sentences = frozenset(c.sentence for c in clauses if "since" in c.tokens)
    reading.questions = frozenset(i for i, c in enumerate(clauses) if c.question)
    asked = {c.sentence for c in clauses if c.question}
    listed = _listed_questions(lexicon.language, clauses) if asked else {}
    listed_from: dict[int, int] = {}  # a listed question's sentence: its first mention
    carried = False
    previous: Clause | None = None
    frames = lexicon.frames
    frame_findings = frozenset(
        {frames.activity_finding, frames.training_finding, frames.duration_finding}
    )
    for index, clause in enumerate(clauses):
        answer = _answer(lexicon.language, clauses, index)
        hedged = _questioned(lexicon.language, clause, answer) and not (
            index + 1 < len(clauses)
            and clauses[index + 1].tokens in lexicon.language.presuming_tails
        )  # "saddle area numb?? is that bad"
        if clause.sentence in listed:  # "Fever, chills, feeling rough? None of that."
            last = listed[clause.sentence]
            reply = _answer(lexicon.language, clauses, last)
            opening = clauses[last + 1].tokens[:1] if last + 1 < len(clauses) else ()
            if reply is None and opening and opening[0] in ANSWER_WORDS:  # "yes both, since"
                reply = ANSWER_WORDS[opening[0]]
            answer = reply if index == last else None
            hedged = reply is None
        inherits = (
            carried
            and clause.after_comma
            and len(clause.tokens) <= LIST_ITEM_WORDS
            and clause.tokens[0] not in SUBJECT_WORDS
            and ANSWER_WORDS.get(clause.tokens[0]) is not True  # "no temp, yeah it clicks"
            and not PREDICATE_WORDS & set(clause.tokens)
            and not lexicon.language.terminators & set(clause.tokens)
            and (
                clause.tokens[0] == ANY_ITEM
                or not lexicon.language.pain_words & set(clause.tokens)
            )
            and not lexicon.language.degree_words & set(clause.tokens[:2])  # "a bit clicky"
            and not lexicon.language.inability_words & set(clause.tokens)  # "cant take weight"
            and not _has_any_opening(clause.tokens, lexicon.language.fresh_openings)
        )
        before = len(reading.mentions)
        if clause.sentence in listed:
            listed_from.setdefault(clause.sentence, before)
        same_sentence = previous is not None and previous.sentence == clause.sentence
        opens = (
            previous is not None
            and not same_sentence
            and clause.tokens[:1] in lexicon.language.summing_up
        )
        resolving = (
            _resolves(lexicon.language, clause.tokens)
            if (same_sentence or opens) and not reading.said_in(index)
            else ()
        )
        if resolving and _told_by(lexicon, clause.tokens, resolving[0]):
            resolving = ()  # "and her periods have stopped": a finding told, nothing ended
        if resolving:
            back = clause.sentence - 1 if opens else None  # "That's all cleared up now."
            reading.resolve_back(clauses, index, resolving, back)
        previous = clause
        answering = clause.reply or (index > 0 and clauses[index - 1].question)
        where_of = (answering or (same_sentence and clause.after_comma)) and any(
            reading.told_unpained(i) for i in _told_before(clauses, index)
        )  # "Q: swelling? A: a little, round the back": where the swelling is, not a pain
        carried = reading.clause(
            index, clause, hedged, inherits, clause.sentence in pain_sentences, where_of
        ) or (inherits and len(reading.mentions) == before)
        if index and clauses[index - 1].question and clause.tokens[:1] == ("no",):
            carried = carried and len(clause.tokens) > 1  # "Down the leg? No, stays in the groin"
        if resolving:  # "it stopped a week ago": when it ended, not how long it has hurt
            reading.drop_duration(index)
            reading.no_course_of(index)
        if same_sentence and _echoing(lexicon.language, clause.tokens):
            reading.echo(index, before)  # "Swelling's gone down now, redness too"
        if answer is not None:
            asks_fine = clause.question and clause.tokens[-1:] in lexicon.language.fine_endings
            reading.answered(
                listed_from.get(clause.sentence, before),
                answer,
                clause.question,
                asks_fine,
                ability=_ability_reply(lexicon.language, clause.tokens, clauses[index + 1].tokens),
            )
        if same_sentence and (
            _elliptic(lexicon.language, clause.tokens)
            or _redirected(lexicon.language, clauses, index)
        ):
            subjectless = any(
                clause.tokens[: len(alone)] == alone and alone[0] not in SUBJECT_WORDS
                for alone in lexicon.language.elliptic_alone
            )
            skip = frame_findings | (  # "the outside of the knee, no, does not hurt"
                frozenset() if subjectless else lexicon.language.elliptic_not_for
            )
            if _denies_hurt(lexicon.language, clause.tokens):  # "but that doesn't hurt"
                skip |= lexicon.language.elliptic_not_pain
            summary = _has_any_opening(clause.tokens, lexicon.language.elliptic_summaries)
            compared = _comparison_before(lexicon.language, clauses, index)
            reading.deny_before(clauses, index, skip, topics=summary, since=compared)
        elif (
            not same_sentence and index > 0 and _denies_hip_alone(lexicon.language, clause.tokens)
        ):  # "My knee clicks, everything clicks. Hip doesn't though."
            skip = frame_findings | lexicon.language.elliptic_not_for
            reading.deny_before(clauses, index, skip, sentence=clause.sentence - 1)
        elif (
            same_sentence
            and not clause.contrast
            and _has_any_opening(clause.tokens, lexicon.language.elliptic_fine)
        ):  # "I roll onto that side and it's fine": the pain told before is none
            skip = frame_findings | lexicon.language.elliptic_not_for
            reading.deny_before(clauses, index, skip | lexicon.language.elliptic_not_pain)
        elif (
            same_sentence
            and clause.tokens in lexicon.language.nothing_words
            and lexicon.language.nothing_situations.intersection(clauses[index - 1].tokens[:1])
        ):  # "When I press on it, nothing."
            reading.deny_before(clauses, index, frame_findings - {frames.activity_finding})
        elif same_sentence and clause.tokens in lexicon.language.elliptic_doubts:
            reading.doubt_before(clauses, index)
        elif same_sentence and clause.tokens in lexicon.language.elliptic_not_me:
            skip = frame_findings | lexicon.language.elliptic_not_for
            reading.deny_before(clauses, index, skip, others_only=True)
        elif (
            not same_sentence
            and asked & {clause.sentence - 1, clause.sentence - ASKED_REACH}
            and (
                _elliptic(lexicon.language, clause.tokens)
                or (not reading.said_in(index) and _bare_denial(lexicon.language, clause.tokens))
            )
        ):
            hurt = _denies_hurt(
                lexicon.language, clause.tokens
            )  # "It doesn't hurt when it clicks"
            reading.deny_asked(
                clauses, index, lexicon.language.elliptic_not_pain if hurt else frozenset()
            )
        elif index > 0 and clause.tokens in lexicon.language.elliptic_not_me:
            told_in = clause.sentence - 1  # "He has numbness. I don't."
            skip = frame_findings | lexicon.language.elliptic_not_for
            reading.deny_before(clauses, index, skip, others_only=True, sentence=told_in)
        if _regained(lexicon.language, clauses, index):
            reading.regain_before(lexicon.language, clauses, index)
        if same_sentence and _afterward(lexicon.language, clause.tokens):
            why = "the pain comes after the activity"
            reading.told_after_all(clauses, index, why, lexicon.language.afterward_findings)
        if (
            same_sentence
            and _has_any_opening(clause.tokens, lexicon.language.started_now_openings)
            and any(
                before <= set(clauses[index - 1].tokens)
                for before in lexicon.language.started_now_before
            )
        ):
            reading.told_after_all(clauses, index, "denied of the past, told of now")
    placed = frozenset(reading.state)  # what the rules placed and then dropped stays dropped
    parted = _one_part_told(lexicon.language, reading)
    reading.onset_not_activity(clauses)
    earlier = lexicon.language.earlier
    told = (
        None
        if earlier is None or earlier.rule.finding in reading.state
        else earlier.told(normalized)
    )
    if earlier is not None and told is not None:
        why = "a shorter distance now than before"
        verdict = Verdict(Assertion.PRESENT, why)
        reading.note(earlier.rule.finding, told, verdict, len(clauses) - 1, phrase=why)
    elif earlier is not None and earlier.rule.finding not in reading.state:
        spread = earlier.spread([c.tokens for c in clauses])
        if spread is not None:
            why = "it reaches further now than it began"
            verdict = Verdict(Assertion.PRESENT, why)
            reading.note(earlier.rule.finding, spread, verdict, len(clauses) - 1, phrase=why)
    _scored(lexicon.language, reading, normalized, len(clauses) - 1)
    _paired_across(lexicon, reading, clauses)
    _pained_in_sentence(lexicon.language, reading, clauses)
    if for_someone:
        asides = {i for i, c in enumerate(clauses) if _writer_aside(lexicon.language, c.tokens)}
        reading.set_aside(asides)
    over = _over_and_past(lexicon.language, reading.state, reading.mentions, clauses)
    over += _moved(lexicon.language, reading.state, reading.mentions, clauses)
    over += _partly_denied(lexicon.language, reading.state, reading.mentions, clauses)
    _later_of_opposites(lexicon.language, reading.state, reading.mentions)
    _temperature(lexicon.language, normalized, reading, clauses)
    age = _age(
        unlabelled or normalized,
        reading.state,
        for_someone=for_someone,
        writer_own=lexicon.language.proxy_writer_own,
    )
    if age is not None:
        _not_how_long(reading, clauses, age)
    placed |= frozenset(reading.state)
    implied = (
        *parted,
        *over,
        *_implied(lexicon.language, reading.state, reading.mentions, clauses),
    )
    state = reading.state
    learned = lexicon.learned
    if learned is not None and sum(len(c.tokens) for c in clauses) >= learned.policy.min_words:
        # "clicks at the front, no pain": a place the rules heard without pain is not filled in
        unpained = {m.finding for m in reading.mentions if m.why == UNPAINED}
        revisions = learned.revise(
            normalized,
            state,
            on_topic=reading.pain_in_message,
            dropped=frozenset((placed | unpained) - set(state)),
            settled=_settled(reading, clauses),
        )
        for revision in revisions:
            if revision.after is None:
                del state[revision.finding]
            else:
                state[revision.finding] = revision.after
        implied += tuple(str(revision) for revision in revisions)
    return Understanding(
        present=frozenset(f for f, v in state.items() if v == "present"),
        absent=frozenset(f for f, v in state.items() if v == "absent"),
        hedged=frozenset(f for f, v in state.items() if v == "hedged"),
        age=age,
        normalized=" ".join(normalized.split()),
        clauses=tuple(" ".join(c.tokens) + (" ?" if c.question else "") for c in clauses),
        mentions=tuple(reading.mentions),
        implied=implied,
        for_someone=for_someone,
    )
