"""SqliteSessionStore specifics: durability, schema, purging and failure modes."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.store import SqliteSessionStore, StoreUnavailable

SESSION = '{"state": "ask_side", "slots": {"name": "Zoë"}}'


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sessions.db"


@pytest.fixture
def make_read_only() -> Iterator[Callable[[Path], None]]:
    """Make a file unwritable, even for root (chmod is ignored by root, chattr +i is not)."""
    immutable: list[Path] = []

    def make(path: Path) -> None:
        path.chmod(0o444)
        if os.geteuid() == 0:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"running as root and chattr +i failed: {done.stderr.strip()}")
            immutable.append(path)

    yield make
    for path in immutable:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture
def exclusive_lock(db_path: Path) -> Iterator[Callable[[], sqlite3.Connection]]:
    """Another connection (as another process would) holding the database's write lock."""
    held: list[sqlite3.Connection] = []

    def hold() -> sqlite3.Connection:
        conn = sqlite3.connect(db_path, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        held.append(conn)
        return conn

    yield hold
    for conn in held:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def _query(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


async def test_sessions_survive_a_restart(db_path: Path) -> None:
    first = SqliteSessionStore(db_path)
    await first.save("42", SESSION, dedupe="501")
    await first.close()

    second = SqliteSessionStore(db_path)  # a restarted process
    try:
        assert await second.load("42") == SESSION
        assert await second.was_processed("501")
        assert not await second.was_processed("502")
    finally:
        await second.close()


async def test_schema_and_wal_mode(sqlite_store: SqliteSessionStore, tmp_path: Path) -> None:
    await sqlite_store.save("42", SESSION, dedupe="1")
    path = tmp_path / "sessions.db"  # where the sqlite_store fixture keeps it
    assert _query(path, "PRAGMA journal_mode") == [("wal",)]
    assert [row[1] for row in _query(path, "PRAGMA table_info(sessions)")] == [
        "key",
        "data",
        "updated_at",
    ]
    assert [row[1] for row in _query(path, "PRAGMA table_info(processed)")] == ["id", "at"]
    assert _query(path, "SELECT key, data FROM sessions") == [("42", SESSION)]


async def test_a_file_with_integer_update_ids_is_migrated(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:  # the schema before dedupe ids were opaque text
        conn.execute("CREATE TABLE processed_updates (update_id INTEGER PRIMARY KEY, at REAL)")
        conn.execute("INSERT INTO processed_updates VALUES (501, ?)", (time.time(),))
    conn.close()
    store = SqliteSessionStore(str(db_path))
    try:
        assert await store.was_processed("501")  # Telegram's dedupe id of update 501
        assert not await store.was_processed("502")
    finally:
        await store.close()
    tables = _query(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")
    assert ("processed_updates",) not in tables


async def test_expired_session_is_deleted_on_load(db_path: Path) -> None:
    store = SqliteSessionStore(db_path, idle_ttl=60)
    try:
        await store.save("old", SESSION)
        await store.save("new", SESSION)
        conn = sqlite3.connect(db_path)
        with conn:
            conn.execute(
                "UPDATE sessions SET updated_at = ? WHERE key = 'old'", (time.time() - 61,)
            )
        conn.close()
        assert await store.load("old") is None
        assert await store.load("new") == SESSION
        assert _query(db_path, "SELECT key FROM sessions") == [("new",)]
    finally:
        await store.close()


async def test_first_save_purges_old_update_ids_and_idle_sessions(db_path: Path) -> None:
    setup = SqliteSessionStore(db_path, idle_ttl=3600)
    await setup.save("seed", SESSION)
    await setup.close()
    now = time.time()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO processed (id, at) VALUES (?, ?)",
            [("1", now - 86400 - 60), ("2", now - 3600)],
        )
        conn.executemany(
            "INSERT INTO sessions (key, data, updated_at) VALUES (?, ?, ?)",
            [("stale", SESSION, now - 7200), ("fresh", SESSION, now - 60)],
        )
    conn.close()

    store = SqliteSessionStore(db_path, idle_ttl=3600)
    try:
        await store.save("42", SESSION, dedupe="3")
    finally:
        await store.close()
    assert _query(db_path, "SELECT id FROM processed ORDER BY 1") == [("2",), ("3",)]
    keys = _query(db_path, "SELECT key FROM sessions ORDER BY 1")
    assert keys == [("42",), ("fresh",), ("seed",)]


async def test_read_only_file_raises_store_unavailable(
    db_path: Path, make_read_only: Callable[[Path], None]
) -> None:
    setup = SqliteSessionStore(db_path)
    await setup.save("42", SESSION)
    await setup.close()
    make_read_only(db_path)

    store = SqliteSessionStore(db_path)
    try:
        with pytest.raises(StoreUnavailable, match="readonly database") as caught:
            await store.save("42", '{"changed": true}', dedupe="9")
        assert str(db_path) in str(caught.value)
        assert not isinstance(caught.value, sqlite3.Error)
        assert await store.load("42") == SESSION  # reading still works, nothing was written
        assert not await store.was_processed("9")
    finally:
        await store.close()


async def test_locked_database_raises_and_writes_nothing(
    db_path: Path, exclusive_lock: Callable[[], sqlite3.Connection]
) -> None:
    store = SqliteSessionStore(db_path, busy_timeout=0.2)
    try:
        await store.save("42", SESSION, dedupe="1")
        other = exclusive_lock()
        with pytest.raises(StoreUnavailable, match="database is locked"):
            await store.save("42", '{"v": 2}', dedupe="2")
        other.execute("ROLLBACK")
        assert await store.load("42") == SESSION
        assert not await store.was_processed("2")
        await store.save("42", '{"v": 2}', dedupe="2")  # works again once the lock is gone
        assert await store.was_processed("2")
    finally:
        await store.close()


async def test_locked_while_opening_raises_then_recovers(
    db_path: Path, exclusive_lock: Callable[[], sqlite3.Connection]
) -> None:
    other = exclusive_lock()  # the schema cannot be created yet
    store = SqliteSessionStore(db_path, busy_timeout=0.1)
    try:
        with pytest.raises(StoreUnavailable, match="database is locked"):
            await store.ping()
        other.execute("ROLLBACK")
        await store.ping()
        await store.save("42", SESSION)
        assert await store.load("42") == SESSION
    finally:
        await store.close()


async def test_failed_statement_rolls_back_the_whole_save(db_path: Path) -> None:
    store = SqliteSessionStore(db_path)
    try:
        await store.save("42", SESSION, dedupe="1")
        conn = sqlite3.connect(db_path)
        with conn:  # the second write of the transaction fails (as on a full disk)
            conn.execute(
                "CREATE TRIGGER fail_marker BEFORE INSERT ON processed "
                "BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END"
            )
        conn.close()
        with pytest.raises(StoreUnavailable, match="simulated write failure"):
            await store.save("42", '{"v": 2}', dedupe="2")
        assert await store.load("42") == SESSION  # the session write was rolled back too
        assert not await store.was_processed("2")
    finally:
        await store.close()


async def test_not_a_database_raises_store_unavailable(db_path: Path) -> None:
    await asyncio.to_thread(db_path.write_bytes, b"this is not an sqlite file" * 100)
    store = SqliteSessionStore(db_path)
    try:
        with pytest.raises(StoreUnavailable, match="not a database"):
            await store.load("42")
    finally:
        await store.close()


async def test_missing_directory_raises_store_unavailable(tmp_path: Path) -> None:
    store = SqliteSessionStore(tmp_path / "no" / "such" / "dir.db")
    try:
        with pytest.raises(StoreUnavailable, match="unable to open database file"):
            await store.ping()
    finally:
        await store.close()


async def test_database_work_does_not_block_the_event_loop(
    db_path: Path, exclusive_lock: Callable[[], sqlite3.Connection]
) -> None:
    store = SqliteSessionStore(db_path, busy_timeout=0.5)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    try:
        await store.ping()
        exclusive_lock()
        tick_task = asyncio.create_task(ticker())
        with pytest.raises(StoreUnavailable):
            await store.save("42", SESSION)  # waits ~0.5 s for the lock, on the worker thread
        tick_task.cancel()
        await asyncio.gather(tick_task, return_exceptions=True)
        assert ticks >= 20
    finally:
        await store.close()


async def test_closed_store_raises_store_unavailable(db_path: Path) -> None:
    store = SqliteSessionStore(db_path)
    await store.save("42", SESSION)
    await store.close()
    await store.close()  # closing twice is fine
    with pytest.raises(StoreUnavailable, match="closed"):
        await store.load("42")


async def test_capacity_tells_the_free_disk_space_beside_the_file(tmp_path: Path) -> None:
    store = SqliteSessionStore(tmp_path / "room.db")
    try:
        room = await store.capacity()
        assert 0 < room["free_disk_bytes"] <= shutil.disk_usage(tmp_path).total
    finally:
        await store.close()
