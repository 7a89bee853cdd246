"""uvicorn as ``hipbot webhook`` runs it (bot/channels/serve.py): request heads are limited in
size and time, idle connections are closed, over real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.channels.serve import MAX_HEAD_BYTES, GuardedHttpTools, concurrency_limit, server_config
from bot.config import Settings
from tests.support.ports import free_port
from tests.support.webhook import QuietServer

HEAD_TIMEOUT = 0.5


class QuickGuard(GuardedHttpTools):
    head_timeout = HEAD_TIMEOUT


async def hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"text/plain"), (b"content-length", b"2")]})  # fmt: skip
    await send({"type": "http.response.body", "body": b"ok"})


@contextlib.asynccontextmanager
async def serving() -> AsyncIterator[int]:
    port = free_port()
    settings = Settings.from_env({"WEBHOOK_PORT": str(port)})
    config = server_config(hello, settings, http=QuickGuard, lifespan="off", log_level="error")
    server = QuietServer(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


async def request(port: int, head: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()


GET = b"GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n"


async def test_a_request_head_over_the_limit_is_431_and_the_server_carries_on() -> None:
    async with serving() as port:
        padding = b"x" * (MAX_HEAD_BYTES + 1)
        answer = await request(
            port, b"GET / HTTP/1.1\r\nhost: a\r\nx-pad: " + padding + b"\r\n\r\n"
        )
        assert answer.startswith(b"HTTP/1.1 431 ")
        assert (await request(port, GET)).startswith(b"HTTP/1.1 200 ")


async def test_a_head_that_never_ends_is_closed_in_time() -> None:
    async with serving() as port:
        idle = await asyncio.open_connection("127.0.0.1", port)
        slow = await asyncio.open_connection("127.0.0.1", port)
        started = time.monotonic()
        slow[1].write(b"GET / HTTP/1.1\r\n")
        for _ in range(20):  # one header byte at a time, never the end of the head
            slow[1].write(b"x")
            await asyncio.sleep(0.05)
            if slow[0].at_eof():
                break
        for reader, writer in (idle, slow):
            assert await asyncio.wait_for(reader.read(), 5) == b""  # closed by the server
            writer.close()
        assert time.monotonic() - started < HEAD_TIMEOUT + 1.5
        assert (await request(port, GET)).startswith(b"HTTP/1.1 200 ")


async def test_keep_alive_requests_and_bodies_are_not_cut_short() -> None:
    """A connection that is used (several requests, a body arriving slowly) stays open."""
    async with serving() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for _ in range(3):
                writer.write(b"GET / HTTP/1.1\r\nhost: a\r\n\r\n")
                assert (await reader.readuntil(b"ok")).startswith(b"HTTP/1.1 200 ")
                await asyncio.sleep(HEAD_TIMEOUT * 1.5)  # idle between requests: keep-alive
            body = b"y" * (2 * MAX_HEAD_BYTES)  # bodies do not count against the head limit
            writer.write(b"POST / HTTP/1.1\r\nhost: a\r\ncontent-length: %d\r\n\r\n" % len(body))
            for start in range(0, len(body), len(body) // 4):
                writer.write(body[start : start + len(body) // 4])
                await asyncio.sleep(HEAD_TIMEOUT / 2)
            assert (await reader.readuntil(b"ok")).startswith(b"HTTP/1.1 200 ")
        finally:
            writer.close()


@pytest.mark.parametrize(("connections", "limit"), [(40, 160), (100, 400), (1, 64)])
def test_the_concurrency_limit_leaves_room_for_every_telegram_connection(
    connections: int, limit: int
) -> None:
    settings = Settings.from_env({"WEBHOOK_MAX_CONNECTIONS": str(connections)})
    config = server_config(hello, settings)
    assert config.limit_concurrency == concurrency_limit(settings) == limit
    assert config.timeout_keep_alive > 0 and config.h11_max_incomplete_event_size == MAX_HEAD_BYTES
