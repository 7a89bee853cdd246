"""Long polling's pipeline: kept in the inbox, handled per chat in order, retried when it fails.

Every ``getUpdates`` batch is saved in the store's inbox first (:class:`~bot.channels.inbox.
InboxBot`); each update then goes to its chat's queue (:class:`~bot.channels.retry.RetryQueue`),
is handled by the channel, and leaves the inbox once it went through, or can never go through.
What a crash or a stop left in the inbox is handled at start, before any new update. While the
store is down, the runner is told once that the answer is delayed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.channels.inbound import Inbound
from bot.channels.inbox import Inbox
from bot.channels.lean_bot import LeanBot
from bot.channels.retry import DRAIN_SECONDS, FIRST_DELAY, MAX_DELAY, RetryQueue
from bot.channels.telegram import TelegramChannel
from bot.service import DeliveryFailed
from bot.store import SessionStore, StoreUnavailable

logger = logging.getLogger(__name__)

RETRYABLE = (StoreUnavailable, DeliveryFailed)
RETRY_DELAYS = (FIRST_DELAY, MAX_DELAY)


class Poller:
    """The polling side of one application: build the bot with :meth:`bot_options`, then
    :meth:`attach` it; :meth:`on_update` is the handler for every update."""

    def __init__(
        self, channel: TelegramChannel, store: SessionStore, *,
        retry_delays: tuple[float, float] = RETRY_DELAYS,
    ) -> None:  # fmt: skip
        self.channel = channel
        self.inbox = Inbox(store)
        self.queue = RetryQueue(
            self._handle, on_hold=self._on_hold, retryable=RETRYABLE,
            first_delay=retry_delays[0], max_delay=retry_delays[1],
        )  # fmt: skip
        self._bot: LeanBot | None = None
        self._told: set[int] = set()  # chats told that their answer is delayed
        self._resuming: set[asyncio.Task[None]] = set()

    def bot_options(self) -> dict[str, Any]:
        """Keyword arguments for :class:`~bot.channels.inbox.InboxBot`."""
        return {"inbox": self.inbox, "on_unkept": self._on_unkept}

    def attach(self, bot: LeanBot) -> None:
        """The bot that answers (the application's)."""
        self._bot = bot

    @property
    def bot(self) -> LeanBot:
        """The attached bot."""
        if self._bot is None:
            raise RuntimeError("Poller.attach() was not called")
        return self._bot

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Queue ``update`` behind its chat's earlier ones (a PTB handler callback)."""
        inbound = Inbound.from_update(update)
        if inbound is None:
            logger.warning("update %s ignored: malformed", update.update_id)
            return
        await self.queue.submit(inbound.chat_id, inbound)

    async def resume(self) -> None:
        """Handle what a crash or a stop left in the inbox, before any new update."""
        try:
            left = await self.inbox.pending()
        except StoreUnavailable as error:
            logger.warning("could not read the inbox at start: %s", error)
            return
        if left:
            logger.info("processing %d update(s) received before the restart", len(left))
        for update in left:
            task = asyncio.create_task(self.queue.submit(update.chat_id, update))
            self._resuming.add(task)
            task.add_done_callback(self._resuming.discard)

    async def drain(self) -> None:
        """At stop: finish or abandon (they stay in the inbox) what is in flight."""
        if self._resuming:
            await asyncio.wait(set(self._resuming), timeout=DRAIN_SECONDS)
        await self.queue.drain()
        await self.channel.drain()

    async def _handle(self, update: Inbound) -> None:
        try:
            await self.channel.handle(update, self.bot)
        except RETRYABLE:
            raise
        except Exception:
            await self._done(update)  # it can never go through
            raise
        await self._done(update)
        self._told.discard(update.chat_id or 0)

    async def _done(self, update: Inbound) -> None:
        if update.chat_id is not None:  # only those are kept
            await self.inbox.done(update.update_id)

    async def _on_hold(self, update: Inbound, error: Exception) -> None:
        if isinstance(error, StoreUnavailable) and update.chat_id is not None:
            await self._tell(update.chat_id)

    async def _on_unkept(self, updates: Sequence[Inbound]) -> None:
        for chat in dict.fromkeys(u.chat_id for u in updates if u.chat_id is not None):
            await self._tell(chat)

    async def _tell(self, chat: int) -> None:
        if chat in self._told:  # said once
            return
        self._told.add(chat)
        try:
            await self.bot.send_message(
                chat, self.channel.service.engine.render.label("store_down")
            )
        except TelegramError as error:
            logger.info("could not say that a reply is delayed: %s", type(error).__name__)
