"""A session store in one SQLite file: durable across restarts, for a single bot process.

URL form (as SQLAlchemy writes it): ``sqlite:///relative/path.db`` is relative to the current
directory, ``sqlite:////absolute/path.db`` is absolute. The directory must exist.

Only one process may use a file: locks are per key *inside* the process, so two processes on the
same file could interleave one chat's updates. Run several replicas on the redis store instead.

All database work runs on one dedicated worker thread that owns the only connection, so the
event loop never blocks on disk I/O and the connection is never shared between threads. The
database uses WAL journaling with ``synchronous=NORMAL``: every commit is atomic, and a power cut
can lose at most the last commits (the session and its update id together).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, contextmanager
from typing import Final, TypeVar
from urllib.parse import unquote, urlsplit

from bot.store._locks import KeyedLock
from bot.store._url import check_ttl, malformed
from bot.store.base import DEFAULT_IDLE_TTL, PROCESSED_UPDATE_TTL, SessionStore, StoreUnavailable

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_updated_at ON sessions (updated_at);
CREATE TABLE IF NOT EXISTS processed_updates (
    update_id INTEGER PRIMARY KEY,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS processed_updates_at ON processed_updates (at);
"""

_PURGE_INTERVAL: Final = 3600.0
"""Seconds between sweeps of expired sessions and old update ids (the first save sweeps too)."""

_URL_HINT: Final = "use sqlite:///relative/path.db or sqlite:////absolute/path.db"

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
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        idle_ttl: float | None = DEFAULT_IDLE_TTL,
        busy_timeout: float = 5.0,
    ) -> None:
        self._path = os.fspath(path)
        self._idle_ttl = check_ttl(idle_ttl)
        self._busy_timeout = busy_timeout
        self._locks = KeyedLock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hipbot-sqlite")
        self._closed = False
        # Touched only on the worker thread:
        self._conn: sqlite3.Connection | None = None
        self._next_purge = 0.0

    @classmethod
    def from_url(
        cls, url: str, *, idle_ttl: float | None = DEFAULT_IDLE_TTL
    ) -> SqliteSessionStore:
        """Build from ``sqlite:///relative/path.db`` or ``sqlite:////absolute/path.db``."""
        parts = urlsplit(url)
        if parts.scheme != "sqlite" or parts.netloc or parts.query or parts.fragment:
            raise malformed(url, "sqlite", _URL_HINT)
        path = unquote(parts.path[1:])  # drop the "/" that separates the empty host
        if not path or path.endswith("/"):
            raise malformed(url, "sqlite", _URL_HINT)
        return cls(path, idle_ttl=idle_ttl)

    @property
    def path(self) -> str:
        """The database file path as given."""
        return self._path

    # -- the SessionStore interface ---------------------------------------------------------

    async def load(self, key: str) -> str | None:
        return await self._run(self._load, key)

    async def save(self, key: str, data: str, *, update_id: int | None = None) -> None:
        await self._run(self._save, key, data, update_id)

    async def delete(self, key: str) -> None:
        await self._run(self._delete, key)

    async def was_processed(self, update_id: int) -> bool:
        return await self._run(self._was_processed, update_id)

    async def load_unless_processed(
        self, key: str, update_id: int | None
    ) -> tuple[bool, str | None]:
        return await self._run(self._load_unless_processed, key, update_id)

    def lock(self, key: str, *, order: int | None = None) -> AbstractAsyncContextManager[None]:
        return self._locks.hold(key)

    async def ping(self) -> None:
        await self._run(self._ping)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self._close)
        finally:
            self._executor.shutdown(wait=True)

    # -- running on the worker thread -------------------------------------------------------

    async def _run(self, fn: Callable[..., _T], *args: object) -> _T:
        if self._closed:
            raise StoreUnavailable(f"SQLite store {self._path!r} is closed")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._executor, functools.partial(self._call, fn, *args)
            )
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite store {self._path!r} is unavailable: {exc}") from exc

    def _call(self, fn: Callable[..., _T], *args: object) -> _T:
        try:
            return fn(*args)
        except sqlite3.Error as error:
            # Start afresh: a file opened read-only stays so on its connection even once it is
            # writable again, so a write refused as read-only is tried once more on a new one.
            self._close()
            if not getattr(error, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
                raise
        try:
            return fn(*args)
        except sqlite3.Error:
            self._close()
            raise

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        # isolation_level=None: no implicit transactions; writes use explicit BEGIN IMMEDIATE.
        conn = sqlite3.connect(self._path, timeout=self._busy_timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA secure_delete=ON")  # /forget must not leave data in free pages
            conn.executescript(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _load(self, key: str) -> str | None:
        conn = self._connection()
        row = conn.execute(
            "SELECT data, updated_at FROM sessions WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        data, updated_at = row
        if self._idle_ttl is not None and time.time() - updated_at > self._idle_ttl:
            with _transaction(conn):
                conn.execute(
                    "DELETE FROM sessions WHERE key = ? AND updated_at = ?", (key, updated_at)
                )
            _erase_old_pages(conn)
            return None
        return str(data)

    def _load_unless_processed(self, key: str, update_id: int | None) -> tuple[bool, str | None]:
        if update_id is not None and self._was_processed(update_id):
            return True, None
        return False, self._load(key)

    def _save(self, key: str, data: str, update_id: int | None) -> None:
        conn = self._connection()
        now = time.time()
        purge = time.monotonic() >= self._next_purge
        with _transaction(conn):
            conn.execute(
                "INSERT INTO sessions (key, data, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                (key, data, now),
            )
            if update_id is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO processed_updates (update_id, at) VALUES (?, ?)",
                    (update_id, now),
                )
            purged = self._purge(conn, now) if purge else 0
        if purged:
            _erase_old_pages(conn)
        if purge:
            self._next_purge = time.monotonic() + _PURGE_INTERVAL

    def _purge(self, conn: sqlite3.Connection, now: float) -> int:
        updates = conn.execute(
            "DELETE FROM processed_updates WHERE at < ?", (now - PROCESSED_UPDATE_TTL,)
        ).rowcount
        sessions = 0
        if self._idle_ttl is not None:
            sessions = conn.execute(
                "DELETE FROM sessions WHERE updated_at < ?", (now - self._idle_ttl,)
            ).rowcount
        logger.debug("purged %d idle sessions and %d old update ids", sessions, updates)
        return sessions

    def _delete(self, key: str) -> None:
        conn = self._connection()
        with _transaction(conn):
            conn.execute("DELETE FROM sessions WHERE key = ?", (key,))
        _erase_old_pages(conn)

    def _was_processed(self, update_id: int) -> bool:
        row = (
            self._connection()
            .execute(
                "SELECT 1 FROM processed_updates WHERE update_id = ? AND at >= ?",
                (update_id, time.time() - PROCESSED_UPDATE_TTL),
            )
            .fetchone()
        )
        return row is not None

    def _ping(self) -> None:
        """Check that a write could go through now: not read-only, not locked by another
        connection (waiting for its lock at most ``PING_BUSY_TIMEOUT``). Writes nothing."""
        conn = self._connection()
        wait = min(self._busy_timeout, PING_BUSY_TIMEOUT)
        conn.execute(f"PRAGMA busy_timeout = {round(wait * 1000)}")
        try:
            with _transaction(conn, rollback=True):
                conn.execute("DELETE FROM processed_updates WHERE update_id IS NULL")
        finally:
            conn.execute(f"PRAGMA busy_timeout = {round(self._busy_timeout * 1000)}")

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _erase_old_pages(conn: sqlite3.Connection) -> None:
    """Copy deletions into the main file and empty the WAL, which still holds the old pages
    (``secure_delete`` already zeroes freed pages in the main file)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def _transaction(conn: sqlite3.Connection, *, rollback: bool = False) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK`` if asked), or ``ROLLBACK`` on any error:
    never half-written."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("ROLLBACK" if rollback else "COMMIT")
    except BaseException:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                logger.warning("SQLite rollback failed", exc_info=True)
        raise
