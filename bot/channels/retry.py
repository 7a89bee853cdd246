"""Polling's safety net: an update that failed for a passing reason is kept and retried.

Over the webhook, Telegram retries an update we answer with an error. With long polling an
update is confirmed as soon as the next batch is fetched (it is then in the store's inbox, see
:mod:`bot.channels.inbox`), so one that could not be processed because the store is down (or
its replies could not be delivered) is retried here, with backoff, until it goes through. A
chat's later updates wait behind it so they stay in order; other chats carry on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from bot.channels.inbound import Inbound

logger = logging.getLogger(__name__)

Handle = Callable[[Inbound], Awaitable[None]]
OnHold = Callable[[Inbound, Exception], Awaitable[None]]
FIRST_DELAY = 0.5
MAX_DELAY = 30.0
DRAIN_SECONDS = 10.0


class RetryQueue:
    """Per-chat queues of updates, each handled one at a time and in order.

    Args:
        handle: Processes one update completely.
        on_hold: Called once when a chat's update is first held for retry (to tell the runner).
        retryable: Exceptions that mean "try again later"; anything else is logged and dropped.
        first_delay, max_delay: Seconds before the first retry, doubling up to ``max_delay``.
    """

    def __init__(
        self,
        handle: Handle,
        *,
        on_hold: OnHold,
        retryable: tuple[type[Exception], ...],
        first_delay: float = FIRST_DELAY,
        max_delay: float = MAX_DELAY,
    ) -> None:
        self._handle = handle
        self._on_hold = on_hold
        self._retryable = retryable
        self._first_delay = first_delay
        self._max_delay = max_delay
        self._queues: dict[int, deque[Inbound]] = {}
        self._retrying: set[asyncio.Task[None]] = set()
        self._stopping = asyncio.Event()

    @property
    def held(self) -> int:
        """Updates waiting in some chat's queue (being retried or behind one that is)."""
        return sum(len(queue) for queue in self._queues.values())

    async def submit(self, chat: int | None, update: Inbound) -> None:
        """Handle ``update`` after the chat's earlier ones; returns once it is handled, queued
        behind an earlier update, or held for retry in the background."""
        if chat is None:
            await self._run_one(update)
            return
        queue = self._queues.get(chat)
        if queue is not None:
            queue.append(update)  # whoever works on the chat's queue handles it in turn
            return
        queue = self._queues[chat] = deque([update])
        error = await self._run(chat, queue)
        if error is None:
            return
        logger.warning("update %s held for retry: %s", queue[0].update_id, error)
        await self._notify(queue[0], error)
        task = asyncio.create_task(self._retry(chat, queue))
        self._retrying.add(task)
        task.add_done_callback(self._retrying.discard)

    async def drain(self, timeout: float = DRAIN_SECONDS) -> int:  # noqa: ASYNC109
        """At shutdown: retry every held update once more; returns how many are abandoned."""
        self._stopping.set()
        if self._retrying:
            _, pending = await asyncio.wait(set(self._retrying), timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        abandoned = self.held
        if abandoned:
            logger.error("%d update(s) could not be processed before shutdown", abandoned)
        self._queues.clear()
        return abandoned

    async def _retry(self, chat: int, queue: deque[Inbound]) -> None:
        delay = self._first_delay
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
            error = await self._run(chat, queue)
            if error is None:
                logger.info("held updates of a chat went through")
                return
            if self._stopping.is_set():
                return
            delay = min(delay * 2, self._max_delay)

    async def _run(self, chat: int, queue: deque[Inbound]) -> Exception | None:
        """Handle the queue's updates in order; ``None`` once it is empty (and gone), or the
        passing failure that keeps its first update at the head."""
        while queue:
            try:
                await self._run_one(queue[0])
            except self._retryable as error:
                return error
            queue.popleft()
        del self._queues[chat]
        return None

    async def _run_one(self, update: Inbound) -> None:
        try:
            await self._handle(update)
        except self._retryable:
            raise
        except Exception as error:
            # Only the class: a network error's message can contain the request URL (and token).
            logger.error("update %s failed: %s", update.update_id, type(error).__name__)

    async def _notify(self, update: Inbound, error: Exception) -> None:
        try:
            await self._on_hold(update, error)
        except Exception as failure:
            logger.info("could not say that a reply is delayed: %s", type(failure).__name__)
