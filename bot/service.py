"""The chat service: lock the conversation, load it, step the engine, save it, deliver the replies.

Channels call :meth:`ChatService.handle` and send the replies it gives them; nothing here knows
Telegram. A turn is saved together with its replies (an outbox, see :mod:`bot.outbox`) before
they are delivered, and the outbox is emptied once they are (as the conversation's lock is
released, in the same round trip where the store can), so replies that never went out (the Bot
API failed, the process died) go out when the update is retried, exactly once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass

from bot import dialogue
from bot.channel import Incoming, SessionKey
from bot.dialogue import Engine, Reply, Session, SessionFormatError, Turn
from bot.outbox import Outbox, Record, decode, encode
from bot.store import Held, ReleaseWriteFailed, SessionStore, StoreUnavailable

logger = logging.getLogger(__name__)
DUPLICATE_SEEN: ContextVar[bool] = ContextVar("duplicate_seen", default=False)
"""Set in the task that handled an update already processed (a retry): for the metrics."""

Deliver = Callable[[Turn], Awaitable[None]]


class DeliveryFailed(Exception):
    """Replies could not be delivered for now (the Bot API failed, timed out or is rate limiting).

    ``unsent`` are those that did not go out. Raised by a channel's ``deliver``; the service keeps
    them in the outbox and re-raises, and they go out first when the conversation is next handled
    (a retried update), before anything else is processed.
    """

    def __init__(self, unsent: Sequence[Reply], reason: str, *, maybe_sent: bool = False) -> None:
        super().__init__(f"{len(unsent)} message(s) not delivered: {reason}")
        self.unsent = tuple(unsent)
        self.maybe_sent = maybe_sent
        """The first of ``unsent`` may have gone out (its send timed out without an answer)."""


@dataclass(frozen=True, slots=True)
class Handled:
    """What became of one incoming message."""

    turn: Turn | None
    duplicate: bool = False
    resent: int = 0
    """Replies of an earlier turn that were still pending and went out first."""


class ChatService:
    """Runs conversations for any channel over one engine and one session store."""

    def __init__(
        self, engine: Engine, store: SessionStore, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.engine = engine
        self.store = store
        self.clock = clock
        # Outboxes delivered whose emptying failed (the store went down just then): key → id.
        self._delivered: dict[str, str] = {}

    async def receive(self, incoming: Incoming, deliver: Deliver | None = None) -> Handled:
        """:meth:`handle` for what a channel parsed (see :class:`bot.channel.Channel`)."""
        return await self.handle(
            str(incoming.key), text=incoming.text, button=incoming.button, step=incoming.step,
            dedupe=incoming.dedupe, order=incoming.order, deliver=deliver,
        )  # fmt: skip

    async def handle(
        self, key: str | SessionKey, *, text: str | None = None, button: str | None = None,
        step: int | None = None, dedupe: str | None = None, order: int | None = None,
        deliver: Deliver | None = None,
    ) -> Handled:  # fmt: skip
        """Apply one message to the conversation ``key``, exactly once per ``dedupe`` id
        (``order``: see :meth:`~bot.store.SessionStore.lock`).

        ``deliver`` gets the turn once it is saved, while the conversation is still locked, so
        one conversation's replies go out in the order of its messages. Replies of an earlier
        turn still in the outbox are delivered first, also for an update already processed.

        Raises:
            StoreUnavailable: the store cannot be read or written; nothing was changed, and
                the caller should let the update be retried later.
            DeliveryFailed: from ``deliver``; the turn is saved with its unsent replies, which
                go out when the update (or the chat's next one) is handled.
            Exception: anything else ``deliver`` raised (the runner blocked the bot…); the turn
                stays saved and its replies are dropped.
        """
        key = str(key)
        incoming = dialogue.Incoming(text=text, button=button, step=step, at=self.clock())
        handled: Handled | None = None
        try:
            async with self.store.lock(key, order=order, dedupe=dedupe) as held:
                handled = await self._turn(key, held, incoming, dedupe, deliver)
        except ReleaseWriteFailed as error:
            if handled is None:
                raise
            # The turn is saved and its replies went out; only emptying the outbox failed,
            # and _delivered remembers it.
            logger.warning("could not update the outbox: %s", error)
            return handled
        if held.final is not None:
            self._delivered.pop(key, None)
        return handled

    async def check_in(self, key: str, due: float, deliver: Deliver) -> bool:
        """Send the check-in of ``key`` that fell due at ``due``, through the outbox like any
        reply; whether it was sent now. One planned no more (cancelled, forgotten, planned
        anew) is not sent; replies an earlier attempt left in the outbox go out first, so a
        check-in whose sender died after saving it is delivered, not asked again.

        Raises:
            StoreUnavailable, DeliveryFailed: as :meth:`handle`; the check-in stays due.
        """
        async with self.store.lock(key) as held:
            record = self._parse(await self.store.load(key))
            if record.outbox is not None and record.session is not None:
                await self._flush(key, record.session, record.outbox, deliver)
            if record.session is None or record.session.checkin != due:
                return False
            turn = self.engine.check_in(record.session, at=self.clock())
            if not turn.replies:  # a session an older dialogue stored, which cannot go on
                return False
            outbox = Outbox.new(turn.replies)
            session_json = turn.stored
            await self.store.save(key, encode(session_json, outbox))
            self._delivered.pop(key, None)
            await self._deliver(key, turn, outbox, deliver, session_json, held)
        if held.final is not None:
            self._delivered.pop(key, None)
        return True

    async def close(self) -> None:
        """Close the store (at a channel's shutdown)."""
        await self.store.close()

    async def forget(self, key: str | SessionKey) -> None:
        """Erase everything stored for ``key`` (its session and planned check-ins), under its
        lock: for a runner who blocked the bot (Telegram answers 403)."""
        key = str(key)
        async with self.store.lock(key):
            await self.store.delete(key)
        self._delivered.pop(key, None)

    async def once(self, incoming: Incoming, send: Callable[[], Awaitable[None]]) -> bool:
        """Run ``send`` (a notice that leaves the conversation alone: "please type", the group
        suggestion) once per dedupe id, under the conversation's lock; whether it ran.

        A ``send`` that may have gone out (:class:`DeliveryFailed` with ``maybe_sent``) counts
        as done, so a notice reaches the runner at most once per attempt that timed out, and a
        retried update does not send it again.

        Raises:
            StoreUnavailable: the store cannot tell or record it; nothing was sent.
            DeliveryFailed: the notice was not sent; a retry of the update sends it.
        """
        dedupe = incoming.dedupe
        async with self.store.lock(str(incoming.key), order=incoming.order, dedupe=dedupe):
            if dedupe is not None and await self.store.was_processed(dedupe):
                return False
            try:
                await send()
            except DeliveryFailed as failed:
                if failed.maybe_sent and dedupe is not None:
                    await self.store.mark_processed(dedupe)
                raise
            if dedupe is not None:
                await self.store.mark_processed(dedupe)
        return True

    async def _turn(
        self, key: str, held: Held, incoming: dialogue.Incoming, dedupe: str | None,
        deliver: Deliver | None,
    ) -> Handled:  # fmt: skip
        processed, raw = await self.store.load_unless_processed(key, dedupe)
        if processed and deliver is not None:
            raw = await self.store.load(key)  # a retry: its replies may still be pending
        record = self._parse(raw)
        resent = 0
        if record.outbox is not None and record.session is not None and deliver is not None:
            resent = await self._flush(key, record.session, record.outbox, deliver)
        if processed:
            DUPLICATE_SEEN.set(True)
            return Handled(turn=None, duplicate=True, resent=resent)
        turn = self.engine.step(record.session, incoming)
        planned = record.session.checkin if record.session is not None else None
        if not turn.forget and turn.session.checkin not in (None, planned):
            # Indexed before the session is saved, so a planned check-in is never missing from
            # the schedule; the session stays the truth (a stale entry is dropped when due).
            await self.store.schedule(key, turn.session.checkin)
        if turn.forget:
            await self.store.delete(key)
            self._delivered.pop(key, None)
            if deliver is not None:
                await deliver(turn)  # if this fails, the retried update forgets again
        elif deliver is None:
            session_json = turn.stored
            await self.store.save(key, session_json, dedupe=dedupe)
        else:
            outbox = Outbox.new(turn.replies)
            session_json = turn.stored
            await self.store.save(key, encode(session_json, outbox), dedupe=dedupe)
            self._delivered.pop(key, None)
            await self._deliver(key, turn, outbox, deliver, session_json, held)
        if not turn.forget and planned is not None and turn.session.checkin is None:
            await self.store.unschedule(key)
        return Handled(turn=turn, resent=resent)

    async def _flush(self, key: str, session: Session, outbox: Outbox, deliver: Deliver) -> int:
        """Deliver an earlier turn's pending replies; returns how many went out."""
        if self._delivered.get(key) == outbox.id:  # it did go out; only emptying it failed
            await self._save_outbox(key, session, None, delivered=outbox.id)
            return 0
        session_json = session.to_json()
        capped = outbox.capped()
        if capped is None:  # its only reply may have gone out twice already
            await self._save_outbox(key, session_json, None)
            return 0
        # Saved before sending, so that a crash now counts as a try: never a third copy.
        attempt = capped.attempting()
        await self.store.save(key, encode(session_json, attempt))
        logger.info("re-sending %d pending message(s) of an earlier turn", len(attempt.replies))
        try:
            turn = Turn(session, attempt.replies)
            await self._deliver(key, turn, attempt, deliver, session_json)
        except DeliveryFailed:
            raise
        except Exception as error:  # never deliverable: the update itself still goes ahead
            logger.warning("dropped pending messages that cannot be delivered: %s",
                           type(error).__name__)  # fmt: skip
            return 0
        return len(attempt.replies)

    async def _deliver(
        self, key: str, turn: Turn, outbox: Outbox, deliver: Deliver, session_json: str,
        held: Held | None = None,
    ) -> None:  # fmt: skip
        """Deliver ``turn`` (whose replies are saved in ``outbox``), then empty the outbox: as
        the lock is released when ``held`` is given (the turn's last write), else at once."""
        try:
            await deliver(turn)
        except DeliveryFailed as failed:
            left = outbox.after(failed.unsent, maybe_sent=failed.maybe_sent)
            if left != outbox:  # what did go out is not sent again
                await self._save_outbox(key, session_json, left)
            raise
        except Exception:
            await self._save_outbox(key, session_json, None)  # never deliverable: dropped
            raise
        if held is None:
            await self._save_outbox(key, session_json, None, delivered=outbox.id)
        else:
            self._delivered[key] = outbox.id  # until the release has emptied the outbox
            held.save_on_release(encode(session_json))

    async def _save_outbox(
        self, key: str, session: Session | str, outbox: Outbox | None, *,
        delivered: str | None = None,
    ) -> None:  # fmt: skip
        try:
            await self.store.save(key, encode(session, outbox))
        except StoreUnavailable as error:
            # The turn itself is saved; only the outbox is out of date. Remember a delivered one
            # so this process does not send it twice.
            logger.warning("could not update the outbox: %s", error)
            if delivered is not None:
                self._delivered[key] = delivered
            return
        self._delivered.pop(key, None)

    @staticmethod
    def _parse(raw: str | None) -> Record:
        if raw is None:
            return Record()
        try:
            return decode(raw)
        except SessionFormatError as error:
            logger.warning("discarding an unreadable stored session: %s", error)
            return Record()
