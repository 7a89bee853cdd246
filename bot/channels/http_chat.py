"""The plain HTTP JSON chat: POST one message, get the bot's replies as JSON.

A minimal second channel, to show what a channel is: one module implementing
:class:`bot.channel.Channel` (this file) plus one line in :mod:`bot.channels.registry`. It
reuses the webhook's HTTP hardening (:mod:`bot.channels.http_guard`: the secret header, JSON
only, the body size limit, the status codes) and runs through the same
:class:`~bot.service.ChatService` as Telegram.

``POST /chat`` with header ``X-Hipbot-Secret: <HTTP_CHAT_SECRET>`` and a body
``{"chat": "alice", "text": "my hip hurts", "id": "m-1"}`` (or ``"button": value`` for an option)
answers 200 ``{"replies": [{"text": …}], "options": [{"label": …, "value": …}]}``. ``id`` is
optional; a retry with the same ``id`` is applied once (its pending replies, if any, come back).
Refusals: 403 wrong secret, 415 not JSON, 413 too large, 400 not a chat message, 503 store down.
Check-ins are not pushed (HTTP has no way to): a client that wants them polls with a message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.channel import Channel, Incoming, SessionKey, clip
from bot.channels.http_guard import (
    Answer,
    ASGIApp,
    Disconnected,
    Guard,
    Receive,
    Scope,
    Send,
    guarded,
    respond,
)
from bot.dialogue import Option, Reply, Turn
from bot.service import ChatService
from bot.store import StoreUnavailable

PATH = "/chat"
SECRET_HEADER = b"x-hipbot-secret"
SECRET_ENV = "HTTP_CHAT_SECRET"  # noqa: S105 - the variable's name, not a secret
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
JSON_TYPE = b"application/json"


class HttpChat:
    """Chat messages as JSON objects in, replies as JSON objects out."""

    name = "http"
    max_text = 4096

    def incoming(self, event: Any) -> Incoming | None:
        """``{"chat", "text" | "button", "id"?}``; ``None`` when it is not such an object."""
        if not isinstance(event, dict) or set(event) - {"chat", "text", "button", "id"}:
            return None
        chat, text, button, given = (event.get(k) for k in ("chat", "text", "button", "id"))
        if not (isinstance(chat, str) and _NAME.match(chat)):
            return None
        if (text is None) == (button is None):  # exactly one of them
            return None
        if not isinstance(text or button, str) or (
            given is not None and not (isinstance(given, str) and _NAME.match(given))
        ):
            return None
        dedupe = f"{self.name}:{chat}:{given}" if given is not None else None
        key = SessionKey(self.name, chat)
        return Incoming(key, text=clip(text, self.max_text), button=button, dedupe=dedupe)

    def render(self, replies: Sequence[Reply]) -> list[dict[str, str]]:
        """Each reply's plain text (no length limit: the client shows it as it likes)."""
        return [{"text": reply.plain_text} for reply in replies]


def _options(options: Sequence[Option]) -> list[dict[str, str]]:
    return [{"label": option.label, "value": option.value} for option in options]


def create_app(service: ChatService, secret: str, *, path: str = PATH) -> ASGIApp:
    """The ASGI app: ``POST path`` only (plain ASGI, no framework)."""
    channel = HttpChat()
    guard = Guard(SECRET_HEADER, secret.encode())

    async def chat(headers: dict[bytes, bytes], receive: Receive) -> Answer:
        body = await guarded(guard, headers, receive)
        if isinstance(body, Answer):
            return body
        try:
            incoming = channel.incoming(json.loads(body))
        except (ValueError, RecursionError):
            incoming = None
        if incoming is None:
            return Answer(400, b'expected {"chat": name, "text" or "button": string}')
        turns: list[Turn] = []

        async def deliver(turn: Turn) -> None:
            turns.append(turn)

        try:
            handled = await service.receive(incoming, deliver)
        except StoreUnavailable:
            return Answer(503, b"store unavailable, retry later")
        replies = [reply for turn in turns for reply in turn.replies]
        answer = {
            "replies": channel.render(replies),
            "options": _options(replies[-1].options if replies else ()),
            "duplicate": handled.duplicate,
        }
        return Answer(200, json.dumps(answer, ensure_ascii=False).encode(), JSON_TYPE)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(service, receive, send)
        elif scope["type"] != "http" or scope["path"] != path:
            await respond(send, Answer(404, b"not found"))
        elif scope["method"] != "POST":
            await respond(send, Answer(405, b"use POST"))
        else:
            try:
                answer = await chat(dict(scope["headers"]), receive)
            except Disconnected:  # the client left: nobody to answer
                return
            await respond(send, answer)

    return app


async def _lifespan(service: ChatService, receive: Receive, send: Send) -> None:
    await receive()  # lifespan.startup
    await send({"type": "lifespan.startup.complete"})
    await receive()  # lifespan.shutdown
    await service.close()
    await send({"type": "lifespan.shutdown.complete"})


# -- the command (see bot.channels.registry) -----------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``hipbot http-chat`` options."""
    parser.add_argument("--host", default="127.0.0.1", help="listen address (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8090, help="listen port (8090)")
    parser.add_argument("--store", default="memory://", metavar="URL", help="the store (memory)")


def run(args: argparse.Namespace, service: ChatService) -> int:
    """Serve until stopped; the secret comes from ``HTTP_CHAT_SECRET``.

    Raises:
        ValueError: the secret is missing or malformed (the message never shows it).
    """
    import uvicorn

    secret = os.environ.get(SECRET_ENV, "")
    if not _SECRET.match(secret):
        raise ValueError(f"{SECRET_ENV} must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    app = create_app(service, secret)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    asyncio.run(uvicorn.Server(config).serve())
    return 0


if TYPE_CHECKING:

    def _is_a_channel(channel: HttpChat) -> Channel[Any, dict[str, str]]:
        return channel  # mypy checks that HttpChat implements the protocol
