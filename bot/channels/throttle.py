"""Telegram's 429s, kept to what they are about: one chat, or the bot as a whole.

Telegram answers 429 with ``retry_after`` when one chat gets messages too fast (a runner tapping
quickly, a flooded group) and when the bot as a whole goes over its overall limit. PTB's
``AIORateLimiter`` pauses *every* request while it retries any 429, so one user flooding their
own chat slowed every other chat to a crawl. Here a 429 for a chat delays only that chat; a 429
on a call without a chat, or 429s for several chats within a second (the overall limit), pause
the whole bot. Nothing is retried in here: the caller decides (see
:func:`bot.channels.telegram.send_with_retry`), within its time budget.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

GLOBAL_CHATS = 3
"""Chats with a 429 within :data:`GLOBAL_WINDOW` seconds: the bot as a whole is limited."""
GLOBAL_WINDOW = 1.0
PRUNE_ABOVE = 1024
"""Chats remembered before those whose back-off is over are forgotten."""


def retry_seconds(error: RetryAfter) -> float:
    """``retry_after`` in seconds, whether PTB gives it as a number or a ``timedelta``."""
    delay: float | timedelta = error.retry_after
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)


class Throttle:
    """Who must wait after a 429, and until when (monotonic seconds)."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        global_chats: int = GLOBAL_CHATS,
        window: float = GLOBAL_WINDOW,
    ) -> None:
        self._clock = clock
        self._global_chats = global_chats
        self._window = window
        self._chats: dict[int, float] = {}
        self._everyone = 0.0
        self._recent: list[tuple[float, int]] = []

    def wait(self, chat: int | None) -> float:
        """Seconds before a call for ``chat`` (``None``: a call without one) may be made."""
        now = self._clock()
        until = self._everyone
        if chat is not None:
            until = max(until, self._chats.get(chat, 0.0))
        return max(0.0, until - now)

    def record(self, chat: int | None, retry_after: float) -> None:
        """A 429 with ``retry_after`` seconds answered a call for ``chat``."""
        now = self._clock()
        until = now + max(0.0, retry_after)
        if chat is None:
            self._everyone = max(self._everyone, until)
            return
        self._chats[chat] = max(self._chats.get(chat, 0.0), until)
        self._recent = [(at, c) for at, c in self._recent if now - at <= self._window]
        self._recent.append((now, chat))
        if len({c for _, c in self._recent}) >= self._global_chats:
            self._everyone = max(self._everyone, until)
        if len(self._chats) > PRUNE_ABOVE:
            self._chats = {c: t for c, t in self._chats.items() if t > now}

    @property
    def limited_chats(self) -> int:
        """Chats still backing off (for tests and metrics)."""
        now = self._clock()
        return sum(1 for until in self._chats.values() if until > now)


class ThrottlingRateLimiter(BaseRateLimiter[int]):
    """PTB's rate-limiter hook: an overall cap on messages per second (0: none), a pause of the
    whole bot after a global 429, and every 429 recorded in ``throttle``. A chat's own back-off is
    waited out by the caller, who knows how much time it has left."""

    def __init__(self, throttle: Throttle, *, max_per_second: float) -> None:
        self.throttle = throttle
        self._overall = AsyncLimiter(max_per_second, 1) if max_per_second > 0 else None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Run one Bot API call (see :class:`~telegram.ext.BaseRateLimiter`)."""
        chat = _chat_id(data.get("chat_id"))
        pause = self.throttle.wait(None)
        if pause > 0 and endpoint != "getUpdates":
            await asyncio.sleep(pause)
        try:
            if chat is None or self._overall is None:
                return await callback(*args, **kwargs)
            async with self._overall:
                return await callback(*args, **kwargs)
        except RetryAfter as error:
            self.throttle.record(chat, retry_seconds(error))
            raise


def _chat_id(value: object) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdecimal() and len(value) < 20:
        return int(value)
    return None
