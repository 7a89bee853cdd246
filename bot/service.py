"""The chat service: lock the conversation, load it, step the engine, save it, return replies.

Channels call :meth:`ChatService.handle` and send what it returns; nothing here knows Telegram.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.dialogue import Engine, Incoming, Session, SessionFormatError, Turn
from bot.store import SessionStore

logger = logging.getLogger(__name__)

Deliver = Callable[[Turn], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Handled:
    """What became of one incoming message."""

    turn: Turn | None
    duplicate: bool = False


class ChatService:
    """Runs conversations for any channel over one engine and one session store."""

    def __init__(
        self, engine: Engine, store: SessionStore, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.engine = engine
        self.store = store
        self.clock = clock

    async def handle(
        self, key: str, *, text: str | None = None, button: str | None = None,
        step: int | None = None, update_id: int | None = None, deliver: Deliver | None = None,
    ) -> Handled:  # fmt: skip
        """Apply one message to the conversation ``key``, exactly once per ``update_id``.

        ``deliver`` gets the turn once it is saved, while the conversation is still locked, so
        one conversation's replies go out in the order of its messages. If it raises, the turn
        stays saved and the update counts as processed.

        Raises:
            StoreUnavailable: the store cannot be read or written; nothing was changed, and
                the caller should let the update be retried later.
        """
        incoming = Incoming(text=text, button=button, step=step, at=self.clock())
        async with self.store.lock(key, order=update_id):
            processed, raw = await self.store.load_unless_processed(key, update_id)
            if processed:
                return Handled(turn=None, duplicate=True)
            session = self._parse(raw)
            turn = self.engine.step(session, incoming)
            if turn.forget:
                await self.store.delete(key)
            else:
                await self.store.save(key, turn.session.to_json(), update_id=update_id)
            if deliver is not None:
                await deliver(turn)
        return Handled(turn=turn)

    @staticmethod
    def _parse(raw: str | None) -> Session | None:
        if raw is None:
            return None
        try:
            return Session.from_json(raw)
        except SessionFormatError as error:
            logger.warning("discarding an unreadable stored session: %s", error)
            return None
