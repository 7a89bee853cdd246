"""The webhook deployment: a Starlette app that Telegram POSTs updates to.

An update is acknowledged (200) only after it was processed, its session saved and its replies
sent, so Telegram retries whatever we did not finish (503: the store is down; 502: the replies
could not be delivered, and are saved to go out with the retry); a retried or duplicated
``update_id`` is processed once, also across replicas sharing a Redis store.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.channels.checkins import checkin_loop
from bot.channels.inbound import Inbound, parse_update
from bot.channels.lean_bot import LeanBot
from bot.channels.metrics import Metrics
from bot.channels.telegram import TelegramChannel
from bot.config import Settings
from bot.service import DUPLICATE_SEEN, DeliveryFailed
from bot.store import StoreUnavailable

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
MAX_LENGTH_DIGITS = 12
SECRET_HEADER = b"x-telegram-bot-api-secret-token"
ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


class _TooLarge(Exception):
    pass


class _BadLength(Exception):
    pass


class _Disconnected(Exception):
    pass


class StartupFailure(Exception):
    """The app could not start; the message never contains the token."""


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes
    media_type: bytes = b"text/plain; charset=utf-8"


async def _read_body(headers: dict[bytes, bytes], receive: Receive) -> bytes:
    declared = headers.get(b"content-length")
    if declared is not None and (
        not (declared.isascii() and declared.isdigit()) or len(declared) > MAX_LENGTH_DIGITS
    ):
        raise _BadLength
    if declared is not None and int(declared) > MAX_BODY_BYTES:
        raise _TooLarge
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        body += message.get("body", b"")
        if len(body) > MAX_BODY_BYTES:
            raise _TooLarge
        if not message.get("more_body", False):
            return bytes(body)


def create_app(
    settings: Settings,
    channel: TelegramChannel,
    application: Application,  # type: ignore[type-arg]
) -> ASGIApp:
    """The ASGI app: ``POST WEBHOOK_PATH``, ``GET /healthz`` and ``GET /metrics``.

    The webhook route is plain ASGI (it carries all the load); the rest is Starlette.
    """
    secret = settings.secret.encode()
    bot = application.bot
    if not isinstance(bot, LeanBot):
        raise TypeError("the application's bot must be a LeanBot (see bot.runtime)")
    metrics = Metrics()
    store = channel.service.store

    async def process(headers: dict[bytes, bytes], receive: Receive) -> _Answer:
        if not hmac.compare_digest(headers.get(SECRET_HEADER, b""), secret):
            metrics.observe("forbidden")
            return _Answer(403, b"forbidden")
        media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if media_type != b"application/json":
            metrics.observe("unsupported_type")
            return _Answer(415, b"expected application/json")
        try:
            body = await _read_body(headers, receive)
        except _TooLarge:
            metrics.observe("too_large")
            return _Answer(413, b"request body too large")
        except _BadLength:
            metrics.observe("bad_request")
            return _Answer(400, b"invalid Content-Length")
        update = _read_update(body)
        if update is None:
            metrics.observe("bad_request")
            return _Answer(400, b"not a Telegram update")
        started = time.perf_counter()
        DUPLICATE_SEEN.set(False)
        try:
            reply = await channel.handle(update, bot, answer_in_reply=True)
        except StoreUnavailable as error:
            logger.error("store unavailable; update %s left for Telegram to retry: %s",
                         update.update_id, error)  # fmt: skip
            metrics.observe("unavailable")
            return _Answer(503, b"store unavailable, retry later")
        except DeliveryFailed as error:  # saved with its replies: Telegram's retry sends them
            logger.warning("update %s: the reply was not delivered, left for Telegram to retry: "
                           "%s", update.update_id, error)  # fmt: skip
            metrics.observe("undelivered", time.perf_counter() - started)
            return _Answer(502, b"reply not delivered, retry later")
        except (Forbidden, BadRequest) as error:  # blocked by the user, chat gone: a retry
            # would fail the same way and hold up the chat's later updates at Telegram
            logger.warning("update %s: the reply was refused: %s", update.update_id,
                           type(error).__name__)  # fmt: skip
            metrics.observe("undeliverable", time.perf_counter() - started)
            return _Answer(200, b"ok, but the reply was refused")
        except Exception as error:  # a bad update must not take the server down
            logger.error("update %s failed: %s", update.update_id, type(error).__name__)
            metrics.observe("error", time.perf_counter() - started)
            return _Answer(500, b"error")
        outcome = "duplicate" if DUPLICATE_SEEN.get() else "ok"
        metrics.observe(outcome, time.perf_counter() - started)
        if reply:
            return _Answer(200, json.dumps(reply).encode(), b"application/json")
        return _Answer(200, b"ok")

    async def healthz(request: Request) -> Response:
        try:
            await store.ping()
            room = await store.capacity()
        except StoreUnavailable as error:
            logger.warning("health check: %s", error)
            return JSONResponse({"status": "unavailable", "store": "down"}, status_code=503)
        except OSError as error:  # the room is a courtesy: its failure is no outage
            logger.info("health check: store capacity unknown: %s", type(error).__name__)
            room = {}
        return JSONResponse({"status": "ok", "store": "up", **room})

    async def metrics_endpoint(request: Request) -> Response:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    async def not_allowed(request: Request) -> Response:
        return PlainTextResponse("use POST", status_code=405, headers={"Allow": "POST"})

    async def lifespan(receive: Receive, send: Send) -> None:
        """ASGI lifespan. A start-up failure is reported as one clear line (Starlette's own
        lifespan would report it as a traceback)."""
        await receive()  # lifespan.startup
        try:
            await _initialize(application)
        except StartupFailure as failure:
            await store.close()
            await send({"type": "lifespan.startup.failed", "message": str(failure)})
            return
        except BaseException:
            await store.close()
            raise
        checkins = asyncio.create_task(checkin_loop(settings, channel, bot).run())
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        checkins.cancel()
        await asyncio.gather(checkins, return_exceptions=True)
        try:
            await channel.drain()
            await application.shutdown()
        finally:
            await store.close()
        await send({"type": "lifespan.shutdown.complete"})

    rest = Starlette(
        routes=[
            Route(settings.webhook_path, not_allowed, methods=["GET", "PUT", "DELETE", "PATCH"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
        ],
    )
    path = settings.webhook_path

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http" or scope["path"] != path or scope["method"] != "POST":
            await rest(scope, receive, send)  # type: ignore[arg-type]
            return
        headers = dict(scope["headers"])
        try:
            answer = await process(headers, receive)
        except _Disconnected:
            return
        await send({"type": "http.response.start", "status": answer.status, "headers": [
            (b"content-type", answer.media_type),
            (b"content-length", str(len(answer.body)).encode()),
        ]})  # fmt: skip
        await send({"type": "http.response.body", "body": answer.body})

    return app


async def _initialize(application: Application) -> None:  # type: ignore[type-arg]
    try:
        await application.initialize()
    except TelegramError as error:
        # PTB's own message for a rejected token contains the token.
        raise StartupFailure(
            f"{type(error).__name__}: could not reach Telegram (check TELEGRAM_BOT_TOKEN and "
            "TELEGRAM_API_BASE_URL)"
        ) from None


def _read_update(body: bytes) -> Inbound | None:
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, an integer of 4,300+ digits
        return None
    return parse_update(data)
