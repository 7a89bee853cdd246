"""A session store in one SQLite file: durable across restarts, for a single bot process.

URL form (as SQLAlchemy writes it): ``sqlite:///relative/path.db`` is relative to the current
directory, ``sqlite:////absolute/path.db`` is absolute. The directory must exist.

Only one process may use a file: locks are per key *inside* the process, so two processes on the
same file could interleave one chat's updates. Run several replicas on the redis store instead.

All database work runs on one dedicated worker thread that owns the only connection, so the
event loop never blocks on disk I/O and the connection is never shared between threads; calls
that queue up while it is busy are committed together (see :mod:`bot.store._sqlite_worker`).
The database uses WAL journaling with ``synchronous=NORMAL``: every commit is atomic, and a power
cut can lose at most the last commits (the session and its update id together).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Final, TypeVar

from bot.store._locks import KeyedLock
from bot.store._sqlite_worker import Mode, SqliteWorker, WorkerStopped, transaction
from bot.store._url import check_ttl, sqlite_path
from bot.store.base import (
    DEFAULT_IDLE_TTL,
    PROCESSED_UPDATE_TTL,
    Held,
    SessionStore,
    StoreUnavailable,
    saving_on_release,
)

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_updated_at ON sessions (updated_at);
CREATE TABLE IF NOT EXISTS processed (
    id TEXT PRIMARY KEY,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS processed_at ON processed (at);
CREATE TABLE IF NOT EXISTS health (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS inbox (
    update_id INTEGER PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkins (
    key TEXT PRIMARY KEY,
    due REAL NOT NULL,
    ready REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS checkins_ready ON checkins (ready);
"""
_MIGRATE_PROCESSED: Final = """
INSERT OR IGNORE INTO processed (id, at) SELECT CAST(update_id AS TEXT), at FROM processed_updates;
DROP TABLE processed_updates;
"""
"""Files written before dedupe ids were opaque kept Telegram update ids in ``processed_updates``
(an integer key); they move to ``processed`` as text, which is how the Telegram channel now
names them, so a retry of an update processed before the upgrade is still recognised."""

_PURGE_INTERVAL: Final = 3600.0
"""Seconds between sweeps of expired sessions and old update ids (the first save sweeps too)."""

PING_BUSY_TIMEOUT: Final = 0.5
"""Seconds :meth:`SqliteSessionStore.ping` waits for another connection's write lock."""


class SqliteSessionStore(SessionStore):
    """Sessions in the tables ``sessions`` and ``processed_updates`` of one SQLite file.

    Args:
        path: The database file; it is created if missing (its directory is not).
        idle_ttl: Seconds since the last save after which a session counts as missing and is
            deleted; ``None`` keeps sessions forever.
        busy_timeout: Seconds to wait for another connection's write lock before giving up with
            :class:`StoreUnavailable`.
        purge_interval: Seconds between sweeps of expired sessions and old update ids; they run
            on a timer from the first use on, also while the bot is idle.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        idle_ttl: float | None = DEFAULT_IDLE_TTL,
        busy_timeout: float = 5.0,
        purge_interval: float = _PURGE_INTERVAL,
    ) -> None:
        self._path = os.fspath(path)
        self._purge_interval = purge_interval
        self._purge_timer: asyncio.TimerHandle | None = None
        self._purge_task: asyncio.Task[None] | None = None
        self._idle_ttl = check_ttl(idle_ttl)
        self._busy_timeout = busy_timeout
        self._locks = KeyedLock()
        self._worker = SqliteWorker(
            self._open, after_commit=self._erase_if_deleted, name="hipbot-sqlite"
        )
        self._closed = False
        self._next_purge = 0.0
        self._deleted = False  # touched only on the worker thread

    @classmethod
    def from_url(
        cls, url: str, *, idle_ttl: float | None = DEFAULT_IDLE_TTL
    ) -> SqliteSessionStore:
        """Build from ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``."""
        return cls(sqlite_path(url), idle_ttl=idle_ttl)

    # -- the SessionStore interface ---------------------------------------------------------

    async def load(self, key: str) -> str | None:
        return await self._run(self._load, key, mode="read")

    async def save(self, key: str, data: str, *, dedupe: str | None = None) -> None:
        purge = time.monotonic() >= self._next_purge
        if purge:
            self._next_purge = time.monotonic() + _PURGE_INTERVAL
        try:
            await self._run(self._save, key, data, dedupe, purge, mode="write")
        except StoreUnavailable:
            if purge:
                self._next_purge = 0.0
            raise

    async def delete(self, key: str) -> None:
        await self._run(self._delete, key, mode="write")

    async def mark_processed(self, dedupe: str) -> None:
        await self._run(self._mark_processed, dedupe, mode="write")

    async def was_processed(self, dedupe: str) -> bool:
        return await self._run(self._was_processed, dedupe, mode="read")

    async def load_unless_processed(self, key: str, dedupe: str | None) -> tuple[bool, str | None]:
        return await self._run(self._load_unless_processed, key, dedupe, mode="read")

    async def inbox_add(self, items: Sequence[tuple[int, str]]) -> None:
        await self._run(self._inbox_add, list(items), mode="write")

    async def inbox_pending(self) -> list[tuple[int, str]]:
        return await self._run(self._inbox_pending, mode="read")

    async def inbox_remove(self, position: int) -> None:
        await self._run(self._inbox_remove, position, mode="write")

    async def schedule(self, key: str, due: float) -> None:
        await self._run(self._schedule, key, due, mode="write")

    async def unschedule(self, key: str) -> None:
        await self._run(self._unschedule, key, mode="write")

    async def claim_due(self, now: float, *, lease: float, limit: int) -> list[tuple[str, float]]:
        return await self._run(self._claim_due, now, now + lease, limit, mode="write")

    async def finish_due(self, key: str, due: float) -> None:
        await self._run(self._finish_due, key, due, mode="write")

    def lock(
        self, key: str, *, order: int | None = None, dedupe: str | None = None
    ) -> AbstractAsyncContextManager[Held]:
        return saving_on_release(self, key, self._locks.hold(key))

    async def ping(self) -> None:
        await self._run(self._ping, mode="alone")

    async def capacity(self) -> dict[str, int]:
        return {"free_disk_bytes": await asyncio.to_thread(_free_bytes_beside, self._path)}

    async def close(self) -> None:
        self._closed = True
        if self._purge_timer is not None:
            self._purge_timer.cancel()
        if self._purge_task is not None and not self._purge_task.done():
            self._purge_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._purge_task
        await self._worker.stop()

    # -- expiry on a timer ------------------------------------------------------------------

    def _schedule_purge(self) -> None:
        if self._purge_timer is None and not self._closed:
            loop = asyncio.get_running_loop()
            self._purge_timer = loop.call_later(self._purge_interval, self._start_purge)

    def _start_purge(self) -> None:
        self._purge_task = asyncio.get_running_loop().create_task(self._purge_on_timer())

    async def _purge_on_timer(self) -> None:
        try:
            await self._run(self._purge_now, mode="write")
        except StoreUnavailable as error:  # the next sweep tries again
            logger.warning("could not sweep expired sessions: %s", error)
        self._purge_timer = None
        self._schedule_purge()

    def _purge_now(self, conn: sqlite3.Connection) -> None:
        if self._purge(conn, time.time()):
            self._deleted = True

    # -- handing work to the worker thread ---------------------------------------------------

    async def _run(self, fn: Callable[..., _T], *args: object, mode: Mode) -> _T:
        if self._closed:
            raise StoreUnavailable(f"SQLite store {self._path!r} is closed")
        self._schedule_purge()
        try:
            return await self._worker.run(functools.partial(fn, *args), mode)
        except WorkerStopped:
            raise StoreUnavailable(f"SQLite store {self._path!r} is closed") from None
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite store {self._path!r} is unavailable: {exc}") from exc

    def _open(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; the worker wraps work in BEGIN IMMEDIATE.
        conn = sqlite3.connect(self._path, timeout=self._busy_timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA secure_delete=ON")  # /forget must not leave data in free pages
            conn.executescript(_SCHEMA)
            old = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'processed_updates'"
            if conn.execute(old).fetchone() is not None:
                conn.executescript(f"BEGIN IMMEDIATE;{_MIGRATE_PROCESSED}COMMIT;")
        except BaseException:
            conn.close()
            raise
        return conn

    def _erase_if_deleted(self, conn: sqlite3.Connection) -> None:
        """After a commit that deleted data: copy the deletions into the main file and empty the
        WAL, which still holds the old pages (``secure_delete`` zeroes freed main-file pages)."""
        if self._deleted:
            self._deleted = False
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- work for the worker thread (inside its transaction unless run alone) ---------------

    def _load(self, key: str, conn: sqlite3.Connection) -> str | None:
        row = conn.execute(
            "SELECT data, updated_at FROM sessions WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        data, updated_at = row
        if self._idle_ttl is not None and time.time() - updated_at > self._idle_ttl:
            conn.execute("DELETE FROM sessions WHERE key = ?", (key,))
            self._deleted = True
            return None
        return str(data)

    def _load_unless_processed(
        self, key: str, dedupe: str | None, conn: sqlite3.Connection
    ) -> tuple[bool, str | None]:
        if dedupe is not None and self._was_processed(dedupe, conn):
            return True, None
        return False, self._load(key, conn)

    def _save(
        self, key: str, data: str, dedupe: str | None, purge: bool, conn: sqlite3.Connection
    ) -> None:
        now = time.time()
        conn.execute(
            "INSERT INTO sessions (key, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data, "
            "updated_at = excluded.updated_at",
            (key, data, now),
        )
        if dedupe is not None:
            conn.execute("INSERT OR REPLACE INTO processed (id, at) VALUES (?, ?)", (dedupe, now))
        if purge and self._purge(conn, now):
            self._deleted = True

    def _purge(self, conn: sqlite3.Connection, now: float) -> int:
        updates = conn.execute(
            "DELETE FROM processed WHERE at < ?", (now - PROCESSED_UPDATE_TTL,)
        ).rowcount
        sessions = 0
        if self._idle_ttl is not None:
            sessions = conn.execute(
                "DELETE FROM sessions WHERE updated_at < ?", (now - self._idle_ttl,)
            ).rowcount
        logger.debug("purged %d idle sessions and %d old update ids", sessions, updates)
        return sessions

    def _delete(self, key: str, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM sessions WHERE key = ?", (key,))
        conn.execute("DELETE FROM checkins WHERE key = ?", (key,))
        self._deleted = True

    def _schedule(self, key: str, due: float, conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO checkins (key, due, ready) VALUES (?, ?, ?)", (key, due, due)
        )

    def _unschedule(self, key: str, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM checkins WHERE key = ?", (key,))

    def _claim_due(
        self, now: float, until: float, limit: int, conn: sqlite3.Connection
    ) -> list[tuple[str, float]]:
        rows = conn.execute(
            "SELECT key, due FROM checkins WHERE ready <= ? ORDER BY ready LIMIT ?", (now, limit)
        ).fetchall()
        conn.executemany(
            "UPDATE checkins SET ready = ? WHERE key = ?", [(until, key) for key, _ in rows]
        )
        return [(str(key), float(due)) for key, due in rows]

    def _finish_due(self, key: str, due: float, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM checkins WHERE key = ? AND due = ?", (key, due))

    def _mark_processed(self, dedupe: str, conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO processed (id, at) VALUES (?, ?)", (dedupe, time.time())
        )

    def _was_processed(self, dedupe: str, conn: sqlite3.Connection) -> bool:
        row = conn.execute(
            "SELECT 1 FROM processed WHERE id = ? AND at >= ?",
            (dedupe, time.time() - PROCESSED_UPDATE_TTL),
        ).fetchone()
        return row is not None

    def _inbox_add(self, items: list[tuple[int, str]], conn: sqlite3.Connection) -> None:
        conn.executemany("INSERT OR IGNORE INTO inbox (update_id, data) VALUES (?, ?)", items)

    def _inbox_pending(self, conn: sqlite3.Connection) -> list[tuple[int, str]]:
        rows = conn.execute("SELECT update_id, data FROM inbox ORDER BY update_id").fetchall()
        return [(int(update_id), str(data)) for update_id, data in rows]

    def _inbox_remove(self, position: int, conn: sqlite3.Connection) -> None:
        if conn.execute("DELETE FROM inbox WHERE update_id = ?", (position,)).rowcount:
            self._deleted = True  # the message text must not stay in the write-ahead log

    def _ping(self, conn: sqlite3.Connection) -> None:
        """Prove that a write goes through now: one row is written and committed (so a full
        disk, a read-only file or another connection's lock, waited for at most
        ``PING_BUSY_TIMEOUT``, fail it)."""
        wait = min(self._busy_timeout, PING_BUSY_TIMEOUT)
        conn.execute(f"PRAGMA busy_timeout = {round(wait * 1000)}")
        try:
            with transaction(conn):
                conn.execute(
                    "INSERT OR REPLACE INTO health (id, at) VALUES (1, ?)", (time.time(),)
                )
        finally:
            conn.execute(f"PRAGMA busy_timeout = {round(self._busy_timeout * 1000)}")


def _free_bytes_beside(path: str) -> int:
    """Free bytes on the disk of the folder holding ``path``."""
    return shutil.disk_usage(Path(path).resolve().parent).free
