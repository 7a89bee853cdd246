"""MemorySessionStore specifics and the per-key lock table (contract: test_store_contract)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.store import MemorySessionStore
from bot.store._locks import KeyedLock

SESSION = '{"state": "start"}'


async def test_memory_update_ids_are_forgotten_after_a_day() -> None:
    now = [1000.0]
    clock: Callable[[], float] = lambda: now[0]  # noqa: E731
    store = MemorySessionStore(clock=clock)
    await store.save("42", SESSION, dedupe="9")
    now[0] += 24 * 3600
    assert await store.was_processed("9")
    now[0] += 1
    assert not await store.was_processed("9")


async def test_memory_lock_table_does_not_grow(memory_store: MemorySessionStore) -> None:
    for key in map(str, range(100)):
        async with memory_store.lock(key):
            pass
    assert len(memory_store._locks) == 0


async def test_keyed_lock_forgets_keys_after_use_and_cancellation() -> None:
    locks = KeyedLock()
    async with locks.hold("a"):
        waiter = asyncio.create_task(_enter(locks, "a"))
        await asyncio.sleep(0.01)
        assert len(locks) == 1
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
    assert len(locks) == 0


async def _enter(locks: KeyedLock, key: str) -> None:
    async with locks.hold(key):
        pass
