"""The check-in loop: every serving process (polling, each webhook replica) runs one.

Every ``every`` seconds it claims the check-ins that fell due from the store's schedule (a claim
hides them from other processes for ``lease`` seconds) and sends them one by one, at most
``per_second``, so a morning with many check-ins never bursts past the rate cap. A check-in
that was sent, or is no longer planned, is finished; one whose delivery failed stays claimed until
its lease runs out and is then sent again, by whichever process claims it first, and so is one
whose process died while sending it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bot.store import SessionStore, StoreUnavailable

logger = logging.getLogger(__name__)

Send = Callable[[str, float], Awaitable[bool]]
"""Send the check-in of a key due at a time (see :meth:`bot.service.ChatService.check_in`)."""


class CheckinLoop:
    """Claims due check-ins from ``store`` and hands them to ``send``."""

    def __init__(
        self, store: SessionStore, send: Send, *, every: float = 5.0, lease: float = 120.0,
        per_second: float = 10.0, batch: int = 50, clock: Callable[[], float] = time.time,
    ) -> None:  # fmt: skip
        self.store = store
        self.send = send
        self.every = every
        self.lease = lease
        self.gap = 1.0 / per_second if per_second > 0 else 0.0
        self.batch = max(1, min(batch, int(lease * per_second / 2) or 1))
        self.clock = clock
        self.sent = 0

    async def run(self) -> None:
        """Tick until cancelled."""
        while True:
            try:
                busy = await self.tick()
            except StoreUnavailable as error:
                logger.warning("check-ins: the store is unavailable: %s", error)
                busy = False
            if not busy:
                await asyncio.sleep(self.every)

    async def tick(self) -> bool:
        """Claim and send one batch; whether it was full (more may be due at once)."""
        claimed = await self.store.claim_due(self.clock(), lease=self.lease, limit=self.batch)
        for index, (key, due) in enumerate(claimed):
            if index and self.gap:
                await asyncio.sleep(self.gap)
            try:
                if await self.send(key, due):
                    self.sent += 1
            except Exception as error:  # left claimed: sent again once its lease is over
                logger.warning("a check-in was not delivered: %s", type(error).__name__)
                continue
            await self.store.finish_due(key, due)
        return len(claimed) == self.batch
