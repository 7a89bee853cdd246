"""What a clause says about each mention in it, in the manner of ConText (Harkema et al. 2009).

Cues from ``knowledge/language.yaml`` reach forward or backward over a window of words, stopped
by terminators ("but", "only"...). The strongest cue covering a mention decides its assertion:
someone else's body, another body part, a hypothetical, a denial, or something now resolved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.knowledge.model import CueDirection, CueMeaning
from bot.understanding.language import Cue, Language


class Assertion(StrEnum):
    """How a mention is asserted."""

    PRESENT = "present"
    ABSENT = "absent"
    RESOLVED = "resolved"
    HYPOTHETICAL = "hypothetical"
    OTHER_PERSON = "other_person"
    ELSEWHERE = "elsewhere"


OWN_HIP_REACH = 4
"""How far after a mention "my hip" still says whose body it is."""
EXCEPTION_REACH = 5
"""How far before a mention an exception may open: "apart from the dull groin ache"."""

_FROM_CUE = {
    CueMeaning.NEGATED: Assertion.ABSENT,
    CueMeaning.RESOLVED: Assertion.RESOLVED,
    CueMeaning.HYPOTHETICAL: Assertion.HYPOTHETICAL,
    CueMeaning.OTHER_PERSON: Assertion.OTHER_PERSON,
    CueMeaning.ELSEWHERE: Assertion.ELSEWHERE,
}
_STRENGTH = (
    Assertion.OTHER_PERSON,
    Assertion.ELSEWHERE,
    Assertion.HYPOTHETICAL,
    Assertion.ABSENT,
    Assertion.RESOLVED,
)


@dataclass(frozen=True, slots=True)
class CueAt:
    """A cue found in a clause, from ``start`` to ``end`` (exclusive)."""

    cue: Cue
    start: int
    end: int

    @property
    def words(self) -> str:
        """The cue as written in the rules."""
        return " ".join(self.cue.tokens)


@dataclass(frozen=True, slots=True)
class Verdict:
    """An assertion and the cue (or rule) that gave it."""

    assertion: Assertion
    why: str
    cue_after: tuple[str, ...] = ()
    """The words of the cue that gave it, when that cue stands after the mention."""


def find_cues(language: Language, tokens: tuple[str, ...]) -> list[CueAt]:
    """Every cue in ``tokens``, longest first where they start together; a cue inside another
    is dropped, one that reaches past it is kept; pseudo-cues block the cues they overlap."""
    found: list[CueAt] = []
    taken = 0
    for start, token in enumerate(tokens):
        if token not in language.cues:
            continue
        second = tokens[start + 1] if start + 1 < len(tokens) else ""
        candidates = language.cue_pairs.get((token, second), ()) + language.cue_words.get(
            token, ()
        )
        if not candidates or start + len(candidates[0].tokens) <= taken:
            continue  # longest first: none reaches past the cue before
        here = [
            CueAt(cue, start, start + len(cue.tokens))
            for cue in candidates
            if tokens[start : start + len(cue.tokens)] == cue.tokens
            and not (  # a clause-end cue may be followed by a tail: "fever no obviously lol"
                cue.clause_end
                and not language.answer_tail.issuperset(tokens[start + len(cue.tokens) :])
            )
            and start + len(cue.tokens) > taken  # "is fine at night": "fine at" reaches on
        ]
        if not here:
            continue
        taken = here[0].end
        denied_before = bool(language.double_after & set(tokens[:start]))
        if denied_before and here[0].cue.tokens in language.double_negatives:
            continue
        following = tokens[here[0].end : here[0].end + 1]
        if here[0].cue.means is CueMeaning.HYPOTHETICAL and following and following[0].isdigit():
            continue  # "maybe 20 minutes": an approximate number, no hedge
        if here[0].cue.means is not CueMeaning.PSEUDO:
            found += here
        else:  # "it's gone all red": "gone all" is no cue, nor is "is gone" under it
            found = [c for c in found if c.end <= start]
    return found


def _has_phrase(tokens: tuple[str, ...], phrases: frozenset[tuple[str, ...]]) -> bool:
    return any(
        any(p[0] == token and tokens[i : i + len(p)] == p for p in phrases)
        for i, token in enumerate(tokens)
    )


def _clear(language: Language, between: tuple[str, ...], means: CueMeaning, finding: str) -> bool:
    if language.terminators & set(between) or _has_phrase(between, language.contrasts):
        return False
    event = means is CueMeaning.NEGATED and finding in language.event_findings
    if event and _has_phrase(between, language.event_openers):
        return False
    return not (means is CueMeaning.OTHER_PERSON and language.first_person & set(between))


def _covers(
    language: Language, at: CueAt, tokens: tuple[str, ...], span: tuple[int, int], finding: str
) -> bool:
    start, end = span
    cue = at.cue
    forward = cue.direction in (CueDirection.FORWARD, CueDirection.BOTH)
    backward = cue.direction in (CueDirection.BACKWARD, CueDirection.BOTH)
    if forward and at.end <= start and start - at.end < cue.window:
        into = tokens[at.end : start + 2]  # "my son and felt a sharp pain": the runner felt it
        if cue.means is CueMeaning.OTHER_PERSON and _has_phrase(into, language.contrasts):
            return False
        between = tokens[at.end : start]
        if cue.means is CueMeaning.NEGATED and _mere_situation(language, between, finding):
            between = between[:-1]  # "I don't get any pain just resting"
        return _clear(language, between, cue.means, finding)
    if backward and at.start >= end and at.start - end < cue.window:
        return _clear(language, tokens[end : at.start], cue.means, finding)
    return False


def _mere_situation(language: Language, between: tuple[str, ...], finding: str) -> bool:
    return (
        finding in language.mere_findings
        and bool(between)
        and between[-1] in language.mere_words
        and set(between[:-1]) <= language.mere_between | language.pain_words
    )


def _own_hip_after(language: Language, tokens: tuple[str, ...], end: int) -> bool:
    after = tokens[end : end + OWN_HIP_REACH]
    return any(
        token in language.first_person
        and after[i + 1 : i + 2]
        and after[i + 1] in language.hip_words
        for i, token in enumerate(after)
    )


def assess(
    language: Language,
    tokens: tuple[str, ...],
    span: tuple[int, int],
    finding: str,
    cues: list[CueAt],
) -> Verdict:
    """The assertion of the mention of ``finding`` at ``span`` in a clause of ``tokens``."""
    start, end = span
    hits: dict[Assertion, CueAt] = {}
    exception = _exception_before(language, tokens, start)
    for at in cues:
        if not at.cue.applies_to(finding):
            continue
        if exception is not None and (at.start >= end or at.end <= exception):
            continue  # "besides the stiffness it's fine", "no pain apart from the groin"
        overlaps = at.end > start and at.start < end
        if overlaps and not (at.start < start and at.cue.direction is not CueDirection.BACKWARD):
            continue
        if not overlaps and not _covers(language, at, tokens, span, finding):
            continue
        if at.cue.means is CueMeaning.ELSEWHERE and _hip_told(language, tokens):
            continue
        if _denies_its_hurt(language, at, tokens, end, finding):
            continue  # "my hip clicking has never hurt": the click is there
        if at.cue.means is CueMeaning.OTHER_PERSON and _own_hip_after(language, tokens, end):
            continue  # "my wife noticed swelling on my hip"
        hits.setdefault(_FROM_CUE[at.cue.means], at)
    for assertion in _STRENGTH:
        if assertion in hits:
            at = hits[assertion]
            side = "before" if at.end <= start else "after"
            after = at.cue.tokens if side == "after" else ()
            return Verdict(assertion, f"{at.cue.means} cue '{at.words}' {side}", after)
    return Verdict(Assertion.PRESENT, "no cue in scope")


def _hip_told(language: Language, tokens: tuple[str, ...]) -> bool:
    """Whether the clause names the hip, other than to deny it ("my knee's clicking, not my
    hip")."""
    return any(
        token in language.hip_words
        and not language.negative_words & set(tokens[max(0, i - 2) : i])
        for i, token in enumerate(tokens)
    )


def _exception_before(language: Language, tokens: tuple[str, ...], start: int) -> int | None:
    """Where an exception opens, right before ``start`` ("apart from the groin ache", "besides
    the stiffness"); None for none."""
    for at in range(max(0, start - EXCEPTION_REACH), start):
        if tokens[at] in language.exception_firsts and any(
            tokens[at : at + len(p)] == p and at + len(p) <= start for p in language.exceptions
        ):
            return at
    return None


def _denies_its_hurt(
    language: Language, at: CueAt, tokens: tuple[str, ...], end: int, finding: str
) -> bool:
    """Whether a denial after a finding that is no pain denies only that it hurts."""
    return (
        at.cue.means is CueMeaning.NEGATED
        and at.start >= end
        and finding in language.elliptic_not_pain
        and tokens[at.end : at.end + 1] != ()
        and tokens[at.end] in language.pain_words
    )


def strongest(verdicts: Iterable[Verdict]) -> Verdict:
    """The assertion of a mention made of several parts: the strongest cue over any part ("no
    trouble with my bladder" denies the pair of bladder and trouble)."""
    ranked = [v for v in verdicts if v.assertion in _STRENGTH]
    if not ranked:
        return Verdict(Assertion.PRESENT, "no cue in scope")
    return min(ranked, key=lambda v: _STRENGTH.index(v.assertion))
