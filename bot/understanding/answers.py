"""Short answers to a question: yes, no or not sure; a choice among options; an age."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from rapidfuzz import fuzz, process, utils

from bot.understanding.normalize import normalize_text, tokenize


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
_NUMBER = re.compile(r"\b(\d{1,3})\b")


def read_age(text: str) -> int | None:
    """An age in years, from "34", "I'm 34" or "34 years old"; ``None`` if absent or absurd."""
    numbers = [int(n) for n in _NUMBER.findall(normalize_text(text))]
    if len(numbers) != 1 or not 1 <= numbers[0] <= 110:
        return None
    return numbers[0]
