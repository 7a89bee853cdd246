"""The console dialogue tester: chat in a terminal, or drive the bot line by line as JSON."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from bot.channels.console_clock import clock_seconds, clock_turn
from bot.dialogue import Engine, Incoming, Session, Turn
from bot.pictures import Pictures


def turn_json(engine: Engine, turn: Turn) -> dict[str, Any]:
    """The public one-line JSON form of a turn (see README, "Console JSON protocol")."""
    result = None
    if turn.assessment is not None:
        assessment = turn.assessment
        flagged = dict.fromkeys(
            f
            for rule in assessment.red_flags
            for f in (*rule.all_of, *rule.any_of)
            if turn.session.answers.get(f) is True
        )
        result = {
            "urgency": assessment.urgency.value,
            "causes": [r.cause.id for r in assessment.shown_causes],
            "exercises": list(assessment.exercises),
            "see_professional": assessment.see_professional,
            "red_flags": list(flagged),
        }
    return {
        "messages": [reply.plain_text for reply in turn.replies],
        "options": [option.label for option in turn.options],
        "state": turn.session.state,
        "asks": engine.asks(turn.session),
        "result": result,
    }


def incoming_from_line(line: str, turn: Turn, *, at: float) -> Incoming:
    """A typed line as the engine sees it: an option number or exact label taps that button."""
    text = line.strip()
    options = turn.options
    if text.isascii() and text.isdecimal() and 1 <= int(text) <= len(options):
        return Incoming(button=options[int(text) - 1].value, at=at)
    for option in options:
        if text.casefold() == option.label.casefold():
            return Incoming(button=option.value, at=at)
    return Incoming(text=text, at=at)


def run_json(
    engine: Engine,
    lines: Iterable[str],
    out: TextIO,
    *,
    clock: Callable[[], float] = time.time,
) -> Session:
    """One JSON line for the opening turn, then one for every input line."""
    turn = engine.start(at=clock())
    out.write(json.dumps(turn_json(engine, turn), ensure_ascii=False) + "\n")
    out.flush()
    offset = 0.0
    for line in lines:
        turn, offset = _step(engine, turn, line, clock() + offset, offset)
        view = turn_json(engine, turn)
        if turn.chart:
            view["chart"] = str(save_chart(engine, turn.session))
        out.write(json.dumps(view, ensure_ascii=False) + "\n")
        out.flush()
    return turn.session


def _step(engine: Engine, turn: Turn, line: str, now: float, offset: float) -> tuple[Turn, float]:
    """One console line: ``/clock`` moves the clock (console only), anything else is input."""
    moved = clock_seconds(line, day=engine.day)
    if moved is None:
        return engine.step(turn.session, incoming_from_line(line, turn, at=now)), offset
    return clock_turn(engine, turn.session, now=now + moved, moved=moved), offset + moved


def save_chart(engine: Engine, session: Session) -> Path:
    """Draw the ``/progress`` chart into a temporary PNG file; its path."""
    from bot.chart import progress_chart  # matplotlib loads only when a chart is drawn

    handle, name = tempfile.mkstemp(prefix="hipbot-progress-", suffix=".png")
    os.close(handle)
    path = Path(name)
    path.write_bytes(
        progress_chart(
            (session.plan or {}).get("runs", []), engine.knowledge, engine.dialogue.texts
        )
    )
    return path


def _show(turn: Turn, out: TextIO, pictures: Pictures | None) -> None:
    for reply in turn.replies:
        if reply.picture is not None and pictures is not None:
            out.write(f"\n[picture: {pictures.path(reply.picture) or 'not available'}]")
        out.write(f"\nhipbot: {reply.plain_text}\n")
    for number, option in enumerate(turn.options, 1):
        out.write(f"   {number}) {option.label}\n")
    out.flush()


def run_interactive(
    engine: Engine, read: Callable[[str], str], out: TextIO, pictures: Pictures | None = None
) -> None:
    """Chat in the terminal: options are numbered; type a number or free text. Ctrl-D quits.
    An exercise's picture is shown as the path of its PNG file."""
    out.write(
        "hipbot console — type a number or your own words; /help for commands, Ctrl-D to quit.\n"
    )
    turn = engine.start(at=time.time())
    _show(turn, out, pictures)
    offset = 0.0
    while True:
        try:
            line = read("\nyou: ")
        except (EOFError, KeyboardInterrupt):
            out.write("\nBye — look after that hip!\n")
            return
        if not line.strip():
            continue
        turn, offset = _step(engine, turn, line, time.time() + offset, offset)
        _show(turn, out, pictures)
        if turn.chart:
            out.write(f"   chart: {save_chart(engine, turn.session)}\n")
