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


def tap(engine: Engine, turn: Turn, value: str) -> Turn:
    """Tap the button with this value."""
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
