"""The HTTP hardening every POST endpoint of a channel shares (the Telegram webhook, the plain
HTTP JSON chat): a shared secret header compared in constant time, ``application/json`` only,
a body size limit enforced while reading, and plain status codes for each refusal.

:func:`guarded` reads and checks a request in plain ASGI; the endpoint gets the body only when
every check passed, and answers with an :class:`Answer` that :func:`respond` sends.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 1_000_000
MAX_LENGTH_DIGITS = 12

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP response: its status, body and content type."""

    status: int
    body: bytes
    media_type: bytes = b"text/plain; charset=utf-8"
    outcome: str = "ok"
    """What happened, for the metrics (``forbidden``, ``too_large``…)."""


@dataclass(frozen=True, slots=True)
class Guard:
    """The checks of one endpoint: the secret header (``None``: no secret) and the body limit."""

    secret_header: bytes | None = None
    secret: bytes = b""
    max_body: int = MAX_BODY_BYTES


class Disconnected(Exception):
    """The client went away before its request was read; nothing is to be answered."""


class _TooLarge(Exception):
    pass


class _BadLength(Exception):
    pass


async def guarded(guard: Guard, headers: dict[bytes, bytes], receive: Receive) -> bytes | Answer:
    """The request's body if it passes every check, else the refusal to answer with:
    403 (wrong secret), 415 (not JSON), 413 (too large), 400 (a malformed Content-Length).

    Raises:
        Disconnected: the client left while the body was read.
    """
    if guard.secret_header is not None and not hmac.compare_digest(
        headers.get(guard.secret_header, b""), guard.secret
    ):
        return Answer(403, b"forbidden", outcome="forbidden")
    media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    if media_type != b"application/json":
        return Answer(415, b"expected application/json", outcome="unsupported_type")
    try:
        return await _read_body(headers, receive, guard.max_body)
    except _TooLarge:
        return Answer(413, b"request body too large", outcome="too_large")
    except _BadLength:
        return Answer(400, b"invalid Content-Length", outcome="bad_request")


async def _read_body(headers: dict[bytes, bytes], receive: Receive, limit: int) -> bytes:
    declared = headers.get(b"content-length")
    if declared is not None and (
        not (declared.isascii() and declared.isdigit()) or len(declared) > MAX_LENGTH_DIGITS
    ):
        raise _BadLength
    if declared is not None and int(declared) > limit:
        raise _TooLarge
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        body += message.get("body", b"")
        if len(body) > limit:
            raise _TooLarge
        if not message.get("more_body", False):
            return bytes(body)


async def respond(send: Send, answer: Answer) -> None:
    """Send ``answer`` as the whole response."""
    await send({"type": "http.response.start", "status": answer.status, "headers": [
        (b"content-type", answer.media_type),
        (b"content-length", str(len(answer.body)).encode()),
    ]})  # fmt: skip
    await send({"type": "http.response.body", "body": answer.body})


def post_route(
    path: str, endpoint: Callable[[dict[bytes, bytes], Receive], Awaitable[Answer]],
    rest: ASGIApp,
) -> ASGIApp:  # fmt: skip
    """An ASGI app that hands ``POST path`` to ``endpoint`` (plain ASGI: it carries the load)
    and everything else to ``rest``."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != path or scope["method"] != "POST":
            await rest(scope, receive, send)
            return
        try:
            answer = await endpoint(dict(scope["headers"]), receive)
        except Disconnected:
            return
        await respond(send, answer)

    return app
