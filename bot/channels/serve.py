"""How ``hipbot webhook`` runs uvicorn: with limits on headers, idle connections and concurrency.

The reverse proxy (Caddy, nginx) is the first line of defence and should enforce the same
limits; these keep one replica standing when something reaches it directly. uvicorn with
httptools has no header size limit and closes an idle connection only after a response, so a
64 MB header stalled the server and a thousand connections that never sent a request used up
the descriptors. :class:`GuardedHttpTools` answers a request head over :data:`MAX_HEAD_BYTES`
with 431 and closes a connection whose request head is not complete within
:data:`HEAD_TIMEOUT` seconds (of connecting, or of the first byte of the next request).
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bot.config import Settings

MAX_HEAD_BYTES = 16 * 1024
"""Request line and headers together: Telegram's are well under 1 KB."""
HEAD_TIMEOUT = 10.0
KEEP_ALIVE_SECONDS = 20
"""An idle keep-alive connection is closed after this long; a proxy's upstream keep-alive
timeout must be shorter (nginx ``keepalive_timeout`` in its ``upstream``, Caddy's default is
2 minutes for idle upstream connections: see deploy/README.md)."""
TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\ncontent-length: 22\r\nconnection: close\r\n\r\n"
    b"request head too large"
)


def concurrency_limit(settings: Settings) -> int:
    """Connections and requests in flight before uvicorn answers 503: room for every connection
    Telegram may open (``WEBHOOK_MAX_CONNECTIONS``), health checks and metrics scrapes."""
    return max(64, 4 * settings.webhook_max_connections)


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a size and a time limit on each request head."""

    head_limit = MAX_HEAD_BYTES
    head_timeout = HEAD_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes: int | None = 0  # None while a request's body is being received
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._head_bytes is not None:
            self._head_bytes += len(data)
            if self._head_bytes > self.head_limit:
                self._disarm_head_timer()
                self.transport.write(TOO_LARGE)
                self.transport.close()
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm_head_timer()

    def on_headers_complete(self) -> None:
        self._head_bytes = None
        self._disarm_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._head_bytes = 0  # the next request on this connection

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._head_bytes is not None and not self.transport.is_closing():
            self.transport.close()


def server_config(app: Any, settings: Settings, **overrides: Any) -> uvicorn.Config:
    """The uvicorn configuration of ``hipbot webhook`` (``overrides`` for tests)."""
    options: dict[str, Any] = {
        "host": settings.webhook_host,
        "port": settings.webhook_port,
        "log_config": None,  # log through our handler, which masks the token and secret
        "log_level": settings.log_level.lower(),
        "access_log": False,
        "lifespan": "on",
        "timeout_graceful_shutdown": 30,
        "http": GuardedHttpTools,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,  # the same limit if h11 is chosen
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "limit_concurrency": concurrency_limit(settings),
        "backlog": 512,
    }
    options.update(overrides)
    return uvicorn.Config(app, **options)
