"""The SQLite worker thread: batching, isolation of a broken call, failures, stopping."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.store._sqlite_worker import SqliteWorker, WorkerStopped


class Traced:
    """Opens connections to one file and records every statement run on them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.statements: list[str] = []
        self.opened = 0
        self.commits_seen = 0

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=0.2)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v TEXT)")
        conn.set_trace_callback(self.statements.append)
        self.opened += 1
        return conn

    def after_commit(self, conn: sqlite3.Connection) -> None:
        self.commits_seen += 1

    def count(self, statement: str) -> int:
        return sum(s == statement for s in self.statements)

    def rows(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.path) as conn:
            return conn.execute("SELECT k, v FROM t ORDER BY k").fetchall()


@pytest.fixture
def traced(tmp_path: Path) -> Traced:
    return Traced(tmp_path / "worker.db")


@pytest.fixture
async def worker(traced: Traced) -> AsyncIterator[SqliteWorker]:
    worker = SqliteWorker(traced.connect, after_commit=traced.after_commit, name="test-sqlite")
    yield worker
    await worker.stop()


def put(key: str, value: str) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT OR REPLACE INTO t (k, v) VALUES (?, ?)", (key, value))

    return work


def get(key: str) -> Callable[[sqlite3.Connection], str | None]:
    def work(conn: sqlite3.Connection) -> str | None:
        row = conn.execute("SELECT v FROM t WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    return work


async def hold_worker(worker: SqliteWorker) -> tuple[threading.Event, asyncio.Task[None]]:
    """Keep the worker thread busy until the returned event is set."""
    release, busy = threading.Event(), threading.Event()

    def block(_: sqlite3.Connection) -> None:
        busy.set()
        release.wait(5)

    task = asyncio.create_task(worker.run(block, "alone"))
    await asyncio.to_thread(busy.wait, 5)
    return release, task


async def test_calls_queued_while_busy_share_one_transaction(
    worker: SqliteWorker, traced: Traced
) -> None:
    release, blocker = await hold_worker(worker)
    calls = [asyncio.ensure_future(worker.run(put(f"k{n}", "v"), "write")) for n in range(20)]
    calls.append(asyncio.ensure_future(worker.run(get("k7"), "read")))
    await asyncio.sleep(0.05)
    assert not any(call.done() for call in calls)  # nobody hears back before the commit
    release.set()
    results = await asyncio.gather(*calls)
    await blocker
    assert results[-1] == "v"  # a call sees the writes queued before it
    assert traced.count("BEGIN IMMEDIATE") == 1
    assert traced.count("COMMIT") == 1
    assert traced.commits_seen == 1
    assert len(traced.rows()) == 20


async def test_a_broken_call_fails_alone(worker: SqliteWorker, traced: Traced) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO t (k, v) VALUES ('broken', 'half-written')")
        raise ValueError("a bug in one call")

    release, blocker = await hold_worker(worker)
    calls = [
        asyncio.ensure_future(worker.run(put("a", "1"), "write")),
        asyncio.ensure_future(worker.run(broken, "write")),
        asyncio.ensure_future(worker.run(put("b", "2"), "write")),
    ]
    release.set()
    results = await asyncio.gather(*calls, return_exceptions=True)
    await blocker
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], ValueError)
    assert traced.rows() == [("a", "1"), ("b", "2")]  # nothing of the broken call was kept


async def test_a_sqlite_error_fails_the_batch_and_keeps_nothing(
    worker: SqliteWorker, traced: Traced
) -> None:
    def failing(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    await worker.run(put("kept", "before"), "write")
    release, blocker = await hold_worker(worker)
    calls = [
        asyncio.ensure_future(worker.run(put("a", "1"), "write")),
        asyncio.ensure_future(worker.run(failing, "write")),
    ]
    release.set()
    results = await asyncio.gather(*calls, return_exceptions=True)
    await blocker
    assert all(isinstance(result, sqlite3.OperationalError) for result in results)
    assert traced.rows() == [("kept", "before")]
    assert await worker.run(get("kept"), "read") == "before"
    assert traced.opened == 2  # the connection was dropped after the error


async def test_reads_do_not_wait_for_another_connections_write_lock(
    worker: SqliteWorker, traced: Traced
) -> None:
    await worker.run(put("a", "1"), "write")
    other = sqlite3.connect(traced.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        assert await worker.run(get("a"), "read") == "1"
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await worker.run(put("b", "2"), "write")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await worker.run(get("b"), "read") is None


async def test_stop_finishes_queued_work_then_refuses_more(
    worker: SqliteWorker, traced: Traced
) -> None:
    queued = [asyncio.ensure_future(worker.run(put(f"k{n}", "v"), "write")) for n in range(5)]
    await asyncio.sleep(0)
    await worker.stop()
    await asyncio.gather(*queued)
    assert len(traced.rows()) == 5
    assert not any(t.name == "test-sqlite" for t in threading.enumerate())
    with pytest.raises(WorkerStopped):
        await worker.run(get("k1"), "read")
    await worker.stop()  # stopping twice is fine


async def test_results_reach_the_loop_that_asked(traced: Traced) -> None:
    worker = SqliteWorker(traced.connect, after_commit=traced.after_commit, name="test-sqlite")

    def in_a_second_loop() -> str | None:
        async def ask() -> str | None:
            return await worker.run(get("a"), "read")

        return asyncio.run(ask())

    try:
        await worker.run(put("a", "1"), "write")
        assert await asyncio.to_thread(in_a_second_loop) == "1"
        assert await worker.run(get("a"), "read") == "1"
    finally:
        await worker.stop()


async def test_a_failing_clean_up_leaves_committed_work_committed(
    traced: Traced, caplog: pytest.LogCaptureFixture
) -> None:
    def after_commit(conn: sqlite3.Connection) -> None:
        raise RuntimeError("clean-up broke")

    worker = SqliteWorker(traced.connect, after_commit=after_commit, name="test-sqlite")
    try:
        await worker.run(put("a", "1"), "write")  # no error: the write itself went through
        assert traced.rows() == [("a", "1")]
        assert "clean-up after a commit failed" in caplog.text
        assert await worker.run(get("a"), "read") == "1"  # and the worker carries on
    finally:
        await worker.stop()
