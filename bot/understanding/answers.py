"""Short answers to a question: yes, no or not sure; a choice among options; an age."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from functools import cache

from rapidfuzz import fuzz, process, utils

from bot.understanding.frames import Frames
from bot.understanding.language import Language, default_language
from bot.understanding.normalize import normalize_text, tokenize
from bot.understanding.reader import Understanding


class YesNo(StrEnum):
    """A reply to a yes/no question."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


_UNSURE = (
    "not sure", "unsure", "maybe", "perhaps", "possibly", "dunno", "do not know", "idk",
    "no idea", "not certain", "sometimes", "a little maybe", "hard to say", "i guess", "kind of",
    "sort of", "can not tell", "cannot tell", "not really sure",
)  # fmt: skip
_NO = (
    "no", "nope", "nah", "n", "never", "not really", "none", "negative", "not at all", "no way",
    "definitely not", "absolutely not", "i do not", "it does not", "no it does not", "neither",
    "nothing", "not that i know", "none of these", "none of them",
)  # fmt: skip
_YES = (
    "yes", "yeah", "yep", "yup", "y", "ya", "yea", "yess", "sure", "definitely", "absolutely",
    "correct", "right", "true", "it does", "i do", "i have", "it is", "affirmative", "ok",
    "okay", "indeed", "of course", "a bit", "a little", "a lot", "quite a lot", "very much",
    "totally", "for sure", "yes it does", "yes i do", "uh huh", "aye",
)  # fmt: skip
_CHOICES = {**dict.fromkeys(_YES, YesNo.YES), **dict.fromkeys(_NO, YesNo.NO)}
_CHOICES.update(dict.fromkeys(_UNSURE, YesNo.UNSURE))
_FIRST_WORD = {"yes": YesNo.YES, "yeah": YesNo.YES, "yep": YesNo.YES, "no": YesNo.NO,
               "nope": YesNo.NO, "nah": YesNo.NO}  # fmt: skip


def read_yes_no(text: str) -> YesNo | None:
    """Classify a reply as yes, no or not sure; ``None`` if it is none of these."""
    words = tokenize(normalize_text(text))
    if not words:
        return None
    phrase = " ".join(words)
    if phrase in _CHOICES:
        return _CHOICES[phrase]
    for unsure in _UNSURE:
        if f" {unsure} " in f" {phrase} ":
            return YesNo.UNSURE
    if len(words) <= 3:
        best = process.extractOne(phrase, _CHOICES, scorer=fuzz.ratio, score_cutoff=85)
        if best is not None:
            return _CHOICES[best[2]]
    return _FIRST_WORD.get(words[0])


_OPENERS = frozenset(
    "um umm erm er hmm well oh ah uh honestly tbh so like mate hey hi look haha lol ha "
    "actually really basically nope".split()
)
_ASKING = frozenset("what why how wat wut which who huh pardon".split())
_ONLY = frozenset({"only", "just", "mainly", "mostly"})
_SOFT_HEDGES = frozenset({("kind", "of"), ("sort", "of"), ("kinda",), ("sorta",), ("i", "think")})
_READINGS = {"yes": YesNo.YES, "no": YesNo.NO, "unsure": YesNo.UNSURE}


def _lead(words: list[str], language: Language) -> YesNo | None:
    """What the reply's opening words say: the longest answer phrase at its start."""
    start = 0
    while start < len(words) - 1 and words[start] in _OPENERS and words[start] != "nope":
        start += 1
    best: YesNo | None = None
    for end in range(start + 1, min(len(words), start + 6) + 1):
        reading = language.answers.get(tuple(words[start:end]))
        if reading is not None:
            best = _READINGS[reading]
    return best


def _hedged(words: list[str], language: Language) -> bool:
    phrase = f" {' '.join(words)} "
    return any(
        f" {' '.join(p)} " in phrase
        for p, reading in language.answers.items()
        if reading == "unsure" and p not in _SOFT_HEDGES
    )


def _trailing(words: list[str], language: Language) -> YesNo | None:
    """An answer word closing the reply: "bit sore when I poke it ya"."""
    for start in range(max(0, len(words) - 3), len(words)):
        reading = language.answers.get(tuple(words[start:]))
        if reading is not None and reading != "unsure":
            return _READINGS[reading]
    return None


@cache
def _frames() -> Frames:
    return Frames.compile(default_language())


def _duration(words: list[str], finding: str) -> YesNo | None:
    frames = _frames()
    if finding != frames.duration_finding:
        return None
    hits = frames.duration(tuple(words), True)
    return (YesNo.NO if hits[0].absent else YesNo.YES) if hits else None


def read_answer(
    text: str, finding: str, heard: Understanding, language: Language | None = None
) -> YesNo | None:
    """A reply to a yes/no question about ``finding``, read with the finding as context.

    A reply that opens with a denial, or denies the finding, is never read as yes.
    """
    rules = language or default_language()
    words = tokenize(normalize_text(text))
    if not words:
        return None
    lead = _lead(words, rules)
    if lead is YesNo.UNSURE or words[0] in _ASKING:
        return YesNo.UNSURE
    if lead is YesNo.NO or finding in heard.absent:
        return YesNo.NO
    if text.rstrip().endswith("?") and len(words) <= ASKED_BACK_WORDS:
        return YesNo.UNSURE  # "sometimes?": an answer asked back is no answer yet
    if finding in heard.present:
        return YesNo.UNSURE if _hedged(words, rules) else YesNo.YES
    if finding in heard.hedged or _hedged(words, rules):
        return YesNo.UNSURE
    if words[0] in _ONLY and heard.present:
        return YesNo.NO
    return lead or _trailing(words, rules) or _duration(words, finding)


def read_choice(text: str, labels: Sequence[str]) -> int | None:
    """Index of the option ``text`` names: by number ("2"), by label, or a close misspelling."""
    stripped = text.strip()
    # isdecimal, not isdigit: "²" and "①" are digits that int() refuses.
    short_number = stripped.isdecimal() and len(stripped) <= MAX_CHOICE_DIGITS
    if short_number and 1 <= int(stripped) <= len(labels):
        return int(stripped) - 1
    lowered = utils.default_process(stripped)
    if not lowered:
        return None
    if len(lowered) < MIN_FUZZY_LENGTH:
        return next((i for i, label in enumerate(labels) if lowered == label.lower()), None)
    choices = [utils.default_process(label) for label in labels]
    for index, choice in enumerate(choices):
        if lowered == choice:
            return index
    best = process.extractOne(lowered, choices, scorer=fuzz.WRatio, score_cutoff=86)
    return None if best is None else int(best[2])


MIN_FUZZY_LENGTH = 3
MAX_CHOICE_DIGITS = 3
ASKED_BACK_WORDS = 3
_NUMBER = re.compile(r"\b(\d{1,3})\b")


def read_age(text: str) -> int | None:
    """An age in years, from "34", "I'm 34" or "34 years old"; ``None`` if absent or absurd."""
    numbers = [int(n) for n in _NUMBER.findall(normalize_text(text))]
    if len(numbers) != 1 or not 1 <= numbers[0] <= 110:
        return None
    return numbers[0]
