"""The console dialogue tester: chat in a terminal, or drive the bot line by line as JSON.

Both run through the :class:`~bot.service.ChatService` and a store (the memory store unless
``hipbot console --store URL`` names one), as Telegram does; dialogue scripts
(:mod:`bot.scripts`) drive the engine directly with the same line reading."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot import dialogue
from bot.channel import Channel, Incoming, SessionKey, clip
from bot.channels.console_clock import clock_seconds, clock_turn
from bot.dialogue import Engine, Reply, Session, Turn
from bot.pictures import Pictures
from bot.service import ChatService, DeliveryFailed
from bot.store import open_store


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


def incoming_from_line(line: str, turn: Turn, *, at: float) -> dialogue.Incoming:
    """A typed line as the engine sees it: an option number or exact label taps that button."""
    text = line.strip()
    options = turn.options
    if text.isascii() and text.isdecimal() and 1 <= int(text) <= len(options):
        return dialogue.Incoming(button=options[int(text) - 1].value, at=at)
    for option in options:
        if text.casefold() == option.label.casefold():
            return dialogue.Incoming(button=option.value, at=at)
    return dialogue.Incoming(text=text, at=at)


class Console:
    """The console as a :class:`~bot.channel.Channel` of typed lines, run through the
    :class:`~bot.service.ChatService` like Telegram: every line is one event of the
    conversation ``console:<chat>``, saved with its replies (the outbox) before they are
    written, so ``/forget``, the outbox and the locking behave as they do on Telegram.

    ``show`` writes one turn (a JSON line, or the interactive chat's text); a failed write
    is a failed delivery, which the outbox sends again before the next line's answer.
    """

    name = "console"
    max_text = 4096
    """As on Telegram, so that a pasted text is read the same in both."""

    def __init__(
        self, service: ChatService, show: Callable[[Turn], None], *, chat: str = "local"
    ) -> None:
        self.service = service
        self.key = SessionKey(self.name, chat)
        self._show = show
        self._last: Turn | None = None
        self._offset = 0.0
        self._clock = service.clock
        service.clock = self.now

    def now(self) -> float:
        """The console's clock: the service's, moved on by every ``/clock``."""
        return self._clock() + self._offset

    def incoming(self, line: str) -> Incoming:
        """A typed line; an option's number or exact label taps that button."""
        options = self._last.options if self._last is not None else ()
        text = line.strip()
        if text.isascii() and text.isdecimal() and 1 <= int(text) <= len(options):
            return Incoming(self.key, button=options[int(text) - 1].value)
        for option in options:
            if text.casefold() == option.label.casefold():
                return Incoming(self.key, button=option.value)
        return Incoming(self.key, text=clip(text, self.max_text))

    def render(self, replies: Sequence[Reply]) -> list[str]:
        """The replies as plain text (no length limit in a terminal)."""
        return [reply.plain_text for reply in replies]

    async def deliver(self, turn: Turn) -> None:
        """Show ``turn``; a write that fails is a delivery that failed (kept in the outbox)."""
        try:
            self._show(turn)
        except OSError as error:
            raise DeliveryFailed(turn.replies, type(error).__name__) from None
        self._last = turn

    @property
    def last(self) -> Turn:
        """The turn shown last."""
        if self._last is None:
            raise RuntimeError("nothing shown yet: the console opens with /start")
        return self._last

    async def line(self, line: str) -> Turn | None:
        """Handle one typed line (``/clock`` moves the clock, console only); the turn shown."""
        moved = clock_seconds(line, day=self.service.engine.day)
        if moved is not None:
            return await self._move_clock(moved)
        shown = self._last
        try:
            await self.service.receive(self.incoming(line), self.deliver)
        except DeliveryFailed:  # kept in the outbox: shown before the next line's answer
            return None
        return self._last if self._last is not shown else None

    async def _move_clock(self, moved: float) -> Turn | None:
        self._offset += moved
        shown = self._last
        assert shown is not None, "the console opens with /start"
        due = shown.session.checkin
        if due is not None and due <= self.now():
            try:
                await self.service.check_in(str(self.key), due, self.deliver)
            except DeliveryFailed:
                return None
        if self._last is shown:  # nothing fell due (or it was cancelled meanwhile)
            quiet = shown.session.copy()
            quiet.checkin = None  # what fell due was sent above, or is no longer planned
            note = clock_turn(self.service.engine, quiet, now=self.now(), moved=moved)
            await self.deliver(Turn(shown.session, note.replies))
        return self._last


def console_service(engine: Engine, store_url: str = "memory://") -> ChatService:
    """The service a console runs through: the memory store unless ``store_url`` names one."""
    return ChatService(engine, open_store(store_url))


def run_json(
    engine: Engine,
    lines: Iterable[str],
    out: TextIO,
    *,
    clock: Callable[[], float] = time.time,
    service: ChatService | None = None,
) -> Session:
    """One JSON line for the opening turn, then one for every input line (through the
    service, the memory store unless ``service`` is given); the last turn's session."""
    service = service if service is not None else ChatService(engine, open_store("memory://"))
    service.clock = clock

    def show(turn: Turn) -> None:
        view = turn_json(engine, turn)
        if turn.chart:
            view["chart"] = str(save_chart(engine, turn.session))
        out.write(json.dumps(view, ensure_ascii=False) + "\n")
        out.flush()

    async def run() -> Session:
        console = Console(service, show)
        await console.line("/start")
        for line in lines:
            await console.line(line)  # a turn that could not be shown waits in the outbox
        await service.close()
        return console.last.session

    return asyncio.run(run())


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
    engine: Engine, read: Callable[[str], str], out: TextIO, pictures: Pictures | None = None,
    *, service: ChatService | None = None,
) -> None:  # fmt: skip
    """Chat in the terminal: options are numbered; type a number or free text. Ctrl-D quits.
    An exercise's picture is shown as the path of its PNG file."""
    service = service if service is not None else ChatService(engine, open_store("memory://"))
    out.write(
        "hipbot console — type a number or your own words; /help for commands, Ctrl-D to quit.\n"
    )

    def show(turn: Turn) -> None:
        _show(turn, out, pictures)
        if turn.chart:
            out.write(f"   chart: {save_chart(engine, turn.session)}\n")

    async def run() -> None:
        console = Console(service, show)
        await console.line("/start")
        while True:
            try:
                line = read("\nyou: ")
            except (EOFError, KeyboardInterrupt):
                out.write("\nBye — look after that hip!\n")
                break
            if line.strip():
                await console.line(line)
        await service.close()

    asyncio.run(run())


if TYPE_CHECKING:

    def _is_a_channel(console: Console) -> Channel[str, str]:
        return console  # mypy checks that Console implements the protocol
