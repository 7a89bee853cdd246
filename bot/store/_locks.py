"""Per-key asyncio locks for backends whose locking is in-process only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class _Entry:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class KeyedLock:
    """One :class:`asyncio.Lock` per key, created on demand and dropped when nobody holds or waits.

    Waiters are served first come, first served (asyncio.Lock is FIFO), so the updates of one chat
    run in arrival order. Locks belong to the event loop that first contends for them.
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the lock for ``key`` for the duration of the ``async with`` block."""
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

    def busy(self, key: str) -> bool:
        """Whether the lock for ``key`` is held or waited for."""
        return key in self._entries

    def __len__(self) -> int:
        """Number of keys currently held or waited for."""
        return len(self._entries)
