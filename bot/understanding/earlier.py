"""Pain that comes on earlier in each run, told with two distances: "mile 4 now, it used to be
mile 8", "it used to come on at 10k, now it hits at 3k"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from bot.knowledge.model import EarlierFrame

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
_NUMBER = r"(\d+(?:\.\d+)?|" + "|".join(_WORDS) + r")"
_DISTANCE = re.compile(
    rf"\bmile {_NUMBER}\b"
    rf"|\b{_NUMBER} ?(?:k|km|kms|kilometres|kilometers|miles?|mi)\b"
    r"|\b(?:the )?(\d+)(?:st|nd|rd|th)(?: mile| km| k)?\b"
    r"|(?<=instead of )(\d+)\b|(?<=rather than )(\d+)\b"
)


@dataclass(frozen=True)
class EarlierOnset:
    """The rule of ``language.yaml`` ready to match normalised text."""

    rule: EarlierFrame

    @cached_property
    def _now(self) -> re.Pattern[str]:
        return markers(self.rule.now)

    @cached_property
    def _then(self) -> re.Pattern[str]:
        return markers(self.rule.then)

    @cached_property
    def _then_ahead(self) -> re.Pattern[str]:
        return markers(self.rule.then_ahead)

    @cached_property
    def _now_words(self) -> frozenset[str]:
        return frozenset(self.rule.now)

    @cached_property
    def _began(self) -> Phrases:
        return _phrases(self.rule.began)

    @cached_property
    def _spread(self) -> Phrases:
        return _phrases(self.rule.spread)

    @cached_property
    def _not_spread(self) -> Phrases:
        return _phrases(self.rule.not_spread)

    def told(self, normalized: str) -> str | None:
        """The words that tell it, or None: a distance told with a now word is shorter than one
        told with a then word (each distance belongs to its nearest marker, within reach and
        in its own clause)."""
        distances = list(_DISTANCE.finditer(normalized))
        if len(distances) < 2:
            return None
        told_when = [(m, True) for m in self._now.finditer(normalized)]
        told_when += [(m, False) for m in self._then.finditer(normalized)]
        ahead = list(self._then_ahead.finditer(normalized))
        now: list[tuple[float, str]] = []
        then: list[tuple[float, str]] = []
        for distance in distances:
            near = [(_gap(normalized, distance, m), is_now) for m, is_now in told_when]
            near += [
                (_gap(normalized, distance, m), False)
                for m in ahead
                if m.end() <= distance.start()
            ]
            near = [(gap, is_now) for gap, is_now in near if gap <= self.rule.reach]
            if near:
                (now if min(near)[1] else then).append((_value(distance), distance.group(0)))
        if not now or not then or min(now)[0] >= max(then)[0]:
            return None
        return f"{min(now)[1]} now, {max(then)[1]} before"

    def spread(self, clauses: Sequence[tuple[str, ...]]) -> str | None:
        """The words that tell a pain reaching further than it began, or None: a clause telling
        how it began ("it started as a niggle at the end of runs"), then a later clause with a
        now word and a word of spread, none of ``not_spread`` ("now it aches walking")."""
        began, spread, settled, now = self._began, self._spread, self._not_spread, self._now_words
        start = next((i for i, c in enumerate(clauses) if _holds(c, began)), None)
        if start is None:
            return None
        for tokens in clauses[start:]:
            if now & set(tokens) and _holds(tokens, spread) and not _holds(tokens, settled):
                return " ".join(tokens)
        return None


Phrases = dict[str, tuple[tuple[str, ...], ...]]


def _phrases(words: tuple[str, ...]) -> Phrases:
    """Phrases by their first word."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in (tuple(w.split()) for w in words):
        index.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in index.items()}


def _holds(tokens: tuple[str, ...], phrases: Phrases) -> bool:
    return any(
        tokens[i : i + len(p)] == p for i, t in enumerate(tokens) for p in phrases.get(t, ())
    )


def _gap(text: str, a: re.Match[str], b: re.Match[str]) -> int:
    """Characters between two matches; a clause break between them puts them out of reach."""
    start, end = sorted([(a.start(), a.end()), (b.start(), b.end())])
    between = text[start[1] : end[0]]
    return len(between) + (1000 if re.search(r"[,.;!?]", between) else 0)


def markers(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for ``phrases``, longest first, each on word boundaries."""
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b" if alternatives else r"(?!)")


def _value(match: re.Match[str]) -> float:
    number = next(g for g in match.groups() if g)
    return float(_WORDS.get(number, number))
