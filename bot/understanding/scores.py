"""Pain scores out of ten: a lower score now than before tells the pain is easing ("4/10 now from
an 8"), a higher one that it is getting worse; a higher score when running than when still tells
the pain is worse with activity ("7/10 on the hills, maybe a 3 on the flat"), and a score told of
rest or sitting tells whether that hurts ("running 6, sitting 0")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from bot.knowledge.model import ScoreFrame
from bot.understanding.earlier import markers

_EXPLICIT = re.compile(r"\b(10|\d)(?:\.5)? ?(?:/ ?10|out of (?:10|ten))\b")
_LOOSE = re.compile(r"\b(?:a|an) (10|\d)\b(?![-:./]?\d)")
_UNIT = (
    r" ?(?:km|kms|k|kilometres?|kilometers?|miles?|mi|mins?|minutes?|hours?|hrs?|h|days?|weeks?"
    r"|months?|years?|times?|x|runs?|sessions?|am|pm|kg|lbs?|%|percent|st|nd|rd|th|o clock"
    r"|yo|beats|bpm|reps?|sets?|laps?|steps?|a (?:week|wk|day|month)|per|nights?|club)\b"
)
_SCORE = re.compile(
    rf"(?<![\d./:])(?<!out of )\b(10|\d)(?:\.5)?\b(?![./:]\d)(?!{_UNIT})(?! ?/ ?[1-9])"
    r"|(?<![\d./:])\b(10|\d)(?:\.5)? ?(?:/ ?10|out of (?:10|ten))\b"
)
_FROM_TO = re.compile(
    r"\b(?:pain|it|sore|soreness|ache|aching|score)\b(?: [a-z]+){0,3}"
    rf" from (?:a |an )?(?:10|\d) to (?:a |an )?(?:10|\d)\b(?!{_UNIT})"
)
_BREAK = re.compile(r"[.;!?\n]")


@dataclass(frozen=True)
class Told:
    """What the scores of a message tell: each finding with the words that tell it."""

    finding: str
    present: bool
    words: str


@dataclass(frozen=True)
class PainScores:
    """The rule of ``language.yaml`` ready to match normalised text."""

    rule: ScoreFrame

    @cached_property
    def _words(self) -> dict[str, re.Pattern[str]]:
        """The rule's words of time and activity, each kind as one pattern."""
        kinds = ("now", "then", "now_ahead", "then_ahead", "active", "calm")
        return {kind: markers(getattr(self.rule, kind)) for kind in kinds}

    @cached_property
    def _still(self) -> dict[str, re.Pattern[str]]:
        return {finding: markers(words) for finding, words in self.rule.still.items()}

    def told(self, normalized: str) -> list[Told]:
        """What the pain scores of ``normalized`` tell, when it holds any: a score out of ten
        ("4/10"), or from one to another ("it went from 7 to 3"); "a 4" in a message that names
        pain; any number up to ten in one that names scores ("pain scores: running 6, walking
        3")."""
        if not (
            _EXPLICIT.search(normalized)
            or _FROM_TO.search(normalized)
            or (_LOOSE.search(normalized) and self._named(normalized, self.rule.named_by))
            or self._named(normalized, self.rule.scores)
        ):
            return []
        scores = list(_SCORE.finditer(normalized))
        if len(scores) < 2:
            return self._alone(normalized, scores)
        return self._trend(normalized, scores) + self._by_activity(normalized, scores)

    @staticmethod
    def _named(normalized: str, words: tuple[str, ...]) -> bool:
        padded = f" {re.sub(r'[^a-z0-9 ]', ' ', normalized)} "
        return any(f" {w} " in padded for w in words)

    def _alone(self, normalized: str, scores: list[re.Match[str]]) -> list[Told]:
        """One score told of rest or sitting: "0/10 at rest", "sitting is a 5"."""
        told = []
        for score in scores:
            for finding, marker in self._still.items():
                if _nearest(normalized, score, marker, self.rule.reach) is not None:
                    told.append(Told(finding, _value(score) > 0, score.group(0)))
        return told

    def _trend(self, normalized: str, scores: list[re.Match[str]]) -> list[Told]:
        now: list[float] = []
        then: list[float] = []
        words, reach = self._words, self.rule.reach
        for score in scores:
            to_now = _closer(
                _nearest(normalized, score, words["now"], reach),
                _nearest(normalized, score, words["now_ahead"], reach, ahead=True),
            )
            to_then = _closer(
                _nearest(normalized, score, words["then"], reach),
                _nearest(normalized, score, words["then_ahead"], reach, ahead=True),
            )
            if to_now is not None and (to_then is None or to_now < to_then):
                now.append(_value(score))
            elif to_then is not None:
                then.append(_value(score))
        if not now or not then:
            return []
        told = f"{now[-1]:g} now, {then[0]:g} before"
        if max(now) < min(then):
            return [Told(self.rule.improving, True, told)]
        if min(now) > max(then):
            return [Told(self.rule.worsening, True, told)]
        return []

    def _by_activity(self, normalized: str, scores: list[re.Match[str]]) -> list[Told]:
        active: list[float] = []
        calm: list[float] = []
        told: list[Told] = []
        for score in scores:
            to_active = _nearest(normalized, score, self._words["active"], self.rule.reach)
            stills = {
                finding: gap
                for finding, marker in self._still.items()
                if (gap := _nearest(normalized, score, marker, self.rule.reach)) is not None
            }
            to_calm = _nearest(normalized, score, self._words["calm"], self.rule.reach)
            quiet = min(
                [*stills.values(), *([to_calm] if to_calm is not None else [])], default=None
            )
            if to_active is not None and (quiet is None or to_active < quiet):
                active.append(_value(score))
            elif quiet is not None:
                calm.append(_value(score))
                told += [
                    Told(finding, _value(score) > 0, score.group(0))
                    for finding, gap in stills.items()
                    if gap == quiet
                ]
        if active and calm and min(active) > max(calm):
            told.append(
                Told(self.rule.activity, True, f"{max(active):g} active, {max(calm):g} still")
            )
        return told


def _nearest(
    text: str, score: re.Match[str], marker: re.Pattern[str], reach: int, *, ahead: bool = False
) -> int | None:
    """How many characters lie between ``score`` and the nearest ``marker`` in its sentence
    (None when there is none within ``reach``); a comma adds ``reach`` so that a marker in the
    score's own clause wins over one across a comma. ``ahead``: only markers before the score
    ("from 8", "down to 3")."""
    best: int | None = None
    last = score.start() if ahead else score.end() + reach
    for found in marker.finditer(text, max(0, score.start() - reach), last):
        start, end = sorted([(found.start(), found.end()), (score.start(), score.end())])
        between = text[start[1] : end[0]]
        if _BREAK.search(between) or (found.start() < score.end() and found.end() > score.start()):
            continue
        gap = len(between) + (reach if "," in between else 0)
        if best is None or gap < best:
            best = gap
    return best


def _closer(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _value(match: re.Match[str]) -> float:
    number = next(g for g in match.groups() if g)
    return float(number) + (0.5 if ".5" in match.group(0) else 0.0)
