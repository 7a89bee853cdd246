"""``/clock`` for the console tester and dialogue scripts only: move time on, see what fell due.

``/clock +8d`` (also ``+12h``, ``+30m``) moves the console's clock; the turn it answers with is
the check-in that fell due meanwhile, or a line saying that nothing did. The bot itself has no
such command: on Telegram, time passes by itself.
"""

from __future__ import annotations

import re

from bot.dialogue import Engine, Reply, Session, Turn

_CLOCK = re.compile(r"^\s*/clock(?:@\w+)?(?:\s+\+?\s*(\d+(?:\.\d+)?)\s*([dhm]))?\s*$", re.I)
_UNIT_SECONDS = {"d": 24 * 3600.0, "h": 3600.0, "m": 60.0}


def clock_seconds(line: str, *, day: float = _UNIT_SECONDS["d"]) -> float | None:
    """How far ``/clock +N[dhm]`` moves the clock (0 for a bare ``/clock``); ``None`` for any
    other line."""
    found = _CLOCK.match(line)
    if found is None:
        return None
    if found.group(1) is None:
        return 0.0
    unit = day if found.group(2).lower() == "d" else _UNIT_SECONDS[found.group(2).lower()]
    return float(found.group(1)) * unit


def clock_turn(engine: Engine, session: Session, *, now: float, moved: float) -> Turn:
    """What the moved clock brings: the check-in that is due by ``now``, if any."""
    if session.checkin is not None and session.checkin <= now:
        return engine.check_in(session, at=now)
    hours = moved / 3600
    note = f"(clock moved on {hours:g} h; nothing fell due)" if moved else "(nothing is due)"
    return Turn(session, (Reply(note),))
