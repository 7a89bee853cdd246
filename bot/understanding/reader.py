"""Read a message: which findings it mentions, and whether each is present, absent or hedged.

Negation reaches from its cue to the end of the clause (at most ``NEGATION_REACH`` words), and
over a comma into a bare list ("no numbness, tingling or pins and needles"). Hedged clauses
("maybe a bit swollen?") say nothing either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.understanding.lexicon import FILLERS, IDIOM, Lexicon, Pattern
from bot.understanding.normalize import Clause, normalize_text, split_clauses

NEGATION_REACH = 8
MAX_AGE = 110
ADULT_AGE = 16
OLDER_AGE = 45
UNDER_16 = "age_under_16"
OVER_45 = "age_45_plus"
MAX_FILLER_GAP = 2

NEGATION_CUES = frozenset(
    {"no", "not", "never", "without", "nor", "neither", "none", "zero", "nothing", "hardly"}
)
CLOSING_NEGATIONS = frozenset({"no", "none", "nope", "not", "nil", "absent", "negative", "nah"})
PSEUDO_NEGATIONS = frozenset({("no", "doubt"), ("not", "only"), ("no", "matter")})
HEDGES = (
    ("maybe",),
    ("perhaps",),
    ("possibly",),
    ("probably",),
    ("might",),
    ("may", "be"),
    ("could", "be"),
    ("not", "sure"),
    ("unsure",),
    ("dunno",),
    ("idk",),
    ("do", "not", "know"),
    ("no", "idea"),
    ("i", "guess"),
    ("not", "certain"),
    ("hard", "to", "say"),
    ("hard", "to", "tell"),
    ("may", "or"),
    ("not", "certain"),
)
SUBJECTS = frozenset(
    {"i", "it", "its", "my", "there", "he", "she", "we", "they", "this", "that", "the"}
)
PERCEPTION_VERBS = frozenset({"feel", "see", "notice", "remember", "say", "tell"})
PAIN_VERBS = frozenset(
    {"hurt", "hurts", "ache", "aches", "bother", "bothers", "affect", "make", "sore", "painful",
     "happen", "wake", "wakes", "feel", "seem", "change", "trouble", "worse"}
)  # fmt: skip
ABSENT_PHRASE_REACH = 2

_AGE = re.compile(
    r"\b(?:i am|aged?|age is|age)\s+(\d{1,3})\b(?!\s*(?:km|k|miles?|mins?|minutes?|%|kg|lbs?))"
    r"|\b(\d{1,3})\s*(?:yo|y o|yrs?|years?)(?:\s*old)?\b"
    r"|\b(?:son|daughter|child|kid|boy|girl) is (\d{1,2})\b"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A phrase found in the message, and what it was taken to mean."""

    finding: str
    phrase: str
    words: str
    verdict: str
    edits: int

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

    @property
    def empty(self) -> bool:
        """Nothing was understood."""
        return not (self.present or self.absent or self.hedged or self.age is not None)


def _contains(tokens: tuple[str, ...], sequence: tuple[str, ...]) -> int | None:
    width = len(sequence)
    for i in range(len(tokens) - width + 1):
        if tokens[i : i + width] == sequence:
            return i
    return None


def _match_at(pattern: Pattern, stems: list[str], start: int) -> int | None:
    """End index (exclusive) if ``pattern`` matches from ``start``, skipping a few fillers."""
    position = start + 1
    for wanted in pattern.stems[1:]:
        gap = 0
        while position < len(stems) and stems[position] != wanted:
            if stems[position] not in FILLERS or gap == MAX_FILLER_GAP:
                return None
            gap += 1
            position += 1
        if position == len(stems):
            return None
        position += 1
    return position


def _negation_cues(tokens: tuple[str, ...]) -> list[int]:
    cues = []
    for i, word in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        plain = word in NEGATION_CUES and (word, following) not in PSEUDO_NEGATIONS
        if plain or (word == "cannot" and following in PERCEPTION_VERBS):
            cues.append(i)
    return cues


def _negated_after(tokens: tuple[str, ...], end: int, cues: list[int]) -> bool:
    """``"lifting my knee does not hurt"``: a cue after the phrase, followed by a pain verb."""
    return any(
        cue >= end and cue + 1 < len(tokens) and tokens[cue + 1] in PAIN_VERBS for cue in cues
    )


def _is_hedged(clause: Clause) -> bool:
    return clause.question or any(_contains(clause.tokens, h) is not None for h in HEDGES)


def _find(lexicon: Lexicon, clause: Clause) -> list[tuple[Pattern, int, int, int]]:
    canon = [lexicon.canonical(token) for token in clause.tokens]
    stems = [stem for stem, _ in canon]
    found = []
    for start, first in enumerate(stems):
        for pattern in lexicon.patterns.get(first, ()):
            end = _match_at(pattern, stems, start)
            if end is not None:
                edits = sum(edit for _, edit in canon[start:end])
                found.append((pattern, start, end, edits))
    found.sort(key=lambda m: (-len(m[0].stems), m[3], m[1]))
    taken: set[int] = set()
    chosen = []
    for pattern, start, end, edits in found:
        span = set(range(start, end))
        if not span & taken:
            taken |= span
            chosen.append((pattern, start, end, edits))
    chosen.sort(key=lambda m: m[1])
    return chosen


def _verdict(
    pattern: Pattern, start: int, end: int, clause: Clause, cues: list[int], inherited: bool
) -> str:
    tokens = clause.tokens
    if pattern.polarity == "absent":
        flipped = any(0 < start - cue <= ABSENT_PHRASE_REACH for cue in cues)
        return "present" if flipped else "absent"
    closing = len(tokens) > 1 and tokens[-1] in CLOSING_NEGATIONS and end < len(tokens)
    before = any(0 < start - cue <= NEGATION_REACH for cue in cues)
    negated = inherited or closing or before or _negated_after(tokens, end, cues)
    return "absent" if negated else "present"


def understand(text: str, lexicon: Lexicon) -> Understanding:
    """Map one free-text message onto findings, each present, absent or hedged."""
    clauses = split_clauses(text)
    state: dict[str, str] = {}
    mentions: list[Mention] = []
    carried_negation = False
    previous: list[str] = []
    for clause in clauses:
        tokens = clause.tokens
        hedged = _is_hedged(clause)
        cues = _negation_cues(tokens)
        inherits = (
            carried_negation and clause.after_comma and not cues and not (SUBJECTS & set(tokens))
        )
        found = _find(lexicon, clause)
        if hedged and not found:
            for finding in previous:
                state[finding] = "hedged"
        previous = []
        for pattern, start, end, edits in found:
            if pattern.finding == IDIOM:
                continue
            verdict = "hedged" if hedged else _verdict(pattern, start, end, clause, cues, inherits)
            state[pattern.finding] = verdict
            previous.append(pattern.finding)
            words = " ".join(tokens[start:end])
            mentions.append(Mention(pattern.finding, pattern.phrase, words, verdict, edits))
        reaches_end = bool(cues) and len(tokens) - 1 - cues[-1] <= NEGATION_REACH
        carried_negation = (reaches_end or inherits) and not hedged
    normalized = normalize_text(text)
    age_match = _AGE.search(normalized)
    age = int(next(g for g in age_match.groups() if g)) if age_match else None
    if age is not None and not 1 <= age <= MAX_AGE:
        age = None
    if age is not None:
        state[UNDER_16] = "present" if age < ADULT_AGE else "absent"
        state[OVER_45] = "present" if age >= OLDER_AGE else "absent"
    return Understanding(
        present=frozenset(f for f, v in state.items() if v == "present"),
        absent=frozenset(f for f, v in state.items() if v == "absent"),
        hedged=frozenset(f for f, v in state.items() if v == "hedged"),
        age=age,
        normalized=" ".join(normalized.split()),
        clauses=tuple(" ".join(c.tokens) + (" ?" if c.question else "") for c in clauses),
        mentions=tuple(mentions),
    )
