"""Polling's durable inbox: a batch of updates is saved in the store before Telegram forgets it.

``getUpdates`` confirms a batch when the next call asks for a higher offset, which
python-telegram-bot does as soon as it has queued the batch in memory. Updates waiting behind a
chat's lock or held for retry were then lost if the process died. :class:`InboxBot` keeps every
batch in the store first (only what the bot reads of an update: no names, see
:class:`~bot.channels.inbound.Inbound`); when that fails, ``getUpdates`` fails too, and the
batch stays with Telegram. An update leaves the inbox once it is processed; those left over by a
crash or a stop are processed again at start (a processed one is recognised by its id).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict
from typing import Any

from telegram import Update
from telegram.error import NetworkError

from bot.channels.inbound import Inbound, Kind
from bot.channels.lean_bot import LeanBot
from bot.store import SessionStore, StoreUnavailable

logger = logging.getLogger(__name__)

OnUnkept = Callable[[Sequence["Inbound"]], Awaitable[None]]
"""Called with a batch that could not be kept (it stays with Telegram and comes again)."""


def dump(inbound: Inbound) -> str:
    """``inbound`` as JSON text."""
    fields = asdict(inbound)
    fields["kind"] = inbound.kind.value
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)


def load(text: str) -> Inbound | None:
    """What :func:`dump` wrote, or ``None`` when it cannot be read."""
    try:
        fields = json.loads(text)
        fields["kind"] = Kind(fields["kind"])
        return Inbound(**fields)
    except (ValueError, TypeError, KeyError):
        return None


class Inbox:
    """The updates received and not yet processed, kept in the session store."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    async def keep(self, updates: Sequence[Inbound]) -> None:
        """Save ``updates`` that need work (messages and taps in a chat).

        Raises:
            StoreUnavailable: they may not be saved; they must not be acknowledged.
        """
        items = [(u.update_id, dump(u)) for u in updates if u.chat_id is not None]
        if items:
            await self.store.inbox_add(items)

    async def pending(self) -> list[Inbound]:
        """Updates kept and not yet processed, oldest first."""
        kept = []
        for update_id, text in await self.store.inbox_pending():
            inbound = load(text)
            if inbound is None:
                logger.warning("dropping unreadable kept update %s", update_id)
                await self.store.inbox_remove(update_id)
            else:
                kept.append(inbound)
        return kept

    async def done(self, update_id: int) -> None:
        """The update was processed (or can never be): it is no longer kept."""
        await self.store.inbox_remove(update_id)


class InboxBot(LeanBot):
    """A :class:`LeanBot` whose ``getUpdates`` saves each batch in ``inbox`` before returning it,
    that is before the next call's offset lets Telegram forget it."""

    def __init__(
        self, *args: Any, inbox: Inbox, on_unkept: OnUnkept | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self.inbox = inbox
            self.on_unkept = on_unkept

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """As :meth:`telegram.Bot.get_updates`; raises :class:`~telegram.error.NetworkError`
        when the batch cannot be saved, so that python-telegram-bot asks for it again later
        (with the same offset: Telegram still has it)."""
        updates = await super().get_updates(*args, **kwargs)
        received = [inbound for u in updates if (inbound := Inbound.from_update(u)) is not None]
        try:
            await self.inbox.keep(received)
        except StoreUnavailable:
            if self.on_unkept is not None:
                await self.on_unkept(received)
            raise NetworkError("the store is unavailable: updates left with Telegram") from None
        return updates
