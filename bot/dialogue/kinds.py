"""The closed registry of state kinds, in the style of :mod:`bot.dialogue.conditions`: for each
:class:`~bot.dialogue.spec.Kind` a dialogue state may have, what it asks about, which buttons it
shows and how it reads an answer.

Adding a kind is one entry in :class:`~bot.dialogue.spec.Kind` and one :class:`StateKind` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.dialogue.answering import (
    NONE_VALUE,
    NOT_SURE_VALUE,
    Given,
    Outcome,
    answer_checklist,
    answer_yes_no,
    set_age,
)
from bot.dialogue.checkins import offer_options
from bot.dialogue.commands import RESULT_ACTIONS
from bot.dialogue.conditions import AGE_FINDINGS
from bot.dialogue.messages import Option
from bot.dialogue.spec import Kind, StateSpec
from bot.understanding import Understanding
from bot.understanding.answers import read_age

if TYPE_CHECKING:
    from bot.dialogue.conversation import Conversation
    from bot.dialogue.engine import Engine
    from bot.dialogue.session import Session, Undo

EXERCISES_ACTION = RESULT_ACTIONS[0]
"""The result's "Show exercises" button, left out when exercises are withheld."""


@dataclass(frozen=True, slots=True)
class Reading:
    """One answer to a state: the button value (or the option a typed answer names), the text
    and what the text says; ``forced`` once the runner's answers could not be read often
    enough that the bot moves on anyway."""

    engine: Engine
    state: StateSpec
    conversation: Conversation
    record: Undo
    value: str | None
    text: str
    heard: Understanding
    forced: bool

    @property
    def session(self) -> Session:
        return self.conversation.session

    @property
    def given(self) -> Given:
        return Given(self.value, self.text, self.heard, self.forced)


@dataclass(frozen=True, slots=True)
class StateKind:
    """How states of one kind behave."""

    asks: Callable[[Engine, Session, StateSpec], list[str]]
    """Finding ids the state's question asks about (``"age"`` for an age)."""
    options: Callable[[Engine, Session, StateSpec], tuple[Option, ...]]
    """The buttons under the state's prompt."""
    read: Callable[[Reading], Outcome]
    """Apply an answer to the session; whether it was read."""


# -- what a state asks about ---------------------------------------------------------------------


def _asks_options(engine: Engine, session: Session, state: StateSpec) -> list[str]:
    return list(dict.fromkeys(f for o in state.options for f in o.sets))


def _asks_checklist(engine: Engine, session: Session, state: StateSpec) -> list[str]:
    return [f for f in state.findings if f not in session.answers]


def _asks_yes_no(engine: Engine, session: Session, state: StateSpec) -> list[str]:
    return [session.question] if session.question else []


def _asks_age(engine: Engine, session: Session, state: StateSpec) -> list[str]:
    return ["age"]


# -- buttons ---------------------------------------------------------------------------------


def _declared(engine: Engine, session: Session, state: StateSpec) -> tuple[Option, ...]:
    """The state's own options, and "Not sure" once the runner is stuck."""
    options = tuple(Option(o.label, o.value) for o in state.options)
    stuck = session.unread >= engine.dialogue.unreadable_limit
    if stuck and not any(o.value == NOT_SURE_VALUE for o in options):
        options = (*options, Option(engine.render.label("not_sure"), NOT_SURE_VALUE))
    return options


def _checklist_options(engine: Engine, session: Session, state: StateSpec) -> tuple[Option, ...]:
    remaining = [f for f in state.findings if f not in session.answers]
    items = [Option(engine.render.button(f), f) for f in remaining]
    return (*items, Option(state.none_label or "", NONE_VALUE))


def _yes_no_options(engine: Engine, session: Session, state: StateSpec) -> tuple[Option, ...]:
    label = engine.render.label
    return (
        Option(label("yes"), "yes"),
        Option(label("no"), "no"),
        Option(label("not_sure"), NOT_SURE_VALUE),
    )


def _pick_options(engine: Engine, session: Session, state: StateSpec) -> tuple[Option, ...]:
    picks = [
        Option(engine.render.button(f), f)
        for f in session.answers
        if f in engine.knowledge.findings and f not in AGE_FINDINGS
    ]
    return (*picks, *(Option(o.label, o.value) for o in state.options))


def _result_options(engine: Engine, session: Session, state: StateSpec) -> tuple[Option, ...]:
    options = tuple(Option(o.label, o.value) for o in state.options)
    if engine.assessment(session).exercises_withheld:
        options = tuple(o for o in options if o.value != EXERCISES_ACTION)
    if engine.offers_checkin(session):
        options = (*options, *offer_options(engine.render))
    return options


# -- reading answers ---------------------------------------------------------------------------


def _read_free_text(reading: Reading) -> Outcome:
    return Outcome.DONE  # every finding the story mentions is already noted


def _read_checklist(reading: Reading) -> Outcome:
    return answer_checklist(reading.state, reading.session, reading.record, reading.given)


def _read_yes_no(reading: Reading) -> Outcome:
    return answer_yes_no(reading.session, reading.record, reading.given)


def _read_pick(reading: Reading) -> Outcome:
    session, value = reading.session, reading.value
    session.question = value if value in session.answers else None
    return Outcome.DONE if value is not None or reading.forced else Outcome.UNREAD


def _read_option(reading: Reading) -> Outcome:
    """A chosen option sets its findings (and age); typed text that mentions one of the
    options' findings is read as an answer too."""
    chosen = next((o for o in reading.state.options if o.value == reading.value), None)
    session, heard = reading.session, reading.heard
    if chosen is not None:
        for finding, present in chosen.sets.items():
            session.set_answer(reading.record, finding, present)
        if chosen.age is not None:
            session.set_age(reading.record, chosen.age)
        reading.conversation.choice = chosen.value
        return Outcome.DONE
    heard_one = any(
        f in (heard.present if present else heard.absent)
        for option in reading.state.options
        for f, present in option.sets.items()
    )
    return Outcome.DONE if heard_one or reading.forced else Outcome.UNREAD


def _read_choice(reading: Reading) -> Outcome:
    initial = reading.session.state == reading.engine.dialogue.initial
    chosen = any(o.value == reading.value for o in reading.state.options)
    if initial and not chosen:  # the greeting: anything the runner tells goes on
        return Outcome.DONE if not reading.heard.empty or reading.forced else Outcome.UNREAD
    return _read_option(reading)


def _read_age(reading: Reading) -> Outcome:
    if reading.value is not None:
        return _read_option(reading)
    age = read_age(reading.text)
    if age is not None:
        set_age(reading.session, reading.record, age)
        return Outcome.DONE
    return Outcome.DONE if reading.forced or reading.heard.age is not None else Outcome.UNREAD


KINDS: dict[Kind, StateKind] = {
    Kind.CHOICE: StateKind(_asks_options, _declared, _read_choice),
    Kind.CHECKLIST: StateKind(_asks_checklist, _checklist_options, _read_checklist),
    Kind.FREE_TEXT: StateKind(_asks_options, _declared, _read_free_text),
    Kind.AGE: StateKind(_asks_age, _declared, _read_age),
    Kind.YES_NO: StateKind(_asks_yes_no, _yes_no_options, _read_yes_no),
    Kind.PICK_ANSWER: StateKind(_asks_options, _pick_options, _read_pick),
    Kind.RESULT: StateKind(_asks_options, _result_options, _read_option),
}
"""Every state kind's behaviour; a test checks each :class:`Kind` has one."""
