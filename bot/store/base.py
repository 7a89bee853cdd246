"""The session store interface: where conversations live between messages.

A store keeps one JSON text per conversation key (a :class:`~bot.channel.SessionKey` as text)
and the dedupe ids of the events already processed (opaque strings the channel gives, e.g.
Telegram's ``update_id``), so a retried or duplicated event is applied once. Backends are
chosen by URL (see :func:`bot.store.open_store`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Final

DEFAULT_IDLE_TTL: Final[float] = 30 * 24 * 60 * 60
"""Seconds a session may stay unsaved before it counts as missing (30 days)."""

PROCESSED_UPDATE_TTL: Final[int] = 24 * 60 * 60
"""Seconds a dedupe id stays marked as processed (a day: Telegram keeps updates at most 24 h)."""


class StoreUnavailable(Exception):
    """The backend cannot be reached or cannot write; the caller should retry later."""


class ReleaseWriteFailed(StoreUnavailable):
    """The write asked for with :meth:`Held.save_on_release` may not have been made; the lock
    is released all the same, and the block's own work stands."""


class Held:
    """A held lock (see :meth:`SessionStore.lock`), and the write to make as it is released."""

    __slots__ = ("final",)

    def __init__(self) -> None:
        self.final: str | None = None

    def save_on_release(self, data: str) -> None:
        """Save ``data`` for the locked key as the lock is released, in the same round trip
        where the backend can, if the ``async with`` block ends without an exception.

        It must be the block's last write of the key. If it fails,
        :class:`ReleaseWriteFailed` comes out of the ``async with``.
        """
        self.final = data


class SessionStore(ABC):
    """Async key-value storage for session JSON, with per-key locks and update de-duplication.

    The service uses it as: ``async with store.lock(key, order=order, dedupe=dedupe) as
    held``, then ``load_unless_processed(key, dedupe)``, step the engine,
    ``save(key, data, dedupe=dedupe)``, deliver the replies, and ``held.save_on_release(...)``
    to empty the outbox. ``save`` records the session and the processed dedupe id atomically,
    so a crash between the two can never apply an event twice or lose it.

    Sessions idle (not saved) for longer than the backend's ``idle_ttl`` behave as missing.
    Every backend error that means "try again later" (connection refused, database locked,
    read-only file, disk I/O) is raised as :class:`StoreUnavailable`; a failed ``save`` writes
    nothing. Data is the caller's JSON text, stored verbatim (never pickled).
    """

    @abstractmethod
    async def load(self, key: str) -> str | None:
        """Return the stored JSON text for ``key``, or ``None`` if there is none or it expired."""

    @abstractmethod
    async def save(self, key: str, data: str, *, dedupe: str | None = None) -> None:
        """Store ``data`` for ``key`` and, in the same atomic write, mark ``dedupe`` processed.

        On :class:`StoreUnavailable` nothing was written: neither the data nor the dedupe id.
        """

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Erase everything stored for ``key``. Deleting a missing key is not an error."""

    @abstractmethod
    async def mark_processed(self, dedupe: str) -> None:
        """Mark ``dedupe`` processed without storing anything else (an event answered with a
        notice, which leaves no conversation to save)."""

    @abstractmethod
    async def was_processed(self, dedupe: str) -> bool:
        """Whether ``dedupe`` was already saved by :meth:`save` (kept for at least a day)."""

    async def load_unless_processed(self, key: str, dedupe: str | None) -> tuple[bool, str | None]:
        """``(was_processed(dedupe), load(key))`` in one step where the backend can.

        When the event was already processed the session is not loaded: ``(True, None)``.
        """
        if dedupe is not None and await self.was_processed(dedupe):
            return True, None
        return False, await self.load(key)

    @abstractmethod
    def lock(
        self, key: str, *, order: int | None = None, dedupe: str | None = None
    ) -> AbstractAsyncContextManager[Held]:
        """Hold an exclusive lock on ``key`` (across processes for shared backends); the
        :class:`Held` it gives can leave a last write for the release.

        Waiters in one process get the lock in arrival order. ``order`` (a channel's sequence
        number, Telegram's ``update_id``) matters for shared backends: there, a waiter goes only
        once no waiter of the same key with a lower ``order`` is left in any process, so one
        chat's events run in order even when several replicas receive them at once. ``dedupe``
        is the event's dedupe id, which a backend may read as it takes the lock.
        """

    @abstractmethod
    async def inbox_add(self, items: Sequence[tuple[int, str]]) -> None:
        """Keep received events, ``(position, JSON text)``, until :meth:`inbox_remove`: a
        poller saves a batch here before it lets its source forget it (Telegram: the next
        ``getUpdates`` offset), so a crash or a restart loses none. Adding a position already
        kept changes nothing.

        On :class:`StoreUnavailable` nothing may have been kept: do not acknowledge the batch.
        """

    @abstractmethod
    async def inbox_pending(self) -> list[tuple[int, str]]:
        """The events kept and not yet removed, in ``position`` order."""

    @abstractmethod
    async def inbox_remove(self, position: int) -> None:
        """Forget a kept event (it was processed). Removing a missing one is not an error."""

    @abstractmethod
    async def schedule(self, key: str, due: float) -> None:
        """Plan a check-in for ``key`` at ``due`` (seconds since the epoch), replacing the one
        planned before; :meth:`delete` removes it with everything else of ``key``."""

    @abstractmethod
    async def unschedule(self, key: str) -> None:
        """Remove the planned check-in of ``key``; removing a missing one is not an error."""

    @abstractmethod
    async def claim_due(self, now: float, *, lease: float, limit: int) -> list[tuple[str, float]]:
        """Claim up to ``limit`` check-ins due by ``now``, earliest first, as ``(key, due)``.

        A claim is atomic across processes and hides the check-in from every other claim for
        ``lease`` seconds; a claimer that dies before :meth:`finish_due` leaves it to be claimed
        again once the lease is over.
        """

    @abstractmethod
    async def finish_due(self, key: str, due: float) -> None:
        """Remove the check-in of ``key`` if it is still the one due at ``due`` (it was sent,
        or it is stale); one planned anew meanwhile stays."""

    @abstractmethod
    async def ping(self) -> None:
        """Raise :class:`StoreUnavailable` if the backend cannot be written right now (a real,
        small write: a store that can be read but not written is not healthy)."""

    async def capacity(self) -> dict[str, int]:
        """What the backend can tell of its room (free disk bytes, memory used and its limit),
        for ``/healthz``; empty where it can tell nothing."""
        return {}

    async def close(self) -> None:  # noqa: B027 - optional hook, most backends need nothing
        """Release connections and files."""


@asynccontextmanager
async def saving_on_release(
    store: SessionStore, key: str, lock: AbstractAsyncContextManager[object]
) -> AsyncIterator[Held]:
    """``lock`` held as a :class:`Held` whose last write is an ordinary :meth:`~SessionStore.save`
    just before the release (for backends where that costs no extra round trip)."""
    async with lock:
        held = Held()
        yield held
        if held.final is not None:
            try:
                await store.save(key, held.final)
            except StoreUnavailable as error:
                raise ReleaseWriteFailed(str(error)) from error
