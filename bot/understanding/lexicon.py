"""The vocabulary the matcher knows: every phrase of every finding, as stemmed token patterns.

Built once from the knowledge base. Typos are corrected token by token against this vocabulary
with an edit-distance budget that grows with word length; common English words are never
"corrected", so "stuff" does not become "stiff".
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.resources import files
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge import Finding
from bot.understanding.frames import Frames
from bot.understanding.language import Language, default_language
from bot.understanding.learned import LearnedReading, default_learned
from bot.understanding.normalize import normalize_text, tokenize

Polarity = Literal["present", "absent", "subject"]
MIN_JOINED = 6
MIN_PART = 3
IDIOM = ""  # the "finding" of an idiom: its words are taken, and mean nothing

ENGLISH_DICTIONARY = "frequency_dictionary_en_82_765.txt"
COMMON_ENOUGH = 100_000
"""Rarer entries of the dictionary are mostly misspellings and names; dropping them halves the
list's memory and changes no reading of the labelled sets."""
COMMON_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at away back bad be been
    before being below best better between big bit both but by came can cannot care case
    clock clocks come could day days did do does doing done down during each easy else even
    ever every far feel feels felt few find fine first for from front get gets getting give go
    goes going gone good got great had has have having he her here him his hit hitting hold
    home how i if in into is it its just keep kind know last later least left less let like
    little long look lot lots made make many may me might mile miles more most much must my
    near need never new next nice night no nor not now of off often ok okay old on once one
    only or other our out over own part past pick place plan plus put quite rather really
    right run runs ran same saw say see seem she should show since sit slow so some soon start
    still stop stuff such sure take talk talking tell than thank thanks that the their them
    then there these they thing things think this those though through time times to today
    too took try turn two under until up upon us use very walk want was way we week weeks
    well went were what when where which while who why will with without work would yes yet
    you your staff still stuck check lift lifting list light might tight right fight
    sitting setting getting hitting fitting cutting putting knitting shirt short sport spot
    """.split()
)

FILLERS = frozenset(
    """
    a an the my me it its this that of in on at to is am are was very really bit little quite
    so too kind sort slightly some and or when i while after during up down area just weekly
    running training any more much pretty super real bloody part long left right l r both
    have has been got af even
    """.split()
)


def stem(token: str) -> str:
    """A deliberately light stemmer: enough to join "clicks", "clicking" and "clicked"."""
    return _strip(_strip(token))


def _strip(token: str) -> str:
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    for suffix, keep in (("ing", 4), ("ed", 4), ("es", 4), ("s", 3)):
        if token.endswith(suffix) and len(token) - len(suffix) >= keep:
            return token[: -len(suffix)]
    return token


@cache
def english_words() -> frozenset[str]:
    """English words of five letters or more, from the frequency dictionary symspellpy ships
    (those seen at least :data:`COMMON_ENOUGH` times): a real word is never corrected into a
    frame's word ("three" is not "there") nor split as joined words ("whenever")."""
    text = files("symspellpy").joinpath(ENGLISH_DICTIONARY).read_text(encoding="utf-8")
    rows = (line.split(" ", 1) for line in text.splitlines())
    return frozenset(w for w, count in rows if len(w) > 4 and int(count) >= COMMON_ENOUGH)


def _edit_budget(token: str) -> int:
    if len(token) <= 4:
        return 0
    return 1 if len(token) <= 7 else 2


@dataclass(frozen=True, slots=True)
class Pattern:
    """One phrase of one finding, as stems, with what it says about the finding."""

    finding: str
    polarity: Polarity
    stems: tuple[str, ...]
    phrase: str
    rest: frozenset[str] = field(init=False, compare=False)
    """The stems after the first: a pattern is tried only where all of them occur."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rest", frozenset(self.stems[1:]))


Ranked = tuple[int, Pattern]
"""A pattern with its place among the patterns that share its first stem."""


@dataclass(frozen=True, slots=True)
class StartingWith:
    """The patterns that start with one stem, each filed under the rarest of its other stems,
    so that a message tries only those whose rarest stem it contains."""

    alone: tuple[Ranked, ...]
    by_stem: Mapping[str, tuple[Ranked, ...]]
    stems: frozenset[str]

    def candidates(self, present: frozenset[str]) -> tuple[Ranked, ...]:
        """The patterns whose filing stem is in ``present``, in their order of precedence
        (the one-stem patterns come last: the longest phrases come first)."""
        keys = self.stems & present
        if not keys:
            return self.alone
        if len(keys) == 1:
            return self.by_stem[next(iter(keys))] + self.alone
        found = [ranked for key in keys for ranked in self.by_stem[key]]
        return tuple(sorted(found, key=lambda ranked: ranked[0])) + self.alone


def _index_by_rarest(patterns: Mapping[str, tuple[Pattern, ...]]) -> dict[str, StartingWith]:
    uses: Counter[str] = Counter(s for group in patterns.values() for p in group for s in p.stems)
    index = {}
    for first, group in patterns.items():
        alone: list[Ranked] = []
        by_stem: dict[str, list[Ranked]] = defaultdict(list)
        for rank, pattern in enumerate(group):
            if pattern.rest:
                by_stem[min(sorted(pattern.rest), key=lambda s: uses[s])].append((rank, pattern))
            else:
                alone.append((rank, pattern))
        filed = {stem: tuple(ranked) for stem, ranked in by_stem.items()}
        index[first] = StartingWith(tuple(alone), filed, frozenset(filed))
    return index


class Lexicon:
    """Phrase patterns indexed by their first stem, plus typo correction onto known words.

    ``language`` holds the reading rules (cues, frames, implications); by default the ones in
    the shipped ``knowledge/language.yaml``. ``learned`` is the second reading that revises the
    rules' (by default the shipped ``knowledge/learned_reading.json``); ``rules_only`` reads
    without one.
    """

    def __init__(
        self,
        findings: Iterable[Finding],
        *,
        idioms: Iterable[str] = (),
        language: Language | None = None,
        learned: LearnedReading | None = None,
        rules_only: bool = False,
    ) -> None:
        self.language = language or default_language()
        findings = tuple(findings)
        self.learned = None if rules_only else learned or default_learned()
        if self.learned is not None:
            self.learned.check_findings(frozenset(f.id for f in findings))
        self.frames = Frames.compile(self.language)
        patterns: list[Pattern] = []
        surface: set[str] = set()
        for idiom in idioms:
            tokens = tokenize(normalize_text(idiom))
            if tokens:
                patterns.append(Pattern(IDIOM, "present", tuple(stem(t) for t in tokens), idiom))
        for finding in findings:
            sides: tuple[tuple[Polarity, tuple[str, ...]], ...] = (
                ("present", finding.phrases),
                ("absent", finding.absent_phrases),
            )
            for polarity, phrases in sides:
                for phrase in phrases:
                    tokens = tokenize(normalize_text(phrase))
                    surface.update(tokens)
                    if tokens:
                        stems = tuple(stem(t) for t in tokens)
                        patterns.append(Pattern(finding.id, polarity, stems, phrase))
        for words, finding_id in self.language.subjects.items():
            stems = tuple(stem(t) for t in words)
            patterns.append(Pattern(finding_id, "subject", stems, " ".join(words)))
        by_first: dict[str, list[Pattern]] = defaultdict(list)
        for pattern in patterns:
            by_first[pattern.stems[0]].append(pattern)
        self.patterns: Mapping[str, tuple[Pattern, ...]] = {
            first: tuple(sorted(group, key=lambda p: -len(p.stems)))
            for first, group in by_first.items()
        }
        self.starting = _index_by_rarest(self.patterns)
        self.stems = frozenset(s for p in patterns for s in p.stems)
        self._words = tuple(sorted(w for w in surface if len(w) > 4 and w not in COMMON_WORDS))
        self._known = frozenset(surface | COMMON_WORDS | self.language.vocabulary)
        self._parts = frozenset(surface | self.language.vocabulary)
        rules = self.language.rules
        framed = self.language.vocabulary | frozenset(rules.duration.units)
        self._frame_words = tuple(sorted(w for w in framed if len(w) > 4 and w.isalpha()))
        self._english = english_words()  # at start-up, not in the first runner's message
        self.canonical = lru_cache(maxsize=8192)(self._canonical)
        self.for_frames = lru_cache(maxsize=8192)(self._for_frames)
        self.split_joined = lru_cache(maxsize=8192)(self._split_joined)
        self.for_someone_else = self._with_language(self.language.for_someone_else())

    def _with_language(self, language: Language) -> Lexicon:
        """This lexicon (its patterns and caches shared) reading with other rules."""
        other = copy.copy(self)
        other.language = language
        other.for_someone_else = other
        return other

    def expand(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """``tokens`` with joined words ("outerhip") split into known ones."""
        return tuple(part for token in tokens for part in self.split_joined(token))

    def _split_joined(self, token: str) -> tuple[str, ...]:
        meant = self.language.rules.spellings.get(token)
        if meant is not None:
            return tuple(tokenize(meant))  # read as typed text: "milage" is "miles"
        dropped_g = len(token) > 3 and token.endswith("in")  # "achin", "lyin"; "pin" is a word
        if dropped_g and token not in self._known and token + "g" in self._known:
            return (token + "g",)
        if len(token) < MIN_JOINED or token in self._known or stem(token) in self.stems:
            return (token,)
        if token in self._english:  # "whenever" is a word, not "when ever"
            return (token,)
        if self._one_slip_from_a_word(token):  # "limpping" is "limping", not "limp ping"
            return (token,)
        for cut in range(MIN_PART, len(token) - MIN_PART + 1):
            left, right = token[:cut], token[cut:]
            if left in self._parts and right in self._parts:
                return (left, right)
        return (token,)

    def frame_tokens(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """``tokens`` as the frames and word pairs read them: a misspelt word one or two slips
        from one of their words is read as that word ("sittng", "agian", "trainin")."""
        known = self._known
        return tuple([token if token in known else self.for_frames(token) for token in tokens])

    def _for_frames(self, token: str) -> str:
        budget = _edit_budget(token)
        if budget == 0 or token in self._known or not token.isalpha():
            return token
        if token in self._english:
            return token
        candidates = [
            w for w in self._frame_words if w[0] == token[0] and abs(len(w) - len(token)) <= budget
        ]
        best = process.extractOne(token, candidates, scorer=OSA.distance, score_cutoff=budget)
        return token if best is None else str(best[0])

    def _one_slip_from_a_word(self, token: str) -> bool:
        candidates = [w for w in self._words if w[0] == token[0] and abs(len(w) - len(token)) <= 1]
        return (
            process.extractOne(token, candidates, scorer=OSA.distance, score_cutoff=1) is not None
        )

    def _canonical(self, token: str) -> tuple[str, int]:
        """The known stem this token stands for and the edits it took (0 when exact)."""
        stemmed = stem(token)
        known = token in COMMON_WORDS or token in self.language.vocabulary
        if stemmed in self.stems or known or token.isdigit():
            return stemmed, 0
        budget = _edit_budget(token)
        if budget == 0:
            return stemmed, 0
        candidates = [
            word
            for word in self._words
            if word[0] == token[0] and abs(len(word) - len(token)) <= budget
        ]
        best = process.extractOne(token, candidates, scorer=OSA.distance, score_cutoff=budget)
        if best is None:
            return stemmed, 0
        return stem(best[0]), int(best[1])
