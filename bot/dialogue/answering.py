"""How an answer changes a session: findings heard in free text, checklists, yes/no replies.

Each function records what it changes in the turn's undo record, so ``/back`` can restore it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from bot.dialogue.session import Session, Undo
from bot.dialogue.spec import StateSpec
from bot.understanding import Understanding
from bot.understanding.answers import YesNo, read_answer, read_yes_no

NONE_VALUE = "none"
NOT_SURE_VALUE = "not_sure"
YES_NO_VALUES = {"yes": YesNo.YES, "no": YesNo.NO, NOT_SURE_VALUE: YesNo.UNSURE}
ADULT_AGE = 16
OLDER_AGE = 45


@dataclass(frozen=True, slots=True)
class Given:
    """One answer as the engine read it."""

    value: str | None
    """The button's value, or the option typed text matched; ``None`` if neither."""
    text: str
    heard: Understanding
    forced: bool
    """Too many unreadable answers: take whatever comes as "not sure" and move on."""


class Outcome(Enum):
    """What an answer did to the current state."""

    DONE = auto()
    """The state's question is answered: move on."""
    PROGRESS = auto()
    """Something was recorded, but the question still stands."""
    UNREAD = auto()
    """Nothing could be read from the message."""


def note_heard(session: Session, record: Undo, heard: Understanding) -> bool:
    """Record every finding mentioned in free text (mixed initiative)."""
    if heard.for_someone:
        session.for_someone = True  # "he" and "she" are the runner from now on
    changed = False
    for finding in sorted(heard.present | heard.absent):
        value = finding in heard.present
        if not session.has_answer(finding, value):
            session.set_answer(record, finding, value)
            changed = True
    if heard.age is not None and session.age != heard.age:
        set_age(session, record, heard.age)
        changed = True
    return changed


def set_age(session: Session, record: Undo, age: int) -> None:
    session.set_age(record, age)
    session.set_answer(record, "age_under_16", age < ADULT_AGE)
    session.set_answer(record, "age_45_plus", age >= OLDER_AGE)


def answer_checklist(state: StateSpec, session: Session, record: Undo, given: Given) -> Outcome:
    """Tick a finding, or "none of these" for all that are left."""
    value, text, heard, forced = given.value, given.text, given.heard, given.forced
    remaining = [f for f in state.findings if f not in session.answers]
    if value in state.findings:
        session.set_answer(record, value, True)
        return Outcome.PROGRESS if len(remaining) > 1 else Outcome.DONE
    reply = read_yes_no(text) if value is None and text else None
    if value == NONE_VALUE or reply is YesNo.NO or forced or reply is YesNo.UNSURE:
        fill = None if reply is YesNo.UNSURE or forced else False
        for finding in remaining:
            session.set_answer(record, finding, fill)
        return Outcome.DONE
    if any(f in heard.present or f in heard.absent for f in state.findings):
        left = [f for f in state.findings if f not in session.answers]
        return Outcome.PROGRESS if left else Outcome.DONE
    return Outcome.UNREAD


def answer_yes_no(session: Session, record: Undo, given: Given) -> Outcome:
    """Yes, no or not sure about the finding asked (``forced``: after too many unreadable)."""
    value, text, heard, forced = given.value, given.text, given.heard, given.forced
    finding = session.question
    if finding is None:
        return Outcome.DONE
    reply = YES_NO_VALUES.get(value or "") or (read_answer(text, finding, heard) if text else None)
    if reply is not YesNo.NO and (finding in heard.present or finding in heard.absent):
        return Outcome.DONE
    if reply is None and not forced:
        return Outcome.UNREAD
    answer = {YesNo.YES: True, YesNo.NO: False}.get(reply) if reply else None
    session.set_answer(record, finding, answer)
    return Outcome.DONE
