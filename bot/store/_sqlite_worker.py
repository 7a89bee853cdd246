"""The thread that owns a SQLite connection and runs a store's database work in batches.

Calls queued while the thread is busy run together in one transaction and their results go back
to the event loop together: under load that is one commit and one thread hop for many calls
instead of one each, which is what keeps SQLite off the bot's critical path. Each call still
sees the effects of the calls queued before it, and a caller hears back only once its work is
committed. A SQLite error (locked, read-only, disk full) fails every call of its batch and keeps
nothing of them, as it would have failed each of them alone; a call that raises anything else
fails alone, the others are run again one by one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

Work = Callable[[sqlite3.Connection], Any]
Mode = Literal["read", "write", "alone"]


class WorkerStopped(Exception):
    """The worker was stopped; no more work is accepted."""


@dataclass(slots=True)
class _Call:
    work: Work
    mode: Mode
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    outcome: Any = None
    failed: bool = False
    settled: bool = False

    def succeed(self, outcome: Any) -> None:
        self.outcome, self.failed, self.settled = outcome, False, True

    def fail(self, error: BaseException) -> None:
        self.outcome, self.failed, self.settled = error, True, True


@dataclass(slots=True)
class _Queue:
    calls: list[_Call] = field(default_factory=list)
    waiting: bool = False
    stopping: bool = False


class SqliteWorker:
    """Runs work on one connection on a thread of its own, batching what queues up.

    Args:
        connect: Opens (and prepares) the connection, on the worker thread, whenever there is
            none: at first use and after an error closed the previous one.
        after_commit: Called on the worker thread after every commit, before the callers hear
            back (the store erases deleted data there).
        name: The thread's name.
    """

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        *,
        after_commit: Callable[[sqlite3.Connection], None],
        name: str,
    ) -> None:
        self._connect = connect
        self._after_commit = after_commit
        self._name = name
        self._queue = _Queue()
        self._wakeup = threading.Condition()
        self._thread: threading.Thread | None = None
        self._conn: sqlite3.Connection | None = None  # touched only on the worker thread

    async def run(self, work: Callable[[sqlite3.Connection], _T], mode: Mode) -> _T:
        """Run ``work(connection)`` in a transaction shared with other queued work.

        ``mode`` is ``"read"`` for work that normally only reads (a transaction of reads only
        does not wait for another connection's write lock), ``"write"``, or ``"alone"`` for
        work that runs outside any transaction and manages its own.

        Raises:
            sqlite3.Error: the work (or the transaction it ran in) failed; nothing it wrote
                was kept.
            WorkerStopped: :meth:`stop` was called.
        """
        call = self._queue_call(work, mode)
        result: _T = await call.future
        return result

    async def stop(self) -> None:
        """Finish the work already queued, close the connection and end the thread."""
        with self._wakeup:
            if self._queue.stopping:
                return
            self._queue.stopping = True
            thread = self._thread
            self._wakeup.notify()
        if thread is not None:
            await asyncio.to_thread(thread.join)

    def _queue_call(self, work: Work, mode: Mode) -> _Call:
        loop = asyncio.get_running_loop()
        call = _Call(work, mode, loop, loop.create_future())
        with self._wakeup:
            if self._queue.stopping:
                raise WorkerStopped
            self._queue.calls.append(call)
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
                self._thread.start()
            elif self._queue.waiting:
                self._wakeup.notify()
        return call

    # -- on the worker thread ---------------------------------------------------------------

    def _serve(self) -> None:
        while True:
            with self._wakeup:
                while not self._queue.calls and not self._queue.stopping:
                    self._queue.waiting = True
                    self._wakeup.wait()
                self._queue.waiting = False
                calls, self._queue.calls = self._queue.calls, []
            if not calls:  # stopping, and everything queued is done
                self._close()
                return
            try:
                self._run_batch(calls)
            except Exception as error:  # a bug here must not leave callers waiting forever
                logger.exception("SQLite worker failed")
                for call in calls:
                    if not call.settled:
                        call.fail(error)
            _report(calls)

    def _run_batch(self, calls: list[_Call]) -> None:
        together: list[_Call] = []
        for call in calls:
            if call.mode == "alone":
                self._run_together(together)
                together = []
                self._run_alone(call)
            else:
                together.append(call)
        self._run_together(together)

    def _run_together(self, calls: list[_Call]) -> None:
        if not calls:
            return
        try:
            self._attempt(calls)
        except sqlite3.Error as error:
            for call in calls:
                call.fail(error)
        except Exception as error:
            if len(calls) == 1:
                calls[0].fail(error)
                return
            # One call is broken: give every call a transaction of its own so that only the
            # broken one fails.
            for call in calls:
                self._run_together([call])

    def _attempt(self, calls: list[_Call]) -> None:
        """Run ``calls`` in one transaction."""
        writes = any(call.mode == "write" for call in calls)

        def together(conn: sqlite3.Connection) -> list[Any]:
            with transaction(conn, immediate=writes):
                return [call.work(conn) for call in calls]

        outcomes, conn = self._on_connection(together)
        for call, outcome in zip(calls, outcomes, strict=True):
            call.succeed(outcome)
        self._tidy_up(conn)

    def _on_connection(self, work: Work) -> tuple[Any, sqlite3.Connection]:
        """``work(connection)``; a SQLite error drops the connection, and when the file was
        read-only the work is tried once more on a fresh one (a connection that found the file
        read-only stays so even once it is writable again)."""
        conn = self._connection()
        try:
            return work(conn), conn
        except sqlite3.Error as error:
            self._close()
            if not getattr(error, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
                raise
        conn = self._connection()
        try:
            return work(conn), conn
        except sqlite3.Error:
            self._close()
            raise

    def _tidy_up(self, conn: sqlite3.Connection) -> None:
        """Run ``after_commit``; its failure leaves the committed work committed."""
        try:
            self._after_commit(conn)
        except Exception as error:
            logger.warning("SQLite clean-up after a commit failed: %s", error)
            self._close()

    def _run_alone(self, call: _Call) -> None:
        try:
            outcome, _ = self._on_connection(call.work)
        except Exception as error:
            call.fail(error)
        else:
            call.succeed(outcome)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _close(self) -> None:
        """Drop the connection (after an error, the next work starts afresh)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error as error:
                logger.warning("closing the SQLite connection failed: %s", error)


def _report(calls: list[_Call]) -> None:
    """Hand the outcomes back: one wake-up per event loop for the whole batch."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Call]] = {}
    for call in calls:
        by_loop.setdefault(call.loop, []).append(call)
    for loop, settled in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
            loop.call_soon_threadsafe(_settle, settled)


def _settle(calls: list[_Call]) -> None:
    for call in calls:
        if call.future.cancelled():
            continue
        if call.failed:
            call.future.set_exception(call.outcome)
        else:
            call.future.set_result(call.outcome)


@contextmanager
def transaction(
    conn: sqlite3.Connection, *, immediate: bool = True, rollback: bool = False
) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` (taking the write lock at once; or a plain ``BEGIN``) … ``COMMIT``
    (or ``ROLLBACK`` if asked), or ``ROLLBACK`` on any error: never half-written."""
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
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
