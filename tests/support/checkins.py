"""Conversations at a self-care result, ready to opt in to a check-in."""

from __future__ import annotations

from bot.dialogue import Engine, Session
from tests.support.engine import walk_to

SELF_CARE = [
    "1", "5", "my hip aches after runs since i doubled my mileage for a half marathon", "2",
    "30", "A few days", "6", "no", "no", "no", "no", "no", "no", "1",
]  # fmt: skip


def at_result(engine: Engine) -> Session:
    """A session at a self-care result, which offers a check-in."""
    turn = walk_to(engine, SELF_CARE)
    assert turn.session.state == "result" and turn.assessment is not None
    assert "checkin_3" in [o.value for o in turn.options]
    return turn.session
