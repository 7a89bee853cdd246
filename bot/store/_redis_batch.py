"""One Redis connection that every task of a process shares, its commands written in batches.

redis-py gives each command in flight a connection of its own, and a socket write of its own.
Here every command waits in one list while a batch is out; the next batch is then the whole list
in one write, and its replies are read back in order. Under load a write carries many commands
and Redis wakes up once for them: on a small VM, a socket write to an idle Redis costs more CPU
than the command itself. Alone, a command goes out in the next turn of the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from redis.asyncio import ConnectionPool
from redis.asyncio.connection import AbstractConnection
from redis.asyncio.retry import Retry
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError, RedisError, ResponseError
from redis.typing import EncodableT

Command = Sequence[EncodableT]


class BatchedConnection:
    """Commands from any task, sent over one connection of ``pool`` in batches.

    A lost connection fails the commands of its batch (as ``redis`` errors, which the store
    turns into ``StoreUnavailable``) and is opened again for the next one; ``retry`` (the
    client's) retries each command as redis-py would. A caller cancelled while its command is
    out leaves it to run and its reply to be dropped.
    """

    def __init__(self, pool: ConnectionPool, retry: Retry | None) -> None:
        self._pool = pool
        self._retry = retry
        self._connection: AbstractConnection | None = None
        self._waiting: list[tuple[Command, asyncio.Future[Any]]] = []
        self._sender: asyncio.Task[None] | None = None
        self._closed = False

    async def call(self, *commands: Command) -> list[Any]:
        """The replies to ``commands``, sent one after the other in the same batch.

        Raises:
            ResponseError: the first error reply (the other commands ran all the same).
            RedisError, OSError: the connection failed.
        """
        if self._retry is None:
            return await self._call_once(commands)
        return await self._retry.call_with_retry(
            lambda: self._call_once(commands), _ignore_failure
        )

    async def script(self, script: AsyncScript, keys: Sequence[str], args: Command) -> Any:
        """Run a registered script by its SHA, loading it first where Redis has it not."""
        command = ("EVALSHA", script.sha, len(keys), *keys, *args)
        try:
            return (await self.call(command))[0]
        except NoScriptError:
            await self.call(("SCRIPT", "LOAD", script.script))
            return (await self.call(command))[0]

    async def close(self) -> None:
        """Fail whatever is still waiting and give the connection back to the pool."""
        self._closed = True
        if self._sender is not None:
            self._sender.cancel()
            await asyncio.gather(self._sender, return_exceptions=True)
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.disconnect()
            await self._pool.release(connection)

    async def _call_once(self, commands: Sequence[Command]) -> list[Any]:
        if self._closed:
            raise _closed()
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in commands]
        self._waiting.extend(zip(commands, futures, strict=True))
        if self._sender is None:
            self._sender = loop.create_task(self._send())
        replies = [await futures[0]] if len(futures) == 1 else await asyncio.gather(*futures)
        for reply in replies:
            if isinstance(reply, ResponseError):
                raise reply
        return replies

    async def _send(self) -> None:
        """Send what waits, one batch at a time, until nothing does."""
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    replies = await self._exchange([command for command, _ in batch])
                except Exception as error:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                except BaseException:  # cancelled: the store is closing
                    self._waiting[:0] = batch
                    raise
                for (_, future), reply in zip(batch, replies, strict=True):
                    if not future.done():
                        future.set_result(reply)
        finally:
            self._sender = None
            left, self._waiting = self._waiting, []  # only when cancelled (closed)
            for _, future in left:
                if not future.done():
                    future.set_exception(_closed())

    async def _exchange(self, commands: list[Command]) -> list[Any]:
        """Write ``commands`` at once and read their replies (an error reply as a value)."""
        if self._connection is None:
            self._connection = await self._pool.get_connection()  # type: ignore[no-untyped-call]
        connection = self._connection
        try:
            await connection.send_packed_command(connection.pack_commands(commands))
            replies: list[Any] = []
            for _ in commands:
                try:
                    replies.append(await connection.read_response())
                except ResponseError as error:  # the connection stays in step
                    replies.append(error)
        except BaseException:
            await connection.disconnect(nowait=True)  # connected again by the next batch
            raise
        return replies


def _closed() -> RedisError:
    """The error of a command after :meth:`BatchedConnection.close` (not retried)."""
    return RedisError("the store is closed")


async def _ignore_failure(error: Exception) -> None:
    """Nothing to clean up between tries: a failed batch has already dropped its connection."""
