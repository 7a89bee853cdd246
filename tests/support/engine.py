"""Shared helpers for driving the real engine over the real knowledge and dialogue."""

from __future__ import annotations

from functools import cache

from bot.app import load_engine
from bot.dialogue import Engine, Incoming, Session, Turn


@cache
def real_engine() -> Engine:
    """The engine over the shipped knowledge/ and dialogues/ (built once per test run)."""
    return load_engine()


def say(engine: Engine, turn: Turn, text: str, *, at: float | None = None) -> Turn:
    """Type ``text`` (a number taps that button, as in the console)."""
    from bot.channels.console import incoming_from_line

    when = turn.session.updated_at + 1 if at is None else at
    return engine.step(turn.session, incoming_from_line(text, turn, at=when))


def tap(engine: Engine, turn: Turn, value: str, *, offered: bool = True) -> Turn:
    """Tap the button with this value, a second after the last turn; unless ``offered`` is
    false (a menu button from earlier), it must be among the turn's buttons."""
    values = [o.value for o in turn.options]
    assert not offered or value in values, (value, values, turn.session.state)
    return engine.step(turn.session, Incoming(button=value, at=turn.session.updated_at + 1))


def walk_to(engine: Engine, lines: list[str]) -> Turn:
    """Start a conversation and send each line in turn."""
    turn = engine.start(at=1_000_000.0)
    for line in lines:
        turn = say(engine, turn, line)
    return turn


def state_view(session: Session) -> dict:
    """A session without its bookkeeping (step counter, clock, undo history)."""
    data = session.to_dict()
    for key in ("step", "updated_at", "history"):
        data.pop(key)
    return data


def dialogue_text(text_id: str, **values: object) -> str:
    """A text of the shipped dialogue as the bot sends it (HTML, placeholders filled)."""
    return real_engine().render.text(text_id, **values)


# A way to reach every state of the consultation from the greeting.
PATHS = {
    "greeting": [],
    "red_flag_screen": ["1"],
    "describe": ["1", "None of these"],
    "location": ["1", "None of these", "Skip"],
    "age": ["1", "None of these", "outer hip pain"],
    "duration": ["1", "None of these", "outer hip pain", "40"],
    "signs": ["1", "None of these", "outer hip pain", "40", "A few days"],
    "questions": ["1", "None of these", "outer hip pain", "40", "A few days", "None of these"],
    "review": ["1", "None of these", "outer hip pain", "40", "A few days", "None of these", *["no"] * 6],
    "change": ["1", "None of these", "outer hip pain", "40", "A few days", "None of these", *["no"] * 6, "Change an answer"],
    "change_answer": [
        "1", "None of these", "outer hip pain", "40", "A few days", "None of these", *["no"] * 6, "Change an answer", "1",
    ],
    "result": [
        "1", "None of these", "outer hip pain", "40", "A few days", "None of these", *["no"] * 6, "Looks right, show result",
    ],
}  # fmt: skip
