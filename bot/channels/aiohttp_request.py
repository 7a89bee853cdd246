"""A python-telegram-bot request backend on aiohttp.

PTB's default backend (httpx) spends several milliseconds of CPU per request once dozens are in
flight (the httpcore connection pool); aiohttp does the same work for a fraction of that, which
is what lets one process serve hundreds of chats while every Bot API call takes 50 ms.
"""

from __future__ import annotations

import json

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

DEFAULT_TIMEOUT = 5.0
MEDIA_WRITE_TIMEOUT = 20.0
_JSON = {"Content-Type": "application/json"}


class MaybeSent(TimedOut):
    """The request went out but no answer came back (read timeout, connection lost while
    waiting): Telegram may have carried it out. Sending it again can make a duplicate."""


Timeout = object
"""A timeout as PTB passes it: seconds, ``None`` (no limit) or :attr:`BaseRequest.DEFAULT_NONE`
(not given). Typed loosely so as to name none of PTB's private types."""


def _seconds(value: Timeout, default: float | None) -> float | None:
    """``value`` in seconds; ``default`` when it was not given (PTB's documented check is
    ``is BaseRequest.DEFAULT_NONE``; any other placeholder counts as not given too)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default


class AiohttpRequest(BaseRequest):
    """Sends Bot API requests through one shared :class:`aiohttp.ClientSession`."""

    __slots__ = ("_connect_timeout", "_pool_size", "_read_timeout", "_session")

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = DEFAULT_TIMEOUT,
        connect_timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, as PTB asks of every backend."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the connection pool (idempotent)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the connection pool (idempotent)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; errors never carry the URL (it contains the bot token)."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        uploading = bool(request_data and request_data.multipart_data)
        data, headers = _body(request_data)
        write = _seconds(write_timeout, MEDIA_WRITE_TIMEOUT if uploading else self._read_timeout)
        read = _seconds(read_timeout, self._read_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_seconds(connect_timeout, self._connect_timeout),
            sock_read=max(filter(None, (read, write)), default=None),
        )
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError:  # never reached Telegram: safe to send again
            raise NetworkError("aiohttp.ConnectionTimeoutError") from None
        except TimeoutError as error:
            raise MaybeSent("read timed out") from error
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError) as error:
            raise MaybeSent(f"aiohttp.{type(error).__name__}") from None
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}") from None


def _body(
    request_data: RequestData | None,
) -> tuple[aiohttp.FormData | bytes | None, dict[str, str] | None]:
    """The request body and its headers: multipart with files, else JSON.

    The Bot API takes a JSON body for any call without files; encoding one is a fraction of
    the work of a form, which aiohttp URL-encodes in Python.
    """
    if request_data is None:
        return None, None
    files = request_data.multipart_data
    if files:
        form = aiohttp.FormData()
        for name, value in request_data.json_parameters.items():
            form.add_field(name, value)
        for name, part in files.items():
            filename, content, *rest = part
            form.add_field(name, content, filename=filename,
                           content_type=rest[0] if rest else None)  # fmt: skip
        return form, None
    if not request_data.parameters:
        return None, None
    return json.dumps(request_data.parameters).encode(), _JSON
