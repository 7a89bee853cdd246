"""An in-process session store: for tests, the console tester and single-process trials."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager

from bot.store._locks import KeyedLock
from bot.store._url import check_memory, check_ttl
from bot.store.base import (
    DEFAULT_IDLE_TTL,
    PROCESSED_UPDATE_TTL,
    Held,
    SessionStore,
    saving_on_release,
)

_PURGE_EVERY = 1000
"""Saves between sweeps of expired sessions and old update ids."""


class MemorySessionStore(SessionStore):
    """Keeps sessions in a dict; everything is lost when the process exits.

    Locks are per key and in-process. ``clock`` (keyword-only, default :func:`time.monotonic`)
    is the time source for ``idle_ttl`` and the update-id retention.
    """

    def __init__(
        self,
        *,
        idle_ttl: float | None = DEFAULT_IDLE_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._idle_ttl = check_ttl(idle_ttl)
        self._clock = clock
        self._sessions: dict[str, tuple[str, float]] = {}
        self._processed: dict[str, float] = {}
        self._locks = KeyedLock()
        self._saves = 0
        self._inbox: dict[int, str] = {}
        self._due: dict[str, tuple[float, float]] = {}  # key -> (due, claimable from)

    @classmethod
    def from_url(
        cls, url: str, *, idle_ttl: float | None = DEFAULT_IDLE_TTL
    ) -> MemorySessionStore:
        """Build from ``memory://`` (nothing may follow the scheme)."""
        check_memory(url)
        return cls(idle_ttl=idle_ttl)

    def _expired(self, saved_at: float, now: float) -> bool:
        return self._idle_ttl is not None and now - saved_at > self._idle_ttl

    async def load(self, key: str) -> str | None:
        entry = self._sessions.get(key)
        if entry is None:
            return None
        data, saved_at = entry
        if self._expired(saved_at, self._clock()):
            del self._sessions[key]
            return None
        return data

    async def save(self, key: str, data: str, *, dedupe: str | None = None) -> None:
        now = self._clock()
        self._sessions[key] = (data, now)
        if dedupe is not None:
            self._processed[dedupe] = now
        self._saves += 1
        if self._saves % _PURGE_EVERY == 0:
            self._purge(now)

    async def delete(self, key: str) -> None:
        self._sessions.pop(key, None)
        self._due.pop(key, None)

    async def mark_processed(self, dedupe: str) -> None:
        self._processed[dedupe] = self._clock()

    async def was_processed(self, dedupe: str) -> bool:
        at = self._processed.get(dedupe)
        return at is not None and self._clock() - at <= PROCESSED_UPDATE_TTL

    def lock(
        self, key: str, *, order: int | None = None, dedupe: str | None = None
    ) -> AbstractAsyncContextManager[Held]:
        return saving_on_release(self, key, self._locks.hold(key))

    async def inbox_add(self, items: Sequence[tuple[int, str]]) -> None:
        for position, data in items:
            self._inbox.setdefault(position, data)

    async def inbox_pending(self) -> list[tuple[int, str]]:
        return sorted(self._inbox.items())

    async def inbox_remove(self, position: int) -> None:
        self._inbox.pop(position, None)

    async def schedule(self, key: str, due: float) -> None:
        self._due[key] = (due, due)

    async def unschedule(self, key: str) -> None:
        self._due.pop(key, None)

    async def claim_due(self, now: float, *, lease: float, limit: int) -> list[tuple[str, float]]:
        ready = sorted((at, key) for key, (_, at) in self._due.items() if at <= now)[:limit]
        claimed = []
        for _, key in ready:
            due = self._due[key][0]
            self._due[key] = (due, now + lease)
            claimed.append((key, due))
        return claimed

    async def finish_due(self, key: str, due: float) -> None:
        if key in self._due and self._due[key][0] == due:
            del self._due[key]

    async def ping(self) -> None:
        return None

    def _purge(self, now: float) -> None:
        self._sessions = {
            key: entry for key, entry in self._sessions.items() if not self._expired(entry[1], now)
        }
        self._processed = {
            uid: at for uid, at in self._processed.items() if now - at <= PROCESSED_UPDATE_TTL
        }
