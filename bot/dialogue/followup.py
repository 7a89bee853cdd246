"""The check-in conversation's buttons and how typed answers are read (pure helpers).

A check-in asks "How is the hip compared with last time?" (better / about the same / worse), then
the pain during the last run and the next morning, 0–10; ``/log`` asks the same two pains, or
reads both from one message ("3 during, 2 next morning"). Its open question lives in the
session as ``follow["stage"]``: ``compare``, ``during`` or ``morning``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.dialogue.messages import Option

if TYPE_CHECKING:
    from bot.dialogue.render import Renderer

PREFIX = "followup_"
BETTER, SAME, WORSE = "followup_better", "followup_same", "followup_worse"
TRENDS = {BETTER: "better", SAME: "same", WORSE: "worse"}
NO_RUN = "followup_no_run"
PAIN = "followup_pain_"
SELF_CARE_DAYS = 14
"""The self-care period: "see a physiotherapist if it has not eased after about two weeks"."""

_NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
)  # fmt: skip
_PAIN = re.compile(r"\b(10|[0-9]|" + "|".join(_NUMBER_WORDS) + r")\b(?:\s*/\s*10)?", re.I)
_MORNING = re.compile(r"morning|next day|after|later|today", re.I)
_CLAUSE = re.compile(r"[,;]|\band\b|\bthen\b", re.I)
_NO_RUN = re.compile(r"\b(not|haven'?t|didn'?t|no)\b.*\b(run|ran|running)\b", re.I)
_TRENDS = (
    (WORSE, re.compile(r"\bworse\b|\bnot (any )?better\b|\bdeteriorat", re.I)),
    (SAME, re.compile(r"\bsame\b|\bno (real )?change\b|\bno different\b|\bsimilar\b", re.I)),
    (BETTER, re.compile(r"\bbetter\b|\bimprov|\beasing\b|\beased\b|\bless (pain|sore)", re.I)),
)


def compare_options(texts: Renderer) -> tuple[Option, ...]:
    """ "Better", "About the same", "Worse"."""
    return tuple(
        Option(texts.label(f"trend_{TRENDS[value]}"), value) for value in (BETTER, SAME, WORSE)
    )


def pain_options(texts: Renderer) -> tuple[Option, ...]:
    """0 to 10, and "I haven't run"."""
    return (
        *(Option(str(n), f"{PAIN}{n}") for n in range(11)),
        Option(texts.label("no_run"), NO_RUN),
    )


def read_trend(button: str | None, text: str | None) -> str | None:
    """The button's trend value, or one read from typed text ("a bit better", "worse")."""
    if button in TRENDS:
        return button
    for value, pattern in _TRENDS:
        if text and pattern.search(text):
            return value
    return None


def _value(token: str) -> int:
    token = token.lower()
    return _NUMBER_WORDS.index(token) if token in _NUMBER_WORDS else int(token)


def read_pain(button: str | None, text: str | None) -> int | None:
    """A pain score 0–10 from a button or typed text ("3", "about 4/10", "two")."""
    if button is not None and button.startswith(PAIN) and button[len(PAIN) :].isdecimal():
        value = int(button[len(PAIN) :])
        return value if value <= 10 else None
    found = _PAIN.search(text or "")
    return _value(found.group(1)) if found else None


def no_run(button: str | None, text: str | None) -> bool:
    """Whether the runner says they have not run since."""
    return button == NO_RUN or bool(text and _NO_RUN.search(text))


def read_log(text: str) -> tuple[int, int] | None:
    """Both pains from one message: "3 during, 2 next morning", "morning 1, during 4", "3 2"."""
    clauses = [c for c in _CLAUSE.split(text) if _PAIN.search(c)]
    if len(clauses) == 1:
        scores = [_value(m.group(1)) for m in _PAIN.finditer(clauses[0])]
        return (scores[0], scores[1]) if len(scores) == 2 else None
    if len(clauses) != 2:
        return None
    first, second = (_value(_PAIN.findall(c)[0]) for c in clauses)
    if _MORNING.search(clauses[0]) and not _MORNING.search(clauses[1]):
        return second, first
    return first, second
